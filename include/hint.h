#ifndef MHTOP_HINT_H
#define MHTOP_HINT_H

#include <stddef.h>

/*
 * First line of a command's stderr, and when it says privileges are missing
 * (doas "Authentication required", "Operation not permitted", smtpctl "need
 * root privileges"), a hint: the doas.conf rule for prog with exactly args
 * ("show queue"; "" for none), or for a command that takes an id (args
 * NULL) the rule without args it needs; or that doas is not installed.
 */
void	explain_failure(const char *, const char *, const char *, char *,
	    size_t);

/*
 * How a command of prog ended, from its status and stderr: "exit 1: the
 * first line [hint]", "no answer for 30 s, killed" (PROC_KILLED), or that
 * prog is not there.
 */
void	explain_exit(int, const char *, const char *, const char *, char *,
	    size_t);

/* doas is configured, mhtop is not root, and doas is not there. */
void	hint_doas_missing(const char *);

#endif
