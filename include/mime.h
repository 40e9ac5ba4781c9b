/*
 * The MIME structure of a message in memory and a text preview of it, for
 * the quarantine's detail view.  mime_walk.c finds the parts (headers,
 * parameters in mime_param.c), mime_decode.c undoes the transfer
 * encodings, charset.c converts to UTF-8, mime_html.c turns HTML into
 * text, mime_preview.c picks and prepares the part to show, mime_lines.c
 * writes both as lines of text.
 *
 * Attachments are named and measured, never opened: no part is handed to
 * anything but these decoders.  Nothing here is sanitized for a terminal:
 * names and text keep the sender's bytes (ESC included) and the UI
 * sanitizes at display.  The one change made to raw bytes: a NUL becomes
 * U+FFFD, so that every string is a C string and no line holds a NUL.
 */
#ifndef MHTOP_MIME_H
#define MHTOP_MIME_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define MIME_DEPTH_MAX		20	/* deeper parts are not walked */
#define MIME_PARTS_MAX		500	/* parts after these are not listed */
#define MIME_PREVIEW_MAX	8192	/* bytes of preview text */

enum mime_enc {
	MENC_IDENTITY,		/* 7bit, 8bit, binary, or none said */
	MENC_QP,		/* quoted-printable */
	MENC_BASE64,
	MENC_OTHER,		/* x-uuencode...: not decoded */
};

/* mime_part.flags */
#define MP_NOBOUNDARY	0x01	/* multipart whose boundary is missing or
				   never appears: no parts found */
#define MP_UNCLOSED	0x02	/* multipart without its closing boundary */
#define MP_TOODEEP	0x04	/* at MIME_DEPTH_MAX: its parts not walked */
#define MP_ATTACHMENT	0x08	/* Content-Disposition: attachment */
#define MP_INLINE	0x10	/* Content-Disposition: inline */
#define MP_ENCODED_SIZE	0x20	/* size is of the encoded body (MENC_OTHER) */

struct mime_part {
	unsigned	 depth;		/* 0: the message itself */
	const char	*type;		/* "text/plain", lowercased; the
					   default when none or no valid one */
	const char	*charset;	/* lowercased; "" when none */
	const char	*filename;	/* Content-Disposition's filename
					   (RFC 2231, RFC 2047 decoded), else
					   Content-Type's name; "" when none */
	const char	*encname;	/* Content-Transfer-Encoding as
					   written, lowercased; "" */
	enum mime_enc	 enc;
	const char	*body;		/* into the message: still encoded */
	size_t		 bodylen;
	size_t		 size;		/* decoded bytes (MP_ENCODED_SIZE:
					   encoded) */
	unsigned	 nchildren;	/* parts directly inside */
	unsigned	 flags;		/* MP_* */
};

/* mime_tree.flags */
#define MT_TOOMANY	0x01	/* more than MIME_PARTS_MAX parts */
#define MT_TOODEEP	0x02	/* a part at MIME_DEPTH_MAX had parts */

/* The parts in the order they appear (depth first), parts[0] the message. */
struct mime_tree {
	struct mime_part	*parts;
	size_t			 nparts;
	unsigned		 flags;		/* MT_* */
	struct arena		 strings;
};

/*
 * Walk the message of len bytes at msg (header section and body; LF or
 * CRLF line ends).  Always at least one part.  msg must outlive the tree:
 * the parts point into it.  Free with mime_tree_free().
 */
void		 mime_walk(const char *msg, size_t len, struct mime_tree *);
void		 mime_tree_free(struct mime_tree *);

/* mime_preview.flags */
#define MV_CUT		0x01	/* the text goes on after MIME_PREVIEW_MAX */
#define MV_HTML		0x02	/* from text/html, its tags taken out */
#define MV_RAWCHARSET	0x04	/* a charset iconv does not know: the
				   bytes as sent */

/*
 * The first text/plain part that is not an attachment, else the first
 * text/html one as text: transfer encoding undone, converted from its
 * charset to UTF-8 (a sequence invalid in that charset becomes U+FFFD),
 * at most MIME_PREVIEW_MAX bytes cut at a character boundary, NULs made
 * U+FFFD.  part is -1 and text "" when there is no such part.
 */
struct mime_preview {
	char		*text;		/* len bytes, then a NUL */
	size_t		 len;
	long		 part;		/* index into the tree's parts */
	unsigned	 flags;		/* MV_* */
};

void		 mime_preview(const struct mime_tree *, struct mime_preview *);
void		 mime_preview_free(struct mime_preview *);

/*
 * The detail view's lines: "MIME structure:", one indented line per part
 * ("    application/octet-stream \"invoice.pdf.exe\" (attachment, base64,
 * 20 bytes)"), then "Preview (text/plain):" and the preview's lines, each
 * without its line end.  line is called once per line; its text holds no
 * NUL but is not NUL-terminated.  cut: the message itself was cut short
 * when read (quar_msg.cut), said in the first line.
 */
void		 mime_lines(const char *msg, size_t len, int cut,
		    void (*line)(void *, const char *, size_t), void *arg);

#endif
