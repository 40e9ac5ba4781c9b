/* Checks on ids before they reach a command line. */
#ifndef MHTOP_VALIDATE_H
#define MHTOP_VALIDATE_H

/* An OpenSMTPD id: exactly 16 (envelope) or 8 (message) hex digits, not 0. */
int	valid_evpid(const char *);
int	valid_msgid(const char *);
/* An IPv4 or IPv6 address as inet_pton reads it: the only thing passed to
 * spamdb -a or pfctl -T add (pfctl would resolve a host name). */
int	valid_ip(const char *);

#endif
