/*
 * libFuzzer: amavis log messages (what follows "amavis[PID]: "), line by
 * line, through amavis_parse_line.  Checks that the kind is one of
 * av_kind, that every field of a verdict lies in the (possibly rewritten)
 * message, that the numbers hold what their encoding says, and that the
 * recipient and test iterators stay inside their lists, and that what
 * amavis_verdict_line counts is no AV_OTHER.  Built by run.sh.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "maillog.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: invariant failed: %s\n",	\
		    __FILE__, __LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

static void
inside(struct ml_str s, const char *p, size_t len)
{
	if (s.len == 0)
		return;
	CHECK(s.p >= p && s.p + s.len <= p + len);
}

static void
inside_of(struct ml_str s, struct ml_str of)
{
	if (s.len == 0)
		return;
	CHECK(s.p >= of.p && s.p + s.len <= of.p + of.len);
}

static void
check_verdict(const struct av_verdict *v, const char *m, size_t len,
    unsigned fflags)
{
	const struct ml_str	*f[] = { &v->logid, &v->category,
	    &v->ccat_detail, &v->actions, &v->bank, &v->client, &v->origin,
	    &v->proto, &v->sender, &v->rcpts, &v->trace, &v->tls,
	    &v->quarantine, &v->queue_id, &v->message_id,
	    &v->resent_message_id, &v->mail_id, &v->body_digest,
	    &v->partition, &v->queued_as, &v->queued_id, &v->subject,
	    &v->subject_raw, &v->from, &v->user_agent, &v->helo, &v->tests,
	    &v->banning, &v->autolearn };
	struct ml_str		 rest, r, name;
	int64_t			 score;
	size_t			 i, n = 0;

	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		inside(*f[i], m, len);
	CHECK(v->logid.len > 0 && v->logid.p == m + 1);
	CHECK(memchr(v->logid.p, ' ', v->logid.len) == NULL);
	CHECK(v->blocked == 0 || v->blocked == 1);
	CHECK(v->category.len > 0);
	inside_of(v->ccat_detail, v->category);
	inside_of(v->queued_id, v->queued_as);
	CHECK(v->ccat >= AV_CCAT_UNKNOWN && v->ccat <= AV_CCAT_INFECTED);
	CHECK(v->ccat_minor >= -1 && v->ccat_minor < 1000);
	CHECK(v->ccat_minor == -1 || v->ccat == AV_CCAT_BAD_HEADER);
	CHECK(memchr(v->actions.p, '}', v->actions.len) == NULL ||
	    v->actions.len == 0);
	CHECK(v->local == 0 || v->local == 1);
	CHECK(v->client_port == CELL_NONE ||
	    (v->client_port >= 0 && v->client_port <= 65535));
	CHECK((v->hits == CELL_NONE) == (v->hits_max == CELL_NONE));
	CHECK(v->size == CELL_NONE || v->size >= 0);
	CHECK(v->elapsed == CELL_NONE || v->elapsed >= 0);
	CHECK(((v->flags & AV_F_PARTIAL) != 0) ==
	    ((fflags & ML_F_TRUNCATED) != 0));
	CHECK((v->flags & ~0x0fu) == 0);

	rest = v->rcpts;
	while (av_rcpt_next(&rest, &r)) {
		inside_of(r, v->rcpts);
		inside_of(rest, v->rcpts);
		CHECK(++n <= v->rcpts.len);
	}
	CHECK(n == v->nrcpts);
	rest = v->tests;
	n = 0;
	while (av_test_next(&rest, &name, &score)) {
		inside_of(name, v->tests);
		CHECK(++n <= v->tests.len);
	}
	CHECK(v->wbl == CELL_NONE || v->tests.len > 0);
}

/* A release line: every field inside the line, the mail_id a mail_id. */
static void
one_release(const char *p, size_t len)
{
	struct ml_frame		 fr;
	struct av_release	 r;
	struct ml_str		 rest, rcpt;
	char			*copy = malloc(len ? len : 1);
	size_t			 i, n = 0;
	int			 k;

	memcpy(copy, p, len);
	memset(&fr, 0, sizeof(fr));
	fr.time = 1795525000;
	fr.kind = ML_AMAVIS;
	fr.msg = copy;
	fr.msglen = len;
	k = amavis_parse_release(&r, &fr);
	CHECK(k >= -1 && k <= 1);
	CHECK(fr.msglen <= len);
	if (k == 1) {
		CHECK(r.time == 1795525000);
		inside(r.logid, copy, fr.msglen);
		inside(r.request, copy, fr.msglen);
		CHECK(r.request.len > 0);
		inside(r.feedback, copy, fr.msglen);
		inside(r.mail_id, copy, fr.msglen);
		CHECK(r.mail_id.len > 0 && r.mail_id.len <= AV_MAILID_MAX);
		for (i = 0; i < r.mail_id.len; i++)
			CHECK(r.mail_id.p[i] != ' ' && r.mail_id.p[i] != '<');
		inside(r.sender, copy, fr.msglen);
		inside(r.rcpts, copy, fr.msglen);
		rest = r.rcpts;
		while (av_rcpt_next(&rest, &rcpt)) {
			inside(rcpt, copy, fr.msglen);
			CHECK(++n <= r.rcpts.len);
		}
		CHECK(n == r.nrcpts);
	}
	free(copy);
}

static void
one(const char *p, size_t len, unsigned fflags)
{
	struct ml_frame		 fr;
	struct av_verdict	 v;
	char			*copy;
	int			 r, counted;

	/* the cheap count of a history limit, on the line as logged */
	copy = malloc(len + 11);
	memcpy(copy, "amavis[1]: ", 11);
	memcpy(copy + 11, p, len);
	counted = amavis_verdict_line(copy, len + 11);
	free(copy);

	/* in a buffer of exactly its size: ASan sees overreads */
	copy = malloc(len ? len : 1);
	memcpy(copy, p, len);
	memset(&fr, 0, sizeof(fr));
	fr.time = 1795525000;
	fr.kind = ML_AMAVIS;
	fr.pid = 1;
	fr.msg = copy;
	fr.msglen = len;
	fr.flags = fflags;
	r = amavis_parse_line(&v, &fr);
	CHECK(r >= AV_BAD && r <= AV_RECIP);
	CHECK(fr.msglen <= len);
	if (r == AV_VERDICT) {
		CHECK(v.time == 1795525000);
		check_verdict(&v, copy, fr.msglen, fflags);
	} else
		CHECK(fr.msglen == len || r == AV_BAD || r == AV_RECIP);
	if (r != AV_OTHER)
		CHECK(len >= 4 && p[0] == '(');
	/* it counts only what looks like a verdict to the parser too */
	if (counted)
		CHECK(r != AV_OTHER);
	free(copy);
	if (r == AV_OTHER)
		one_release(p, len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*p = (const char *)data, *end = p + size, *nl;
	unsigned	 fflags = 0;

	/* the first byte, when it is a digit, makes the lines truncated */
	if (size > 0 && *p >= '0' && *p <= '9') {
		fflags = ML_F_TRUNCATED;
		p++;
	}
	while (p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		one(p, (size_t)(nl - p), fflags);
		p = nl + 1;
	}
	return 0;
}
