/*
 * The text part a preview shows, made readable: transfer encoding undone,
 * charset converted, HTML made text, cut to MIME_PREVIEW_MAX.  Only
 * text/plain and text/html are ever decoded, and never an attachment.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "charset.h"
#include "mime_int.h"
#include "util.h"

static long
first_part(const struct mime_tree *t, const char *type)
{
	size_t	 i;

	for (i = 0; i < t->nparts; i++)
		if (strcmp(t->parts[i].type, type) == 0 &&
		    !(t->parts[i].flags & MP_ATTACHMENT))
			return (long)i;
	return -1;
}

/* s with every NUL as U+FFFD: a new string of *outlen bytes. */
static char *
without_nul(const char *s, size_t len, size_t *outlen)
{
	struct arena	 a;
	char		*r;

	memset(&a, 0, sizeof(a));
	r = mime_strdup(&a, s, len);
	*outlen = strlen(r);
	r = xstrdup(r);
	arena_free(&a);
	return r;
}

/* At most max bytes of s, not ending inside a UTF-8 sequence. */
static size_t
cut_at_char(const char *s, size_t len, size_t max)
{
	size_t	 n = max;

	if (len <= max)
		return len;
	while (n > 0 && max - n < 3 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

void
mime_preview(const struct mime_tree *t, struct mime_preview *pv)
{
	const struct mime_part	*mp;
	const char		*cs;
	char			*dec, *u, *html;
	size_t			 declen, ulen, hlen, want;

	memset(pv, 0, sizeof(*pv));
	if ((pv->part = first_part(t, "text/plain")) == -1 &&
	    (pv->part = first_part(t, "text/html")) != -1)
		pv->flags |= MV_HTML;
	if (pv->part == -1) {
		pv->text = xstrdup("");
		return;
	}
	mp = &t->parts[pv->part];
	dec = xmalloc(mp->bodylen + 1);
	declen = mime_decode(mp->enc, mp->body, mp->bodylen, dec);

	/* plain text needs no more than is shown; HTML may hide much */
	want = pv->flags & MV_HTML ? declen * 4 + 16 : MIME_PREVIEW_MAX + 1;
	cs = mp->charset[0] != '\0' ? mp->charset : "us-ascii";
	if ((u = charset_to_utf8(cs, dec, declen, want, &ulen)) == NULL) {
		pv->flags |= MV_RAWCHARSET;
		u = dec;
		ulen = declen < want ? declen : want;
		dec = NULL;
	}
	free(dec);
	if (pv->flags & MV_HTML) {
		html = mime_html_text(u, ulen, MIME_PREVIEW_MAX + 1, &hlen);
		free(u);
		u = html;
		ulen = hlen;
	}
	if (ulen > MIME_PREVIEW_MAX + 1)
		ulen = MIME_PREVIEW_MAX + 1;
	pv->text = without_nul(u, ulen, &pv->len);
	free(u);
	if (pv->len > MIME_PREVIEW_MAX) {
		pv->flags |= MV_CUT;
		pv->len = cut_at_char(pv->text, pv->len, MIME_PREVIEW_MAX);
		pv->text[pv->len] = '\0';
	}
}

void
mime_preview_free(struct mime_preview *pv)
{
	free(pv->text);
	pv->text = NULL;
	pv->len = 0;
}
