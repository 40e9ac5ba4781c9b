/*
 * libFuzzer: the trace's target and spamd's log.  The first line is what
 * the operator typed, each next one a text to test against it and a
 * message of spamd's.  Checks that a target the parser takes says what it
 * is (its text parses back to itself and matches itself), that no test
 * takes the null sender, and that spamd's fields lie in their message.
 * Built by run.sh.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spamdlog.h"
#include "trace.h"

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
check_spamd(const char *m, size_t len)
{
	struct sd_event	 ev;
	enum sd_kind	 k = spamd_log_parse(m, len, &ev);

	CHECK(ev.kind == k);
	inside(ev.addr, m, len);
	inside(ev.lists, m, len);
	inside(ev.from, m, len);
	inside(ev.to, m, len);
	inside(ev.header, m, len);
	CHECK((k == SD_NONE) == (ev.addr.len == 0));
	CHECK((k == SD_CONNECT) == (ev.clients != CELL_NONE));
	CHECK((k == SD_DISCONNECT) == (ev.seconds != CELL_NONE));
	CHECK((k == SD_GREY || k == SD_BLACK) == (ev.from.len > 0));
	CHECK((k == SD_GREY || k == SD_BLACK) == (ev.to.len > 0));
	CHECK((k == SD_HEADER) == (ev.header.len > 0));
	if (ev.clients != CELL_NONE)
		CHECK(ev.clients >= 0 && ev.blacks >= 0);
}

static void
check_self(const struct trace_target *t)
{
	struct trace_target	 u;
	char			 err[256];
	size_t			 n = strlen(t->text);

	CHECK(n > 0 && n < sizeof(t->text));
	CHECK(trace_target_parse(&u, t->text, err, sizeof(err)) == 0);
	CHECK(u.kind == t->kind && strcmp(u.text, t->text) == 0);
	switch (t->kind) {
	case TRACE_ADDRESS:
		CHECK(trace_match_address(t, t->text, n));
		CHECK(!trace_match_ip(t, t->text, n));
		break;
	case TRACE_DOMAIN:
		CHECK(trace_match_host(t, t->text, n));
		break;
	case TRACE_IP:
		CHECK(trace_match_ip(t, t->text, n));
		CHECK(!trace_match_address(t, t->text, n));
		break;
	}
	CHECK(!trace_match_address(t, "<>", 2));
	CHECK(!trace_match_address(t, "", 0));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char		*p = (const char *)data, *e = p + size, *nl;
	char			*first, err[256];
	struct trace_target	 t;
	int			 ok;
	size_t			 n;

	nl = memchr(p, '\n', size);
	n = nl != NULL ? (size_t)(nl - p) : size;
	if ((first = malloc(n + 1)) == NULL)
		return 0;
	memcpy(first, p, n);
	first[n] = '\0';
	err[0] = '\0';
	ok = trace_target_parse(&t, first, err, sizeof(err)) == 0;
	/* a NUL inside cuts what the parser sees: nothing else to check */
	if (ok)
		check_self(&t);
	else
		CHECK(err[0] != '\0');
	free(first);
	for (p = nl != NULL ? nl + 1 : e; p < e; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(e - p))) == NULL)
			nl = e;
		n = (size_t)(nl - p);
		check_spamd(p, n);
		if (ok) {
			(void)trace_match_ip(&t, p, n);
			(void)trace_match_address(&t, p, n);
			(void)trace_match_host(&t, p, n);
			(void)trace_match_addresses(&t, p, n);
		}
	}
	return 0;
}
