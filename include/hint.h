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

/*
 * The lines of a command's output that could not be parsed: how many, and
 * the first, escaped (sanitize_text) and cut.
 */
struct badlines {
	size_t	 n;
	char	 first[160];
};

/* One more bad line; NULL: one too long to keep. */
void	badlines_add(struct badlines *, const char *, size_t);

/*
 * A read that parsed no line and could not parse some (a wrong program at
 * prog, random bytes) failed: its rows are not "none".  Then -1, and why in
 * buf: what ("smtpctl show queue"), how many bad lines, the first; else 0.
 */
int	explain_garbage(const struct badlines *, size_t, const char *,
	    const char *, char *, size_t);

/* doas is configured, mhtop is not root, and doas is not there. */
void	hint_doas_missing(const char *);

#endif
