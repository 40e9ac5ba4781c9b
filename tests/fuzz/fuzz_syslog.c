/*
 * libFuzzer: a mail log, line by line, through the framing, the joiner of
 * split amavis lines and the amavis and smtpd parsers, as the verdicts
 * pane reads it.  Checks that a frame's parts lie in its line, that only
 * amavis and smtpd lines get a time and it is within a year before "now",
 * that the joiner hands back no more lines than it was given, keeps
 * nothing after a flush and never passes ML_JOIN_MAX, that smtpd fields
 * lie in their message, and that un-vis is idempotent and never grows.
 * Built by run.sh.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "maillog.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: invariant failed: %s\n",	\
		    __FILE__, __LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

#define NOW	1795525000	/* 2026-11-24, UTC (set below) */

static void
inside(struct ml_str s, const char *p, size_t len)
{
	if (s.len == 0)
		return;
	CHECK(s.p >= p && s.p + s.len <= p + len);
}

static void
check_frame(const struct ml_frame *fr, const char *line, size_t len)
{
	inside(fr->host, line, len);
	inside(fr->prog, line, len);
	CHECK(fr->msg >= line && fr->msg + fr->msglen == line + len);
	CHECK(fr->pid >= -1);
	CHECK((fr->flags & ~(unsigned)ML_F_RFC3339) == 0);
	if (fr->kind == ML_OTHER)
		CHECK(fr->time == CELL_NONE);
	else {
		CHECK(fr->time != CELL_NONE);
		CHECK(fr->prog.len > 0);
		if (!(fr->flags & ML_F_RFC3339))
			CHECK(fr->time <= NOW + 86400 &&
			    fr->time > NOW - 367 * 86400);
	}
}

static void
check_smtpd(struct ml_frame *fr)
{
	const struct ml_str	*f[14];
	struct smtpd_line	 sl;
	size_t			 len = fr->msglen, i;
	int			 r;

	r = smtpd_parse_line(&sl, fr);
	CHECK(r >= SE_BAD && r <= SE_MDA_DELIVERY && r == (int)sl.type);
	CHECK(fr->msglen <= len);
	f[0] = &sl.address; f[1] = &sl.host; f[2] = &sl.from; f[3] = &sl.to;
	f[4] = &sl.rcpt; f[5] = &sl.source; f[6] = &sl.relay;
	f[7] = &sl.user; f[8] = &sl.result_text; f[9] = &sl.stat;
	f[10] = &sl.command; f[11] = &sl.reason; f[12] = &sl.queued;
	f[13] = &sl.amavis_id;
	if (r > SE_OTHER)
		for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
			inside(*f[i], fr->msg, fr->msglen);
	if (r == SE_SMTP_ENVELOPE || r == SE_MTA_DELIVERY ||
	    r == SE_MDA_DELIVERY)
		CHECK(sl.msgid == (uint32_t)(sl.evpid >> 32));
	if (r == SE_SMTP_MESSAGE)
		CHECK(sl.size >= 0 && sl.count >= 0);
}

static void
check_unvis(const char *p, size_t len)
{
	char	*a = malloc(len ? len : 1), *b = malloc(len ? len : 1);
	size_t	 n, n2;

	memcpy(a, p, len);
	n = ml_unvis(a, len);
	CHECK(n <= len);
	memcpy(b, a, n);
	n2 = ml_unvis(b, n);
	CHECK(n2 == n && memcmp(a, b, n) == 0);
	free(a);
	free(b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char		*p = (const char *)data, *end = p + size, *nl;
	struct ml_clock		 c;
	struct ml_frame		 fr, o;
	struct ml_join		*j = ml_join_new();
	struct av_verdict	 v;
	char			*line, **lines;
	size_t			 len, pushed = 0, out = 0, nlines = 0, i;
	int			 r;

	setenv("TZ", "UTC", 1);
	tzset();
	ml_clock_init(&c, NOW);
	/* the joiner may point into any line still waiting: keep them all */
	lines = calloc(size + 1, sizeof(*lines));
	while (p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		len = (size_t)(nl - p);
		line = malloc(len ? len : 1);
		memcpy(line, p, len);
		lines[nlines++] = line;
		check_unvis(p, len);
		r = ml_frame_parse(&c, line, len, &fr);
		CHECK(r == 0 || r == -1);
		if (r == 0)
			check_frame(&fr, line, len);
		if (r == 0 && fr.kind == ML_SMTPD)
			check_smtpd(&fr);
		if (r == 0 && fr.kind == ML_AMAVIS) {
			ml_join_push(j, &fr);
			pushed++;
			while (ml_join_next(j, &o)) {
				out++;
				CHECK(o.kind == ML_AMAVIS);
				CHECK(o.msglen + o.host.len + o.prog.len <=
				    ML_JOIN_MAX || !(o.flags & (ML_F_JOINED |
				    ML_F_TRUNCATED)));
				amavis_parse_line(&v, &o);
			}
			CHECK(out <= pushed);
		}
		p = nl + 1;
	}
	ml_join_flush(j, INT64_MAX);
	while (ml_join_next(j, &o)) {
		out++;
		CHECK(o.flags & ML_F_TRUNCATED);
		amavis_parse_line(&v, &o);
	}
	CHECK(out <= pushed && (pushed == 0 || out > 0));
	ml_join_flush(j, INT64_MAX);
	CHECK(!ml_join_next(j, &o));
	CHECK(ml_join_stats(j)->joined + ml_join_stats(j)->truncated <= out);
	ml_join_free(j);
	for (i = 0; i < nlines; i++)
		free(lines[i]);
	free(lines);
	return 0;
}
