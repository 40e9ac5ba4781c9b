/*
 * The small parts: strset, linebuf, fmt_duration, the arena and the sum of
 * smtpctl's answers after an action.
 */
#include "config.h"

#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pwd.h>
#include <unistd.h>

#include "action.h"
#include "batch.h"
#include "hint.h"
#include "proc.h"
#include "pane.h"
#include "strset.h"
#include "util.h"
#include "unit.h"
#include "wallclock.h"

/* strset */

/* SipHash-2-4's published vectors: key 00..0f, messages 00..len-1. */
START_TEST(test_siphash)
{
	static const struct {
		size_t		 len;
		uint64_t	 want;
	} v[] = {
		{ 0, 0x726fdb47dd0e0e31ULL },
		{ 1, 0x74f839c593dc67fdULL },
		{ 8, 0x93f5f5799a932462ULL },
	};
	unsigned char	 msg[16];
	uint64_t	 key[2] = { 0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL };
	size_t		 i;

	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (unsigned char)i;
	for (i = 0; i < nitems(v); i++)
		ck_assert_uint_eq(siphash(key, msg, v[i].len, 2, 4), v[i].want);
	/* the tables' own: one key for the process, not a fixed one */
	ck_assert_uint_eq(hash_mem("helo", 4), hash_mem("helo", 4));
	ck_assert_uint_ne(hash_mem("helo", 4), siphash((uint64_t[2]){ 0, 0 },
	    "helo", 4, 1, 3));
}
END_TEST

START_TEST(test_strset_basic)
{
	struct strset	 set = { 0 };
	char		**v;
	size_t		 n;

	ck_assert_int_eq(strset_has(&set, "a"), 0);
	ck_assert_int_eq(strset_del(&set, "a"), 0);
	v = strset_sorted(&set, &n);
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_nonnull(v);
	free(v);

	ck_assert_int_eq(strset_add(&set, "b"), 1);
	ck_assert_int_eq(strset_add(&set, "b"), 0);
	ck_assert_int_eq(strset_add(&set, "a"), 1);
	ck_assert_int_eq(strset_add(&set, "c"), 1);
	ck_assert_int_eq(strset_add(&set, ""), 1);
	ck_assert_uint_eq(set.n, 4);
	ck_assert_int_eq(strset_has(&set, "a"), 1);
	ck_assert_int_eq(strset_has(&set, ""), 1);
	ck_assert_int_eq(strset_has(&set, "d"), 0);
	ck_assert_int_eq(strset_has(&set, "aa"), 0);

	v = strset_sorted(&set, &n);
	ck_assert_uint_eq(n, 4);
	ck_assert_str_eq(v[0], "");
	ck_assert_str_eq(v[1], "a");
	ck_assert_str_eq(v[2], "b");
	ck_assert_str_eq(v[3], "c");
	free(v);

	ck_assert_int_eq(strset_del(&set, "b"), 1);
	ck_assert_int_eq(strset_del(&set, "b"), 0);
	ck_assert_int_eq(strset_has(&set, "b"), 0);
	ck_assert_uint_eq(set.n, 3);
	ck_assert_int_eq(strset_add(&set, "b"), 1);
	ck_assert_int_eq(strset_has(&set, "b"), 1);

	/* the set keeps its own copies */
	{
		char	 key[] = "mutable";

		ck_assert_int_eq(strset_add(&set, key), 1);
		key[0] = 'M';
		ck_assert_int_eq(strset_has(&set, "mutable"), 1);
		ck_assert_int_eq(strset_has(&set, key), 0);
	}

	strset_clear(&set);
	ck_assert_uint_eq(set.n, 0);
	ck_assert_int_eq(strset_has(&set, "a"), 0);
	ck_assert_int_eq(strset_add(&set, "a"), 1);	/* usable again */
	ck_assert_int_eq(strset_has(&set, "a"), 1);
	strset_clear(&set);
}
END_TEST

START_TEST(test_strset_many)
{
	enum { N = 5000 };
	struct strset	 set = { 0 };
	static char	 in[N];
	char		 key[32], **v;
	size_t		 i, n, k, count;

	for (i = 0; i < N; i++) {
		snprintf(key, sizeof(key), "%016zx", i * 0x9e3779b1u);
		ck_assert_int_eq(strset_add(&set, key), 1);
		in[i] = 1;
	}
	ck_assert_uint_eq(set.n, N);
	/* delete a third: tombstones */
	for (i = 0; i < N; i += 3) {
		snprintf(key, sizeof(key), "%016zx", i * 0x9e3779b1u);
		ck_assert_int_eq(strset_del(&set, key), 1);
		in[i] = 0;
	}
	/* re-add every sixth, and look everything up */
	for (i = 0; i < N; i += 6) {
		snprintf(key, sizeof(key), "%016zx", i * 0x9e3779b1u);
		ck_assert_int_eq(strset_add(&set, key), 1);
		in[i] = 1;
	}
	for (i = 0, count = 0; i < N; i++) {
		snprintf(key, sizeof(key), "%016zx", i * 0x9e3779b1u);
		ck_assert_int_eq(strset_has(&set, key), in[i]);
		count += in[i];
	}
	ck_assert_uint_eq(set.n, count);
	ck_assert_int_eq(strset_has(&set, "not there"), 0);

	v = strset_sorted(&set, &n);
	ck_assert_uint_eq(n, count);
	for (k = 1; k < n; k++)
		ck_assert_int_lt(strcmp(v[k - 1], v[k]), 0);
	for (k = 0; k < n; k++)
		ck_assert_int_eq(strset_has(&set, v[k]), 1);
	free(v);
	strset_clear(&set);
}
END_TEST

/* Tagging and untagging for a long session: tombstones are reclaimed. */
START_TEST(test_strset_churn)
{
	struct strset	 set = { 0 };
	char		 key[32];
	size_t		 i;

	ck_assert_int_eq(strset_add(&set, "kept"), 1);
	for (i = 0; i < 100000; i++) {
		snprintf(key, sizeof(key), "%zu", i);
		ck_assert_int_eq(strset_add(&set, key), 1);
		ck_assert_int_eq(strset_has(&set, key), 1);
		ck_assert_int_eq(strset_del(&set, key), 1);
		ck_assert_int_eq(strset_has(&set, key), 0);
		/* a tombstone is not the empty string */
		ck_assert_int_eq(strset_has(&set, ""), 0);
	}
	ck_assert_uint_eq(set.n, 1);
	ck_assert_int_eq(strset_has(&set, "kept"), 1);
	ck_assert_uint_le(set.cap, 64);
	strset_clear(&set);
}
END_TEST

/* linebuf */

struct lines {
	char	*v[64];
	size_t	 len[64];
	size_t	 n;
};

static void
collect(void *arg, char *line, size_t len)
{
	struct lines	*l = arg;

	ck_assert_uint_lt(l->n, nitems(l->v));
	if (line == NULL) {
		ck_assert_uint_eq(len, 0);
		l->v[l->n] = NULL;
	} else {
		l->v[l->n] = malloc(len + 1);
		memcpy(l->v[l->n], line, len);
		l->v[l->n][len] = '\0';
	}
	l->len[l->n++] = len;
}

static void
lines_free(struct lines *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	l->n = 0;
}

static void
feed(struct linebuf *lb, struct lines *l, const char *s)
{
	linebuf_feed(lb, s, strlen(s), collect, l);
}

START_TEST(test_linebuf_chunks)
{
	struct linebuf	 lb = { 0 };
	struct lines	 l = { .n = 0 };

	feed(&lb, &l, "ab");
	ck_assert_uint_eq(l.n, 0);
	feed(&lb, &l, "c\nde");
	feed(&lb, &l, "f\n");
	feed(&lb, &l, "g");
	ck_assert_uint_eq(l.n, 2);
	ck_assert_str_eq(l.v[0], "abc");
	ck_assert_str_eq(l.v[1], "def");
	/* the last line has no newline: flush hands it over */
	linebuf_flush(&lb, collect, &l);
	ck_assert_uint_eq(l.n, 3);
	ck_assert_str_eq(l.v[2], "g");
	linebuf_flush(&lb, collect, &l);
	ck_assert_uint_eq(l.n, 3);
	lines_free(&l);

	/* several lines in one chunk, empty lines, a chunk that is a newline */
	feed(&lb, &l, "one\ntwo\n\nthree");
	feed(&lb, &l, "\n");
	feed(&lb, &l, "\n");
	linebuf_flush(&lb, collect, &l);
	ck_assert_uint_eq(l.n, 5);
	ck_assert_str_eq(l.v[0], "one");
	ck_assert_str_eq(l.v[1], "two");
	ck_assert_str_eq(l.v[2], "");
	ck_assert_str_eq(l.v[3], "three");
	ck_assert_str_eq(l.v[4], "");
	lines_free(&l);

	/* len is honoured, NULs and all */
	linebuf_feed(&lb, "a\0b\nzzz", 4, collect, &l);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_uint_eq(l.len[0], 3);
	ck_assert_int_eq(memcmp(l.v[0], "a\0b", 3), 0);
	lines_free(&l);
	linebuf_free(&lb);
}
END_TEST

/* A fixture fed one byte at a time gives the same lines as split at once. */
START_TEST(test_linebuf_bytewise)
{
	struct linebuf	 lb = { 0 };
	struct lines	 l = { .n = 0 };
	size_t		 len, i, k;
	char		*buf = unit_slurp(FIX("show-queue-14-varied.txt"), &len);
	char		*p, *nl;

	for (i = 0; i < len; i++)
		linebuf_feed(&lb, buf + i, 1, collect, &l);
	linebuf_flush(&lb, collect, &l);
	ck_assert_uint_eq(l.n, 14);
	for (p = buf, k = 0; k < l.n; k++, p = nl + 1) {
		nl = strchr(p, '\n');
		ck_assert_uint_eq(l.len[k], (size_t)(nl - p));
		ck_assert_int_eq(memcmp(l.v[k], p, l.len[k]), 0);
	}
	lines_free(&l);
	linebuf_free(&lb);
	free(buf);
}
END_TEST

static void
feed_x(struct linebuf *lb, struct lines *l, size_t n, size_t chunk)
{
	static char	 xs[4096];
	size_t		 k;

	memset(xs, 'x', sizeof(xs));
	ck_assert_uint_le(chunk, sizeof(xs));
	for (; n > 0; n -= k) {
		k = n < chunk ? n : chunk;
		linebuf_feed(lb, xs, k, collect, l);
	}
}

START_TEST(test_linebuf_overlong)
{
	struct linebuf	 lb = { 0 };
	struct lines	 l = { .n = 0 };

	feed(&lb, &l, "start\nxx");
	feed_x(&lb, &l, LINE_MAX_BYTES + 5000, 1000);
	feed(&lb, &l, "\nnext\nlast");
	linebuf_flush(&lb, collect, &l);
	ck_assert_uint_eq(l.n, 4);
	ck_assert_str_eq(l.v[0], "start");
	ck_assert_ptr_null(l.v[1]);		/* reported once, as bad */
	ck_assert_str_eq(l.v[2], "next");
	ck_assert_str_eq(l.v[3], "last");
	lines_free(&l);

	/* the same, when the whole line comes in one chunk */
	{
		size_t	 n = LINE_MAX_BYTES + 100;
		char	*big = malloc(n + 12);

		memset(big, 'x', n);
		memcpy(big + n, "\nnext\nlast", 11);
		linebuf_feed(&lb, big, n + 11, collect, &l);
		linebuf_flush(&lb, collect, &l);
		free(big);
	}
	ck_assert_uint_eq(l.n, 3);
	ck_assert_ptr_null(l.v[0]);
	ck_assert_str_eq(l.v[1], "next");
	ck_assert_str_eq(l.v[2], "last");
	lines_free(&l);

	/* overlong to the end of the output */
	feed_x(&lb, &l, LINE_MAX_BYTES * 2, 4096);
	ck_assert_uint_eq(l.n, 0);
	linebuf_flush(&lb, collect, &l);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_ptr_null(l.v[0]);
	lines_free(&l);
	/* and the buffer is fine afterwards */
	feed(&lb, &l, "after\n");
	ck_assert_uint_eq(l.n, 1);
	ck_assert_str_eq(l.v[0], "after");
	lines_free(&l);

	/* the limit itself is allowed, one more byte is not */
	feed(&lb, &l, "x");
	feed_x(&lb, &l, LINE_MAX_BYTES - 1, 4096);
	feed(&lb, &l, "\n");
	ck_assert_uint_eq(l.n, 1);
	ck_assert_ptr_nonnull(l.v[0]);
	ck_assert_uint_eq(l.len[0], LINE_MAX_BYTES);
	lines_free(&l);
	feed(&lb, &l, "x");
	feed_x(&lb, &l, LINE_MAX_BYTES, 4096);
	feed(&lb, &l, "\n");
	ck_assert_uint_eq(l.n, 1);
	ck_assert_ptr_null(l.v[0]);
	lines_free(&l);
	linebuf_free(&lb);
	ck_assert_ptr_null(lb.buf);
}
END_TEST

/* fmt_duration */

static const struct {
	int64_t		 s;
	const char	*text;
} durations[] = {
	{ 0, "0s" }, { 1, "1s" }, { 59, "59s" }, { 60, "1m00s" },
	{ 61, "1m01s" }, { 192, "3m12s" }, { 3599, "59m59s" },
	{ 3600, "1h00m" }, { 11520, "3h12m" }, { 11579, "3h12m" },
	{ 86399, "23h59m" }, { 86400, "1d00h" }, { 187200, "2d04h" },
	{ 604800, "7d00h" }, { 3650 * 86400LL, "3650d00h" },
	{ -1, "-1s" }, { -59, "-59s" }, { -60, "-1m00s" },
	{ -11520, "-3h12m" }, { -187200, "-2d04h" },
};

START_TEST(test_fmt_duration)
{
	char	 buf[64];
	size_t	 n;

	memset(buf, 'Z', sizeof(buf));
	n = fmt_duration(durations[_i].s, buf, sizeof(buf));
	ck_assert_str_eq(buf, durations[_i].text);
	ck_assert_uint_eq(n, strlen(durations[_i].text));
}
END_TEST

START_TEST(test_fmt_duration_limits)
{
	char	 buf[64], small[4] = "ZZZ";
	size_t	 n;

	/* cut to the buffer; the return is what was written */
	n = fmt_duration(11520, small, sizeof(small));
	ck_assert_str_eq(small, "3h1");
	ck_assert_uint_eq(n, 3);
	n = fmt_duration(11520, small, 1);
	ck_assert_str_eq(small, "");
	ck_assert_uint_eq(n, 0);
	small[0] = 'Z';
	n = fmt_duration(11520, small, 0);
	ck_assert_int_eq(small[0], 'Z');
	ck_assert_uint_eq(n, 0);

	n = fmt_duration(INT64_MIN, buf, sizeof(buf));
	ck_assert_int_eq(buf[0], '-');
	ck_assert_uint_eq(n, strlen(buf));
	ck_assert_int_eq(buf[n - 1], 'h');
	n = fmt_duration(INT64_MAX, buf, sizeof(buf));
	ck_assert_str_eq(buf, "106751991167300d15h");
	ck_assert_uint_eq(n, strlen(buf));
}
END_TEST

/* arena */

START_TEST(test_arena)
{
	struct arena	 a = { 0 };
	char		*p, *q, *big, *s;
	size_t		 i;

	for (i = 1; i < 2000; i += 7) {
		p = arena_alloc(&a, i);
		ck_assert_uint_eq((uintptr_t)p % alignof(int64_t), 0);
		memset(p, 'a', i);
		/* strings in between may be packed, objects stay aligned */
		s = arena_strndup(&a, "abc", i % 4);
		ck_assert_uint_eq(strlen(s), i % 4);
	}
	/* bigger than a chunk */
	big = arena_alloc(&a, 1024 * 1024);
	memset(big, 'b', 1024 * 1024);
	ck_assert_uint_ge(a.total, 1024 * 1024);
	s = arena_strndup(&a, "hello world", 5);
	ck_assert_str_eq(s, "hello");
	q = arena_strndup(&a, "", 0);
	ck_assert_str_eq(q, "");
	ck_assert_int_eq(big[1024 * 1024 - 1], 'b');
	arena_free(&a);
	ck_assert_ptr_null(a.head);
	ck_assert_uint_eq(a.total, 0);
	/* usable after free */
	ck_assert_str_eq(arena_strndup(&a, "again", 5), "again");
	arena_free(&a);
	/* chunks that double, then mapped ones: nothing overlaps */
	{
		char	*v[20000];

		for (i = 0; i < nitems(v); i++) {
			v[i] = arena_alloc(&a, 300);
			memset(v[i], (int)(i % 251), 300);
		}
		for (i = 0; i < nitems(v); i++)
			ck_assert(v[i][0] == (char)(i % 251) &&
			    v[i][299] == (char)(i % 251));
		ck_assert_uint_eq(a.total, 300 * nitems(v));
		arena_free(&a);
	}
}
END_TEST

/* batch_print: every kind of integer, written by hand */
START_TEST(test_batch_ints)
{
	static const struct column	 cols[] = {
		{ "n", COL_INT, 0, 0, COL_BATCH, NULL },
		{ "s", COL_STR, 1, 0, COL_BATCH, NULL },
	};
	static const int64_t		 vals[] = { 0, 7, 9, 10, 99, 100, 101,
	    999, 1000, 123456789, -1, -10, -100, -123456789012,
	    INT64_MAX, INT64_MIN + 1, CELL_NONE };
	struct pane_desc		 d;
	struct rowset			*rs = rowset_new();
	struct row			*r;
	char				*buf = NULL, want[1024], *w = want;
	size_t				 len, i;
	FILE				*fp;

	memset(&d, 0, sizeof(d));
	d.columns = cols;
	d.ncolumns = nitems(cols);
	w += snprintf(w, sizeof(want), "n\ts\n");
	for (i = 0; i < nitems(vals); i++) {
		r = rowset_add(rs, 2);
		r->cells[0].i = vals[i];
		r->cells[1].s = i % 2 ? "a\tb" : "";
		if (vals[i] == CELL_NONE)
			w += snprintf(w, sizeof(want) - (size_t)(w - want),
			    "\t%s\n", i % 2 ? "a\\tb" : "");
		else
			w += snprintf(w, sizeof(want) - (size_t)(w - want),
			    "%lld\t%s\n", (long long)vals[i],
			    i % 2 ? "a\\tb" : "");
	}
	ck_assert_ptr_nonnull(fp = open_memstream(&buf, &len));
	batch_print(fp, &d, rs);
	ck_assert_int_eq(fclose(fp), 0);
	ck_assert_str_eq(buf, want);
	free(buf);
	rowset_free(rs);
}
END_TEST

/* action_sum_answers */

static const char *
sum(const char *const *ans, size_t n, size_t len)
{
	static char	 buf[256];
	char		*copy[8];
	size_t		 i;

	ck_assert_uint_le(n, nitems(copy));
	ck_assert_uint_le(len, sizeof(buf));
	for (i = 0; i < n; i++)
		copy[i] = strdup(ans[i]);
	memset(buf, 'Z', sizeof(buf));
	action_sum_answers(copy, n, buf, len);
	for (i = 0; i < n; i++)
		free(copy[i]);
	return buf;
}

START_TEST(test_sum_answers)
{
	static const char *const three[] = {
		"1 envelope removed", "1 envelope removed", "1 envelope removed",
	};
	static const char *const mixed_counts[] = {
		"2 envelopes scheduled", "1 envelope scheduled",
	};
	static const char *const zero[] = {
		"0 envelope removed", "0 envelope removed",
	};
	static const char *const other_verb[] = {
		"1 envelope removed", "1 envelope scheduled",
	};
	static const char *const failed[] = { "command failed" };
	static const char *const one[] = { "1 envelope removed" };
	static const char *const singular[] = {
		"1 envelope removed", "0 envelope removed",
	};
	static const char *const tab[] = {
		"1 envelope\tremoved", "1 envelope\tremoved",
	};
	/* from fuzz_answers: one word longer than sscanf's %63s */
	static const char *const longword[] = {
		"1 envelopesxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		    "xxxxxxxxxxscheduled",
		"1 envelopesxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		    "xxxxxxxxxxscheduled",
	};
	static const char *const nospace[] = { "1 envelope", "1 envelope" };
	static const char *const one_failed[] = {
		"1 envelope removed", "command failed",
	};

	ck_assert_str_eq(sum(three, 3, 256), "3 envelopes removed");
	ck_assert_str_eq(sum(one, 1, 256), "1 envelope removed");
	ck_assert_str_eq(sum(failed, 1, 256), "command failed");
	ck_assert_str_eq(sum(mixed_counts, 2, 256), "3 envelopes scheduled");
	ck_assert_str_eq(sum(zero, 2, 256), "0 envelopes removed");
	ck_assert_str_eq(sum(singular, 2, 256), "1 envelope removed");
	/* what cannot be summed: how many, and the last answer as it was */
	ck_assert_str_eq(sum(other_verb, 2, 256),
	    "2 done, the last 1 envelope scheduled");
	ck_assert_str_eq(sum(one_failed, 2, 256),
	    "2 done, the last command failed");
	ck_assert_str_eq(sum(NULL, 0, 256), "done");
	/* odd answers are not summed, and do not crash it (they did) */
	ck_assert_str_eq(sum(tab, 2, 256), "2 done, the last 1 envelope\tremoved");
	ck_assert_str_eq(sum(longword, 2, 256) + strlen("2 done, the last "),
	    longword[1]);
	ck_assert_str_eq(sum(nospace, 2, 256), "2 done, the last 1 envelope");
	/* cut to the buffer */
	ck_assert_str_eq(sum(three, 3, 8), "3 envel");

	/* pfctl's summaries (on stderr): "N/M addresses VERB." */
	{
		const char *const pf[] = { "1/1 addresses added.",
		    "0/1 addresses added.", "1/1 addresses added." };
		const char *const pfmix[] = { "1/1 addresses added.",
		    "1/1 addresses deleted." };
		const char *const pfbad[] = { "1/1 addresses added.",
		    "1/1 addresses added" };

		ck_assert_str_eq(sum(pf, 3, 256), "2/3 addresses added.");
		ck_assert_str_eq(sum(pfmix, 2, 256),
		    "2 done, the last 1/1 addresses deleted.");
		ck_assert_str_eq(sum(pfbad, 2, 256),
		    "2 done, the last 1/1 addresses added");
	}
}
END_TEST

/* The doas.conf rule a failure names: as narrow as the command allows. */
START_TEST(test_hint)
{
	struct passwd	*pw = getpwuid(getuid());
	char		 buf[512], want[512];
	const char	*u = pw != NULL ? pw->pw_name : "USER";

	explain_failure("smtpctl: need root privileges\nmore", "/usr/sbin/smtpctl",
	    "show queue", buf, sizeof(buf));
	snprintf(want, sizeof(want), "smtpctl: need root privileges "
	    "[doas.conf: permit nopass %s as root cmd /usr/sbin/smtpctl args "
	    "show queue]", u);
	ck_assert_str_eq(buf, want);
	/* a command without arguments: "args" alone */
	explain_failure("doas: Authentication required", "/usr/sbin/spamdb", "",
	    buf, sizeof(buf));
	snprintf(want, sizeof(want), "doas: Authentication required "
	    "[doas.conf: permit nopass %s as root cmd /usr/sbin/spamdb args]",
	    u);
	ck_assert_str_eq(buf, want);
	/* an id in the command: only a rule without args allows it */
	explain_failure("smtpctl: need root privileges", "/usr/sbin/smtpctl",
	    NULL, buf, sizeof(buf));
	ck_assert_msg(strstr(buf, "needs a rule without args: permit nopass ") !=
	    NULL && strstr(buf, " args ") == NULL, "%s", buf);
	/* no privilege problem: the error alone */
	explain_exit(1, "command failed", "/usr/sbin/smtpctl", "pause mta", buf,
	    sizeof(buf));
	ck_assert_str_eq(buf, "exit 1: command failed");
	explain_exit(PROC_KILLED, "no answer for 30 s, killed",
	    "/usr/sbin/smtpctl", "show queue", buf, sizeof(buf));
	ck_assert_str_eq(buf, "no answer for 30 s, killed");
	explain_exit(127, "/x/spamdb: No such file or directory", "/x/spamdb",
	    "", buf, sizeof(buf));
	ck_assert_str_eq(buf, "/x/spamdb not found: set its path in "
	    "mhtop.conf, or try mhtop --demo");
	/* smtpd never ran here: the spool is missing */
	explain_exit(1, "stat: /var/spool/smtpd/queue: No such file or "
	    "directory\nstat: /var/spool/smtpd/incoming: No such file or "
	    "directory\n", "/usr/sbin/smtpctl", "show queue", buf, sizeof(buf));
	ck_assert_str_eq(buf, "exit 1: no smtpd spool (/var/spool/smtpd/queue): "
	    "is OpenSMTPD installed and started? Or try mhtop --demo");
	/* not root, and the doas of the config is not there */
	hint_doas_missing("/usr/bin/doas");
	explain_failure("smtpctl: need root privileges", "/usr/sbin/smtpctl",
	    "show queue", buf, sizeof(buf));
	ck_assert_str_eq(buf, "smtpctl: need root privileges [not root, and "
	    "/usr/bin/doas is not installed: run mhtop as root, or install "
	    "doas]");
}
END_TEST

/* Every test runs with mhtop's clock pinned; a pinned clock runs on. */
START_TEST(test_wallclock)
{
	struct timespec	 ts = { 0, 300 * 1000 * 1000 };
	time_t		 t;
	int		 i;

	t = wallclock_now();
	ck_assert_msg(t >= UNIT_NOW && t < UNIT_NOW + 60,
	    "the unit tests' clock reads %lld", (long long)t);
	wallclock_pin(1798761590);		/* 2026-12-31 23:59:50 UTC */
	ck_assert_int_eq(wallclock_now(), 1798761590);
	for (i = 0; i < 4; i++)
		nanosleep(&ts, NULL);
	t = wallclock_now();
	ck_assert_msg(t >= 1798761591 && t <= 1798761592, "1.2 s later: %lld",
	    (long long)t);
	wallclock_unpin();
	t = wallclock_now();
	ck_assert_msg(t >= time(NULL) - 1 && t <= time(NULL),
	    "unpinned: %lld", (long long)t);
}
END_TEST

/* MHTOP_NOW: seconds since the epoch, nothing else. */
START_TEST(test_wallclock_str)
{
	static const char *const bad[] = { "", "x", "12x", " 12", "-1",
	    "1.5", "0x10", "253402300800", "99999999999999999999999" };
	size_t	 i;

	wallclock_pin(UNIT_NOW);
	for (i = 0; i < nitems(bad); i++) {
		ck_assert_msg(wallclock_pin_str(bad[i]) == -1, "\"%s\" taken",
		    bad[i]);
		ck_assert_msg(wallclock_now() - UNIT_NOW < 60,
		    "\"%s\" moved the clock", bad[i]);
	}
	ck_assert_int_eq(wallclock_pin_str("0"), 0);
	ck_assert_int_eq(wallclock_now(), 0);
	ck_assert_int_eq(wallclock_pin_str("253402300799"), 0);
	ck_assert_int_eq(wallclock_now(), 253402300799LL);
	ck_assert_int_eq(wallclock_pin_str("1795525200"), 0);
	ck_assert_int_eq(wallclock_now(), 1795525200);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("misc");
	TCase	*tc;

	tc = tcase_create("strset");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_strset_basic);
	tcase_add_test(tc, test_strset_many);
	tcase_add_test(tc, test_siphash);
	tcase_add_test(tc, test_strset_churn);
	suite_add_tcase(s, tc);

	tc = tcase_create("linebuf");
	tcase_add_test(tc, test_linebuf_chunks);
	tcase_add_test(tc, test_linebuf_bytewise);
	tcase_add_test(tc, test_linebuf_overlong);
	suite_add_tcase(s, tc);

	tc = tcase_create("util");
	tcase_add_loop_test(tc, test_fmt_duration, 0, (int)nitems(durations));
	tcase_add_test(tc, test_fmt_duration_limits);
	tcase_add_test(tc, test_arena);
	tcase_add_test(tc, test_batch_ints);
	tcase_add_test(tc, test_wallclock);
	tcase_add_test(tc, test_hint);
	tcase_add_test(tc, test_wallclock_str);
	suite_add_tcase(s, tc);

	tc = tcase_create("action");
	tcase_add_test(tc, test_sum_answers);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
