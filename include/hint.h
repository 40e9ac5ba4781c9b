#ifndef MHTOP_HINT_H
#define MHTOP_HINT_H

#include <stddef.h>

/*
 * First line of a command's stderr, and when it says privileges are missing
 * (doas "Authentication required", "Operation not permitted", smtpctl "need
 * root privileges"), a hint naming the doas.conf rule for prog.
 */
void	explain_failure(const char *, const char *, char *, size_t);

#endif
