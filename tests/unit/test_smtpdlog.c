/*
 * OpenSMTPD's log lines, as the verdicts pane joins them with amavis: the
 * captures in tests/fixtures/amavis (a real smtpd -> amavis -> smtpd loop,
 * see its README.md) and hand-made lines in smtpd's formats.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "maillog.h"
#include "unit.h"

#define NOW		1795525000

#define S_EQ(s, lit) do {						\
	struct ml_str	 s_ = (s);					\
	ck_assert_msg(ml_str_eq(s_, (lit)), "%s: \"%.*s\", not \"%s\"",	\
	    #s, (int)s_.len, s_.p, (lit));				\
} while (0)

static char	*held;

/* An smtpd line, alone in a buffer of its size, framed and parsed. */
static int
parse(const char *line, struct smtpd_line *sl)
{
	struct ml_clock	 c;
	struct ml_frame	 fr;
	size_t		 len = strlen(line);

	free(held);
	held = malloc(len);
	ck_assert_ptr_nonnull(held);
	memcpy(held, line, len);
	ml_clock_init(&c, NOW);
	ck_assert_int_eq(ml_frame_parse(&c, held, len, &fr), 0);
	ck_assert_int_eq(fr.kind, ML_SMTPD);
	return smtpd_parse_line(sl, &fr);
}

#define L(m)	"Nov 24 13:57:50 mx smtpd[8350]: " m

static const struct fixture {
	const char	*file;
	size_t		 n[SE_MDA_DELIVERY + 1];	/* by event */
	size_t		 filtered;	/* deliveries through amavis */
	size_t		 amavis_id;	/* deliveries amavis kept */
} fixtures[] = {
	/* other, connected, message, envelope, failed, disconnected,
	 * connecting, delivery, mta disconnected, mda */
	{ "maillog-mixed.txt",
	    { 4, 22, 33, 96, 1, 22, 2, 96, 0, 0 }, 43, 8 },
	{ "maillog-mixed.datagrams.txt",
	    { 4, 22, 33, 96, 1, 22, 2, 96, 0, 0 }, 43, 8 },
	{ "maillog-mixed-rsyslog.txt",
	    { 4, 22, 33, 96, 1, 22, 2, 96, 0, 0 }, 43, 8 },
	{ "maillog-mixed-hashed.txt",
	    { 5, 17, 27, 90, 2, 17, 4, 90, 4, 0 }, 43, 4 },
	{ "maillog-mixed-hashed.datagrams.txt",
	    { 5, 17, 27, 90, 2, 17, 4, 90, 4, 0 }, 43, 4 },
};

#define MAXIDS	512

struct ids {
	char	 s[MAXIDS][40];
	size_t	 n;
};

static void
add(struct ids *ids, struct ml_str s)
{
	ck_assert_uint_lt(ids->n, MAXIDS);
	ck_assert_uint_lt(s.len, sizeof(ids->s[0]));
	memcpy(ids->s[ids->n], s.p, s.len);
	ids->s[ids->n++][s.len] = '\0';
}

static int
has(const struct ids *ids, const char *s)
{
	size_t	 i;

	for (i = 0; i < ids->n; i++)
		if (strcmp(ids->s[i], s) == 0)
			return 1;
	return 0;
}

/*
 * Every smtpd line of the captures, and the join with amavis: a passed
 * message's queued_as id is the msgid of smtpd's re-injected message and
 * the id in the original envelope's "from MTA(...)" stat; a blocked one's
 * log id is the "id=" in its stat.
 */
START_TEST(test_fixture_events)
{
	const struct fixture	*fx = &fixtures[_i];
	struct ml_clock		 c;
	struct ml_frame		 fr, o;
	struct ml_join		*j = ml_join_new();
	struct smtpd_line	 sl;
	struct av_verdict	 v;
	struct ids		*msgids, *queued, *logids, *filtered, *kept;
	size_t			 n[SE_MDA_DELIVERY + 1], len, i, nf = 0, na = 0;
	char			 path[512], *buf, *p, *nl, hex[9];
	int			 r;

	setenv("TZ", "UTC", 1);
	tzset();
	memset(n, 0, sizeof(n));
	msgids = calloc(1, sizeof(*msgids));
	queued = calloc(1, sizeof(*queued));
	logids = calloc(1, sizeof(*logids));
	filtered = calloc(1, sizeof(*filtered));
	kept = calloc(1, sizeof(*kept));
	snprintf(path, sizeof(path), "%s/amavis/%s", FIXTURES, fx->file);
	buf = unit_slurp(path, &len);
	ml_clock_init(&c, NOW);
	for (p = buf; p < buf + len; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(buf + len - p))) == NULL)
			nl = buf + len;
		ck_assert_int_eq(ml_frame_parse(&c, p, (size_t)(nl - p), &fr),
		    0);
		if (fr.kind == ML_AMAVIS) {
			ml_join_push(j, &fr);
			while (ml_join_next(j, &o))
				if (amavis_parse_line(&v, &o) == AV_VERDICT) {
					if (v.queued_id.len > 0)
						add(queued, v.queued_id);
					if (v.blocked)
						add(logids, v.logid);
				}
			continue;
		}
		if (fr.kind != ML_SMTPD)
			continue;
		r = smtpd_parse_line(&sl, &fr);
		ck_assert_msg(r >= SE_OTHER, "bad: %.*s", (int)fr.msglen,
		    fr.msg);
		ck_assert_int_eq(sl.type, r);
		ck_assert_int_ne(sl.time, CELL_NONE);
		n[r]++;
		switch (r) {
		case SE_SMTP_MESSAGE:
			snprintf(hex, sizeof(hex), "%08x", sl.msgid);
			ck_assert_int_eq(memcmp(fr.msg + 17 + 5 + 8 + 6, hex, 8),
			    0);
			add(msgids, (struct ml_str){ hex, 8 });
			ck_assert_int_gt(sl.size, 0);
			ck_assert_int_gt(sl.count, 0);
			S_EQ(sl.proto, "ESMTP");
			break;
		case SE_SMTP_ENVELOPE:
			ck_assert_uint_eq(sl.msgid, sl.evpid >> 32);
			ck_assert_uint_gt(sl.to.len, 0);
			break;
		case SE_MTA_DELIVERY:
			ck_assert_int_eq(sl.result, SR_OK + (sl.stat.p[0] == '5'
			    ? SR_PERMFAIL - SR_OK : 0));
			ck_assert_int_ge(sl.delay, 0);
			S_EQ(sl.rcpt, "-");
			S_EQ(sl.source, "127.0.0.1");
			S_EQ(sl.relay, "127.0.0.1 (localhost)");
			if (sl.flags & SE_F_FILTERED) {
				nf++;
				ck_assert_uint_eq(sl.queued.len, 8);
				add(filtered, sl.queued);
			}
			if (sl.amavis_id.len > 0) {
				na++;
				add(kept, sl.amavis_id);
				ck_assert_uint_eq(sl.queued.len, 0);
			}
			ck_assert(sl.queued.len > 0 || sl.amavis_id.len > 0);
			break;
		}
	}
	for (i = 0; i <= SE_MDA_DELIVERY; i++)
		ck_assert_msg(n[i] == fx->n[i], "%s: %zu events %zu, not %zu",
		    fx->file, i, n[i], fx->n[i]);
	ck_assert_uint_eq(nf, fx->filtered);
	ck_assert_uint_eq(na, fx->amavis_id);
	for (i = 0; i < filtered->n; i++) {
		ck_assert_msg(has(queued, filtered->s[i]), "%s: no verdict "
		    "queued as %s", fx->file, filtered->s[i]);
		ck_assert_msg(has(msgids, filtered->s[i]), "%s: no message "
		    "%s", fx->file, filtered->s[i]);
	}
	for (i = 0; i < queued->n; i++)
		ck_assert_msg(has(msgids, queued->s[i]), "%s: no message %s",
		    fx->file, queued->s[i]);
	for (i = 0; i < kept->n; i++)
		ck_assert_msg(has(logids, kept->s[i]), "%s: no blocked %s",
		    fx->file, kept->s[i]);
	free(buf);
	free(msgids);
	free(queued);
	free(logids);
	free(filtered);
	free(kept);
	ml_join_free(j);
}
END_TEST

START_TEST(test_session_lines)
{
	struct smtpd_line	 sl;

	ck_assert_int_eq(parse(L("7da64a463de371a5 smtp connected address=127.0.0.1 host=localhost"), &sl), SE_SMTP_CONNECTED);
	ck_assert_uint_eq(sl.session, 0x7da64a463de371a5ULL);
	S_EQ(sl.address, "127.0.0.1");
	S_EQ(sl.host, "localhost");
	ck_assert_int_eq(sl.time, 1795528670);

	ck_assert_int_eq(parse(L("7da64a463de371a5 smtp message msgid=e4ed366f size=627 nrcpt=1 proto=ESMTP"), &sl), SE_SMTP_MESSAGE);
	ck_assert_uint_eq(sl.msgid, 0xe4ed366f);
	ck_assert_uint_eq(sl.evpid, 0);
	ck_assert_int_eq(sl.size, 627);
	ck_assert_int_eq(sl.count, 1);
	S_EQ(sl.proto, "ESMTP");

	ck_assert_int_eq(parse(L("7da64a4e53ad371f smtp envelope evpid=81de6dbb4dd70567 from=<> to=<bob@example.org>"), &sl), SE_SMTP_ENVELOPE);
	ck_assert_uint_eq(sl.evpid, 0x81de6dbb4dd70567ULL);
	ck_assert_uint_eq(sl.msgid, 0x81de6dbb);
	S_EQ(sl.from, "");
	S_EQ(sl.to, "bob@example.org");

	/* what a client can put in its addresses */
	ck_assert_int_eq(parse(L("7da64a4e53ad371f smtp envelope evpid=81de6dbb4dd70567 from=<a> to=<b@c> to=<\"x\"@d> to=<e@f>"), &sl), SE_SMTP_ENVELOPE);
	S_EQ(sl.from, "a");
	S_EQ(sl.to, "b@c> to=<\"x\"@d> to=<e@f");

	ck_assert_int_eq(parse(L("7da64a450d043a53 smtp disconnected reason=\"io-error: Connection reset by peer\""), &sl), SE_SMTP_DISCONNECTED);
	S_EQ(sl.reason, "io-error: Connection reset by peer");
	ck_assert_int_eq(parse(L("7da64a463de371a5 smtp disconnected reason=quit"), &sl), SE_SMTP_DISCONNECTED);
	S_EQ(sl.reason, "quit");

	ck_assert_int_eq(parse(L("7da64a4f1344f2b1 smtp failed-command command=\"RCPT TO:<\"weird,name\"@example.org>\" result=\"501 5.1.3 Recipient address syntax error\""), &sl), SE_SMTP_FAILED);
	S_EQ(sl.command, "RCPT TO:<\"weird,name\"@example.org>");
	S_EQ(sl.result_text, "501 5.1.3 Recipient address syntax error");
	ck_assert_int_eq(parse(L("abd6683b450fbb14 smtp failed-command command=\"RCPT TO:<a\" result=\"x\"@b>\" result=\"550 Invalid recipient\""), &sl), SE_SMTP_FAILED);
	S_EQ(sl.command, "RCPT TO:<a\" result=\"x\"@b>");
	S_EQ(sl.result_text, "550 Invalid recipient");

	ck_assert_int_eq(parse(L("7da64a497585d172 mta connecting address=smtp://127.0.0.1:10024 host=localhost"), &sl), SE_MTA_CONNECTING);
	S_EQ(sl.address, "smtp://127.0.0.1:10024");
	S_EQ(sl.host, "localhost");
	ck_assert_int_eq(parse(L("abd66825212eb464 mta disconnected reason=quit messages=11"), &sl), SE_MTA_DISCONNECTED);
	S_EQ(sl.reason, "quit");
	ck_assert_int_eq(sl.count, 11);
	/* mta_error(): before any mail was sent, and after */
	ck_assert_int_eq(parse(L("7da64a497585d172 mta error reason=Connection failed: Connection refused"), &sl), SE_MTA_ERROR);
	ck_assert_uint_eq(sl.session, 0x7da64a497585d172ULL);
	S_EQ(sl.reason, "Connection failed: Connection refused");
	ck_assert_int_eq(parse(L("smtp-out: Error on session 7da64a497585d172 after 2 messages sent: Connection closed unexpectedly"), &sl), SE_MTA_ERROR);
	ck_assert_uint_eq(sl.session, 0x7da64a497585d172ULL);
	S_EQ(sl.reason, "Connection closed unexpectedly");
	ck_assert_int_eq(parse(L("smtp-out: Error on session 7da64a497585d17 after 2 messages sent: x"), &sl), SE_BAD);
	ck_assert_int_eq(parse(L("smtp-out: Error on session 7da64a497585d172 after 2 messages: x"), &sl), SE_BAD);
	ck_assert_int_eq(sl.type, SE_BAD);

	/* 8-bit addresses through OpenBSD's syslogd */
	ck_assert_int_eq(parse(L("7da64a4e53ad371f smtp envelope evpid=81de6dbb4dd70567 from=<cafM-CM-)@example.org> to=<M-fM^WM-%@M-CM-)>"), &sl), SE_SMTP_ENVELOPE);
	S_EQ(sl.from, "caf\303\251@example.org");
	S_EQ(sl.to, "\346\227\245@\303\251");
}
END_TEST

START_TEST(test_delivery_lines)
{
	struct smtpd_line	 sl;

	/* through amavis, re-injected as f2efc330 */
	ck_assert_int_eq(parse(L("7da64a497585d172 mta delivery evpid=e4ed366f6322ccb6 from=<alice@sender.example> to=<bob@example.org> rcpt=<-> source=\"127.0.0.1\" relay=\"127.0.0.1 (localhost)\" delay=0s result=\"Ok\" stat=\"250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 f2efc330 Message accepted for delivery\""), &sl), SE_MTA_DELIVERY);
	ck_assert_uint_eq(sl.session, 0x7da64a497585d172ULL);
	ck_assert_uint_eq(sl.evpid, 0xe4ed366f6322ccb6ULL);
	ck_assert_uint_eq(sl.msgid, 0xe4ed366f);
	S_EQ(sl.from, "alice@sender.example");
	S_EQ(sl.to, "bob@example.org");
	S_EQ(sl.rcpt, "-");
	S_EQ(sl.source, "127.0.0.1");
	S_EQ(sl.relay, "127.0.0.1 (localhost)");
	ck_assert_int_eq(sl.delay, 0);
	ck_assert_int_eq(sl.result, SR_OK);
	S_EQ(sl.result_text, "Ok");
	S_EQ(sl.stat, "250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 f2efc330 Message accepted for delivery");
	ck_assert_uint_eq(sl.flags, SE_F_FILTERED);
	S_EQ(sl.queued, "f2efc330");
	ck_assert_uint_eq(sl.amavis_id.len, 0);

	/* partly discarded */
	ck_assert_int_eq(parse(L("abd66825212eb464 mta delivery evpid=74a0f92e15dabe54 from=<spammer@spam.example> to=<bob@example.org> rcpt=<-> source=\"127.0.0.1\" relay=\"127.0.0.1 (localhost)\" delay=1s result=\"Ok\" stat=\"250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 aac0cb67 Message accepted for delivery, but 1 DISCARD\""), &sl), SE_MTA_DELIVERY);
	S_EQ(sl.queued, "aac0cb67");
	ck_assert_int_eq(sl.delay, 1);

	/* kept by amavis: its log id */
	ck_assert_int_eq(parse(L("7da64a497585d172 mta delivery evpid=69cfe07a62d4cc3c from=<spammer@spam.example> to=<bob@example.org> rcpt=<-> source=\"127.0.0.1\" relay=\"127.0.0.1 (localhost)\" delay=1s result=\"Ok\" stat=\"250 2.7.0 Ok, discarded, id=08553-01-8 - spam\""), &sl), SE_MTA_DELIVERY);
	S_EQ(sl.amavis_id, "08553-01-8");
	ck_assert_uint_eq(sl.queued.len, 0);
	ck_assert_uint_eq(sl.flags, 0);
	ck_assert_int_eq(parse(L("7da64a497585d172 mta delivery evpid=69cfe07a62d4cc3c from=<a@b> to=<c@d> rcpt=<-> source=\"127.0.0.1\" relay=\"127.0.0.1 (localhost)\" delay=1s result=\"Ok\" stat=\"250 2.5.0 Ok, id=08553-01-13, BOUNCE\""), &sl), SE_MTA_DELIVERY);
	S_EQ(sl.amavis_id, "08553-01-13");
	ck_assert_int_eq(parse(L("7da64a497585d172 mta delivery evpid=69cfe07a62d4cc3c from=<a@b> to=<c@d> rcpt=<-> source=\"127.0.0.1\" relay=\"127.0.0.1 (localhost)\" delay=2m3s result=\"PermFail\" stat=\"554 5.6.0 Reject, id=08553-01-14 - BAD HEADER\""), &sl), SE_MTA_DELIVERY);
	ck_assert_int_eq(sl.result, SR_PERMFAIL);
	S_EQ(sl.amavis_id, "08553-01-14");
	ck_assert_int_eq(sl.delay, 123);

	/* the next hop's own id, and a reply with quotes */
	ck_assert_int_eq(parse(L("7da64a5c00ed7daa mta delivery evpid=f2efc33000e40da2 from=<alice@sender.example> to=<bob@example.org> rcpt=<-> source=\"127.0.0.1\" relay=\"127.0.0.1 (localhost)\" delay=1d2h3m4s result=\"Ok\" stat=\"250 2.0.0 1eedf97f Message accepted for delivery\""), &sl), SE_MTA_DELIVERY);
	S_EQ(sl.queued, "1eedf97f");
	ck_assert_uint_eq(sl.flags, 0);
	ck_assert_int_eq(sl.delay, 93784);
	ck_assert_int_eq(parse(L("7da64a5c00ed7daa mta delivery evpid=f2efc33000e40da2 from=<a@b> to=<c@d> rcpt=<e@f> source=\"-\" relay=\"mx.remote.example [192.0.2.1]\" delay=-5s result=\"TempFail\" stat=\"421 4.7.0 \"quoted\" stat=\"x\" text\""), &sl), SE_MTA_DELIVERY);
	ck_assert_int_eq(sl.result, SR_TEMPFAIL);
	S_EQ(sl.rcpt, "e@f");
	S_EQ(sl.source, "-");
	S_EQ(sl.relay, "mx.remote.example [192.0.2.1]");
	S_EQ(sl.stat, "421 4.7.0 \"quoted\" stat=\"x\" text");
	ck_assert_int_eq(sl.delay, -5);
	ck_assert_uint_eq(sl.queued.len, 0);
	ck_assert_int_eq(parse(L("7da64a5c00ed7daa mta delivery evpid=f2efc33000e40da2 from=<a@b> to=<c@d> rcpt=<-> source=\"-\" relay=\"r\" delay=0s result=\"Loop\" stat=\"x\""), &sl), SE_MTA_DELIVERY);
	ck_assert_int_eq(sl.result, SR_OTHER);
	S_EQ(sl.result_text, "Loop");

	/* local delivery (mda_log's format) */
	ck_assert_int_eq(parse(L("7da64a5c00ed7daa mda delivery evpid=f2efc33000e40da2 from=<a@b> to=<bob@example.org> rcpt=<bob@example.org> user=bob delay=1h result=Ok stat=Delivered"), &sl), SE_MDA_DELIVERY);
	S_EQ(sl.to, "bob@example.org");
	S_EQ(sl.rcpt, "bob@example.org");
	S_EQ(sl.user, "bob");
	ck_assert_int_eq(sl.delay, 3600);
	ck_assert_int_eq(sl.result, SR_OK);
	S_EQ(sl.stat, "Delivered");
	ck_assert_int_eq(parse(L("7da64a5c00ed7daa mda delivery evpid=f2efc33000e40da2 from=<> to=<root@mx> user=root delay=0s result=PermFail stat=Error (exited with status 75)"), &sl), SE_MDA_DELIVERY);
	S_EQ(sl.to, "root@mx");
	ck_assert_uint_eq(sl.rcpt.len, 0);
	ck_assert_int_eq(sl.result, SR_PERMFAIL);
	S_EQ(sl.stat, "Error (exited with status 75)");
}
END_TEST

/* Not what the join needs: cheap SE_OTHER. */
static const char *const others[] = {
	L("info: OpenSMTPD 6.8.0p2 starting"),
	L("Exiting"),
	L("7da64a497585d172 mta connected"),
	L("7da64a497585d172 mta tls ciphers=TLSv1.3:TLS_AES_256_GCM_SHA384:256"),
	L("7da64a4b1e5b598a smtp tls ciphers=TLSv1.3:TLS_AES_256_GCM_SHA384:256"),
	L("7da64a4b1e5b598a smtp authentication user=bob result=ok"),
	L("7da64a4b1e5b598a smtp bad-input result=\"500 5.5.1 Invalid command\""),
	L("7da64a4b1e5b598a smtp"),
	L("7da64a4b1e5b598a smtp "),
	L("7da64a4b1e5b598a lka x"),
	L("7da64a4b1e5b598g smtp connected address=a host=b"),
	L("7da64a4b1e5b598 smtp connected address=a host=b"),
	L("7da64a4b1e5b598a  smtp connected address=a host=b"),
	L("7da64a4b1e5b598a smtp Connected address=a host=b"),
	L("smtp-in: New session 7da64a4b1e5b598a from host localhost [127.0.0.1]"),
	L("warn: queue: Received message with no recipients"),
	L(""),
};

START_TEST(test_other_lines)
{
	struct smtpd_line	 sl;

	ck_assert_msg(parse(others[_i], &sl) == SE_OTHER, "%s", others[_i]);
	ck_assert_int_eq(sl.type, SE_OTHER);
}
END_TEST

/* Known events that do not parse: bad, counted, never fatal. */
static const char *const bads[] = {
	L("7da64a463de371a5 smtp connected address=127.0.0.1"),
	L("7da64a463de371a5 smtp connected"),
	L("7da64a463de371a5 smtp message msgid=e4ed366 size=627 nrcpt=1 proto=ESMTP"),
	L("7da64a463de371a5 smtp message msgid=e4ed366g size=627 nrcpt=1 proto=ESMTP"),
	L("7da64a463de371a5 smtp message msgid=e4ed366f size=6x27 nrcpt=1 proto=ESMTP"),
	L("7da64a463de371a5 smtp message msgid=e4ed366f size=627 nrcpt= proto=ESMTP"),
	L("7da64a463de371a5 smtp message msgid=e4ed366f size=627 nrcpt=1"),
	L("7da64a4e53ad371f smtp envelope evpid=81de6dbb4dd7056 from=<> to=<b>"),
	L("7da64a4e53ad371f smtp envelope evpid=81de6dbb4dd70567 from=<> to=<b"),
	L("7da64a4e53ad371f smtp envelope evpid=81de6dbb4dd70567 to=<b>"),
	L("7da64a4e53ad371f smtp envelope evpid=81de6dbb4dd70567 from=<> to="),
	L("7da64a450d043a53 smtp disconnected"),
	L("7da64a4f1344f2b1 smtp failed-command command=\"RCPT\""),
	L("7da64a4f1344f2b1 smtp failed-command command=\"RCPT\" result=\""),
	L("7da64a4f1344f2b1 smtp failed-command result=\"501\""),
	L("7da64a497585d172 mta delivery evpid=e4ed366f6322ccb6 from=<a> to=<b>"),
	L("7da64a497585d172 mta delivery evpid=e4ed366f6322ccb6 from=<a> to=<b> rcpt=<-> source=\"s\" relay=\"r\" delay=0s result=\"Ok\" stat=\"250"),
	L("7da64a497585d172 mta delivery evpid=e4ed366f6322ccb6 from=<a> to=<b> rcpt=<-> source=\"s\" relay=\"r\" delay=0x result=\"Ok\" stat=\"250\""),
	L("7da64a497585d172 mta delivery evpid=e4ed366f6322ccb6 from=<a> to=<b> rcpt=<-> source=\"s\" relay=\"r\" delay=s result=\"Ok\" stat=\"250\""),
	L("7da64a497585d172 mta delivery evpid=e4ed366f6322ccb6 from=<a> to=<b> rcpt=<-> source=\"s\" relay=\"r\" delay= result=\"Ok\" stat=\"250\""),
	L("7da64a497585d172 mta delivery evpid=e4ed366f6322ccb from=<a> to=<b> rcpt=<-> source=\"s\" relay=\"r\" delay=0s result=\"Ok\" stat=\"250\""),
	L("7da64a497585d172 mta delivery from=<a> to=<b>"),
	L("7da64a497585d172 mta delivery"),
	L("7da64a497585d172 mta connecting address=smtp://127.0.0.1:10024"),
	L("abd66825212eb464 mta disconnected reason=quit"),
	L("abd66825212eb464 mta disconnected reason=quit messages=x"),
	L("7da64a5c00ed7daa mda delivery evpid=f2efc33000e40da2 from=<a@b> to=<c> user=bob delay=1h result=Ok"),
	L("7da64a5c00ed7daa mda delivery evpid=f2efc33000e40da2 from=<a@b> to=<c>"),
};

START_TEST(test_bad_lines)
{
	struct smtpd_line	 sl;

	ck_assert_msg(parse(bads[_i], &sl) == SE_BAD, "%s", bads[_i]);
	ck_assert_int_eq(sl.type, SE_BAD);
}
END_TEST

START_TEST(test_hex)
{
	uint64_t	 v;

	ck_assert_int_eq(ml_hex64("ffffffffffffffff", 16, &v), 0);
	ck_assert_uint_eq(v, UINT64_MAX);
	ck_assert_int_eq(ml_hex64("0A", 2, &v), 0);
	ck_assert_uint_eq(v, 10);
	ck_assert_int_eq(ml_hex64("", 0, &v), -1);
	ck_assert_int_eq(ml_hex64("10000000000000000", 17, &v), -1);
	ck_assert_int_eq(ml_hex64("0x1", 3, &v), -1);
	ck_assert_int_eq(ml_hex64("g", 1, &v), -1);
	ck_assert_int_eq(ml_hex64(":", 1, &v), -1);
	ck_assert_int_eq(ml_hex64("/", 1, &v), -1);
}
END_TEST

static Suite *
smtpdlog_suite(void)
{
	Suite	*s = suite_create("smtpdlog");
	TCase	*tc;

	tc = tcase_create("fixtures");
	tcase_add_loop_test(tc, test_fixture_events, 0, (int)nitems(fixtures));
	suite_add_tcase(s, tc);

	tc = tcase_create("lines");
	tcase_add_test(tc, test_session_lines);
	tcase_add_test(tc, test_delivery_lines);
	tcase_add_loop_test(tc, test_other_lines, 0, (int)nitems(others));
	tcase_add_loop_test(tc, test_bad_lines, 0, (int)nitems(bads));
	tcase_add_test(tc, test_hex);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	return unit_run(smtpdlog_suite());
}
