/* What the mime_*.c files share; the API is mime.h. */
#ifndef MHTOP_MIME_INT_H
#define MHTOP_MIME_INT_H

#include <stddef.h>

#include "mime.h"

/*
 * A body's transfer encoding undone into out, which holds len bytes (no
 * encoding makes text shorter); out NULL only counts.  Lenient, as mail
 * readers are: base64 skips what is not of its alphabet and needs no
 * padding, quoted-printable keeps an '=' that starts no escape.  The
 * decoded length.
 */
size_t		 mime_decode(enum mime_enc, const char *in, size_t len,
		    char *out);

/*
 * A parameter of a Content-Type or Content-Disposition value (unfolded,
 * after the type): its value unquoted, as written, or NULL.
 */
const char	*mime_param_raw(const char *val, size_t len, const char *name,
		    struct arena *);
/*
 * The same for a name meant for people (filename, name): RFC 2231's
 * name*=charset'lang'%XX and its name*0*= continuations, else the plain
 * value with its RFC 2047 encoded words decoded; UTF-8 where the charset
 * is known, NULs as U+FFFD.  NULL when absent.
 */
const char	*mime_param_text(const char *val, size_t len, const char *name,
		    struct arena *);

/*
 * HTML as text, at most about max bytes of it: tags out, block tags as
 * line ends, script and style dropped, entities decoded, white space
 * collapsed.  A new string of *outlen bytes.
 */
char		*mime_html_text(const char *in, size_t len, size_t max,
		    size_t *outlen);

/* s with each NUL as U+FFFD, into the arena. */
char		*mime_strdup(struct arena *, const char *s, size_t len);

#endif
