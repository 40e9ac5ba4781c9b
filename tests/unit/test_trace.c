/*
 * The trace's parts: OpenBSD spamd's log (the fixture, built from
 * spamd.c's formats, and SpamAssassin's spamd lines that must not pass
 * for it) and the target matcher (addresses, domains, IPs in every
 * spelling, hostile input).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "evring.h"
#include "maillog.h"
#include "queue.h"
#include "spamdb.h"
#include "spamdlog.h"
#include "trace.h"
#include "unit.h"

#define S_EQ(s, lit) do {						\
	struct ml_str	 s_ = (s);					\
	ck_assert_msg(ml_str_eq(s_, (lit)), "%s: \"%.*s\", not \"%s\"",	\
	    #s, (int)s_.len, s_.p, (lit));				\
} while (0)

static char	 held[2048];

/* A message of spamd's, framed from a whole line as syslogd writes it. */
static enum sd_kind
parse(const char *msg, struct sd_event *ev)
{
	struct ml_clock	 c;
	struct ml_frame	 fr;
	int		 n;

	n = snprintf(held, sizeof(held), "Nov 18 10:59:29 mx1 spamd[48213]: %s",
	    msg);
	ck_assert_int_lt(n, (int)sizeof(held));
	ml_clock_init(&c, UNIT_NOW);
	ck_assert_int_eq(ml_frame_parse(&c, held, (size_t)n, &fr), 0);
	ck_assert_int_eq(fr.kind, ML_SPAMD);
	ck_assert(fr.time != CELL_NONE);
	return spamd_log_parse(fr.msg, fr.msglen, ev);
}

START_TEST(test_spamdlog_fixture)
{
	char			*buf, *line, *nl;
	size_t			 len, n[SD_HEADER + 1] = { 0 }, other = 0;
	struct ml_clock		 c;
	struct ml_frame		 fr;
	struct sd_event		 ev;

	buf = unit_slurp(FIXTURES "/spamd/spamd-daemon-log.txt", &len);
	ml_clock_init(&c, UNIT_NOW);
	for (line = buf; line < buf + len; line = nl + 1) {
		nl = memchr(line, '\n', (size_t)(buf + len - line));
		ck_assert_ptr_nonnull(nl);
		ck_assert_int_eq(ml_frame_parse(&c, line, (size_t)(nl - line),
		    &fr), 0);
		if (fr.kind != ML_SPAMD) {
			other++;
			continue;
		}
		n[spamd_log_parse(fr.msg, fr.msglen, &ev)]++;
		if (ev.kind == SD_DISCONNECT && ev.seconds == 397) {
			S_EQ(ev.addr, "198.51.100.3");
			S_EQ(ev.lists, "spamd-greytrap");
		}
		if (ev.kind == SD_BLACK) {
			S_EQ(ev.addr, "198.51.100.3");
			S_EQ(ev.from, "<info@quick-loans-247.example>");
			S_EQ(ev.to, "<sales@example.org>");
		}
	}
	ck_assert_uint_eq(other, 1);			/* ntpd */
	ck_assert_uint_eq(n[SD_NONE], 0);
	ck_assert_uint_eq(n[SD_CONNECT], 5);
	ck_assert_uint_eq(n[SD_DISCONNECT], 5);
	ck_assert_uint_eq(n[SD_GREY], 3);
	ck_assert_uint_eq(n[SD_BLACK], 1);
	ck_assert_uint_eq(n[SD_HEADER], 3);
	free(buf);
}
END_TEST

START_TEST(test_spamdlog_forms)
{
	struct sd_event	 ev;

	ck_assert_int_eq(parse("198.51.100.3: connected (12/3), lists: "
	    "spamd-greytrap spews1", &ev), SD_CONNECT);
	S_EQ(ev.addr, "198.51.100.3");
	ck_assert_int_eq(ev.clients, 12);
	ck_assert_int_eq(ev.blacks, 3);
	S_EQ(ev.lists, "spamd-greytrap spews1");
	ck_assert_int_eq(ev.lists_cut, 0);
	/* greyd's ", lists: " with the tags' own leading space; cut short */
	ck_assert_int_eq(parse("192.0.2.7: connected (1/1), lists:  uatraps "
	    "nixspam ...", &ev), SD_CONNECT);
	S_EQ(ev.lists, "uatraps nixspam");
	ck_assert_int_eq(ev.lists_cut, 1);
	ck_assert_int_eq(parse("91.238.181.91: connected (2/0)", &ev),
	    SD_CONNECT);
	ck_assert_uint_eq(ev.lists.len, 0);
	ck_assert_int_eq(ev.seconds, CELL_NONE);
	ck_assert_int_eq(parse("203.0.113.199: disconnected after 1 seconds. "
	    "lists: spamd-greytrap", &ev), SD_DISCONNECT);
	ck_assert_int_eq(ev.seconds, 1);
	S_EQ(ev.lists, "spamd-greytrap");
	ck_assert_int_eq(parse("2001:db8::1: disconnected after 404 seconds.",
	    &ev), SD_DISCONNECT);
	S_EQ(ev.addr, "2001:db8::1");
	/* the sender is a token: an arrow without blanks is part of it */
	ck_assert_int_eq(parse("(GREY) 192.0.2.1: <a->b@c.example> -> "
	    "<d@e.example>", &ev), SD_GREY);
	S_EQ(ev.from, "<a->b@c.example>");
	S_EQ(ev.to, "<d@e.example>");
	ck_assert_int_eq(parse("(GREY) 192.0.2.1: <> -> bob@example.org", &ev),
	    SD_GREY);
	S_EQ(ev.from, "<>");
	S_EQ(ev.to, "bob@example.org");
	ck_assert_int_eq(parse("198.51.100.3: subject: \x1b[31mhi", &ev),
	    SD_HEADER);
	S_EQ(ev.header, "subject: \x1b[31mhi");
	ck_assert_int_eq(parse("198.51.100.3: TO: x", &ev), SD_HEADER);
}
END_TEST

START_TEST(test_spamdlog_not)
{
	static const char *const not[] = {
		/* SpamAssassin's spamd, in the mail log */
		"spamd: connection from localhost [127.0.0.1]:48120 to port "
		    "783, fd 5",
		"spamd: result: Y 12 - BAYES_99,URIBL_BLACK scantime=1.2",
		"prefork: child states: II",
		"spamd: clean message (0.4/5.0) for amavis:110 in 1.2 seconds, "
		    "3456 bytes.",
		/* broken or foreign */
		"listening for incoming connections.",
		"198.51.100.3: connected (1/)",
		"198.51.100.3: connected (1/0)x",
		"198.51.100.3: connected (1/0), list: x",
		"198.51.100.3: connected (1234567890123456789/0)",
		"198.51.100.3: disconnected after x seconds.",
		"198.51.100.3: disconnected after 5 seconds",
		"198.51.100.3: disconnected after 5 seconds.x",
		"(GREY) 192.0.2.1: <a@b> ->",
		"(GREY) 192.0.2.1: <a@b> -> ",
		"(GREY) 192.0.2.1:  -> <b@c>",
		"(GREY) 192.0.2.1 <a@b> -> <b@c>",
		"(GREY) mail.example: <a@b> -> <b@c>",
		"(WHITE) 192.0.2.1: <a@b> -> <b@c>",
		"<unknown>: connected (1/0)",
		"192.0.2.1:connected (1/0)",
		"192.0.2.1: Body: x",
		"",
	};
	struct sd_event	 ev;
	size_t		 i;

	for (i = 0; i < sizeof(not) / sizeof(not[0]); i++) {
		ck_assert_msg(parse(not[i], &ev) == SD_NONE, "%s", not[i]);
		ck_assert_uint_eq(ev.addr.len, 0);
		ck_assert_int_eq(ev.clients, CELL_NONE);
	}
}
END_TEST

static struct trace_target
target(const char *text)
{
	struct trace_target	 t;
	char			 err[256];

	ck_assert_msg(trace_target_parse(&t, text, err, sizeof(err)) == 0,
	    "%s: %s", text, err);
	return t;
}

#define M(f, t, s)	f(&(t), (s), strlen(s))

START_TEST(test_trace_target)
{
	struct trace_target	 t;
	char			 err[256], big[400];
	static const char *const bad[] = {
		"", "   ", "<>", "@example.org", "bob@", "bob@exa mple.org",
		"a b@example.org", "bob@example..org", "bob@.example.org",
		"bob@example.org\x1b[31m", "\x1b]0;owned\x07", "bob\n@x.org",
		"a<b@example.org", "192.0.2.010", "1.2.3", "bob@10.0.0.1",
		"bob@[192.0.2.1", "2001:db8::1::2", "-",
	};
	size_t			 i;

	t = target("bob@Example.ORG");
	ck_assert_int_eq(t.kind, TRACE_ADDRESS);
	ck_assert_str_eq(t.text, "bob@example.org");
	t = target(" <Bob@example.org.> ");
	ck_assert_str_eq(t.local, "Bob");
	ck_assert_str_eq(t.domain, "example.org");
	t = target("\"a@b\"@example.org");
	ck_assert_str_eq(t.local, "\"a@b\"");
	t = target("Example.Org.");
	ck_assert_int_eq(t.kind, TRACE_DOMAIN);
	ck_assert_str_eq(t.text, "example.org");
	/* a top-level domain: everything from there */
	t = target("RU");
	ck_assert(M(trace_match_address, t, "<x@mail.ru>"));
	t = target("2001:0db8:0:0::1");
	ck_assert_int_eq(t.kind, TRACE_IP);
	ck_assert_str_eq(t.text, "2001:db8::1");
	t = target("[IPv6:2001:DB8::1]");
	ck_assert_str_eq(t.text, "2001:db8::1");
	t = target("::ffff:192.0.2.1");
	ck_assert_str_eq(t.text, "192.0.2.1");
	t = target("[192.0.2.1]");
	ck_assert_str_eq(t.text, "192.0.2.1");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		ck_assert_msg(trace_target_parse(&t, bad[i], err,
		    sizeof(err)) == -1, "took \"%s\"", bad[i]);
		ck_assert(err[0] != '\0');
	}
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ck_assert_int_eq(trace_target_parse(&t, big, err, sizeof(err)), -1);
	big[65] = '@';
	ck_assert_int_eq(trace_target_parse(&t, big, err, sizeof(err)), -1);
	memcpy(big + 58, "@x.org", 7);
	ck_assert_int_eq(trace_target_parse(&t, big, err, sizeof(err)), 0);
}
END_TEST

START_TEST(test_trace_match)
{
	struct trace_target	 a = target("bob@example.org");
	struct trace_target	 d = target("example.org");
	struct trace_target	 i6 = target("2001:db8::1");
	struct trace_target	 i4 = target("192.0.2.1");

	ck_assert(M(trace_match_address, a, "<bob@EXAMPLE.org>"));
	ck_assert(M(trace_match_address, a, "bob@example.org"));
	ck_assert(!M(trace_match_address, a, "<Bob@example.org>"));
	ck_assert(!M(trace_match_address, a, "<bob@mail.example.org>"));
	ck_assert(!M(trace_match_address, a, "<bob@example.org.evil>"));
	ck_assert(!M(trace_match_address, a, "<xbob@example.org>"));
	ck_assert(!M(trace_match_address, a, "<>"));
	ck_assert(!M(trace_match_address, a, ""));
	ck_assert(!M(trace_match_host, a, "example.org"));
	ck_assert(!M(trace_match_ip, a, "192.0.2.1"));

	ck_assert(M(trace_match_address, d, "<x@mail.Example.org>"));
	ck_assert(M(trace_match_address, d, "x@example.org"));
	ck_assert(!M(trace_match_address, d, "<x@badexample.org>"));
	ck_assert(!M(trace_match_address, d, "<x@example.org.evil.com>"));
	ck_assert(!M(trace_match_address, d, "<example.org>"));
	ck_assert(M(trace_match_host, d, "mx1.EXAMPLE.org"));
	ck_assert(M(trace_match_host, d, "example.org."));
	ck_assert(!M(trace_match_host, d, "notexample.org"));
	ck_assert(!M(trace_match_host, d, "org"));

	ck_assert(M(trace_match_ip, i6, "2001:0db8:0:0::1"));
	ck_assert(M(trace_match_ip, i6, "[IPv6:2001:db8::1]"));
	ck_assert(M(trace_match_ip, i6, "2001:db8:0:0:0:0:0:1"));
	ck_assert(!M(trace_match_ip, i6, "2001:db8::2"));
	ck_assert(!M(trace_match_ip, i6, "2001:db8::1%em0"));
	ck_assert(M(trace_match_ip, i4, "::ffff:192.0.2.1"));
	ck_assert(M(trace_match_ip, i4, "[192.0.2.1]"));
	ck_assert(!M(trace_match_ip, i4, "192.0.2.10"));
	ck_assert(!M(trace_match_ip, i4, "192.0.2.1 "));
	ck_assert(!M(trace_match_address, i4, "<a@[192.0.2.1]>"));

	ck_assert(M(trace_match_addresses, a, "<a@x.org>,<bob@example.org>"));
	ck_assert(M(trace_match_addresses, a, "a@x.org, bob@example.org"));
	ck_assert(!M(trace_match_addresses, a, "<a@x.org>,<bob@example.net>"));
	ck_assert(!M(trace_match_addresses, a, ",,"));
}
END_TEST

/* A pane of rows "time|kind|ip|from|to|helo|header" for trace_build. */
enum { F_TIME, F_KIND, F_IP, F_FROM, F_TO, F_HELO, F_HDR, F_N };

static size_t
detail(void *arg, const struct row *r, time_t now, char *buf, size_t len)
{
	(void)arg;
	(void)now;
	return (size_t)snprintf(buf, len, "d:%s", r->key);
}

static const struct trace_desc fake_trace = {
	.kind_cell = F_KIND, .when = F_TIME, .ip = F_IP, .sender = F_FROM,
	.rcpts = F_TO, .host = F_HELO, .header_from = F_HDR, .detail = detail,
};

static void
fake_row(struct rowset *rs, const char *key, int64_t t, const char *ip,
    const char *from, const char *to, const char *helo, const char *hdr)
{
	struct row	*r = rowset_add(rs, F_N);

	r->key = key;
	r->cells[F_TIME].i = t;
	r->cells[F_KIND].s = "k";
	r->cells[F_IP].s = ip;
	r->cells[F_FROM].s = from;
	r->cells[F_TO].s = to;
	r->cells[F_HELO].s = helo;
	r->cells[F_HDR].s = hdr;
}

static const char *
keys_of(const struct rowset *ts)
{
	static char	 buf[512];
	size_t		 i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < ts->nrows; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s",
		    i ? " " : "", strchr(ts->rows[i]->key, '\n') + 1);
	return buf;
}

START_TEST(test_trace_build)
{
	struct rowset		*a = rowset_new(), *b = rowset_new(), *ts;
	struct trace_from	 from[2] = {
		{ "a", &fake_trace, NULL, NULL }, { "b", &fake_trace, NULL, NULL }
	};
	struct trace_target	 t;

	fake_row(a, "a1", 300, "192.0.2.1", "<x@y.example>", "<bob@example.org>",
	    "mx.y.example", "");
	fake_row(a, "a2", 100, "192.0.2.2", "<bob@example.org>", "<z@q.example>",
	    "", "");
	fake_row(a, "a3", CELL_NONE, "192.0.2.1", "", "", "", "");
	fake_row(b, "b1", 300, "2001:db8::1", "<>", "<a@x>,<bob@example.org>",
	    "", "");
	fake_row(b, "b2", 200, "192.0.2.9", "<news@list.example>", "<all@x>",
	    "", "\"Bob\" <bob@EXAMPLE.org>");
	fake_row(b, "b3", 50, "192.0.2.9", "<x@y>", "<z@w>", "mail.example.org",
	    "");
	from[0].rs = a;
	from[1].rs = b;

	/* oldest first, ties in pane order, no time last; header-only said */
	t = target("bob@example.org");
	ts = trace_build(&t, from, 2, UNIT_NOW);
	ck_assert_str_eq(keys_of(ts), "a2 b2 a1 b1");
	ck_assert_str_eq(ts->rows[1]->cells[T_SOURCE].s, "b");
	ck_assert(strncmp(ts->rows[1]->cells[T_DETAIL].s, "only the From: "
	    "header names it", 30) == 0);
	ck_assert(strstr(ts->rows[1]->cells[T_DETAIL].s, "d:b2") != NULL);
	ck_assert_str_eq(ts->rows[0]->cells[T_DETAIL].s, "d:a2");
	ck_assert_str_eq(ts->rows[3]->cells[T_RCPT].s, "<a@x>,<bob@example.org>");
	ck_assert_str_eq(ts->rows[0]->key, "a\na2");
	rowset_free(ts);

	/* a domain: addresses and host names under it */
	t = target("example.org");
	ts = trace_build(&t, from, 2, UNIT_NOW);
	ck_assert_str_eq(keys_of(ts), "b3 a2 b2 a1 b1");
	rowset_free(ts);

	t = target("192.0.2.1");
	ts = trace_build(&t, from, 2, UNIT_NOW);
	ck_assert_str_eq(keys_of(ts), "a1 a3");
	ck_assert_int_eq(ts->rows[1]->cells[T_TIME].i, CELL_NONE);
	rowset_free(ts);

	t = target("2001:0DB8:0::1");
	ts = trace_build(&t, from, 2, UNIT_NOW);
	ck_assert_str_eq(keys_of(ts), "b1");
	rowset_free(ts);

	t = target("nobody@example.org");
	ts = trace_build(&t, from, 2, UNIT_NOW);
	ck_assert_uint_eq(ts->nrows, 0);
	rowset_free(ts);

	/* a pane that follows the IPs: records of the tuples' clients */
	{
		struct trace_desc	 fd = fake_trace;
		struct trace_from	 f3[3];
		struct rowset		*c = rowset_new();

		fd.follow_ip = 1;
		fake_row(c, "c1", 10, "::ffff:192.0.2.2", "", "", "", "");
		fake_row(c, "c2", 20, "192.0.2.9", "", "", "", "");
		fake_row(c, "c3", 30, "192.0.2.1", "", "", "", "");
		f3[0] = from[0];
		f3[1] = from[1];
		f3[2] = (struct trace_from){ "c", &fd, NULL, c };
		t = target("bob@example.org");
		ts = trace_build(&t, f3, 3, UNIT_NOW);
		/* a1, a2 and b1 came from .1, .2 and 2001:db8::1; b2 only
		 * names bob in its header: its client .9 is not followed */
		ck_assert_str_eq(keys_of(ts), "c1 c3 a2 b2 a1 b1");
		rowset_free(ts);
		fd.follow_ip = 0;
		ts = trace_build(&t, f3, 3, UNIT_NOW);
		ck_assert_str_eq(keys_of(ts), "a2 b2 a1 b1");
		rowset_free(ts);
		rowset_free(c);
	}
	rowset_free(a);
	rowset_free(b);
}
END_TEST

/* What the answer says, from real greylist and queue rows. */
START_TEST(test_trace_summary)
{
	struct rowset		*grey = rowset_new(), *queue = rowset_new(), *ts;
	struct trace_from	 from[2];
	struct trace_target	 t;
	char			 sum[1024], line[512];
	int64_t			 now = UNIT_NOW;
	size_t			 nall;

	setenv("TZ", "UTC0", 1);
	tzset();
	/* waiting: first 10 min ago, so the retry after first + 25 min + 1 s
	 * passes; another tuple of bob from a second IP */
	snprintf(line, sizeof(line), "GREY|192.0.2.1|mx.a.example|<a@a.example>|"
	    "<bob@example.org>|%lld|%lld|%lld|2|0", (long long)(now - 600),
	    (long long)(now + 13800), (long long)(now + 13800));
	ck_assert_int_eq(spamdb_parse_line(grey, NULL, NULL, line,
	    strlen(line)), 0);
	snprintf(line, sizeof(line), "GREY|192.0.2.2|mx.b.example|<b@b.example>|"
	    "<bob@example.org>|%lld|%lld|%lld|1|0", (long long)(now - 300),
	    (long long)(now + 14100), (long long)(now + 14100));
	ck_assert_int_eq(spamdb_parse_line(grey, NULL, NULL, line,
	    strlen(line)), 0);
	snprintf(line, sizeof(line), "1a2b3c4d5e6f7a8b|inet4|mta||a@a.example|"
	    "bob@example.org|bob@example.org|%lld|%lld|0|3|pending|600|"
	    "421 4.7.0 Try again later", (long long)(now - 7500),
	    (long long)(now - 100));
	ck_assert_int_eq(queue_parse_line(queue, line, strlen(line)), 0);
	from[0] = (struct trace_from){ "grey", provider_grey.desc.trace,
	    NULL, grey };
	from[1] = (struct trace_from){ "queue", provider_queue.desc.trace,
	    NULL, queue };

	t = target("bob@example.org");
	ts = trace_build_sum(&t, from, 2, now, SIZE_MAX, &nall, sum,
	    sizeof(sum));
	ck_assert_uint_eq(nall, 3);
	ck_assert_str_eq(sum, "bob@example.org: 2 tuples greylisted from "
	    "192.0.2.1, 192.0.2.2, the next retry after 20:15 passes; "
	    "1 envelope queued, the oldest for 2h05m: 421 4.7.0 Try again "
	    "later");
	ck_assert_uint_eq(ts->nrows, 3);
	rowset_free(ts);

	/* only the newest made events; the answer still of all three */
	ts = trace_build_sum(&t, from, 2, now, 2, &nall, sum, sizeof(sum));
	ck_assert_uint_eq(nall, 3);
	ck_assert_uint_eq(ts->nrows, 2);
	ck_assert_str_eq(ts->rows[0]->cells[T_SOURCE].s, "grey");
	ck_assert_int_eq(ts->rows[0]->cells[T_TIME].i, now - 600);
	ck_assert_int_eq(ts->rows[1]->cells[T_TIME].i, now - 300);
	ck_assert(strstr(sum, "2 tuples greylisted") != NULL);
	ck_assert(strstr(sum, "1 envelope queued") != NULL);

	t = target("alice@example.org");
	rowset_free(ts);
	ts = trace_build_sum(&t, from, 2, now, SIZE_MAX, NULL, sum,
	    sizeof(sum));
	ck_assert_str_eq(sum, "alice@example.org: not greylisted; nothing "
	    "queued");
	rowset_free(ts);
	/* a summary too long for its buffer is cut, never overrun */
	t = target("bob@example.org");
	ts = trace_build_sum(&t, from, 2, now, SIZE_MAX, NULL, sum, 40);
	ck_assert_uint_eq(strlen(sum), 39);
	rowset_free(ts);
	rowset_free(grey);
	rowset_free(queue);
}
END_TEST

static struct row *
ring_row(int64_t v)
{
	struct row	*r = malloc(sizeof(*r) + sizeof(union cell));

	ck_assert_ptr_nonnull(r);
	r->key = "";
	r->cells[0].i = v;
	return r;
}

/* The last events, oldest first; an evicted row lives one set on. */
START_TEST(test_evring)
{
	struct evring	 e;
	struct rowset	*a, *b, *c;
	int64_t		 i;

	evring_init(&e, 3);
	for (i = 1; i <= 5; i++)
		evring_add(&e, ring_row(i));
	a = evring_rows(&e);
	ck_assert_uint_eq(a->nrows, 3);
	ck_assert_int_eq(a->rows[0]->cells[0].i, 3);
	ck_assert_int_eq(a->rows[2]->cells[0].i, 5);
	evring_add(&e, ring_row(6));		/* evicts 3, still in a */
	b = evring_rows(&e);
	ck_assert_int_eq(a->rows[0]->cells[0].i, 3);	/* ASan: not freed */
	ck_assert_int_eq(b->rows[0]->cells[0].i, 4);
	c = evring_rows(&e);			/* a is gone: 3 may go */
	ck_assert_uint_eq(c->nrows, 3);
	ck_assert_int_eq(c->rows[2]->cells[0].i, 6);
	rowset_free(a);
	rowset_free(b);
	rowset_free(c);
	evring_free(&e);
}
END_TEST

/* The smtpd log provider's rows of these log lines, as read from a file. */
static struct rowset *
smtpdlog_rows(const char *const *lines, size_t n, char *path,
    struct conf *conf, void **st)
{
	FILE	*fp;
	size_t	 i;
	int	 fd, guard;

	setenv("TZ", "UTC0", 1);
	tzset();
	ck_assert_int_ne(fd = mkstemp(path), -1);
	ck_assert_ptr_nonnull(fp = fdopen(fd, "w"));
	for (i = 0; i < n; i++)
		fprintf(fp, "%s\n", lines[i]);
	fclose(fp);
	conf_defaults(conf);
	free(conf->maillog);
	conf->maillog = xstrdup(path);
	conf->history = 1000000000;
	*st = provider_smtpdlog.src.create(conf);
	provider_smtpdlog.src.poll_begin(*st, UNIT_NOW);
	for (guard = 0; provider_smtpdlog.src.poll_step(*st) != PROV_IDLE &&
	    guard < 100; guard++)
		;
	return provider_smtpdlog.src.poll_finish(*st);
}

/*
 * smtpd's side of the mail log: a connection is an event of its own,
 * before what the session did, and the answer counts it.
 */
START_TEST(test_smtpdlog_connections)
{
	static const char *const lines[] = {
		"Nov 18 10:00:00 mx smtpd[1]: 00000000000000a1 smtp connected "
		    "address=192.0.2.7 host=mx.a.example",
		"Nov 18 10:00:00 mx smtpd[1]: 00000000000000a1 smtp envelope "
		    "evpid=1000000100000001 from=<a@a.example> to=<b@example.org>",
		"Nov 18 10:00:05 mx smtpd[1]: 00000000000000a2 smtp connected "
		    "address=192.0.2.7 host=mx.a.example",
	};
	const struct trace_desc	*d = provider_smtpdlog.desc.trace;
	struct conf		 conf;
	struct rowset		*rs;
	char			 path[] = "/tmp/mhtop-smtpdlog.XXXXXX", sum[256];
	const struct row	*rows[8];
	void			*st;
	size_t			 i;

	rs = smtpdlog_rows(lines, nitems(lines), path, &conf, &st);
	ck_assert_uint_eq(rs->nrows, 3);
	/* in the log's order: the connection, its envelope, the next one */
	ck_assert_str_eq(rs->rows[0]->cells[d->kind_cell].s, "connected");
	ck_assert_str_eq(rs->rows[0]->cells[d->ip].s, "192.0.2.7");
	ck_assert_str_eq(rs->rows[0]->cells[d->host].s, "mx.a.example");
	ck_assert_str_eq(rs->rows[1]->cells[d->kind_cell].s, "received");
	ck_assert_str_eq(rs->rows[2]->cells[d->kind_cell].s, "connected");
	for (i = 0; i < rs->nrows; i++)
		rows[i] = rs->rows[i];
	d->summary(st, rows, rs->nrows, UNIT_NOW, sum, sizeof(sum));
	ck_assert_msg(strncmp(sum, "smtpd saw 2 connections, received 1 "
	    "envelope", 42) == 0, "%s", sum);
	d->summary(st, rows + 1, 1, UNIT_NOW, sum, sizeof(sum));
	ck_assert_str_eq(sum, "smtpd received 1 envelope");
	rowset_free(rs);
	provider_smtpdlog.src.destroy(st);
	conf_free(&conf);
	unlink(path);
}
END_TEST

static void
about_add(void *arg, const char *s, size_t len)
{
	char	*buf = arg;
	size_t	 n = strlen(buf);

	snprintf(buf + n, 4096 - n, "%.*s\n", (int)len, s);
}

/*
 * An envelope's history in the mail log, as smtpd 7 writes it (mta.c,
 * mta_session.c): its delivery attempts and the outgoing sessions that
 * made them, not the sessions of other envelopes.
 */
START_TEST(test_smtpdlog_history)
{
	static const char *const lines[] = {
		"Nov 18 10:00:00 mx smtpd[1]: 00000000000000a1 smtp envelope "
		    "evpid=1000000100000001 from=<a@a.example> to=<b@b.example>",
		"Nov 18 10:00:01 mx smtpd[1]: 00000000000000b1 mta connecting "
		    "address=smtp://192.0.2.25:25 host=mx.b.example",
		"Nov 18 10:00:01 mx smtpd[1]: 00000000000000b2 mta connecting "
		    "address=192.0.2.26 host=mx.c.example",
		"Nov 18 10:00:02 mx smtpd[1]: 00000000000000b2 mta error "
		    "reason=Connection failed: Connection refused",
		"Nov 18 10:00:06 mx smtpd[1]: 00000000000000b1 mta delivery "
		    "evpid=1000000100000001 from=<a@a.example> to=<b@b.example> "
		    "rcpt=<-> source=\"192.0.2.1\" relay=\"192.0.2.25 "
		    "(mx.b.example)\" delay=6s result=\"TempFail\" stat=\"421 "
		    "4.7.0 Try again later\"",
		"Nov 18 10:00:07 mx smtpd[1]: smtp-out: Error on session "
		    "00000000000000b1 after 1 message sent: Connection closed "
		    "unexpectedly",
		"Nov 18 10:00:08 mx smtpd[1]: 00000000000000b3 mta delivery "
		    "evpid=2000000200000002 from=<a@a.example> to=<c@c.example> "
		    "rcpt=<-> source=\"192.0.2.1\" relay=\"192.0.2.26 "
		    "(mx.c.example)\" delay=8s result=\"Ok\" stat=\"250 2.0.0 "
		    "Ok\"",
	};
	const struct trace_desc	*d = provider_smtpdlog.desc.trace;
	struct conf		 conf;
	struct rowset		*rs;
	char			 path[] = "/tmp/mhtop-smtpdlog.XXXXXX";
	char			 out[4096];
	void			*st;

	rs = smtpdlog_rows(lines, nitems(lines), path, &conf, &st);
	ck_assert_uint_eq(rs->nrows, 7);
	ck_assert_uint_eq(rs->nbad, 0);
	/* the relay's address as the trace compares IPs */
	ck_assert_str_eq(rs->rows[1]->cells[d->ip].s, "192.0.2.25");
	ck_assert_str_eq(rs->rows[1]->cells[d->host].s, "mx.b.example");
	ck_assert_str_eq(rs->rows[2]->cells[d->ip].s, "192.0.2.26");

	out[0] = '\0';
	ck_assert_uint_eq(provider_smtpdlog.desc.about(st, rs, "evpid",
	    "1000000100000001", about_add, out), 4);
	ck_assert_str_eq(out,
	    "2026-11-18 10:00:00  received   evpid 1000000100000001\n"
	    "2026-11-18 10:00:01  connecting to smtp://192.0.2.25:25 "
	    "(mx.b.example); session 00000000000000b1\n"
	    "2026-11-18 10:00:06  deferred   relay 192.0.2.25 (mx.b.example): "
	    "421 4.7.0 Try again later; evpid 1000000100000001\n"
	    "2026-11-18 10:00:07  mta error  Connection closed unexpectedly; "
	    "session 00000000000000b1\n");
	out[0] = '\0';
	ck_assert_uint_eq(provider_smtpdlog.desc.about(st, rs, "evpid",
	    "2000000200000002", about_add, out), 1);
	ck_assert_uint_eq(provider_smtpdlog.desc.about(st, rs, "evpid",
	    "3000000300000003", about_add, out), 0);
	ck_assert_uint_eq(provider_smtpdlog.desc.about(st, rs, "evpid",
	    "\033[2J", about_add, out), 0);
	ck_assert_uint_eq(provider_smtpdlog.desc.about(st, rs, "msgid",
	    "10000001", about_add, out), 0);
	rowset_free(rs);
	provider_smtpdlog.src.destroy(st);
	conf_free(&conf);
	unlink(path);
}
END_TEST

/*
 * The same from a real mail log (the lab's smtpd 6.8, through syslog): a
 * refused relay smtpd gave up on without a session ("Network error on
 * destination MXs") is found by its address since the envelope came; a
 * relay that answered 451, by the session of the delivery.
 */
START_TEST(test_smtpdlog_history_lab)
{
	struct conf	 conf;
	struct rowset	*rs;
	char		 path[] = "/tmp/mhtop-smtpdlog.XXXXXX", out[4096];
	char		*buf, *nl, *lines[200];
	size_t		 len, n = 0;
	void		*st;

	buf = unit_slurp(FIX("maillog-mta-attempts.txt"), &len);
	for (nl = buf; n < nitems(lines) && *nl != '\0'; nl++) {
		lines[n++] = nl;
		if ((nl = strchr(nl, '\n')) == NULL)
			break;
		*nl = '\0';
	}
	rs = smtpdlog_rows((const char *const *)lines, n, path, &conf, &st);
	ck_assert_uint_eq(rs->nbad, 0);
	out[0] = '\0';
	ck_assert_uint_eq(provider_smtpdlog.desc.about(st, rs, "evpid",
	    "fb9d7fbe467d918d", about_add, out), 4);
	ck_assert_str_eq(out,
	    "2026-12-03 06:24:19  received   evpid fb9d7fbe467d918d; from host "
	    "localhost\n"
	    "2026-12-03 06:24:19  connecting to smtp://127.0.0.5:23178 "
	    "(127.0.0.5); session b7f86018e504bfac\n"
	    "2026-12-03 06:24:19  mta error  IO Error: Connection refused; "
	    "session b7f86018e504bfac\n"
	    "2026-12-03 06:24:30  deferred   relay 127.0.0.5: Network error on "
	    "destination MXs; evpid fb9d7fbe467d918d\n");
	out[0] = '\0';
	ck_assert_uint_ge(provider_smtpdlog.desc.about(st, rs, "evpid",
	    "557dc6ea771fb28d", about_add, out), 3);
	ck_assert_msg(strstr(out, "connecting to smtp://127.0.0.4:23177 "
	    "(127.0.0.4); session b7f8601386c0b94d\n") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "deferred   relay 127.0.0.4 (127.0.0.4): 451 "
	    "4.7.1 Too many messages, slow down (ref Q47935); evpid "
	    "557dc6ea771fb28d\n") != NULL, "%s", out);
	/* not the refused relay's session, nor the other envelopes' */
	ck_assert_ptr_null(strstr(out, "127.0.0.5"));
	ck_assert_ptr_null(strstr(out, "091718f80cf768bb"));
	rowset_free(rs);
	provider_smtpdlog.src.destroy(st);
	conf_free(&conf);
	unlink(path);
	free(buf);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("trace");
	TCase	*tc = tcase_create("trace");

	tcase_add_test(tc, test_spamdlog_fixture);
	tcase_add_test(tc, test_spamdlog_forms);
	tcase_add_test(tc, test_spamdlog_not);
	tcase_add_test(tc, test_trace_target);
	tcase_add_test(tc, test_trace_match);
	tcase_add_test(tc, test_trace_build);
	tcase_add_test(tc, test_trace_summary);
	tcase_add_test(tc, test_evring);
	tcase_add_test(tc, test_smtpdlog_connections);
	tcase_add_test(tc, test_smtpdlog_history);
	tcase_add_test(tc, test_smtpdlog_history_lab);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
