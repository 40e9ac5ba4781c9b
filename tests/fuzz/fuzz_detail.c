/*
 * libFuzzer: smtpctl show hoststats and show routes lines through the
 * queue's detail view.  The first line is the envelope's recipient; each
 * other line is given to both steps.  A line shown is NUL-terminated
 * within its buffer; a hoststats line in words is the recipient's
 * domain's; a route kept has a host name.
 * Built by run.sh.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf.h"
#include "provider.h"
#include "qshape.h"
#include "queue.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: invariant failed: %s\n",	\
		    __FILE__, __LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

static void *st;

/* buf holds n bytes of a line (or what fit), NUL-terminated. */
static void
check_shown(const char *buf, size_t size, int n)
{
	CHECK(n >= -1);
	if (n >= 0)
		CHECK(strlen(buf) == ((size_t)n < size ? (size_t)n : size - 1));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct pane_desc	*d = &provider_queue.desc;
	struct rowset		*rs;
	const char		*argv[8], *s, *e, *nl;
	char			 line[1200], buf[512], dom[300];
	size_t			 len;
	int			 n, step;

	if (st == NULL) {
		struct conf	 conf;

		conf_defaults(&conf);
		st = provider_queue.src.create(&conf);
		conf_free(&conf);
	}
	if ((nl = memchr(data, '\n', size)) == NULL || nl - (const char *)data >
	    200 || memchr(data, '|', (size_t)(nl - (const char *)data)) != NULL)
		return 0;
	len = (size_t)(nl - (const char *)data);
	n = snprintf(line, sizeof(line), "0123456789abcdef|inet4|mta||a@b|"
	    "%.*s|%.*s|1795525168|1795525168|0|1|pending|360|x", (int)len,
	    (const char *)data, (int)len, (const char *)data);
	rs = rowset_new();
	if (queue_parse_line(rs, line, (size_t)n) == -1 || rs->nrows != 1) {
		rowset_free(rs);
		return 0;
	}
	if (d->detail_argv(st, rs->rows[0], 0, argv, 8) != 4) {
		rowset_free(rs);
		return 0;
	}
	/* the domain as smtpd's hoststats spells it */
	qshape_domain(rs->rows[0]->cells[Q_DEST].s, dom, sizeof(dom));
	rowset_free(rs);

	for (step = 1; step <= 2; step++) {
		for (s = nl + 1; s < (const char *)data + size; s = e + 1) {
			if ((e = memchr(s, '\n', (size_t)((const char *)data +
			    size - s))) == NULL)
				e = (const char *)data + size;
			n = d->detail_line(st, step, s, (size_t)(e - s), buf,
			    sizeof(buf));
			check_shown(buf, sizeof(buf), n);
			if (n >= 0 && step == 1 && strncmp(buf, "smtpd's last "
			    "result for ", 24) == 0)
				CHECK(dom[0] != '\0' && strncasecmp(buf + 24,
				    dom, strlen(dom)) == 0 && buf[24 +
				    strlen(dom)] == ',');
			if (n >= 0 && step == 2)
				CHECK(memchr(s, '(', (size_t)(e - s)) != NULL);
		}
		n = d->detail_line(st, step, NULL, 0, buf, sizeof(buf));
		check_shown(buf, sizeof(buf), n);
	}
	return 0;
}
