/* Text in a charset named by a sender, to UTF-8 through iconv(3). */
#ifndef MHTOP_CHARSET_H
#define MHTOP_CHARSET_H

#include <stddef.h>

/*
 * Whether cs can be handed to iconv_open(): a plain name of letters,
 * digits and ".:_-" (no '/', so no "//TRANSLIT" nor a path), not too long.
 */
int		 charset_name_ok(const char *cs);
/*
 * len bytes of in, in charset cs, as UTF-8: a new NUL-terminated string
 * of *outlen bytes, or NULL when cs is no name iconv(3) knows.  A
 * sequence invalid in cs, or cut at the end, becomes U+FFFD and the
 * conversion goes on after its first byte.  Stops once max bytes are out.
 * "us-ascii" is read as UTF-8: 8-bit text that says it is ASCII
 * usually is UTF-8.
 */
char		*charset_to_utf8(const char *cs, const char *in, size_t len,
		    size_t max, size_t *outlen);

#endif
