/*
 * libFuzzer: the MIME walker and the preview.  The input is a message:
 * walked, previewed and written as the detail view's lines, in a buffer
 * of exactly its size.  Every part must lie inside the message, at most
 * MIME_DEPTH_MAX deep and MIME_PARTS_MAX many, its strings without NUL;
 * the preview at most MIME_PREVIEW_MAX bytes without NUL; no line holds a
 * NUL.  The same bytes go through the decoders, the HTML converter and,
 * under a charset the first byte picks, the charset converter.  Built by
 * run.sh.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charset.h"
#include "mime.h"
#include "mime_int.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: invariant failed: %s\n",	\
		    __FILE__, __LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

static const char *const charsets[] = {
	"us-ascii", "utf-8", "iso-8859-1", "utf-16", "utf-16le", "utf-7",
	"iso-2022-jp", "shift_jis", "gb18030", "koi8-r", "windows-1252",
	"x-unknown", "UTF-8//TRANSLIT", "",
};

struct count {
	size_t	 lines;
	size_t	 bytes;
};

static void
line(void *arg, const char *s, size_t n)
{
	struct count	*c = arg;

	CHECK(memchr(s, '\0', n) == NULL);
	c->lines++;
	c->bytes += n;
}

static void
check_tree(const struct mime_tree *t, const char *msg, size_t len)
{
	const struct mime_part	*mp;
	size_t			 i;

	CHECK(t->nparts >= 1 && t->nparts <= MIME_PARTS_MAX);
	CHECK(t->parts[0].depth == 0);
	for (i = 0; i < t->nparts; i++) {
		mp = &t->parts[i];
		CHECK(mp->depth <= MIME_DEPTH_MAX);
		if (i > 0)
			CHECK(mp->depth >= 1 &&
			    mp->depth <= t->parts[i - 1].depth + 1);
		CHECK(mp->body >= msg && mp->body + mp->bodylen <= msg + len);
		CHECK(mp->size <= mp->bodylen);
		CHECK(strchr(mp->type, '/') != NULL);
		/* ASan sees a string that runs off its buffer */
		(void)strlen(mp->charset);
		(void)strlen(mp->filename);
		(void)strlen(mp->encname);
		CHECK(!(mp->flags & MP_TOODEEP) ||
		    mp->depth == MIME_DEPTH_MAX);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mime_tree	 t;
	struct mime_preview	 pv;
	struct count		 c = { 0, 0 };
	char			*copy, *dec, *out;
	size_t			 n, outlen;

	copy = malloc(size ? size : 1);
	memcpy(copy, data, size);

	mime_walk(copy, size, &t);
	check_tree(&t, copy, size);
	mime_preview(&t, &pv);
	CHECK(pv.len <= MIME_PREVIEW_MAX);
	CHECK(strlen(pv.text) == pv.len);
	CHECK(pv.part >= -1 && pv.part < (long)t.nparts);
	CHECK(pv.part != -1 || pv.len == 0);
	CHECK(!(pv.flags & MV_CUT) || pv.len + 3 >= MIME_PREVIEW_MAX);
	mime_preview_free(&pv);
	mime_tree_free(&t);

	mime_lines(copy, size, size & 1, line, &c);
	CHECK(c.lines >= 3);
	CHECK(c.lines <= MIME_PARTS_MAX + 3 + MIME_PREVIEW_MAX + 1);

	dec = malloc(size ? size : 1);
	CHECK(mime_decode(MENC_BASE64, copy, size, dec) <= size);
	CHECK(mime_decode(MENC_QP, copy, size, dec) <= size);
	CHECK(mime_decode(MENC_QP, copy, size, NULL) ==
	    mime_decode(MENC_QP, copy, size, dec));
	free(dec);

	out = mime_html_text(copy, size, MIME_PREVIEW_MAX, &outlen);
	CHECK(outlen <= size * 3 + 4);
	CHECK(outlen < MIME_PREVIEW_MAX + size + 16);
	free(out);

	if (size > 0) {
		n = data[0] % (sizeof(charsets) / sizeof(charsets[0]));
		out = charset_to_utf8(charsets[n], copy + 1, size - 1, 4096,
		    &outlen);
		if (out != NULL) {
			CHECK(out[outlen] == '\0');
			CHECK(outlen < 4096 + 4 * (size - 1) + 64);
			free(out);
		}
	}
	free(copy);
	return 0;
}
