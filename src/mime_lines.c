/*
 * The MIME structure and the preview as the detail view's lines.  Each
 * part is one line, indented by its depth, saying what it is, what it is
 * called and how big it is: enough to see an invoice.pdf.exe for what it
 * is without opening it.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mime.h"
#include "util.h"

struct lbuf {
	char	*p;
	size_t	 len, size;
};

static void
lb_add(struct lbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
lb_add(struct lbuf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (b->len + (size_t)n + 1 > b->size) {
		b->size = b->len + (size_t)n + 256;
		b->p = xreallocarray(b->p, b->size, 1);
	}
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, b->size - b->len, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* The details of a part, as "a, b, c". */
static void
details(struct lbuf *b, const struct mime_part *mp)
{
	const char	*sep = "";

	if (mp->flags & MP_ATTACHMENT) {
		lb_add(b, "attachment");
		sep = ", ";
	} else if (mp->flags & MP_INLINE) {
		lb_add(b, "inline");
		sep = ", ";
	}
	if (mp->enc != MENC_IDENTITY) {
		lb_add(b, "%s%s", sep, mp->encname);
		sep = ", ";
	}
	if (strncmp(mp->type, "multipart/", 10) != 0)
		lb_add(b, "%s%zu byte%s%s", sep, mp->size,
		    mp->size == 1 ? "" : "s",
		    mp->flags & MP_ENCODED_SIZE ? " encoded" : "");
	else
		lb_add(b, "%s%u part%s", sep, mp->nchildren,
		    mp->nchildren == 1 ? "" : "s");
	if (mp->flags & MP_NOBOUNDARY)
		lb_add(b, ", boundary not found");
	if (mp->flags & MP_UNCLOSED)
		lb_add(b, ", no closing boundary");
	if (mp->flags & MP_TOODEEP)
		lb_add(b, ", nested too deep: not shown");
}

static void
part_line(struct lbuf *b, const struct mime_part *mp)
{
	b->len = 0;
	lb_add(b, "%*s%s", (int)(2 + 2 * mp->depth), "", mp->type);
	if (mp->charset[0] != '\0')
		lb_add(b, "; charset=%s", mp->charset);
	if (mp->filename[0] != '\0') {
		lb_add(b, " \"%s\" (", mp->filename);
		details(b, mp);
		lb_add(b, ")");
	} else {
		lb_add(b, ", ");
		details(b, mp);
	}
}

/* text's lines, each without its "\n" or "\r\n". */
static void
text_lines(const char *text, size_t len,
    void (*line)(void *, const char *, size_t), void *arg)
{
	const char	*p = text, *end = text + len, *nl;
	size_t		 n;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = (size_t)((nl != NULL ? nl : end) - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		line(arg, p, n);
		p = nl != NULL ? nl + 1 : end;
	}
}

void
mime_lines(const char *msg, size_t len, int cut,
    void (*line)(void *, const char *, size_t), void *arg)
{
	struct mime_tree	 t;
	struct mime_preview	 pv;
	struct lbuf		 b = { NULL, 0, 0 };
	size_t			 i;

	mime_walk(msg, len, &t);
	b.len = 0;
	lb_add(&b, "MIME structure%s:", cut ? " (of the message's start: "
	    "it was cut when read)" : "");
	line(arg, b.p, b.len);
	for (i = 0; i < t.nparts; i++) {
		part_line(&b, &t.parts[i]);
		line(arg, b.p, b.len);
	}
	if (t.flags & MT_TOOMANY) {
		b.len = 0;
		lb_add(&b, "  (more parts: only the first %d are listed)",
		    MIME_PARTS_MAX);
		line(arg, b.p, b.len);
	}

	mime_preview(&t, &pv);
	b.len = 0;
	if (pv.part == -1)
		lb_add(&b, "Preview: no text part");
	else {
		lb_add(&b, "Preview (%s", pv.flags & MV_HTML ?
		    "text/html as text" : "text/plain");
		if (pv.flags & MV_RAWCHARSET)
			lb_add(&b, ", charset %s unknown: bytes as sent",
			    t.parts[pv.part].charset);
		if (pv.flags & MV_CUT)
			lb_add(&b, ", first %d KB", MIME_PREVIEW_MAX / 1024);
		lb_add(&b, "):");
	}
	line(arg, b.p, b.len);
	text_lines(pv.text, pv.len, line, arg);
	mime_preview_free(&pv);
	mime_tree_free(&t);
	free(b.p);
}
