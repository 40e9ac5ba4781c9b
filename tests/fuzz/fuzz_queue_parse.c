/*
 * libFuzzer: "smtpctl show queue" output, line by line, then what a poll does
 * with the rows (sort, counts) and what -b prints.  Built by run.sh.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "provider.h"
#include "queue.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static FILE	*devnull;

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: invariant failed: %s\n",	\
		    __FILE__, __LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

static int
is_lhex16(const char *s)
{
	size_t	 i;

	for (i = 0; i < 16; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s[16] == '\0';
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char		*p = (const char *)data, *end = p + size, *nl;
	struct rowset		*rs;
	struct queue_counts	 qc;
	size_t			 lines = 0, i;
	const union cell	*c;

	if (devnull == NULL && (devnull = fopen("/dev/null", "w")) == NULL)
		abort();
	rs = rowset_new();
	while (p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (nl > p)
			lines++;
		queue_parse_line(rs, p, (size_t)(nl - p));
		p = nl + 1;
	}
	CHECK(rs->nrows + rs->nbad == lines);

	queue_sort(rs);
	queue_count(rs, &qc);
	CHECK(qc.total == rs->nrows);
	CHECK(qc.pending + qc.inflight + qc.offline + qc.invalid == qc.total);
	CHECK(qc.hold <= qc.total && qc.suspend <= qc.total &&
	    qc.bounce <= qc.total);
	for (i = 0; i < rs->nrows; i++) {
		c = rs->rows[i]->cells;
		CHECK(rs->rows[i]->key == c[Q_EVPID].s);
		CHECK(is_lhex16(c[Q_EVPID].s));
		CHECK(strlen(c[Q_MSGID].s) == 8);
		CHECK(memcmp(c[Q_MSGID].s, c[Q_EVPID].s, 8) == 0);
		CHECK(c[Q_SENDER].s != NULL && c[Q_RCPT].s != NULL &&
		    c[Q_DEST].s != NULL && c[Q_ERROR].s != NULL &&
		    c[Q_FLAGS].s != NULL && c[Q_TYPE].s != NULL &&
		    c[Q_FAMILY].s != NULL);
		/* an address, or "<>" for a bare "@" (the null sender) */
		CHECK(strchr(c[Q_SENDER].s, '@') != NULL ||
		    strcmp(c[Q_SENDER].s, "<>") == 0);
		CHECK(strchr(c[Q_RCPT].s, '@') != NULL ||
		    strcmp(c[Q_RCPT].s, "<>") == 0);
		CHECK(strchr(c[Q_DEST].s, '@') != NULL ||
		    strcmp(c[Q_DEST].s, "<>") == 0);
		CHECK(strchr(c[Q_FLAGS].s, '|') == NULL &&
		    strchr(c[Q_TYPE].s, '|') == NULL);
		CHECK(c[Q_CTIME].i >= 0 && c[Q_TRIES].i >= 0);
		if (strcmp(c[Q_STATE].s, "offline") == 0 ||
		    strcmp(c[Q_STATE].s, "invalid") == 0)
			CHECK(c[Q_DELAY].i == CELL_NONE);
		else
			CHECK(strcmp(c[Q_STATE].s, "pending") == 0 ||
			    strcmp(c[Q_STATE].s, "inflight") == 0);
		if (i > 0)
			CHECK(rs->rows[i - 1]->cells[Q_CTIME].i <= c[Q_CTIME].i);
		if (rs->nrows > 0)
			CHECK(c[Q_CTIME].i >= qc.oldest);
	}
	batch_print(devnull, &provider_queue.desc, rs);
	rowset_free(rs);
	return 0;
}
