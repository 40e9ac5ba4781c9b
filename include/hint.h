#ifndef MHTOP_HINT_H
#define MHTOP_HINT_H

#include <stddef.h>

/*
 * First line of a command's stderr, and when it says privileges are missing
 * (doas "Authentication required", "Operation not permitted", smtpctl "need
 * root privileges"), a hint naming the doas.conf rule for prog.
 */
void	explain_failure(const char *, const char *, char *, size_t);

/*
 * How a command of prog ended, from its status and stderr: "exit 1: the
 * first line [hint]", or "no answer for 30 s, killed" (PROC_KILLED).
 */
void	explain_exit(int, const char *, const char *, char *, size_t);

#endif
