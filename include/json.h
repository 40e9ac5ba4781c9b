/*
 * JSON text (RFC 8259) into a growable buffer, for -J.  The writer puts
 * the commas in; the caller opens and closes what it opens.
 *
 * A string comes out as valid UTF-8 that a terminal shows as it is: '"'
 * and '\' escaped, C0 controls as \b \t \n \f \r or \u00XX, and DEL, the
 * C1 controls, U+2028, U+2029 and the bidirectional controls the TSV
 * output escapes too (U+202A-U+202E, U+2066-U+2069) as \uXXXX.  Each byte
 * that is not part of valid UTF-8 (a stray continuation byte, an overlong
 * form, a surrogate, a code point above U+10FFFF, a sequence cut short)
 * becomes one U+FFFD, written \ufffd: JSON has no way to say "this byte",
 * and \u00XX would say a Latin-1 character that was not there.
 */
#ifndef MHTOP_JSON_H
#define MHTOP_JSON_H

#include <stddef.h>
#include <stdint.h>

struct json {
	char	*buf;
	size_t	 len;
	size_t	 cap;
	int	 comma;		/* a value ended: the next one needs a ',' */
};

/* Bytes json_escape may write for each byte of its input. */
#define JSON_ESCAPE_MAX	6

void	 json_init(struct json *, size_t);
void	 json_free(struct json *);
/* Empty the buffer, to fill it again (after writing it out). */
void	 json_clear(struct json *);

void	 json_object(struct json *);
void	 json_object_end(struct json *);
void	 json_array(struct json *);
void	 json_array_end(struct json *);
void	 json_key(struct json *, const char *);
void	 json_string(struct json *, const char *, size_t);
void	 json_int(struct json *, int64_t);
void	 json_null(struct json *);
/* A number written as text ("5.2", "-1"), if it is one in JSON's
 * grammar; else null.  Returns 0, or -1 for the null. */
int	 json_number(struct json *, const char *, size_t);
/*
 * A comma-separated list as an array of strings: a comma between double
 * quotes ("a,b"@example.org, a backslash escaping the next byte there)
 * separates nothing, blanks around an item go, empty items are left out.
 */
void	 json_list(struct json *, const char *, size_t);
/* The end of a line of JSON lines: '\n', and no comma before the next. */
void	 json_newline(struct json *);

/* The inside of a JSON string for len bytes at s, at out, which has room
 * for JSON_ESCAPE_MAX times as many; returns the end (no NUL). */
char	*json_escape(char *, const char *, size_t);

#endif
