/*
 * --demo's releases from the quarantine.  What amavisd-new 2.13 logs when
 * amavisd-release asks it over AM.PDP (research/amavis.md §4.4; the release
 * at the end of fixtures/amavis/maillog-mixed.txt), and the copy it re-sends
 * through smtpd's re-injection listener, which smtpd logs, queues and
 * delivers (or defers, to a dead next hop) like any other mail.
 *
 * The operator's requests come through demo.c's amavisd-release.  Besides,
 * every few minutes a simulated admin releases a quarantined message from
 * a shell, so that releases made outside mhtop show too.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "demo_maillog.h"
#include "demo_maillog_int.h"
#include "quarantine.h"
#include "util.h"

#define AMPDP		"/usr/share/perl5/Amavis/In/AMPDP.pm"
#define ADMIN_EVERY	240000		/* ms between two of the admin's */
#define ADMIN_SPREAD	480000		/* releases, and a random part */
#define ADMIN_AGE	60000		/* what he releases is that old */

/* What smtpd takes in RCPT TO:; and of the rest, what it would log. */
static int
addr_ok(const char *a)
{
	const char	*at = strrchr(a, '@');
	size_t		 i;

	if (at == NULL || at == a || at[1] == '\0' || strlen(a) >= ADDR)
		return 0;
	for (i = 0; a[i] != '\0'; i++)
		if (a[i] <= ' ' || a[i] >= 0x7f || strchr("<>\"\\,", a[i]))
			return 0;
	return 1;
}

static int
printable(const char *a)
{
	for (; *a != '\0'; a++)
		if (*a < ' ' || *a >= 0x7f || *a == '"' || *a == '\\')
			return 0;
	return 1;
}

static int
is_local(const char *a)
{
	const char	*at = strrchr(a, '@');

	return at != NULL && strcasecmp(at + 1, "example.org") == 0;
}

/*
 * A list as amavis logs it, "<a>,<b>": the n addresses of field f of h,
 * or if o is given only those that are (in) or are not in its field of.
 */
static void
add_list(struct sbuf *b, const struct quar_head *h, enum quar_field f,
    uint32_t n, const struct quar_head *o, enum quar_field of, uint32_t on,
    int in)
{
	const char	*s, *t;
	char		 a[256];
	uint32_t	 i, j;
	int		 first = 1, found;

	for (i = 0, s = quar_field(h, f); i < n; i++, s = quar_list_next(s)) {
		found = 0;
		for (j = 0, t = o != NULL ? quar_field(o, of) : NULL;
		    t != NULL && j < on; j++, t = quar_list_next(t))
			found |= strcmp(s, t) == 0;
		if (o != NULL && found != in)
			continue;
		sb_printf(b, "%s<%s>", first ? "" : ",", demo_addr_lower(a, sizeof(a),
		    s));
		first = 0;
	}
}

/*
 * The copy amavis' SMTP client re-sends to smtpd's :10025: one message to
 * the recipients smtpd takes, queued per destination as smtpd would (the
 * inside host, or each domain of the Internet), all with the msgid smtpd
 * answered.  The replies, one a recipient, go to reply.
 */
static size_t
resend(struct demo_log *d, int64_t t, const char *from,
    const char *const *to, size_t n, size_t size, struct sbuf *reply)
{
	struct msg	*g[RCPT_MAX], *m;
	const char	*at;
	uint64_t	 sess = demo_uid(d);
	uint32_t	 id = 0;
	size_t		 i, j, ng = 0, k = 0;

	demo_smtpd(d, t, X64 " smtp connected address=127.0.0.1 "
	    "host=localhost", sess);
	t += 6 + demo_rnd(d, 20);
	for (i = 0; i < n; i++) {
		if (addr_ok(to[i])) {
			k++;
			continue;
		}
		if (printable(to[i]))
			demo_smtpd(d, t, X64 " smtp failed-command command="
			    "\"RCPT TO:<%s>\" result=\"501 5.1.3 Recipient "
			    "address syntax error\"", sess, to[i]);
	}
	if (k > 0) {
		id = demo_msgid(d);
		t += 10 + demo_rnd(d, 30);
		demo_smtpd(d, t, X64 " smtp message msgid=%08x size=%zu "
		    "nrcpt=%zu proto=ESMTP", sess, id, size, k);
	}
	for (i = 0; i < n; i++) {
		if (!addr_ok(to[i])) {
			sb_printf(reply, "501 5.1.3 from MTA(smtp:[127.0.0.1]:"
			    "10025): 501 5.1.3 Recipient address syntax "
			    "error\n");
			continue;
		}
		sb_printf(reply, FROM_MTA " %08x " ACCEPTED "\n", id);
		at = strrchr(to[i], '@') + 1;
		for (j = 0; j < ng; j++)
			if (is_local(to[i]) ? g[j]->kind == K_IN :
			    g[j]->kind == K_OUT && strcasecmp(at,
			    strrchr(g[j]->rcpt[0], '@') + 1) == 0)
				break;
		if (j == ng) {
			m = g[ng++] = xcalloc(1, sizeof(*m));
			m->kind = is_local(to[i]) ? K_IN : K_OUT;
			m->intent = C_CLEAN;
			snprintf(m->sender, sizeof(m->sender), "%s", from);
			m->dead = m->kind == K_OUT ? traffic_dead(at) : NULL;
			m->msgid2 = id;
			m->ctime2 = t;
			m->size2 = size;
		}
		m = g[j];
		snprintf(m->rcpt[m->nrcpt], sizeof(m->rcpt[0]), "%s", to[i]);
		m->evp2[m->nrcpt] = demo_evpid(d, id);
		m->qst[m->nrcpt] = QS_QUEUED;
		demo_smtpd(d, t, X64 " smtp envelope evpid=" X64 " from=<%s> "
		    "to=<%s>", sess, m->evp2[m->nrcpt], from, to[i]);
		m->nrcpt++;
	}
	/* amavis drops the connection once the request is answered */
	demo_smtpd(d, t + 15 + demo_rnd(d, 40), X64 " smtp disconnected "
	    "reason=disconnect", sess);
	for (j = 0; j < ng; j++) {
		queue_enter(d, g[j]);
		g[j]->next = t + 300 + demo_rnd(d, 3000);
		demo_sched(d, g[j]->next, EV_DELIVER, g[j]);
	}
	return k;
}

/*
 * The request, as amavisd's AM.PDP server answers it: the number of
 * recipients the copy went to, or -1 and a die() logged as "(!!)policy_server
 * FAILED: …".  Its setreply lines go to reply.
 */
static int
release(struct demo_log *d, const char *qpath, const char *secret,
    const char *const *alt, size_t nalt, int64_t ms, struct sbuf *reply)
{
	struct quar_name qn;
	struct quar_head h;
	struct sbuf	 b = { NULL, 0, 0 };
	char		 logid[20], norm[RCPT_MAX][ADDR], from[ADDR], why[1024];
	const char	*s, *relid = NULL, *to[RCPT_MAX];
	unsigned	 pid = d->child[demo_rnd(d, NCHILD)].pid, lines;
	uint32_t	 nblk;
	size_t		 i, n = 0;
	int		 dirfd, rc = -1, named;

	/* Perl's "<GENn> line N": the request's lines on the socket */
	if (d->gen == 0)
		d->gen = 10 + demo_rnd(d, 60);
	named = quar_name_parse(qpath, &qn) == 0;
	lines = 4 + (secret != NULL) + (unsigned)nalt + (named && (qn.gz ||
	    qn.hashed));
	if (!named)
		snprintf(qn.mail_id, sizeof(qn.mail_id), "%s", qpath);
	memset(&h, 0, sizeof(h));
	if (secret != NULL) {
		/* b64(md5(secret)) is the mail_id: never here */
		snprintf(why, sizeof(why), "Secret_id %s does not match "
		    "mail_id %s at " AMPDP " line 311, <GEN%u> line %u.",
		    secret, qn.mail_id, d->gen, lines);
		goto fail;
	}
	if (d->qdir == NULL) {
		snprintf(why, sizeof(why), "Config variable $QUARANTINEDIR is "
		    "empty at " AMPDP " line 321, <GEN%u> line %u.", d->gen,
		    lines);
		goto fail;
	}
	if (!named || !quar_qpath_ok(qpath)) {
		snprintf(why, sizeof(why), "Unsafe filename '%s' at " AMPDP
		    " line 325, <GEN%u> line %u.", qpath, d->gen, lines);
		goto fail;
	}
	/* from here on the request has its log id, a new mail_id */
	memcpy(logid, "rel-", 4);
	demo_b64id(d, logid + 4, 12, 1);
	relid = logid;
	if ((dirfd = open(d->qdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    quar_read_head(dirfd, qpath, qn.gz, &h, NULL) == QE_SYS) {
		snprintf(why, sizeof(why), "File %s/%s does not exist at "
		    AMPDP " line 390, <GEN%u> line %u.", d->qdir, qpath,
		    d->gen, lines);
		if (dirfd != -1)
			close(dirfd);
		goto fail;
	}
	close(dirfd);
	if (h.err == QE_NOTFILE) {
		snprintf(why, sizeof(why), "File %s/%s is not a plain file at "
		    AMPDP " line 392, <GEN%u> line %u.", d->qdir, qpath,
		    d->gen, lines);
		goto fail;
	}

	/* msg_from_quarantine: the blocked ones, the others excluded */
	nblk = h.nblocked;
	demo_addr_lower(from, sizeof(from), h.nfrom > 0 ?
	    quar_field(&h, QF_ENV_FROM) : "");
	add_list(&b, &h, nblk > 0 ? QF_ENV_BLOCKED : QF_ENV_TO,
	    nblk > 0 ? nblk : h.nto, NULL, QF_ENV_TO, 0, 0);
	if (nblk > 0 && nblk < h.nto) {
		sb_add(&b, ", (excluded: ", 13);
		add_list(&b, &h, QF_ENV_TO, h.nto, &h, QF_ENV_BLOCKED, nblk,
		    0);
		sb_add(&b, " )", 2);
	}
	demo_amavis(d, pid, relid, ms, "Quarantined message release "
	    "(miscategorized): %s <%s> -> %s", qn.mail_id, from,
	    b.p != NULL ? b.p : "");
	/* alternate recipients replace the stored ones */
	if (nalt > 0)
		for (i = 0; i < nalt && n < RCPT_MAX; i++)
			to[n++] = alt[i];
	else
		for (i = 0, s = quar_field(&h, nblk > 0 ? QF_ENV_BLOCKED :
		    QF_ENV_TO); i < (nblk > 0 ? nblk : h.nto) && n < RCPT_MAX;
		    i++, s = quar_list_next(s), n++)
			to[n] = demo_addr_lower(norm[n], sizeof(norm[n]), s);
	if (n == 0) {
		snprintf(why, sizeof(why), "No recipients, nothing to do");
		goto fail;
	}
	rc = (int)resend(d, ms + 10 + demo_rnd(d, 30), from, to, n,
	    h.hdrlen + 400 + demo_rnd(d, 600), reply);
	for (i = 0; i < d->nqfiles; i++)
		if (strcmp(d->qfiles[i].name, qpath) == 0)
			d->qfiles[i].released |= rc > 0;
	goto out;
fail:
	demo_amavis(d, pid, relid, ms, "(!!)policy_server FAILED: %s", why);
	sb_printf(reply, "450 4.5.0 Failure: %s\n", why);
out:
	d->gen++;
	free(b.p);
	quar_head_free(&h);
	return rc > 0 ? rc : -1;
}

int
demo_log_release(struct demo_log *d, const char *qpath, const char *secret,
    const char *const *alt, size_t nalt, time_t now, char **reply)
{
	struct sbuf	 r = { NULL, 0, 0 };
	int64_t		 ms = (int64_t)now * 1000;
	int		 rc;

	rc = release(d, qpath, secret, alt, nalt, ms > d->now ? ms : d->now,
	    &r);
	*reply = r.p != NULL ? r.p : xstrdup("");
	return rc;
}

/* What the admin would release: spam, banned, bad header, seen a while. */
static int
admin_may(const struct demo_log *d, const struct qfile *f)
{
	return !f->released && f->ms + ADMIN_AGE <= d->now &&
	    strncmp(f->name, "virus-", 6) != 0;
}

void
release_start(struct demo_log *d, int64_t ms)
{
	if (d->qdir != NULL)
		demo_sched(d, ms + ADMIN_EVERY + demo_rnd(d, ADMIN_SPREAD),
		    EV_RELEASE, NULL);
}

void
release_tick(struct demo_log *d)
{
	struct sbuf	 reply = { NULL, 0, 0 };
	char		 name[sizeof(d->qfiles[0].name)];
	size_t		 i, n = 0, k;

	for (i = 0; i < d->nqfiles; i++)
		n += admin_may(d, &d->qfiles[i]);
	if (n > 0) {
		k = demo_rnd(d, (unsigned)n);
		for (i = 0; !admin_may(d, &d->qfiles[i]) || k-- > 0; i++)
			continue;
		memcpy(name, d->qfiles[i].name, sizeof(name));
		release(d, name, NULL, NULL, 0, d->now, &reply);
		free(reply.p);
	}
	release_start(d, d->now);
}
