/*
 * A part's text from the charset its sender named to UTF-8.  Unlike
 * rfc2047.c, which keeps an encoded word that does not convert as it was
 * written, a preview converts what it can: an invalid sequence becomes
 * U+FFFD and the rest still shows.
 */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "charset.h"
#include "util.h"

#define CHARSET_NAME_MAX	40
#define REPLACEMENT		"\357\277\275"	/* U+FFFD */

int
charset_name_ok(const char *cs)
{
	size_t	 i;
	char	 c;

	for (i = 0; (c = cs[i]) != '\0'; i++) {
		if (i == CHARSET_NAME_MAX)
			return 0;
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == ':' ||
		    c == '_' || c == '-'))
			return 0;
	}
	return i > 0;
}

struct obuf {
	char	*p;
	size_t	 len, size;
};

static void
obuf_room(struct obuf *o, size_t more)
{
	if (o->size - o->len > more)
		return;
	while (o->size - o->len <= more)
		o->size *= 2;
	o->p = xreallocarray(o->p, o->size, 1);
}

char *
charset_to_utf8(const char *cs, const char *in, size_t len, size_t max,
    size_t *outlen)
{
	struct obuf	 o;
	iconv_t		 cd;
	char		*ip = (char *)in, *op;
	size_t		 ileft = len, oleft, r;

	if (!charset_name_ok(cs))
		return NULL;
	if (strcasecmp(cs, "us-ascii") == 0 || strcasecmp(cs, "ascii") == 0)
		cs = "UTF-8";
	if ((cd = iconv_open("UTF-8", cs)) == (iconv_t)-1)
		return NULL;
	o.size = (len < max ? len : max) + 64;
	o.p = xmalloc(o.size);
	o.len = 0;
	while (ileft > 0 && o.len < max) {
		obuf_room(&o, 64);
		op = o.p + o.len;
		oleft = o.size - o.len - 1;
		r = iconv(cd, &ip, &ileft, &op, &oleft);
		o.len = (size_t)(op - o.p);
		if (r != (size_t)-1 || errno == E2BIG)
			continue;
		/* EILSEQ, or EINVAL: cut at the end; one byte, one U+FFFD */
		obuf_room(&o, sizeof(REPLACEMENT));
		memcpy(o.p + o.len, REPLACEMENT, sizeof(REPLACEMENT) - 1);
		o.len += sizeof(REPLACEMENT) - 1;
		ip++;
		ileft--;
		/* a stateful charset (ISO-2022-JP) starts over after it */
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	if (ileft == 0) {
		obuf_room(&o, 64);
		op = o.p + o.len;
		oleft = o.size - o.len - 1;
		iconv(cd, NULL, NULL, &op, &oleft);
		o.len = (size_t)(op - o.p);
	}
	iconv_close(cd);
	o.p[o.len] = '\0';
	*outlen = o.len;
	return o.p;
}
