/*
 * OpenBSD spamd's database as spamdb(8) lists it, and pf tables as
 * "pfctl -t TABLE -T show" lists them: parsers for the greylist and
 * whitelist panes (prov_grey.c, prov_white.c).
 */
#ifndef MHTOP_SPAMDB_H
#define MHTOP_SPAMDB_H

#include "provider.h"

/*
 * GREY|ip|helo|from|to|first|pass|expire|bcount|pcount.  A row's key is
 * the ip, '\n' and 16 hex digits of a hash of the tuple.  helo, from and
 * to are interned while they repeat (a provider's pool, a site's users).
 */
enum grey_cell {
	G_IP,
	G_HELO,
	G_FROM,
	G_TO,
	G_FIRST,
	G_PASS,
	G_EXPIRE,
	G_BCOUNT,
	G_PCOUNT,
	G_NCELLS
};

/* Whether '|' in the helo, from or to made their split a guess. */
int		 grey_guessed(const struct row *);
/* The sender's domain of a from cell, lowercased, "" for <>: in buf, or
 * in *heap when longer than len - 1 (to free; else NULL). */
const char	*grey_domain(const char *, char *, size_t, char **);
/* The hash of a GREY row's tuple, from its key: equal tuples, equal hashes. */
uint64_t	grey_key_hash(const char *);

/*
 * A read's GREY rows, for the next read of the same listing: that read
 * takes their rows for the tuples it finds unchanged, and their strings
 * for those seen again.  Once it has read all, grey_prev_finish gives it
 * its map to them (rowset prev) and tells the tuples of its rows they do
 * not hold (their hashes, handed over, to free): each old row vouches for
 * one new row of its tuple.  Before the
 * old set is freed, the new one must either adopt its arena (rowset_adopt)
 * or copy what it took (grey_prev_copy_out; nshared rows took something).
 */
struct grey_prev;
struct grey_prev *grey_prev_new(const struct rowset *);
void		 grey_prev_free(struct grey_prev *);
size_t		 grey_prev_nshared(const struct grey_prev *);
void		 grey_prev_copy_out(struct grey_prev *, struct rowset *);
uint64_t	*grey_prev_finish(struct grey_prev *, struct rowset *, size_t *);

/* WHITE|ip|||first|pass|expire|bcount|pcount, TRAPPED|ip|expire, SPAMTRAP|addr */
enum white_cell {
	W_TYPE,			/* "WHITE", "TRAPPED", "SPAMTRAP" */
	W_KEY,			/* the ip, or the spamtrap address */
	W_FIRST,		/* CELL_NONE where the line has no such field */
	W_PASS,
	W_EXPIRE,
	W_BCOUNT,
	W_PCOUNT,
	W_INPF,			/* "yes", "no", "-": filled in by the provider */
	W_NCELLS
};

struct spamdb_counts {
	size_t		 grey;
	size_t		 white;
	size_t		 trapped;
	size_t		 spamtrap;
	size_t		 bad;		/* lines that could not be parsed */
};

/*
 * Parse one line of spamdb's listing (without its newline).  GREY rows go
 * to grey, WHITE/TRAPPED/SPAMTRAP rows to white; either may be NULL to
 * only count.  Returns 0, or -1 for a line counted as bad.  An empty line
 * is ignored.
 */
int	spamdb_parse_line(struct rowset *grey, struct rowset *white,
	    struct spamdb_counts *, const char *, size_t);
/* The same, a GREY line looked up among a last read's (NULL: none). */
int	spamdb_parse_line_prev(struct rowset *grey, struct grey_prev *,
	    struct rowset *white, struct spamdb_counts *, const char *,
	    size_t);

/* One line of "pfctl -t T -T show": "   192.0.2.1" (or "  !..." negated,
 * "/len" networks).  The address, without blanks, in addr; -1 if none. */
int	pftable_parse_line(const char *, size_t, char *, size_t);

/* argv of step N of whitelisting ip (spamdb -a, pfctl -T add); 0: done. */
int	spamd_whitelist_argv(const char *, const char *, const char *,
	    const char *, int, const char **);
/* An action's warning for an IPv6 address: spamd drops it (spamd.md 3.6). */
const char *spamd_warn_white(void *, const char *);

#endif
