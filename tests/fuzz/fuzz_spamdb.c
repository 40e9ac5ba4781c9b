/*
 * libFuzzer: spamdb(8) listings, line by line, into the greylist and
 * whitelist rowsets, and "pfctl -T show" lines.  Checks that every line is
 * counted once, that rows hold what their type says, that keys stay unique
 * when the lines are, that a line parses the same whether its row is
 * kept or not, and that a re-read sharing a first read's rows holds what
 * a read of its own would.  Built by run.sh.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "provider.h"
#include "spamdb.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: invariant failed: %s\n",	\
		    __FILE__, __LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

static size_t
count_char(const char *s, size_t len, char ch)
{
	size_t	 i, n = 0;

	for (i = 0; i < len; i++)
		n += s[i] == ch;
	return n;
}

/* A row and the line it came from, to sort by key. */
struct keyed {
	const char	*key;
	const char	*line;
	size_t		 len;		/* of what the key stands for */
};

static int
cmp_keyed(const void *a, const void *b)
{
	return strcmp(((const struct keyed *)a)->key,
	    ((const struct keyed *)b)->key);
}

/* The key with '|' for each '\n': the line's text, from off on. */
static void
check_key_text(const char *key, size_t nsep, const char *line, size_t len,
    size_t off)
{
	size_t	 klen = strlen(key), i, seps = 0;

	CHECK(off + klen <= len);
	for (i = 0; i < klen; i++) {
		if (key[i] == '\n') {
			CHECK(line[off + i] == '|');
			seps++;
		} else
			CHECK(line[off + i] == key[i]);
	}
	CHECK(seps == nsep);
}

/* The domain: from's tail after its last '@', less one '>', lowercased. */
static void
check_domain(const char *from, size_t flen, const char *dom)
{
	const char	*at = strrchr(from, '@');
	size_t		 dlen = strlen(dom), i;

	CHECK(strchr(dom, '@') == NULL);
	if (at == NULL || dlen == 0) {
		CHECK(dlen == 0);
		CHECK(at == NULL || at[1] == '\0' ||
		    (at[1] == '>' && at[2] == '\0'));
		return;
	}
	if (flen > 0 && from[flen - 1] == '>')
		flen--;
	CHECK(from + flen - at - 1 == (ptrdiff_t)dlen);
	for (i = 0; i < dlen; i++) {
		CHECK(!(dom[i] >= 'A' && dom[i] <= 'Z'));
		CHECK(dom[i] == at[1 + i] || dom[i] == at[1 + i] + ('a' - 'A'));
	}
}

static void
check_grey(const struct row *r, const char *line, size_t len)
{
	const union cell	*c = r->cells;
	size_t			 ip, helo, from, to, klen;

	ip = strlen(c[G_IP].s);
	helo = strlen(c[G_HELO].s);
	from = strlen(c[G_FROM].s);
	to = strlen(c[G_TO].s);
	CHECK(ip > 0 && memchr(c[G_IP].s, '|', ip) == NULL);
	CHECK(c[G_FIRST].i >= 0 && c[G_PASS].i >= 0 && c[G_EXPIRE].i >= 0);
	CHECK(c[G_BCOUNT].i != CELL_NONE && c[G_PCOUNT].i != CELL_NONE);
	{
		/* a small buffer: long domains take the other way */
		char		 buf[16], *heap;
		const char	*d = grey_domain(c[G_FROM].s, buf, sizeof(buf),
				    &heap);

		CHECK(heap == NULL || d == heap);
		CHECK(heap != NULL || d == buf || *d == '\0');
		check_domain(c[G_FROM].s, from, d);
		free(heap);
	}
	/* a '|' in helo/from/to, and only then, makes the split a guess */
	CHECK((count_char(c[G_HELO].s, helo, '|') +
	    count_char(c[G_FROM].s, from, '|') +
	    count_char(c[G_TO].s, to, '|') > 0) == (grey_guessed(r) != 0));
	/* the key is ip \n the tuple's hash in 11 characters; the line holds
	 * the four fields */
	klen = ip + helo + from + to + 3;
	CHECK(strlen(r->key) == ip + 12 && r->key[ip] == '\n' &&
	    strncmp(r->key, c[G_IP].s, ip) == 0 &&
	    strspn(r->key + ip + 1, "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_"
	    "abcdefghijklmnopqrstuvwxyz") == 11);
	CHECK(len > 5 + klen && line[5 + klen] == '|');
	CHECK(grey_key_hash(r->key) == hash_mem(line + 5, klen));
	CHECK(memcmp(line + 5, c[G_IP].s, ip) == 0);
	CHECK(memcmp(line + 5 + ip + 1, c[G_HELO].s, helo) == 0);
	CHECK(memcmp(line + 5 + ip + 1 + helo + 1, c[G_FROM].s, from) == 0);
	CHECK(memcmp(line + 5 + ip + 1 + helo + 1 + from + 1, c[G_TO].s,
	    to) == 0);
}

static void
check_white(const struct row *r, const char *line, size_t len)
{
	const union cell	*c = r->cells;
	size_t			 tlen = strlen(c[W_TYPE].s), klen;

	klen = strlen(c[W_KEY].s);
	CHECK(klen > 0);
	CHECK(strcmp(c[W_INPF].s, "-") == 0);
	CHECK(strlen(r->key) == tlen + 1 + klen);
	CHECK(memcmp(r->key, c[W_TYPE].s, tlen) == 0 && r->key[tlen] == '\n');
	CHECK(strcmp(r->key + tlen + 1, c[W_KEY].s) == 0);
	CHECK(len > tlen + 1 + klen || (len == tlen + 1 + klen &&
	    strcmp(c[W_TYPE].s, "SPAMTRAP") == 0));
	CHECK(memcmp(line, c[W_TYPE].s, tlen) == 0 && line[tlen] == '|');
	CHECK(memcmp(line + tlen + 1, c[W_KEY].s, klen) == 0);
	check_key_text(r->key, 1, line, len, 0);
	if (strcmp(c[W_TYPE].s, "WHITE") == 0) {
		CHECK(memchr(c[W_KEY].s, '|', klen) == NULL);
		CHECK(c[W_FIRST].i >= 0 && c[W_PASS].i >= 0 &&
		    c[W_EXPIRE].i >= 0);
		CHECK(c[W_BCOUNT].i != CELL_NONE && c[W_PCOUNT].i != CELL_NONE);
	} else if (strcmp(c[W_TYPE].s, "TRAPPED") == 0) {
		CHECK(memchr(c[W_KEY].s, '|', klen) == NULL);
		CHECK(c[W_EXPIRE].i >= 0);
		CHECK(c[W_FIRST].i == CELL_NONE && c[W_PASS].i == CELL_NONE &&
		    c[W_BCOUNT].i == CELL_NONE && c[W_PCOUNT].i == CELL_NONE);
	} else {
		CHECK(strcmp(c[W_TYPE].s, "SPAMTRAP") == 0);
		CHECK(len == tlen + 1 + klen);
		CHECK(c[W_FIRST].i == CELL_NONE && c[W_PASS].i == CELL_NONE &&
		    c[W_EXPIRE].i == CELL_NONE && c[W_BCOUNT].i == CELL_NONE &&
		    c[W_PCOUNT].i == CELL_NONE);
	}
}

/* Keys are unique unless the input repeats what they are made of. */
static void
check_unique(struct keyed *k, size_t n, size_t off)
{
	size_t	 i;

	qsort(k, n, sizeof(*k), cmp_keyed);
	for (i = 1; i < n; i++)
		if (strcmp(k[i - 1].key, k[i].key) == 0)
			CHECK(k[i - 1].len == k[i].len &&
			    memcmp(k[i - 1].line + off, k[i].line + off,
			    k[i].len) == 0);
}

static void
pftable(const char *line, size_t len)
{
	char	*copy = malloc(len ? len : 1), addr[64];
	int	 r;

	memcpy(copy, line, len);
	memset(addr, 'Z', sizeof(addr));
	r = pftable_parse_line(copy, len, addr, sizeof(addr));
	CHECK(r >= -1 && r <= 1);
	if (r >= 0) {
		CHECK(len >= 4 && len - 3 < sizeof(addr));
		CHECK(strlen(addr) == len - 3);
		CHECK(memcmp(addr, line + 3, len - 3) == 0);
		CHECK(strchr(addr, ' ') == NULL);
		CHECK(line[0] == ' ' && line[1] == ' ' &&
		    line[2] == (r ? '!' : ' '));
	}
	free(copy);
}

/* Feed the lines of [p, end), each in a buffer of its size, to a read. */
static size_t
feed(const char *p, const char *end, size_t max, struct rowset *grey,
    struct grey_prev *prev)
{
	const char	*nl;
	char		*copy;
	size_t		 len, n = 0;

	for (; p < end && n < max; p = nl + 1, n++) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		len = (size_t)(nl - p);
		copy = malloc(len ? len : 1);
		memcpy(copy, p, len);
		spamdb_parse_line_prev(grey, prev, NULL, NULL, copy, len);
		free(copy);
	}
	return n;
}

static int
same_row(const struct row *a, const struct row *b)
{
	int	 i;

	if (strcmp(a->key, b->key) != 0)
		return 0;
	for (i = G_IP; i <= G_TO; i++)
		if (strcmp(a->cells[i].s, b->cells[i].s) != 0)
			return 0;
	for (i = G_FIRST; i < G_NCELLS; i++)
		if (a->cells[i].i != b->cells[i].i)
			return 0;
	return 1;
}

/* How many rows of rs before row end (all: rs->nrows) have that key. */
static size_t
key_count(const struct rowset *rs, size_t end, const char *key)
{
	size_t	 i, n = 0;

	for (i = 0; i < end; i++)
		n += strcmp(rs->rows[i]->key, key) == 0;
	return n;
}

/*
 * A read of the first half of the lines, then a re-read of them all that
 * shares its rows: the same rows, in the same order, as a read of its own,
 * the ones it could not find told as new (each row of the first read
 * vouches for one row of the same tuple), and nothing left pointing into
 * the first read once that is freed (it adopts, or copies out).  Rotated,
 * the re-read lists the second half first, as spamdb does when its hash
 * table has grown: most rows are then not where they were.
 */
static void
check_reread(const char *data, size_t size, int adopt, int rotate)
{
	const char		*end = data + size, *mid, *nl;
	struct rowset		*first = rowset_new(), *again = rowset_new();
	struct rowset		*own = rowset_new();
	struct grey_prev	*prev;
	uint64_t		*fresh;
	char			*re = NULL, *used;
	size_t			 nlines, i, nfresh, want = 0, n2 = size, n0, o;

	nlines = feed(data, end, SIZE_MAX, own, NULL);
	rowset_free(own);
	own = rowset_new();
	feed(data, end, nlines / 2, first, NULL);
	if (rotate) {
		/* lines nlines / 2 and on, then the first ones */
		for (mid = data, i = 0; i < nlines / 2 && mid < end; i++)
			mid = (nl = memchr(mid, '\n', (size_t)(end - mid))) ?
			    nl + 1 : end;
		re = malloc(size + 1);
		memcpy(re, mid, (size_t)(end - mid));
		n2 = (size_t)(end - mid);
		if (n2 > 0 && re[n2 - 1] != '\n')
			re[n2++] = '\n';
		memcpy(re + n2, data, (size_t)(mid - data));
		n2 += (size_t)(mid - data);
		data = re;
		end = re + n2;
	}
	prev = grey_prev_new(first);
	feed(data, end, SIZE_MAX, again, prev);
	feed(data, end, SIZE_MAX, own, NULL);
	CHECK(again->nrows == own->nrows);
	for (i = 0; i < own->nrows; i++)
		want += key_count(own, i + 1, own->rows[i]->key) >
		    key_count(first, first->nrows, own->rows[i]->key);
	fresh = grey_prev_finish(prev, again, &nfresh);
	CHECK(nfresh == want);
	free(fresh);
	/* the map: a row of the same key, each old row once, 0 for new */
	CHECK(again->nrows == 0 || (again->prev != NULL &&
	    again->prev_serial == first->serial));
	used = calloc(first->nrows + 1, 1);
	for (i = 0, n0 = 0; i < again->nrows; i++) {
		o = ROW_PREV_PLACE(again->prev[i]);
		if (o == 0) {
			n0++;
			continue;
		}
		CHECK(o <= first->nrows && !used[o]);
		used[o] = 1;
		CHECK(strcmp(again->rows[i]->key, first->rows[o - 1]->key) == 0);
		/* the very row, unchanged, or another */
		CHECK(((again->prev[i] & ROW_PREV_SAME) != 0) ==
		    (again->rows[i] == first->rows[o - 1]));
		CHECK(!(again->prev[i] & ROW_PREV_SAME) ||
		    same_row(again->rows[i], first->rows[o - 1]));
	}
	CHECK(n0 == nfresh);
	free(used);
	if (adopt)
		rowset_adopt(again, first);
	else
		grey_prev_copy_out(prev, again);
	grey_prev_free(prev);
	rowset_free(first);
	for (i = 0; i < own->nrows; i++)
		CHECK(same_row(again->rows[i], own->rows[i]));
	rowset_free(again);
	rowset_free(own);
	free(re);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char		*p = (const char *)data, *end = p + size, *nl;
	struct rowset		*grey = rowset_new(), *white = rowset_new();
	struct spamdb_counts	 sc, sc2, one;
	struct keyed		*gk, *wk;
	size_t			 len, g, w;
	char			*copy;
	int			 r, r2;

	memset(&sc, 0, sizeof(sc));
	memset(&sc2, 0, sizeof(sc2));
	gk = malloc((size / 2 + 1) * sizeof(*gk));
	wk = malloc((size / 2 + 1) * sizeof(*wk));
	while (p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		len = (size_t)(nl - p);
		/* in a buffer of exactly its size: ASan sees overreads */
		copy = malloc(len ? len : 1);
		memcpy(copy, p, len);
		g = grey->nrows;
		w = white->nrows;
		one = sc;
		r = spamdb_parse_line(grey, white, &sc, copy, len);
		if (len == 0) {
			CHECK(r == 0);
			CHECK(memcmp(&one, &sc, sizeof(sc)) == 0);
		} else {
			/* counted once, in one place, a row where it says */
			CHECK(sc.grey + sc.white + sc.trapped + sc.spamtrap +
			    sc.bad == one.grey + one.white + one.trapped +
			    one.spamtrap + one.bad + 1);
			CHECK((r == -1) == (sc.bad == one.bad + 1));
			CHECK(grey->nrows == g + (sc.grey - one.grey));
			CHECK(white->nrows == w + (sc.white - one.white) +
			    (sc.trapped - one.trapped) +
			    (sc.spamtrap - one.spamtrap));
		}
		if (grey->nrows > g) {
			check_grey(grey->rows[g], copy, len);
			gk[g].key = grey->rows[g]->key;
			gk[g].line = p;
			/* the key hashes "ip|helo|from|to" */
			gk[g].len = strlen(grey->rows[g]->cells[G_IP].s) +
			    strlen(grey->rows[g]->cells[G_HELO].s) +
			    strlen(grey->rows[g]->cells[G_FROM].s) +
			    strlen(grey->rows[g]->cells[G_TO].s) + 3;
		}
		if (white->nrows > w) {
			check_white(white->rows[w], copy, len);
			wk[w].key = white->rows[w]->key;
			wk[w].line = p;
			wk[w].len = strlen(white->rows[w]->key);
		}
		/* without rowsets: the same verdict, the same count */
		r2 = spamdb_parse_line(NULL, NULL, &sc2, copy, len);
		CHECK(r == r2);
		pftable(copy, len);
		free(copy);
		p = nl + 1;
	}
	CHECK(memcmp(&sc, &sc2, sizeof(sc)) == 0);
	CHECK(grey->nrows == sc.grey);
	CHECK(white->nrows == sc.white + sc.trapped + sc.spamtrap);
	check_unique(gk, grey->nrows, 5);
	check_unique(wk, white->nrows, 0);
	check_reread((const char *)data, size, size % 2, size / 2 % 2);
	free(gk);
	free(wk);
	rowset_free(grey);
	rowset_free(white);
	return 0;
}
