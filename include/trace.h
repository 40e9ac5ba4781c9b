/*
 * What the trace follows: an email address, a domain (and its subdomains)
 * or an IPv4/IPv6 address, as the operator typed it, and the tests of the
 * texts the panes and logs hold against it.  Everything tested is taken
 * as hostile: a test only ever answers yes or no.
 */
#ifndef MHTOP_TRACE_H
#define MHTOP_TRACE_H

#include <stddef.h>

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

#endif
