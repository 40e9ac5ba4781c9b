#ifndef MHTOP_CUT_H
#define MHTOP_CUT_H

#include <stddef.h>

/*
 * Cell text cut to a width where it hurts least.  The input is text made
 * safe for the screen (sanitize_screen); so is the output, with a mark
 * where text was left out.  Each returns the columns it used.
 */
enum cut_style {
	CUT_END,		/* the start is kept */
	CUT_MIDDLE,		/* both ends: an IPv6 address */
	CUT_ADDR,		/* the domain of an address */
	CUT_REPLY,		/* an SMTP reply's text, not its codes */
	CUT_VERDICT,		/* "Blocked INFECTED (name)": the name */
};

int	 cut_text(const char *, int, enum cut_style, char *, size_t);
/* "sender → recipient" from raw (unsafe) parts: the recipient is kept. */
int	 cut_route(const char *, const char *, int, char *, size_t);
/* The mark left where text was cut: one column. */
const char *cut_mark(void);

#endif
