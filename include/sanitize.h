/* Untrusted bytes to visible text: the only way outside data reaches a screen or a TSV line. */
#ifndef MHTOP_SANITIZE_H
#define MHTOP_SANITIZE_H

#include <stddef.h>
#include <stdio.h>

/*
 * Screen text of len bytes at in: C0 controls and DEL as ^X, bytes that are
 * not valid in the locale's encoding as \xHH, other unprintable characters as
 * \uXXXX.  Writes at most maxcols columns and outlen-1 bytes, NUL-terminated;
 * returns the columns written (measured with wcwidth).  *used, if not NULL,
 * gets the input bytes consumed.
 */
int	sanitize_screen(const char *, size_t, char *, size_t, int, size_t *);

/* Columns sanitize_screen would need for the whole input. */
int	sanitize_width(const char *, size_t);

/*
 * A TSV field: TAB, LF, CR, backslash as \t \n \r \\; other control
 * bytes, invalid UTF-8, C1 controls and bidi controls (U+202A-U+202E,
 * U+2066-U+2069) as \xHH, each byte.
 */
void	tsv_put_field(FILE *, const char *);
/* The same, len bytes of s into out, which has room for TSV_ESCAPE_MAX
 * times as many; returns the end of what it wrote (no NUL). */
#define TSV_ESCAPE_MAX	4
char	*tsv_escape(char *, const char *, size_t);

/*
 * A message (stderr, a pane's error): escaped as a TSV field, but a
 * backslash stays as it is: what sanitize_text escaped is not escaped again.
 */
void	sanitize_put(FILE *, const char *);

/*
 * len bytes at in, escaped as sanitize_put would, into out: outlen-1 bytes
 * at most, NUL-terminated, never a character or an escape cut in two.
 * Returns the input bytes consumed.
 */
size_t	sanitize_text(const char *, size_t, char *, size_t);

#endif
