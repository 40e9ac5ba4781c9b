/*
 * libFuzzer: queue errors and addresses into the queue's shape.  The
 * normalised error is NUL-terminated within its buffer, has no blank at
 * either end nor two in a row, is a fixed point (normalising it again
 * changes nothing), and cut short it is a prefix of the whole; a domain
 * is lower case and fits; a parent is a tail of its domain.
 * Built by run.sh.
 */
#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qshape.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: invariant failed: %s\n",	\
		    __FILE__, __LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*in, out[512], again[512], small[17], dom[256];
	const char	*p;
	size_t		 n, i, dn;

	if ((in = malloc(size + 1)) == NULL)
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';

	n = qshape_error(in, out, sizeof(out));
	CHECK(n == strlen(out) && n < sizeof(out));
	if (n > 0) {
		CHECK(out[0] != ' ' && out[n - 1] != ' ');
		CHECK(strstr(out, "  ") == NULL);
	}
	/* a whole result is a fixed point; a cut one may end mid-word */
	if (n < sizeof(out) - 1 && strchr(out, '\t') == NULL) {
		qshape_error(out, again, sizeof(again));
		CHECK(strcmp(out, again) == 0);
	}
	n = qshape_error(in, small, sizeof(small));
	CHECK(n < sizeof(small) && n == strlen(small));
	CHECK(strncmp(small, out, n) == 0);

	dn = qshape_domain(in, dom, sizeof(dom));
	CHECK(strlen(dom) == (dn < sizeof(dom) ? dn : sizeof(dom) - 1));
	for (i = 0; dom[i] != '\0'; i++)
		CHECK(!isupper((unsigned char)dom[i]));
	p = qshape_parent(dom);
	CHECK(p >= dom && p <= dom + strlen(dom));
	CHECK(p == dom || p[-1] == '.');
	CHECK(qshape_parent(p) == p);
	CHECK(qshape_bucket((int64_t)size * 97 - 1000) >= 0 &&
	    qshape_bucket((int64_t)size * 97 - 1000) < QSHAPE_BUCKETS);
	free(in);
	return 0;
}
