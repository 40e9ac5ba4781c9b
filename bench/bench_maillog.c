/*
 * bench_maillog: time the verdicts pane's parsers on a big mail log, as a
 * first read of maillog would: read(2) in 1 MB blocks, the lines framed,
 * amavis lines joined and parsed as verdicts, smtpd lines parsed.  No
 * rows are built: this is the parsers' share.
 *
 *   bench_maillog FILE [NOW]
 *
 * Build against a configured tree, e.g.:
 *   cc -O2 -std=c11 -I/tmp/b -Iinclude bench/bench_maillog.c \
 *       /tmp/b/libmhtop.a -o /tmp/bench_maillog
 * and make a big log from the fixtures:
 *   for i in $(seq 14000); do cat tests/fixtures/amavis/maillog-mixed.txt;
 *   done >/tmp/big.log
 *
 * Prints key=value lines: bytes, lines, amavis, verdicts, recip, bad,
 * smtpd, smtpd_bad, other, unframed, ms, mb_per_s.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "maillog.h"

#define BLOCK	(1 << 20)

struct counts {
	size_t	 lines;
	size_t	 amavis;
	size_t	 verdicts;
	size_t	 recip;
	size_t	 bad;
	size_t	 smtpd;
	size_t	 smtpd_bad;
	size_t	 other;
	size_t	 unframed;
};

static double
ms_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void
drain(struct ml_join *j, struct counts *n)
{
	struct ml_frame		 o;
	struct av_verdict	 v;

	while (ml_join_next(j, &o))
		switch (amavis_parse_line(&v, &o)) {
		case AV_VERDICT:
			n->verdicts++;
			break;
		case AV_RECIP:
			n->recip++;
			break;
		case AV_BAD:
			n->bad++;
			break;
		}
}

static void
line(struct ml_clock *c, struct ml_join *j, char *s, size_t len,
    struct counts *n)
{
	struct ml_frame		 fr;
	struct smtpd_line	 sl;

	n->lines++;
	if (ml_frame_parse(c, s, len, &fr) == -1) {
		n->unframed++;
		return;
	}
	switch (fr.kind) {
	case ML_AMAVIS:
		n->amavis++;
		ml_join_push(j, &fr);
		drain(j, n);
		break;
	case ML_SMTPD:
		n->smtpd++;
		if (smtpd_parse_line(&sl, &fr) == SE_BAD)
			n->smtpd_bad++;
		break;
	default:
		n->other++;
		break;
	}
}

int
main(int argc, char *argv[])
{
	struct ml_clock	 c;
	struct ml_join	*j;
	struct counts	 n;
	char		*buf, *p, *end, *nl;
	size_t		 have = 0, bytes = 0;
	ssize_t		 r;
	double		 t0, t;
	int		 fd;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: bench_maillog FILE [NOW]\n");
		return 2;
	}
	if ((fd = open(argv[1], O_RDONLY)) == -1) {
		fprintf(stderr, "%s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if ((buf = malloc(2 * BLOCK)) == NULL)
		return 1;
	memset(&n, 0, sizeof(n));
	j = ml_join_new();
	t0 = ms_now();
	ml_clock_init(&c, argc == 3 ? strtoll(argv[2], NULL, 10) :
	    (int64_t)time(NULL));
	for (;;) {
		if ((r = read(fd, buf + have, 2 * BLOCK - have)) == -1) {
			fprintf(stderr, "read: %s\n", strerror(errno));
			return 1;
		}
		bytes += (size_t)r;
		end = buf + have + r;
		for (p = buf; (nl = memchr(p, '\n', (size_t)(end - p))) !=
		    NULL; p = nl + 1)
			line(&c, j, p, (size_t)(nl - p), &n);
		have = (size_t)(end - p);
		if (r == 0 || have == 2 * BLOCK) {	/* EOF, or a huge line */
			if (have > 0)
				line(&c, j, p, have, &n);
			have = 0;
			if (r == 0)
				break;
		}
		memmove(buf, p, have);
	}
	ml_join_flush(j, INT64_MAX);
	drain(j, &n);
	t = ms_now() - t0;
	close(fd);
	ml_join_free(j);
	free(buf);
	printf("bytes=%zu\nlines=%zu\namavis=%zu\nverdicts=%zu\nrecip=%zu\n"
	    "bad=%zu\nsmtpd=%zu\nsmtpd_bad=%zu\nother=%zu\nunframed=%zu\n"
	    "ms=%.0f\nmb_per_s=%.0f\n", bytes, n.lines, n.amavis, n.verdicts,
	    n.recip, n.bad, n.smtpd, n.smtpd_bad, n.other, n.unframed, t,
	    bytes / 1048576.0 / (t / 1000));
	return 0;
}
