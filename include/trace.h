/*
 * What the trace follows: an email address, a domain (and its subdomains)
 * or an IPv4/IPv6 address, as the operator typed it, and the tests of the
 * texts the panes and logs hold against it.  Everything tested is taken
 * as hostile: a test only ever answers yes or no.
 */
#ifndef MHTOP_TRACE_H
#define MHTOP_TRACE_H

#include <stddef.h>
#include <time.h>

#include "provider.h"

#define TRACE_LOCAL_MAX		64	/* RFC 5321 4.5.3.1.1 */
#define TRACE_DOMAIN_MAX	255
#define TRACE_TEXT_MAX		(TRACE_LOCAL_MAX + 1 + TRACE_DOMAIN_MAX + 1)

enum trace_kind {
	TRACE_ADDRESS,			/* local@domain */
	TRACE_DOMAIN,			/* example.org: and mail.example.org */
	TRACE_IP,
};

struct trace_target {
	enum trace_kind	 kind;
	/* what the trace says it follows: the address with its domain in
	 * lower case, the domain, the IP in its canonical form */
	char		 text[TRACE_TEXT_MAX];
	char		 local[TRACE_LOCAL_MAX + 1];	/* as written */
	size_t		 local_len;
	char		 domain[TRACE_DOMAIN_MAX + 1];	/* lower case, no final dot */
	size_t		 domain_len;
	unsigned char	 ip[16];	/* IPv6; an IPv4 address as ::ffff:a.b.c.d */
};

/*
 * Read what the operator typed: blanks around it, <> around an address,
 * [] around an IP, "IPv6:" before one are allowed.  0, or -1 with why not
 * in err (a sentence, safe to show).
 */
int	trace_target_parse(struct trace_target *, const char *, char *,
	    size_t);

/* An IP address as a log or pane writes it: bare, [bracketed], "IPv6:". */
int	trace_match_ip(const struct trace_target *, const char *, size_t);
/* The same text as 16 bytes (IPv4 as ::ffff:a.b.c.d); -1 if it is none. */
int	trace_ip_read(const char *, size_t, unsigned char [16]);
/*
 * A mail address, bare or in <>: the same address (local part as written,
 * domain in any case), or one in the domain or a subdomain of it.  The
 * null sender never matches.
 */
int	trace_match_address(const struct trace_target *, const char *, size_t);
/* A host name (a HELO, a relay): the domain or a subdomain of it. */
int	trace_match_host(const struct trace_target *, const char *, size_t);
/*
 * A list of addresses as logs write them: "<a@b>,<c@d>" or "a@b, c@d":
 * whether any is one trace_match_address takes.
 */
int	trace_match_addresses(const struct trace_target *, const char *,
	    size_t);

/* The trace's rows: one event each. */
enum trace_cell {
	T_TIME,			/* epoch s, CELL_NONE: a state, not an event */
	T_SOURCE,		/* the pane: "grey", "queue"... */
	T_KIND,			/* "greylisted", "WHITE", "queued"... */
	T_IP,
	T_SENDER,
	T_RCPT,
	T_DETAIL,
	T_NCELLS
};

/* A pane's rows, for the trace to look through. */
struct trace_from {
	const char		*name;		/* the provider's */
	const struct trace_desc	*desc;
	void			*st;		/* for desc->detail */
	const struct rowset	*rs;
};

/*
 * The rows about t, as events, oldest first; states with no time (a
 * spamtrap address, a pf table entry) come last.  Each row's key is its
 * pane's name, '\n' and the pane row's key.  Rows of a follow_ip pane
 * count too when their IP is one of the other events' (an address's
 * tuples' clients, and their whitelist records).
 */
struct rowset	*trace_build(const struct trace_target *,
		    const struct trace_from *, size_t, time_t);
/*
 * The same, but only the newest max events are made (the rows found are
 * counted in *nall, when not NULL), and in sum (when not NULL) the answer
 * in words, from all of them: the target, then what each pane's rows add
 * up to ("bob@example.org: 2 tuples greylisted from 203.0.113.9, ...;
 * nothing queued; ...").
 */
struct rowset	*trace_build_sum(const struct trace_target *,
		    const struct trace_from *, size_t, time_t, size_t max,
		    size_t *nall, char *, size_t);
/* Bytes written by snprintf, clipped to what fit: for the hooks. */
size_t		 trace_clip(int, size_t);

/* The trace's columns, for -b; its pane description, for the screen. */
extern const struct column	trace_columns[];
extern const size_t		trace_ncolumns;
extern const struct pane_desc	trace_pane;

#endif
