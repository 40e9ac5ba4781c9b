/* libFuzzer: "smtpctl show status" lines.  Built by run.sh. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "queue.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const good[] = {
	"MDA running", "MDA paused", "MTA running", "MTA paused",
	"SMTP running", "SMTP paused",
};

static int
is_good(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (strlen(good[i]) == len && memcmp(good[i], s, len) == 0)
			return 1;
	return 0;
}

static void
one(struct smtpd_status *st, const char *s, size_t len)
{
	struct smtpd_status	 before = *st;
	int			 r;

	r = status_parse_line(st, s, len);
	if ((r == 0) != is_good(s, len)) {
		fprintf(stderr, "status_parse_line: %d for a %s line\n", r,
		    is_good(s, len) ? "good" : "bad");
		abort();
	}
	if (r == -1 && memcmp(&before, st, sizeof(before)) != 0) {
		fprintf(stderr, "status changed by a bad line\n");
		abort();
	}
	if (st->mda > SMTPD_PAUSED || st->mta > SMTPD_PAUSED ||
	    st->smtp > SMTPD_PAUSED)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct smtpd_status	 st;
	const char		*p = (const char *)data, *end = p + size, *nl;
	char			*copy;

	memset(&st, 0, sizeof(st));
	/* the whole input as one line, in a buffer of exactly its size */
	copy = malloc(size ? size : 1);
	memcpy(copy, data, size);
	one(&st, copy, size);
	free(copy);
	while (p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		one(&st, p, (size_t)(nl - p));
		p = nl + 1;
	}
	return 0;
}
