/*
 * The spamdb(8) listing and "pfctl -T show" parsers, on the fixtures in
 * tests/fixtures/spamd (synthesized from the OpenBSD sources, see their
 * README.md) and on hostile lines.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spamdb.h"
#include "unit.h"

#define SFIX(name)	FIXTURES "/spamd/" name

#define S(row, cell)	((row)->cells[(cell)].s)
#define I(row, cell)	((row)->cells[(cell)].i)

/* The sender's domain of a row, as the pane groups it. */
static const char *
DOM(const struct row *r)
{
	static char	 buf[4][512];
	static int	 n;
	char		*heap;
	const char	*d;

	n = (n + 1) % 4;
	d = grey_domain(S(r, G_FROM), buf[n], sizeof(buf[n]), &heap);
	ck_assert_ptr_null(heap);
	if (d != buf[n])
		snprintf(buf[n], sizeof(buf[n]), "%s", d);
	return buf[n];
}

/* A good line of each kind, to check that parsing goes on after junk. */
#define GOOD_GREY	"GREY|192.0.2.1|mx.example|<a@b.example>|" \
	"<c@example.org>|1794999605|1795014005|1795014005|1|0"
#define GOOD_WHITE	"WHITE|192.0.2.2|||1792580800|1792580800|1798107100|1|41"

struct parsed {
	struct rowset		*grey;
	struct rowset		*white;
	struct spamdb_counts	 sc;
	size_t			 lines;		/* non-empty ones */
};

static void
parse_buf(struct parsed *pp, const char *buf, size_t len)
{
	const char	*p = buf, *end = buf + len, *nl;

	while (p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (nl > p)
			pp->lines++;
		spamdb_parse_line(pp->grey, pp->white, &pp->sc, p,
		    (size_t)(nl - p));
		p = nl + 1;
	}
}

static void
parse_file(struct parsed *pp, const char *path)
{
	size_t	 len;
	char	*buf = unit_slurp(path, &len);

	memset(pp, 0, sizeof(*pp));
	pp->grey = rowset_new();
	pp->white = rowset_new();
	parse_buf(pp, buf, len);
	free(buf);
}

static void
parsed_free(struct parsed *pp)
{
	rowset_free(pp->grey);
	rowset_free(pp->white);
}

static int
one_line(struct rowset *grey, struct rowset *white, struct spamdb_counts *sc,
    const char *s)
{
	return spamdb_parse_line(grey, white, sc, s, strlen(s));
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char * const *)a, *(const char * const *)b);
}

/* No two rows of the rowsets share a key. */
static void
assert_keys_unique(const struct rowset *a, const struct rowset *b)
{
	const char	**keys;
	size_t		  n = 0, i;

	keys = calloc(a->nrows + b->nrows + 1, sizeof(*keys));
	ck_assert_ptr_nonnull(keys);
	for (i = 0; i < a->nrows; i++)
		keys[n++] = a->rows[i]->key;
	for (i = 0; i < b->nrows; i++)
		keys[n++] = b->rows[i]->key;
	qsort(keys, n, sizeof(*keys), cmp_str);
	for (i = 1; i < n; i++)
		ck_assert_msg(strcmp(keys[i - 1], keys[i]) != 0,
		    "duplicate key \"%s\"", keys[i]);
	free(keys);
}

/* Every cell of every row holds what its type says. */
static void
assert_rows_sane(const struct parsed *pp)
{
	const struct row	*r;
	char			 key[4096];
	size_t			 i;

	for (i = 0; i < pp->grey->nrows; i++) {
		r = pp->grey->rows[i];
		ck_assert_ptr_nonnull(S(r, G_IP));
		ck_assert_ptr_nonnull(S(r, G_HELO));
		ck_assert_ptr_nonnull(S(r, G_FROM));
		ck_assert_ptr_nonnull(S(r, G_TO));
		ck_assert_ptr_nonnull(DOM(r));
		ck_assert_uint_gt(strlen(S(r, G_IP)), 0);
		/* the key: ip \n the tuple's hash in 11 characters */
		snprintf(key, sizeof(key), "%s\n", S(r, G_IP));
		ck_assert_uint_eq(strlen(r->key), strlen(key) + 11);
		ck_assert(strncmp(r->key, key, strlen(key)) == 0);
		ck_assert_uint_eq(strspn(r->key + strlen(key), "-0123456789"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"), 11);
		ck_assert(grey_guessed(r) == 0 || grey_guessed(r) == 1);
		ck_assert_int_ge(I(r, G_FIRST), 0);
		ck_assert_int_ge(I(r, G_PASS), 0);
		ck_assert_int_ge(I(r, G_EXPIRE), 0);
	}
	for (i = 0; i < pp->white->nrows; i++) {
		r = pp->white->rows[i];
		ck_assert_ptr_nonnull(S(r, W_TYPE));
		ck_assert_ptr_nonnull(S(r, W_KEY));
		ck_assert_str_eq(S(r, W_INPF), "-");
		ck_assert_uint_gt(strlen(S(r, W_KEY)), 0);
		snprintf(key, sizeof(key), "%s\n%s", S(r, W_TYPE), S(r, W_KEY));
		ck_assert_str_eq(r->key, key);
		if (strcmp(S(r, W_TYPE), "WHITE") == 0) {
			ck_assert_int_ne(I(r, W_FIRST), CELL_NONE);
			ck_assert_int_ne(I(r, W_PCOUNT), CELL_NONE);
		} else if (strcmp(S(r, W_TYPE), "TRAPPED") == 0) {
			ck_assert_int_eq(I(r, W_FIRST), CELL_NONE);
			ck_assert_int_eq(I(r, W_PASS), CELL_NONE);
			ck_assert_int_ne(I(r, W_EXPIRE), CELL_NONE);
			ck_assert_int_eq(I(r, W_BCOUNT), CELL_NONE);
			ck_assert_int_eq(I(r, W_PCOUNT), CELL_NONE);
		} else {
			ck_assert_str_eq(S(r, W_TYPE), "SPAMTRAP");
			ck_assert_int_eq(I(r, W_FIRST), CELL_NONE);
			ck_assert_int_eq(I(r, W_EXPIRE), CELL_NONE);
			ck_assert_int_eq(I(r, W_PCOUNT), CELL_NONE);
		}
	}
}

static const struct row *
find(const struct rowset *rs, const char *key)
{
	const struct row	*r;
	char			 tuple[4096];
	size_t			 i;

	/* a tuple is named "ip\nhelo\nfrom\nto": its key is a hash */
	if (strchr(key, '\n') == strrchr(key, '\n'))
		return unit_find(rs, key);
	for (i = 0; i < rs->nrows; i++) {
		r = rs->rows[i];
		snprintf(tuple, sizeof(tuple), "%s\n%s\n%s\n%s", S(r, G_IP),
		    S(r, G_HELO), S(r, G_FROM), S(r, G_TO));
		if (strcmp(tuple, key) == 0)
			return r;
	}
	ck_abort_msg("no tuple %s", key);
	return NULL;
}

/* Counted with cut -d'|' -f1 spamdb-small.txt | sort | uniq -c. */
START_TEST(test_small_counts)
{
	struct parsed	 pp;
	size_t		 i;

	parse_file(&pp, SFIX("spamdb-small.txt"));
	ck_assert_uint_eq(pp.lines, 61);
	ck_assert_uint_eq(pp.sc.grey, 27);
	ck_assert_uint_eq(pp.sc.white, 23);
	ck_assert_uint_eq(pp.sc.trapped, 7);
	ck_assert_uint_eq(pp.sc.spamtrap, 4);
	ck_assert_uint_eq(pp.sc.bad, 0);
	ck_assert_uint_eq(pp.grey->nrows, 27);
	ck_assert_uint_eq(pp.white->nrows, 23 + 7 + 4);
	ck_assert_uint_eq(pp.grey->nbad + pp.white->nbad, 0);
	/* no '|' in any helo/from/to there: nothing guessed */
	for (i = 0; i < pp.grey->nrows; i++)
		ck_assert_int_eq(grey_guessed(pp.grey->rows[i]), 0);
	assert_rows_sane(&pp);
	assert_keys_unique(pp.grey, pp.white);
	parsed_free(&pp);
}
END_TEST

START_TEST(test_small_fields)
{
	struct parsed		 pp;
	const struct row	*r;

	parse_file(&pp, SFIX("spamdb-small.txt"));

	/* fresh, never retried: pass == expire == first + 14400 */
	r = find(pp.grey, "40.107.22.133\n"
	    "EUR05-AM6-obe.outbound.protection.outlook.com\n"
	    "<m.jansen@partnerfirm.nl>\n<sales@example.org>");
	ck_assert_str_eq(S(r, G_IP), "40.107.22.133");
	ck_assert_str_eq(S(r, G_HELO),
	    "EUR05-AM6-obe.outbound.protection.outlook.com");
	ck_assert_str_eq(S(r, G_FROM), "<m.jansen@partnerfirm.nl>");
	ck_assert_str_eq(S(r, G_TO), "<sales@example.org>");
	ck_assert_int_eq(I(r, G_FIRST), 1794999605);
	ck_assert_int_eq(I(r, G_PASS), 1795014005);
	ck_assert_int_eq(I(r, G_EXPIRE), 1795014005);
	ck_assert_int_eq(I(r, G_EXPIRE), I(r, G_FIRST) + 14400);
	ck_assert_int_eq(I(r, G_BCOUNT), 1);
	ck_assert_int_eq(I(r, G_PCOUNT), 0);
	ck_assert_str_eq(DOM(r), "partnerfirm.nl");
	ck_assert_int_eq(grey_guessed(r), 0);

	/* passed: retried after 25 min, pass < expire */
	r = find(pp.grey, "198.51.100.23\nmail.bakkerij-devries.example\n"
	    "<orders@bakkerij-devries.example>\n<sales@example.org>");
	ck_assert_int_eq(I(r, G_FIRST), 1794986500);
	ck_assert_int_eq(I(r, G_PASS), 1794988912);
	ck_assert_int_eq(I(r, G_EXPIRE), 1795000900);
	ck_assert_int_lt(I(r, G_PASS), I(r, G_EXPIRE));
	ck_assert_int_eq(I(r, G_BCOUNT), 3);
	ck_assert_str_eq(DOM(r), "bakkerij-devries.example");

	/* the null sender: no domain */
	r = find(pp.grey, "198.51.100.37\nlocalhost\n<>\n<postmaster@example.org>");
	ck_assert_str_eq(S(r, G_FROM), "<>");
	ck_assert_str_eq(DOM(r), "");

	/* mixed case kept as sent; the domain lowercased */
	r = find(pp.grey, "198.51.100.201\nWIN-4K2J7Q1R8LM\n"
	    "<Admin@Secure-Mailbox-Verify.example>\n<j.smit@example.org>");
	ck_assert_str_eq(S(r, G_FROM), "<Admin@Secure-Mailbox-Verify.example>");
	ck_assert_str_eq(DOM(r), "secure-mailbox-verify.example");
	ck_assert_int_eq(I(r, G_BCOUNT), 3);

	/* a '+' and '=' in the local part, a subdomain */
	r = find(pp.grey, "198.51.100.90\nsmtp.bulkmail-eu.example\n"
	    "<bounces+112604537-3ded-ob=example.org@em1234.bulkmail-eu.example>\n"
	    "<billing@example.org>");
	ck_assert_str_eq(DOM(r), "em1234.bulkmail-eu.example");

	/* one message to two recipients: two tuples, two keys */
	r = find(pp.grey, "203.0.113.45\n[203.0.113.45]\n"
	    "<info@quick-loans-247.example>\n<sales@example.org>");
	ck_assert_str_eq(S(r, G_HELO), "[203.0.113.45]");
	r = find(pp.grey, "203.0.113.45\n[203.0.113.45]\n"
	    "<info@quick-loans-247.example>\n<info@example.org>");
	ck_assert_str_eq(S(r, G_TO), "<info@example.org>");

	/* WHITE made by spamlogd for our outbound mail */
	r = find(pp.white, "WHITE\n142.250.102.27");
	ck_assert_str_eq(S(r, W_TYPE), "WHITE");
	ck_assert_str_eq(S(r, W_KEY), "142.250.102.27");
	ck_assert_int_eq(I(r, W_FIRST), 1792580800);
	ck_assert_int_eq(I(r, W_PASS), 1792580800);
	ck_assert_int_eq(I(r, W_EXPIRE), 1798107100);
	ck_assert_int_eq(I(r, W_BCOUNT), 1);
	ck_assert_int_eq(I(r, W_PCOUNT), 41);
	ck_assert_str_eq(S(r, W_INPF), "-");

	/* WHITE from greylisting, and the tuple it came from */
	r = find(pp.white, "WHITE\n198.51.100.23");
	ck_assert_int_eq(I(r, W_FIRST), 1794986500);
	ck_assert_int_eq(I(r, W_PASS), 1794988912);
	ck_assert_int_eq(I(r, W_EXPIRE), 1798100012);
	ck_assert_int_eq(I(r, W_BCOUNT), 3);
	ck_assert_int_eq(I(r, W_PCOUNT), 1);

	/* IPv6 added by hand */
	r = find(pp.white, "WHITE\n2001:db8:4f10::25");
	ck_assert_str_eq(S(r, W_KEY), "2001:db8:4f10::25");
	ck_assert_int_eq(I(r, W_EXPIRE), 1798110392);

	/* TRAPPED: only an expire */
	r = find(pp.white, "TRAPPED\n198.51.100.66");
	ck_assert_str_eq(S(r, W_TYPE), "TRAPPED");
	ck_assert_str_eq(S(r, W_KEY), "198.51.100.66");
	ck_assert_int_eq(I(r, W_EXPIRE), 1795080211);
	ck_assert_int_eq(I(r, W_FIRST), CELL_NONE);
	ck_assert_int_eq(I(r, W_PASS), CELL_NONE);
	ck_assert_int_eq(I(r, W_BCOUNT), CELL_NONE);
	ck_assert_int_eq(I(r, W_PCOUNT), CELL_NONE);
	r = find(pp.white, "TRAPPED\n2001:db8:bad::7");
	ck_assert_int_eq(I(r, W_EXPIRE), 1795086396);

	/* SPAMTRAP: an address, no numbers */
	r = find(pp.white, "SPAMTRAP\nwkitp98zpu.fsf@example.org");
	ck_assert_str_eq(S(r, W_TYPE), "SPAMTRAP");
	ck_assert_str_eq(S(r, W_KEY), "wkitp98zpu.fsf@example.org");
	ck_assert_int_eq(I(r, W_FIRST), CELL_NONE);
	ck_assert_int_eq(I(r, W_PASS), CELL_NONE);
	ck_assert_int_eq(I(r, W_EXPIRE), CELL_NONE);
	ck_assert_int_eq(I(r, W_BCOUNT), CELL_NONE);
	ck_assert_int_eq(I(r, W_PCOUNT), CELL_NONE);
	ck_assert_str_eq(S(r, W_INPF), "-");
	find(pp.white, "SPAMTRAP\ninfo-old@example.org");

	parsed_free(&pp);
}
END_TEST

/* spamdb-edge.txt, line by line, in file order. */
static const struct edge_grey {
	const char	*ip, *helo, *from, *to;
	int64_t		 first, pass, expire, bcount, pcount;
	const char	*domain;
	int		 guessed;
} edge_grey[] = {
	/* a helo with '|': 11 fields */
	{ "203.0.113.50", "mx|relay.example", "<a.b@odd-helo.example>",
	  "<info@example.org>", 1794997000, 1795011400, 1795011400, 1, 0,
	  "odd-helo.example", 1 },
	/* no HELO at all: empty */
	{ "198.51.100.5", "", "<x@nohelo.example>", "<info@example.org>",
	  1794997500, 1795011900, 1795011900, 1, 0, "nohelo.example", 0 },
	/* MAIL FROM/RCPT TO without <> */
	{ "198.51.100.6", "bot", "spam@nobrackets.example", "info@example.org",
	  1794997600, 1795012000, 1795012000, 1, 0, "nobrackets.example", 0 },
	/* '|' in the sender's local part */
	{ "203.0.113.51", "mail.odd.example", "<we|rd@odd.example>",
	  "<sales@example.org>", 1794997700, 1795012100, 1795012100, 1, 0,
	  "odd.example", 1 },
	/* a raw terminal escape and BEL, byte for byte */
	{ "203.0.113.52", "\033[31mEVIL\033[0m\007", "<x@esc.example>",
	  "<info@example.org>", 1794997800, 1795012200, 1795012200, 1, 0,
	  "esc.example", 0 },
	/* UTF-8 */
	{ "203.0.113.53", "m\303\244il.b\303\274cher.example",
	  "<m\303\274ller@b\303\274cher.example>", "<info@example.org>",
	  1794997900, 1795012300, 1795012300, 1, 0, "b\303\274cher.example",
	  0 },
	/* expired, not yet purged */
	{ "198.51.100.7", "expired.example", "<old@expired.example>",
	  "<info@example.org>", 1794985580, 1794999980, 1794999980, 1, 0,
	  "expired.example", 0 },
	/* the 248-byte helo: see test_edge */
	{ "203.0.113.54", NULL, "<long@helo.example>", "<info@example.org>",
	  1794998100, 1795012500, 1795012500, 1, 0, "helo.example", 0 },
	/* two RCPTs of one connection */
	{ "203.0.113.55", "mx.twotuples.example", "<n@twotuples.example>",
	  "<a@example.org>", 1794998200, 1795012600, 1795012600, 1, 0,
	  "twotuples.example", 0 },
	{ "203.0.113.55", "mx.twotuples.example", "<n@twotuples.example>",
	  "<b@example.org>", 1794998200, 1795012600, 1795012600, 1, 0,
	  "twotuples.example", 0 },
};

#define NONE	CELL_NONE
static const struct edge_white {
	const char	*type, *key;
	int64_t		 first, pass, expire, bcount, pcount;
} edge_white[] = {
	{ "TRAPPED", "198.51.100.8", NONE, NONE, 1794999970, NONE, NONE },
	/* upper case IPv6, as typed to spamdb -a: kept */
	{ "WHITE", "2001:DB8::1", 1794999995, 1794999995, 1798110395, 1, 0 },
	/* a spamtrap stored with its <> */
	{ "SPAMTRAP", "<trap@example.org>", NONE, NONE, NONE, NONE, NONE },
	{ "TRAPPED", "192.0.2.44", NONE, NONE, 1795085800, NONE, NONE },
	{ "WHITE", "142.250.102.26", 1792000000, 1792000000, 1798110340, 1,
	  48211 },
};

START_TEST(test_edge)
{
	struct parsed		 pp;
	const struct row	*r;
	const struct edge_grey	*eg;
	const struct edge_white	*ew;
	char			 helo[300];
	size_t			 i;

	parse_file(&pp, SFIX("spamdb-edge.txt"));
	ck_assert_uint_eq(pp.lines, 15);
	ck_assert_uint_eq(pp.sc.grey, 10);
	ck_assert_uint_eq(pp.sc.white, 2);
	ck_assert_uint_eq(pp.sc.trapped, 2);
	ck_assert_uint_eq(pp.sc.spamtrap, 1);
	ck_assert_uint_eq(pp.sc.bad, 0);
	ck_assert_uint_eq(pp.grey->nrows, nitems(edge_grey));
	ck_assert_uint_eq(pp.white->nrows, nitems(edge_white));

	memset(helo, 'a', 240);
	memcpy(helo + 240, ".example", 9);
	for (i = 0; i < nitems(edge_grey); i++) {
		eg = &edge_grey[i];
		r = pp.grey->rows[i];
		ck_assert_str_eq(S(r, G_IP), eg->ip);
		ck_assert_str_eq(S(r, G_HELO), eg->helo ? eg->helo : helo);
		ck_assert_str_eq(S(r, G_FROM), eg->from);
		ck_assert_str_eq(S(r, G_TO), eg->to);
		ck_assert_int_eq(I(r, G_FIRST), eg->first);
		ck_assert_int_eq(I(r, G_PASS), eg->pass);
		ck_assert_int_eq(I(r, G_EXPIRE), eg->expire);
		ck_assert_int_eq(I(r, G_BCOUNT), eg->bcount);
		ck_assert_int_eq(I(r, G_PCOUNT), eg->pcount);
		ck_assert_str_eq(DOM(r), eg->domain);
		ck_assert_msg(grey_guessed(r) == eg->guessed,
		    "line of %s: guessed %lld", eg->ip,
		    (long long)grey_guessed(r));
	}
	ck_assert_uint_eq(strlen(S(pp.grey->rows[7], G_HELO)), 248);
	/* the escape is kept raw: sanitizing is the screen's job */
	ck_assert_uint_eq(strlen(S(pp.grey->rows[4], G_HELO)), 14);
	ck_assert_int_eq(S(pp.grey->rows[4], G_HELO)[0], 0x1b);

	for (i = 0; i < nitems(edge_white); i++) {
		ew = &edge_white[i];
		r = pp.white->rows[i];
		ck_assert_str_eq(S(r, W_TYPE), ew->type);
		ck_assert_str_eq(S(r, W_KEY), ew->key);
		ck_assert_int_eq(I(r, W_FIRST), ew->first);
		ck_assert_int_eq(I(r, W_PASS), ew->pass);
		ck_assert_int_eq(I(r, W_EXPIRE), ew->expire);
		ck_assert_int_eq(I(r, W_BCOUNT), ew->bcount);
		ck_assert_int_eq(I(r, W_PCOUNT), ew->pcount);
	}
	find(pp.white, "WHITE\n2001:DB8::1");
	find(pp.white, "SPAMTRAP\n<trap@example.org>");
	assert_rows_sane(&pp);
	assert_keys_unique(pp.grey, pp.white);
	parsed_free(&pp);
}
END_TEST

/* Both fixtures in the same rowsets: still one key per row. */
START_TEST(test_keys_unique)
{
	struct parsed	 pp;
	size_t		 len;
	char		*buf;

	parse_file(&pp, SFIX("spamdb-small.txt"));
	buf = unit_slurp(SFIX("spamdb-edge.txt"), &len);
	parse_buf(&pp, buf, len);
	free(buf);
	ck_assert_uint_eq(pp.sc.bad, 0);
	ck_assert_uint_eq(pp.grey->nrows, 37);
	ck_assert_uint_eq(pp.white->nrows, 39);
	assert_keys_unique(pp.grey, pp.white);

	/* a WHITE and a TRAPPED with one IP (spamdb -a of a trapped IP,
	 * before the next scan): two keys, the same W_KEY */
	ck_assert_int_eq(one_line(pp.grey, pp.white, &pp.sc,
	    "TRAPPED|192.0.2.25|1795086400"), 0);
	ck_assert_str_eq(S(find(pp.white, "TRAPPED\n192.0.2.25"), W_KEY),
	    S(find(pp.white, "WHITE\n192.0.2.25"), W_KEY));
	assert_keys_unique(pp.grey, pp.white);
	parsed_free(&pp);
}
END_TEST

/*
 * Keys are stable from one read to the next (tags and the '+' marks
 * depend on it) and tell apart tuples that differ in one field only;
 * sender domains are interned, case folded.
 */
/* A key's hash part is the tuple's hash, and keys of one ip sort by it. */
START_TEST(test_key_hash)
{
	struct rowset	*rs = rowset_new();
	char		 line[512], tuple[256];
	uint64_t	 h[200];
	size_t		 i, j;
	int		 n;

	for (i = 0; i < nitems(h); i++) {
		n = snprintf(tuple, sizeof(tuple), "192.0.2.7|h%zu|<a%zu@b>|<c@d>",
		    i, i * 7);
		snprintf(line, sizeof(line), "GREY|%s|1|2|3|4|5", tuple);
		ck_assert_int_eq(spamdb_parse_line(rs, NULL, NULL, line,
		    strlen(line)), 0);
		h[i] = grey_key_hash(rs->rows[i]->key);
		ck_assert_uint_eq(h[i], hash_mem(tuple, (size_t)n));
	}
	for (i = 0; i < nitems(h); i++)
		for (j = 0; j < nitems(h); j++)
			ck_assert_int_eq(strcmp(rs->rows[i]->key,
			    rs->rows[j]->key) < 0, h[i] < h[j]);
	rowset_free(rs);
}
END_TEST

START_TEST(test_keys_stable)
{
	static const char *const lines[] = {
		"GREY|192.0.2.7|mx.example|<a@D1.Example>|<u@example.org>|"
		    "1700000000|1700001500|1700014400|1|0",
		"GREY|192.0.2.7|mx.example|<a@d1.example>|<u@example.org>|"
		    "1700000000|1700001500|1700014400|1|0",
		"GREY|192.0.2.7|mx.example|<a@d1.example>|<v@example.org>|"
		    "1700000000|1700001500|1700014400|1|0",
		"GREY|192.0.2.7|mx.example|<a@d1.example>|<u@example.org>|"
		    "1700000009|1700001509|1700014409|2|0",
	};
	struct rowset		*a = rowset_new(), *b = rowset_new();
	struct spamdb_counts	 sc;
	size_t			 i;

	memset(&sc, 0, sizeof(sc));
	for (i = 0; i < nitems(lines); i++) {
		ck_assert_int_eq(spamdb_parse_line(a, NULL, &sc, lines[i],
		    strlen(lines[i])), 0);
		ck_assert_int_eq(spamdb_parse_line(b, NULL, &sc, lines[i],
		    strlen(lines[i])), 0);
		ck_assert_str_eq(a->rows[i]->key, b->rows[i]->key);
		ck_assert(strncmp(a->rows[i]->key, "192.0.2.7\n", 10) == 0);
	}
	ck_assert_str_ne(a->rows[0]->key, a->rows[1]->key);
	ck_assert_str_ne(a->rows[1]->key, a->rows[2]->key);
	/* the numbers are not part of a tuple's identity */
	ck_assert_str_eq(a->rows[1]->key, a->rows[3]->key);
	ck_assert_str_eq(S(a->rows[0], G_FROM), "<a@D1.Example>");
	ck_assert_str_eq(DOM(a->rows[0]), "d1.example");
	ck_assert_str_eq(DOM(a->rows[0]), DOM(a->rows[2]));
	/* a helo that repeats is kept once */
	ck_assert_ptr_eq(S(a->rows[1], G_HELO), S(a->rows[3], G_HELO));
	rowset_free(a);
	rowset_free(b);
}
END_TEST

/* A NULL rowset: the line is still checked and counted. */
START_TEST(test_counts_only)
{
	struct parsed	 pp, all;
	size_t		 len;
	char		*buf = unit_slurp(SFIX("spamdb-small.txt"), &len);

	memset(&all, 0, sizeof(all));
	all.grey = rowset_new();
	all.white = rowset_new();
	parse_buf(&all, buf, len);

	memset(&pp, 0, sizeof(pp));
	parse_buf(&pp, buf, len);
	ck_assert_mem_eq(&pp.sc, &all.sc, sizeof(pp.sc));

	memset(&pp, 0, sizeof(pp));
	pp.grey = rowset_new();
	parse_buf(&pp, buf, len);
	ck_assert_mem_eq(&pp.sc, &all.sc, sizeof(pp.sc));
	ck_assert_uint_eq(pp.grey->nrows, 27);
	rowset_free(pp.grey);

	memset(&pp, 0, sizeof(pp));
	pp.white = rowset_new();
	parse_buf(&pp, buf, len);
	ck_assert_mem_eq(&pp.sc, &all.sc, sizeof(pp.sc));
	ck_assert_uint_eq(pp.white->nrows, 34);
	rowset_free(pp.white);

	/* a bad line is bad with or without somewhere to put it */
	memset(&pp.sc, 0, sizeof(pp.sc));
	ck_assert_int_eq(one_line(NULL, NULL, &pp.sc,
	    "WHITE|192.0.2.1||x|1|2|3|4|5"), -1);
	ck_assert_int_eq(one_line(NULL, NULL, &pp.sc,
	    "GREY|192.0.2.1|h|<a@b>|<c@d>|1|2|3|4|x"), -1);
	ck_assert_int_eq(one_line(NULL, NULL, &pp.sc, GOOD_GREY), 0);
	ck_assert_uint_eq(pp.sc.bad, 2);
	ck_assert_uint_eq(pp.sc.grey, 1);
	ck_assert_uint_eq(pp.sc.white, 0);

	/* no counts wanted at all */
	ck_assert_int_eq(spamdb_parse_line(all.grey, all.white, NULL,
	    GOOD_WHITE, strlen(GOOD_WHITE)), 0);
	ck_assert_int_eq(spamdb_parse_line(all.grey, all.white, NULL,
	    "junk", 4), -1);
	ck_assert_uint_eq(all.white->nrows, 35);
	free(buf);
	parsed_free(&all);
}
END_TEST

/* The ambiguous helo|from|to splits, and the rule that picks one. */
static const struct split {
	const char	*mid;		/* between the ip and the numbers */
	const char	*helo, *from, *to, *domain;
	int		 guessed;
} splits[] = {
	/* exactly three parts: as they are, whatever they look like */
	{ "h|<a@b.example>|<c@d>", "h", "<a@b.example>", "<c@d>",
	  "b.example", 0 },
	{ "||", "", "", "", "", 0 },
	{ "h|<a@B.Example>|<c@d>", "h", "<a@B.Example>", "<c@d>",
	  "b.example", 0 },
	{ "h|<a@b@C.EX>|<c@d>", "h", "<a@b@C.EX>", "<c@d>", "c.ex", 0 },
	{ "h|<postmaster>|<c@d>", "h", "<postmaster>", "<c@d>", "", 0 },
	{ "h|<a@>|<c@d>", "h", "<a@>", "<c@d>", "", 0 },
	{ "h|a@b.example|c@d", "h", "a@b.example", "c@d", "b.example", 0 },
	/* both bracketed: '|' in helo, from, to, or all of them */
	{ "a|b|<c@d>|<e@f>", "a|b", "<c@d>", "<e@f>", "d", 1 },
	{ "h|<a|b@c>|<d@e>", "h", "<a|b@c>", "<d@e>", "c", 1 },
	{ "h|<a@b>|<c|d@e>", "h", "<a@b>", "<c|d@e>", "b", 1 },
	{ "x|y|<a|b@c>|<d|e@f>", "x|y", "<a|b@c>", "<d|e@f>", "c", 1 },
	{ "|<a|b@c>|<d@e>", "", "<a|b@c>", "<d@e>", "c", 1 },
	{ "h|x|<>|<a@b>", "h|x", "<>", "<a@b>", "", 1 },
	{ "a|<b|<c@d>|<e@f>", "a|<b", "<c@d>", "<e@f>", "d", 1 },
	{ "<h>|<i>|<a@b>|<c@d>", "<h>|<i>", "<a@b>", "<c@d>", "b", 1 },
	{ "h|||<a@b>|<c@d>", "h||", "<a@b>", "<c@d>", "b", 1 },
	/* only to bracketed */
	{ "h|a|b@x|<y|z@w>", "h", "a|b@x", "<y|z@w>", "x", 1 },
	/* only from bracketed */
	{ "h|x|<a|b@c>|d@e", "h|x", "<a|b@c>", "d@e", "c", 1 },
	/* neither: helo the first part, to the last, from in between */
	{ "h|a|b@c|d@e", "h", "a|b@c", "d@e", "c", 1 },
	{ "h|a|b|c|d@e", "h", "a|b|c", "d@e", "", 1 },
	{ "|||", "", "|", "", "", 1 },
	{ "<|>|<|>", "<", ">", "<|>", "", 1 },
};

START_TEST(test_split)
{
	const struct split	*sp = &splits[_i];
	struct rowset		*grey = rowset_new();
	struct spamdb_counts	 sc;
	const struct row	*r;
	char			 line[512];

	memset(&sc, 0, sizeof(sc));
	snprintf(line, sizeof(line), "GREY|192.0.2.9|%s|1|2|3|4|5", sp->mid);
	ck_assert_msg(one_line(grey, NULL, &sc, line) == 0, "bad: %s", line);
	ck_assert_uint_eq(sc.grey, 1);
	r = grey->rows[0];
	ck_assert_str_eq(S(r, G_IP), "192.0.2.9");
	ck_assert_str_eq(S(r, G_HELO), sp->helo);
	ck_assert_str_eq(S(r, G_FROM), sp->from);
	ck_assert_str_eq(S(r, G_TO), sp->to);
	ck_assert_str_eq(DOM(r), sp->domain);
	ck_assert_int_eq(grey_guessed(r), sp->guessed);
	ck_assert_int_eq(I(r, G_FIRST), 1);
	ck_assert_int_eq(I(r, G_PCOUNT), 5);
	rowset_free(grey);
}
END_TEST

START_TEST(test_numbers)
{
	struct rowset		*grey = rowset_new(), *white = rowset_new();
	struct spamdb_counts	 sc;
	const struct row	*r;

	memset(&sc, 0, sizeof(sc));
	/* counts are %d and may be negative; times are not */
	ck_assert_int_eq(one_line(grey, white, &sc,
	    "GREY|192.0.2.1|h|<a@b>|<c@d>|0|0|0|-1|-2147483648"), 0);
	r = grey->rows[0];
	ck_assert_int_eq(I(r, G_FIRST), 0);
	ck_assert_int_eq(I(r, G_BCOUNT), -1);
	ck_assert_int_eq(I(r, G_PCOUNT), -2147483648LL);
	ck_assert_int_eq(one_line(grey, white, &sc,
	    "GREY|192.0.2.2|h|<a@b>|<c@d>|9223372036854775807|"
	    "0009223372036854775807|1|2147483647|0"), 0);
	r = grey->rows[1];
	ck_assert_int_eq(I(r, G_FIRST), INT64_MAX);
	ck_assert_int_eq(I(r, G_PASS), INT64_MAX);
	/* 18 digits, the most read in one pass from the right */
	ck_assert_int_eq(one_line(grey, white, &sc,
	    "GREY|192.0.2.3|h|<a@b>|<c@d>|999999999999999999|"
	    "0000000000000000001|1|-999999999999999999|007"), 0);
	r = grey->rows[2];
	ck_assert_int_eq(I(r, G_FIRST), 999999999999999999LL);
	ck_assert_int_eq(I(r, G_PASS), 1);
	ck_assert_int_eq(I(r, G_BCOUNT), -999999999999999999LL);
	ck_assert_int_eq(I(r, G_PCOUNT), 7);
	ck_assert_int_eq(one_line(grey, white, &sc,
	    "WHITE|192.0.2.1|||1|2|3|-4|-5"), 0);
	r = white->rows[0];
	ck_assert_int_eq(I(r, W_BCOUNT), -4);
	ck_assert_int_eq(I(r, W_PCOUNT), -5);
	/* the smallest count is never mistaken for "no value" */
	ck_assert_int_eq(one_line(grey, white, &sc,
	    "WHITE|192.0.2.2|||1|2|3|0|-9223372036854775807"), 0);
	ck_assert_int_eq(I(white->rows[1], W_PCOUNT), -INT64_MAX);
	ck_assert_int_eq(one_line(grey, white, &sc,
	    "WHITE|192.0.2.3|||1|2|3|0|-9223372036854775808"), -1);
	ck_assert_int_eq(one_line(grey, white, &sc,
	    "WHITE|192.0.2.3|||1|2|9223372036854775808|0|0"), -1);
	ck_assert_int_eq(one_line(grey, white, &sc,
	    "TRAPPED|192.0.2.3|0"), 0);
	ck_assert_int_eq(I(white->rows[2], W_EXPIRE), 0);
	ck_assert_uint_eq(sc.grey, 3);
	ck_assert_uint_eq(sc.white, 2);
	ck_assert_uint_eq(sc.trapped, 1);
	ck_assert_uint_eq(sc.bad, 2);
	rowset_free(grey);
	rowset_free(white);
}
END_TEST

START_TEST(test_spamtrap_rest)
{
	struct rowset		*white = rowset_new();
	struct spamdb_counts	 sc;

	memset(&sc, 0, sizeof(sc));
	/* everything after the first '|', '|' and all */
	ck_assert_int_eq(one_line(NULL, white, &sc, "SPAMTRAP|a|b@c|d"), 0);
	ck_assert_int_eq(one_line(NULL, white, &sc, "SPAMTRAP||"), 0);
	ck_assert_int_eq(one_line(NULL, white, &sc,
	    "SPAMTRAP|TRAP@Example.ORG"), 0);
	ck_assert_str_eq(S(white->rows[0], W_KEY), "a|b@c|d");
	ck_assert_str_eq(white->rows[0]->key, "SPAMTRAP\na|b@c|d");
	ck_assert_str_eq(S(white->rows[1], W_KEY), "|");
	ck_assert_str_eq(S(white->rows[2], W_KEY), "TRAP@Example.ORG");
	ck_assert_uint_eq(sc.spamtrap, 3);
	rowset_free(white);
}
END_TEST

/* Not a line of spamdb's: counted as bad, no row, nothing else counted.
 * Lengths from sizeof: some hold a NUL. */
#define B(s)	{ s, sizeof(s) - 1 }
static const struct bad {
	const char	*s;
	size_t		 len;
} bad[] = {
	B("GREY"),
	B("GREY|"),
	B("GREY|||||||||"),
	B("GREY||h|<a@b>|<c@d>|1|2|3|4|0"),			/* no ip */
	B("GREY|192.0.2.1|h|<a@b>|<c@d>|1|2|3|4"),		/* 4 numbers */
	B("GREY|192.0.2.1|<a@b>|<c@d>|1|2|3|4|0"),		/* no helo */
	B("GREY|192.0.2.1|||1|2|3|4|0"),			/* 2005 format */
	B("GREY|192.0.2.1|1|2|3|4|0"),
	B("GREY|192.0.2.1|h|<a@b>|<c@d>|1|2|x3|4|0"),
	B("GREY|192.0.2.1|h|<a@b>|<c@d>|1|2|3|4|"),
	B("GREY|192.0.2.1|h|<a@b>|<c@d>|1|2|3|4|-"),
	B("GREY|192.0.2.1|h|<a@b>|<c@d>|1|2|3|4|--1"),
	B("GREY|192.0.2.1|h|<a@b>|<c@d>|1|2|3|4|+1"),
	B("GREY|192.0.2.1|h|<a@b>|<c@d>|1|2|3|4|1-1"),
	B("GREY|192.0.2.1|h|<a@b>|<c@d>|1|2|3|4-|0"),
	B("GREY|192.0.2.1|h|<a@b>|<c@d>|1|2|3-3|4|0"),
	B("GREY|192.0.2.1|h|<a@b>|<c@d>|1|2|3|4|x1234567890123456789"),
	B("GREY|192.0.2.1|h|<a@b>|<c@d>|-1|2|3|4|0"),	/* time < 0 */
	B("GREY|192.0.2.1|h|<a@b>|<c@d>|1| 2|3|4|0"),
	B("GREY|192.0.2.1|h|<a@b>|<c@d>|1|2|3|4|0\r"),
	B("GREY|192.0.2.1|h|<a@b>|<c@d>|1|2|3|4|0 "),
	B("GREY|192.0.2.1|h|<a@b>|<c@d>|99999999999999999999|2|3|4|0"),
	B("GREY|192.0.2.1|h|<a\0b@c>|<c@d>|1|2|3|4|0"),	/* NUL */
	B("GREY|192.0.2.1|h|<a@b>|<c@d>|1|2|3|4|0\n" GOOD_GREY),
	B("GREY|192.0.2.1|h|<a@b>|<c@d>|1|2|3|4|0\0"),
	B("WHITE"),
	B("WHITE|"),
	B("WHITE|192.0.2.1"),
	B("WHITE|192.0.2.1||1|2|3|4|5"),			/* 8 fields */
	B("WHITE|192.0.2.1|||1|2|3|4"),
	B("WHITE|192.0.2.1|||1|2|3|4|5|6"),
	B("WHITE|192.0.2.1|||1|2|3|4|5|"),
	B("WHITE|192.0.2.1|x||1|2|3|4|5"),			/* field 3 */
	B("WHITE|192.0.2.1||x|1|2|3|4|5"),			/* field 4 */
	B("WHITE||||1|2|3|4|5"),				/* no ip */
	B("WHITE|192.0.2.1|||1|2|3|4|5x"),
	B("WHITE|192.0.2.1|||-1|2|3|4|5"),
	B("WHITE|192.0.2.1|h|<a@b>|<c@d>|1|2|3|4|0"),	/* GREY layout */
	B("TRAPPED|192.0.2.1"),
	B("TRAPPED|192.0.2.1|"),
	B("TRAPPED|192.0.2.1|1|2"),
	B("TRAPPED|192.0.2.1|-1"),
	B("TRAPPED||1795000000"),
	B("TRAPPED|192.0.2.1|1795000000x"),
	B("SPAMTRAP"),
	B("SPAMTRAP|"),
	B("SPAMTRAP|a@b\0c"),
	B("grey|192.0.2.1|h|<a@b>|<c@d>|1|2|3|4|0"),
	B("White|192.0.2.1|||1|2|3|4|5"),
	B("BLACK|192.0.2.1|1795000000"),
	B(" GREY|192.0.2.1|h|<a@b>|<c@d>|1|2|3|4|0"),
	B("GREYLIST|192.0.2.1|h|<a@b>|<c@d>|1|2|3|4|0"),
	B("|GREY|192.0.2.1|h|<a@b>|<c@d>|1|2|3|4|0"),
	B("|"),
	B("||||||||||"),
	B(" "),
	B("\r"),
	B("spamdb: cannot open /var/db/spamd for reading: No such file or "
	  "directory"),
	B("usage: spamdb [-adGTt] [keys ...]"),
	B("\377\376G\0R\0E\0Y\0|\0"),
};

START_TEST(test_bad_lines)
{
	struct rowset		*grey = rowset_new(), *white = rowset_new();
	struct spamdb_counts	 sc, zero;
	const char		*s = bad[_i].s;
	size_t			 len = bad[_i].len;
	char			*copy;

	/* in a buffer of exactly its size: ASan sees a read past the end */
	copy = malloc(len);
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, s, len);
	memset(&sc, 0, sizeof(sc));
	ck_assert_msg(spamdb_parse_line(grey, white, &sc, copy, len) == -1,
	    "accepted bad[%d]", _i);
	ck_assert_uint_eq(sc.bad, 1);
	sc.bad = 0;
	memset(&zero, 0, sizeof(zero));
	ck_assert_mem_eq(&sc, &zero, sizeof(sc));
	ck_assert_uint_eq(grey->nrows + white->nrows, 0);
	ck_assert_uint_eq(grey->arena.total + white->arena.total, 0);
	free(copy);
	rowset_free(grey);
	rowset_free(white);
}
END_TEST

START_TEST(test_empty_and_len)
{
	struct rowset		*grey = rowset_new(), *white = rowset_new();
	struct spamdb_counts	 sc, zero;

	memset(&sc, 0, sizeof(sc));
	memset(&zero, 0, sizeof(zero));
	ck_assert_int_eq(spamdb_parse_line(grey, white, &sc, "", 0), 0);
	ck_assert_int_eq(spamdb_parse_line(grey, white, &sc, GOOD_GREY, 0), 0);
	ck_assert_int_eq(spamdb_parse_line(NULL, NULL, NULL, "", 0), 0);
	ck_assert_mem_eq(&sc, &zero, sizeof(sc));
	ck_assert_uint_eq(grey->nrows + white->nrows, 0);

	/* only len bytes count: no NUL needed, none looked for */
	ck_assert_int_eq(spamdb_parse_line(grey, white, &sc,
	    GOOD_WHITE "99|junk", strlen(GOOD_WHITE)), 0);
	ck_assert_int_eq(I(white->rows[0], W_PCOUNT), 41);
	ck_assert_int_eq(spamdb_parse_line(grey, white, &sc,
	    "TRAPPED|192.0.2.1|17950000001", strlen("TRAPPED|192.0.2.1|1795")),
	    0);
	ck_assert_int_eq(I(white->rows[1], W_EXPIRE), 1795);
	ck_assert_int_eq(spamdb_parse_line(grey, white, &sc, GOOD_GREY,
	    strlen(GOOD_GREY) - 2), -1);		/* "...|1|" */
	ck_assert_uint_eq(sc.white, 1);
	ck_assert_uint_eq(sc.trapped, 1);
	ck_assert_uint_eq(sc.bad, 1);
	rowset_free(grey);
	rowset_free(white);
}
END_TEST

/* Junk among good lines: each is counted where it belongs. */
START_TEST(test_mixed_garbage)
{
	struct parsed	 pp;
	size_t		 i, nbad = 0, ngood = 0;
	char		*text;

	memset(&pp, 0, sizeof(pp));
	pp.grey = rowset_new();
	pp.white = rowset_new();
	for (i = 0; i < nitems(bad); i++) {
		spamdb_parse_line(pp.grey, pp.white, &pp.sc, GOOD_GREY,
		    strlen(GOOD_GREY));
		ck_assert_int_eq(spamdb_parse_line(pp.grey, pp.white, &pp.sc,
		    bad[i].s, bad[i].len), -1);
		nbad++;
		xasprintf(&text, "WHITE|192.0.2.%zu|||1|2|3|4|5", i);
		spamdb_parse_line(pp.grey, pp.white, &pp.sc, text,
		    strlen(text));
		free(text);
		ngood++;
	}
	ck_assert_uint_eq(pp.sc.bad, nbad);
	ck_assert_uint_eq(pp.sc.grey, ngood);
	ck_assert_uint_eq(pp.sc.white, ngood);
	ck_assert_uint_eq(pp.sc.trapped + pp.sc.spamtrap, 0);
	ck_assert_uint_eq(pp.grey->nrows, ngood);
	ck_assert_uint_eq(pp.white->nrows, ngood);
	parsed_free(&pp);
}
END_TEST

/* Long lines: a huge helo full of '|', and nothing but '|'. */
START_TEST(test_long_lines)
{
	struct rowset		*grey = rowset_new();
	struct spamdb_counts	 sc;
	size_t			 n = 200000, i, len;
	char			*line = malloc(n + 200);

	ck_assert_ptr_nonnull(line);
	memset(&sc, 0, sizeof(sc));
	len = (size_t)snprintf(line, 200, "GREY|192.0.2.1|");
	for (i = 0; i < n; i++)
		line[len++] = i % 3 ? 'x' : '|';
	len += (size_t)snprintf(line + len, 200, "|<a@b>|<c@d>|1|2|3|4|0");
	ck_assert_int_eq(spamdb_parse_line(grey, NULL, &sc, line, len), 0);
	ck_assert_int_eq(grey_guessed(grey->rows[0]), 1);
	ck_assert_str_eq(S(grey->rows[0], G_FROM), "<a@b>");
	ck_assert_str_eq(S(grey->rows[0], G_TO), "<c@d>");
	ck_assert_uint_eq(strlen(S(grey->rows[0], G_HELO)), n);

	memset(line, '|', n);
	ck_assert_int_eq(spamdb_parse_line(grey, NULL, &sc, line, n), -1);
	memcpy(line, "GREY", 4);
	ck_assert_int_eq(spamdb_parse_line(grey, NULL, &sc, line, n), -1);
	memcpy(line, "SPAMTRAP", 8);
	ck_assert_int_eq(spamdb_parse_line(NULL, NULL, &sc, line, n), 0);
	ck_assert_uint_eq(sc.grey, 1);
	ck_assert_uint_eq(sc.spamtrap, 1);
	ck_assert_uint_eq(sc.bad, 2);
	free(line);
	rowset_free(grey);
}
END_TEST

/* pfctl -t spamd-white -T show: "   addr", "  !addr", "   net/len". */
START_TEST(test_pftable_fixture)
{
	static const char *const first[] = { "52.101.68.12", "52.101.73.19",
	    "64.233.184.26" };
	char		*buf, *p, *nl, addr[64];
	size_t		 len, n = 0;
	struct parsed	 pp;
	char		 key[80];

	buf = unit_slurp(SFIX("pfctl-show.txt"), &len);
	parse_file(&pp, SFIX("spamdb-small.txt"));
	for (p = buf; p < buf + len; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(buf + len - p))) == NULL)
			nl = buf + len;
		ck_assert_int_eq(pftable_parse_line(p, (size_t)(nl - p), addr,
		    sizeof(addr)), 0);
		ck_assert_int_ne(addr[0], ' ');
		ck_assert_uint_eq(strlen(addr), (size_t)(nl - p) - 3);
		if (n < nitems(first))
			ck_assert_str_eq(addr, first[n]);
		/* every address is a WHITE entry of the same snapshot */
		snprintf(key, sizeof(key), "WHITE\n%s", addr);
		find(pp.white, key);
		n++;
	}
	ck_assert_uint_eq(n, 22);
	ck_assert_str_eq(addr, "213.165.67.98");
	free(buf);
	parsed_free(&pp);
}
END_TEST

static const struct pfline {
	const char	*s;
	int		 ret;
	const char	*addr;
} pflines[] = {
	{ "   192.0.2.1", 0, "192.0.2.1" },
	{ "  !192.0.2.1", 1, "192.0.2.1" },
	{ "   10.0.0.0/8", 0, "10.0.0.0/8" },
	{ "  !10.0.0.0/8", 1, "10.0.0.0/8" },
	{ "   2001:db8::1", 0, "2001:db8::1" },
	{ "   2001:db8::/32", 0, "2001:db8::/32" },
	{ "   x", 0, "x" },
	{ "", -1, NULL },
	{ "   ", -1, NULL },
	{ "  !", -1, NULL },
	{ "192.0.2.1", -1, NULL },
	{ " 192.0.2.1", -1, NULL },
	{ "  192.0.2.1", -1, NULL },
	{ "    192.0.2.1", -1, NULL },
	{ "   192.0.2.1 ", -1, NULL },
	{ "   192.0.2.1\r", -1, NULL },
	{ "   192.0.2 .1", -1, NULL },
	{ "   192.0.2.1\t", -1, NULL },
	{ "  ?192.0.2.1", -1, NULL },
	{ "A  192.0.2.1", -1, NULL },		/* -v feedback: not show's */
	{ " !!192.0.2.1", -1, NULL },
	{ "\t192.0.2.1", -1, NULL },
	{ "\tCleared:     Tue Nov 18 11:06:30 2026", -1, NULL },
	{ "pfctl: Table does not exist", -1, NULL },
	{ "   \033[2J", -1, NULL },
	{ "   caf\303\251", -1, NULL },
};

START_TEST(test_pftable_lines)
{
	const struct pfline	*pl = &pflines[_i];
	size_t			 len = strlen(pl->s);
	char			 addr[64], *copy = malloc(len + 1);

	/* exactly len bytes, no NUL: ASan catches a read past them */
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, pl->s, len);
	memset(addr, 'Z', sizeof(addr));
	ck_assert_msg(pftable_parse_line(copy, len, addr, sizeof(addr)) ==
	    pl->ret, "\"%s\": not %d", pl->s, pl->ret);
	if (pl->addr != NULL)
		ck_assert_str_eq(addr, pl->addr);
	free(copy);
}
END_TEST

START_TEST(test_pftable_limits)
{
	char	 addr[10];

	/* a NUL, a buffer too small for the address and its NUL */
	ck_assert_int_eq(pftable_parse_line("   192.0\0.2.1", 13, addr,
	    sizeof(addr)), -1);
	ck_assert_int_eq(pftable_parse_line("   192.0.2.10", 13, addr,
	    sizeof(addr)), -1);
	ck_assert_int_eq(pftable_parse_line("   192.0.2.1", 12, addr,
	    sizeof(addr)), 0);
	ck_assert_str_eq(addr, "192.0.2.1");
	ck_assert_int_eq(pftable_parse_line("   192.0.2.1", 12, addr, 0), -1);
	/* only len bytes */
	ck_assert_int_eq(pftable_parse_line("  !192.0.2.1 junk", 12, addr,
	    sizeof(addr)), 1);
	ck_assert_str_eq(addr, "192.0.2.1");
	ck_assert_int_eq(pftable_parse_line("   1", 3, addr, sizeof(addr)), -1);
}
END_TEST

static Suite *
spamdb_suite(void)
{
	Suite	*s = suite_create("spamdb");
	TCase	*tc;

	tc = tcase_create("fixtures");
	tcase_add_test(tc, test_small_counts);
	tcase_add_test(tc, test_small_fields);
	tcase_add_test(tc, test_edge);
	tcase_add_test(tc, test_keys_unique);
	tcase_add_test(tc, test_keys_stable);
	tcase_add_test(tc, test_key_hash);
	tcase_add_test(tc, test_counts_only);
	suite_add_tcase(s, tc);

	tc = tcase_create("fields");
	tcase_add_loop_test(tc, test_split, 0, (int)nitems(splits));
	tcase_add_test(tc, test_numbers);
	tcase_add_test(tc, test_spamtrap_rest);
	suite_add_tcase(s, tc);

	tc = tcase_create("hostile");
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_bad_lines, 0, (int)nitems(bad));
	tcase_add_test(tc, test_empty_and_len);
	tcase_add_test(tc, test_mixed_garbage);
	tcase_add_test(tc, test_long_lines);
	suite_add_tcase(s, tc);

	tc = tcase_create("pftable");
	tcase_add_test(tc, test_pftable_fixture);
	tcase_add_loop_test(tc, test_pftable_lines, 0, (int)nitems(pflines));
	tcase_add_test(tc, test_pftable_limits);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(spamdb_suite());
}
