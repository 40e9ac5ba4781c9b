/*
 * libFuzzer: smtpctl show stats output into the counters.  Every line is
 * counted once, as read or as bad; the input read twice, the second half
 * after the first, gives rates that are either refused or finite and not
 * negative.  Built by run.sh.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smtpdstats.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: invariant failed: %s\n",	\
		    __FILE__, __LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

static size_t
feed(struct smtpd_stats *s, const char *p, const char *end)
{
	const char	*nl;
	size_t		 n = 0;

	for (; p < end; p = nl + 1, n++) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		smtpd_stats_line(s, p, (size_t)(nl - p));
	}
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char		*p = (const char *)data, *mid;
	struct smtpd_stats	 a, b;
	struct smtpd_rates	 r;
	size_t			 n;

	smtpd_stats_init(&a);
	n = feed(&a, p, p + size);
	CHECK(a.nlines + a.nbad == n);

	mid = memchr(p, '\n', size);
	smtpd_stats_init(&b);
	b = a;
	if (mid != NULL)
		feed(&b, mid + 1, p + size);
	if (smtpd_stats_rates(&a, &b, 1 + size % 600, &r) == 0) {
		CHECK(isfinite(r.ok) && r.ok >= 0);
		CHECK(isfinite(r.tempfail) && r.tempfail >= 0);
		CHECK(isfinite(r.permfail) && r.permfail >= 0);
		CHECK(isfinite(r.bounce) && r.bounce >= 0);
		CHECK(isfinite(r.queued) && r.queued >= 0);
	}
	return 0;
}
