/* Checks on ids before they reach a command line. */
#ifndef MHTOP_VALIDATE_H
#define MHTOP_VALIDATE_H

/* An OpenSMTPD id: exactly 16 (envelope) or 8 (message) hex digits, not 0. */
int	valid_evpid(const char *);
int	valid_msgid(const char *);
/* An IPv4 or IPv6 address as inet_pton reads it: the only thing passed to
 * spamdb -a or pfctl -T add (pfctl would resolve a host name). */
int	valid_ip(const char *);

/*
 * Why this is not an address to give amavisd-release as a recipient, or
 * NULL: a dot-atom local part, "@", a host name or an address literal,
 * printable ASCII, no leading '-', at most ADDRESS_MAX characters.
 */
#define ADDRESS_MAX	254
const char *address_problem(const char *);

/* "::ffff:192.0.2.1" as the IPv4 address it is, in out; 0 if it was one. */
int	ip_unmap4(const char *, char *, size_t);
/*
 * What kind of address this is when whitelisting it makes no sense: "a
 * loopback address", "a private address", "an address of this relay"...;
 * NULL for an ordinary one.
 */
const char *ip_special(const char *);
/* This host's addresses, for ip_special: read once, before pledge(2). */
void	ip_local_init(void);

#endif
