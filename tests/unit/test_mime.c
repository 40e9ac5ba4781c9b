/*
 * The MIME structure and preview of quarantined messages: every captured
 * file in tests/fixtures/amavis/quarantine{,-flat}, then messages made
 * here: nested multiparts, message/rfc822, the transfer encodings, the
 * charsets, HTML, hostile bytes, broken and absent boundaries, absurd
 * nesting and part counts, and files that are empty, cut or truncated.
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "mime.h"
#include "quarantine.h"
#include "unit.h"
#include "util.h"

#define AFIX(name)	FIXTURES "/amavis/" name
#define GTUBE	"XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-" \
	"EMAIL*C.34X"
#define EICAR	"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-" \
	"FILE!$H+H*"

static char	 basedir[256];

/* --- helpers --- */

struct msg {
	char			*buf;
	size_t			 len;
	struct mime_tree	 t;
	struct mime_preview	 pv;
};

/* Walk and preview len bytes alone in a buffer of their size (ASan). */
static void
msg_open(struct msg *m, const char *text, size_t len)
{
	m->buf = xmalloc(len ? len : 1);
	memcpy(m->buf, text, len);
	m->len = len;
	mime_walk(m->buf, len, &m->t);
	mime_preview(&m->t, &m->pv);
	ck_assert_uint_le(m->pv.len, MIME_PREVIEW_MAX);
	ck_assert_uint_eq(strlen(m->pv.text), m->pv.len);
}

static void
msg_str(struct msg *m, const char *text)
{
	msg_open(m, text, strlen(text));
}

static void
msg_close(struct msg *m)
{
	mime_preview_free(&m->pv);
	mime_tree_free(&m->t);
	free(m->buf);
}

static const struct mime_part *
part(const struct msg *m, size_t i)
{
	ck_assert_msg(i < m->t.nparts, "part %zu of %zu", i, m->t.nparts);
	return &m->t.parts[i];
}

static void
part_is(const struct msg *m, size_t i, unsigned depth, const char *type)
{
	const struct mime_part	*mp = part(m, i);

	ck_assert_msg(mp->depth == depth && strcmp(mp->type, type) == 0,
	    "part %zu: %s at %u, not %s at %u", i, mp->type, mp->depth, type,
	    depth);
}

struct lines {
	char	 buf[64 * 1024];
	size_t	 len;
	size_t	 n;
};

static void
collect(void *arg, const char *s, size_t n)
{
	struct lines	*l = arg;

	ck_assert_ptr_null(memchr(s, '\0', n));
	ck_assert_uint_lt(l->len + n + 1, sizeof(l->buf));
	memcpy(l->buf + l->len, s, n);
	l->len += n;
	l->buf[l->len++] = '\n';
	l->buf[l->len] = '\0';
	l->n++;
}

static void
lines_of(const char *text, size_t len, int cut, struct lines *l)
{
	char	*copy = xmalloc(len ? len : 1);

	memcpy(copy, text, len);
	l->len = l->n = 0;
	l->buf[0] = '\0';
	mime_lines(copy, len, cut, collect, l);
	free(copy);
}

/* --- the captured quarantine --- */

static const char banned_lines[] =
    "MIME structure:\n"
    "  multipart/mixed, 2 parts\n"
    "    text/plain, 14 bytes\n"
    "    application/octet-stream \"invoice.pdf.exe\" (attachment, base64, "
    "28 bytes)\n"
    "Preview (text/plain):\n"
    "see attachment\n";

static void
check_fixture(const char *dir, const char *qpath)
{
	struct quar_msg	 qm;
	struct msg	 m;
	const char	*name = strrchr(qpath, '/');
	int		 dfd;

	name = name != NULL ? name + 1 : qpath;
	ck_assert_int_ge(dfd = open(dir, O_RDONLY | O_DIRECTORY), 0);
	ck_assert_msg(quar_read_message(dfd, qpath, strstr(qpath, ".gz") !=
	    NULL, QUAR_MSG_MAX, &qm) == QE_OK, "%s: %s", qpath,
	    quar_msg_strerror(&qm));
	close(dfd);
	ck_assert(!qm.cut);
	ck_assert_uint_gt(qm.len, 500);
	msg_open(&m, qm.buf, qm.len);
	ck_assert_uint_eq(m.t.flags, 0);
	if (strncmp(name, "banned-", 7) == 0) {
		ck_assert_uint_eq(m.t.nparts, 3);
		part_is(&m, 0, 0, "multipart/mixed");
		ck_assert_uint_eq(part(&m, 0)->nchildren, 2);
		ck_assert_uint_eq(part(&m, 0)->flags, 0);
		part_is(&m, 1, 1, "text/plain");
		ck_assert_uint_eq(part(&m, 1)->size, 14);
		part_is(&m, 2, 1, "application/octet-stream");
		ck_assert_str_eq(part(&m, 2)->filename, "invoice.pdf.exe");
		ck_assert_int_eq(part(&m, 2)->enc, MENC_BASE64);
		ck_assert_uint_eq(part(&m, 2)->flags, MP_ATTACHMENT);
		/* "TVqQ": the start of a Windows executable, decoded */
		ck_assert(part(&m, 2)->size == 28 || part(&m, 2)->size == 60);
		ck_assert_str_eq(m.pv.text, "see attachment");
		ck_assert_int_eq(m.pv.part, 1);
	} else {
		ck_assert_uint_eq(m.t.nparts, 1);
		part_is(&m, 0, 0, "text/plain");
		ck_assert_str_eq(part(&m, 0)->charset, "us-ascii");
		ck_assert_str_eq(part(&m, 0)->filename, "");
		ck_assert_int_eq(m.pv.part, 0);
		if (strncmp(name, "spam-", 5) == 0)
			ck_assert_msg(strcmp(m.pv.text, "Buy now!\n" GTUBE "\n")
			    == 0 || strcmp(m.pv.text, "Hi\n" GTUBE "\n") == 0,
			    "%s: %s", qpath, m.pv.text);
		else if (strncmp(name, "virus-", 6) == 0)
			ck_assert_str_eq(m.pv.text, EICAR "\n");
		else if (strncmp(name, "badh-", 5) == 0)
			ck_assert_str_eq(m.pv.text, "Hello,\n\nThis is a lab "
			    "test message for mhtop fixtures.\n");
		else
			ck_abort_msg("%s: unexpected fixture", qpath);
		ck_assert_uint_eq(part(&m, 0)->size, m.pv.len);
	}
	ck_assert_uint_eq(m.pv.flags, 0);
	msg_close(&m);
	quar_msg_free(&qm);
}

static size_t
fixtures_in(const char *dir, int hashed)
{
	DIR		*d, *sub;
	struct dirent	*e, *f;
	char		 path[1024], qpath[600];
	size_t		 n = 0;

	ck_assert_ptr_nonnull(d = opendir(dir));
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (!hashed) {
			check_fixture(dir, e->d_name);
			n++;
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		ck_assert_ptr_nonnull(sub = opendir(path));
		while ((f = readdir(sub)) != NULL) {
			if (f->d_name[0] == '.')
				continue;
			snprintf(qpath, sizeof(qpath), "%s/%s", e->d_name,
			    f->d_name);
			check_fixture(dir, qpath);
			n++;
		}
		closedir(sub);
	}
	closedir(d);
	return n;
}

START_TEST(test_fixtures)
{
	ck_assert_uint_eq(fixtures_in(AFIX("quarantine"), 1), 23);
	ck_assert_uint_eq(fixtures_in(AFIX("quarantine-flat"), 0), 7);
}
END_TEST

START_TEST(test_fixture_lines)
{
	struct lines	*l = xmalloc(sizeof(*l));
	char		*buf;
	size_t		 len;

	buf = unit_slurp(AFIX("quarantine-flat/banned-q7txEHPIJkBA"), &len);
	lines_of(buf, len, 0, l);
	ck_assert_str_eq(l->buf, banned_lines);
	free(buf);

	buf = unit_slurp(AFIX("quarantine/d/virus-drJlObyg9LJb"), &len);
	lines_of(buf, len, 0, l);
	ck_assert_str_eq(l->buf, "MIME structure:\n"
	    "  text/plain; charset=us-ascii, 69 bytes\n"
	    "Preview (text/plain):\n" EICAR "\n");
	lines_of(buf, len, 1, l);
	ck_assert_ptr_nonnull(strstr(l->buf, "cut when read"));
	free(buf);
	free(l);
}
END_TEST

/* --- structure --- */

static const char nested[] =
    "From: a@b\r\n"
    "Content-Type: multipart/mixed;\r\n"
    "\tboundary=\"outer\"\r\n"
    "\r\n"
    "This is the preamble: --outer is not here at a line start.\r\n"
    "--outer\r\n"
    "Content-Type: multipart/alternative; boundary=outer-alt\r\n"
    "\r\n"
    "--outer-alt\r\n"
    "Content-Type: text/plain; charset=\"UTF-8\"\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "caf=C3=A9\r\n"
    "--outer-alt\r\n"
    "Content-Type: multipart/related; boundary=rel\r\n"
    "\r\n"
    "--rel\r\n"
    "Content-Type: text/html\r\n"
    "\r\n"
    "<p>caf&eacute;</p>\r\n"
    "--rel\r\n"
    "Content-Type: image/png; name=logo.png\r\n"
    "Content-Disposition: inline\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "iVBORw0KGgo=\r\n"
    "--rel--\r\n"
    "--outer-alt--\r\n"
    "--outer\r\n"
    "Content-Type: message/rfc822\r\n"
    "\r\n"
    "From: c@d\r\n"
    "Subject: inner\r\n"
    "Content-Type: multipart/mixed; boundary=\"inner\"\r\n"
    "\r\n"
    "--inner\r\n"
    "\r\n"
    "inner text\r\n"
    "--inner\r\n"
    "Content-Type: application/pdf\r\n"
    "Content-Disposition: attachment; filename=\"a.pdf\"\r\n"
    "\r\n"
    "%PDF-1.4\r\n"
    "--inner--\r\n"
    "--outer--  \r\n"
    "epilogue\r\n"
    "--outer\r\n"
    "not a part: after the closing boundary\r\n";

START_TEST(test_nested)
{
	struct msg	 m;

	msg_str(&m, nested);
	ck_assert_uint_eq(m.t.nparts, 10);
	ck_assert_uint_eq(m.t.flags, 0);
	part_is(&m, 0, 0, "multipart/mixed");
	ck_assert_uint_eq(part(&m, 0)->nchildren, 2);
	part_is(&m, 1, 1, "multipart/alternative");
	part_is(&m, 2, 2, "text/plain");
	ck_assert_str_eq(part(&m, 2)->charset, "utf-8");
	ck_assert_int_eq(part(&m, 2)->enc, MENC_QP);
	ck_assert_uint_eq(part(&m, 2)->size, 5);
	part_is(&m, 3, 2, "multipart/related");
	part_is(&m, 4, 3, "text/html");
	part_is(&m, 5, 3, "image/png");
	ck_assert_str_eq(part(&m, 5)->filename, "logo.png");
	ck_assert_uint_eq(part(&m, 5)->flags, MP_INLINE);
	ck_assert_uint_eq(part(&m, 5)->size, 8);
	part_is(&m, 6, 1, "message/rfc822");
	ck_assert_uint_eq(part(&m, 6)->nchildren, 1);
	part_is(&m, 7, 2, "multipart/mixed");
	part_is(&m, 8, 3, "text/plain");
	ck_assert_uint_eq(part(&m, 8)->size, 10);
	part_is(&m, 9, 3, "application/pdf");
	ck_assert_str_eq(part(&m, 9)->filename, "a.pdf");
	ck_assert_uint_eq(part(&m, 9)->flags, MP_ATTACHMENT);
	ck_assert_uint_eq(part(&m, 9)->size, 8);
	msg_close(&m);
}
END_TEST

START_TEST(test_nested_lines)
{
	struct lines	*l = xmalloc(sizeof(*l));

	lines_of(nested, sizeof(nested) - 1, 0, l);
	ck_assert_str_eq(l->buf, "MIME structure:\n"
	    "  multipart/mixed, 2 parts\n"
	    "    multipart/alternative, 2 parts\n"
	    "      text/plain; charset=utf-8, quoted-printable, 5 bytes\n"
	    "      multipart/related, 2 parts\n"
	    "        text/html, 18 bytes\n"
	    "        image/png \"logo.png\" (inline, base64, 8 bytes)\n"
	    "    message/rfc822, 213 bytes\n"
	    "      multipart/mixed, 2 parts\n"
	    "        text/plain, 10 bytes\n"
	    "        application/pdf \"a.pdf\" (attachment, 8 bytes)\n"
	    "Preview (text/plain):\n"
	    "caf\303\251\n");
	free(l);
}
END_TEST

START_TEST(test_lf_and_defaults)
{
	struct msg	 m;

	/* no header at all in a part; a part with a blank header */
	msg_str(&m, "Content-Type: multipart/digest; boundary=d\n\n--d\n\n"
	    "Subject: x\n\ndigested\n--d\nContent-Type: text/plain\n\nplain\n"
	    "--d--\n");
	ck_assert_uint_eq(m.t.nparts, 4);
	part_is(&m, 1, 1, "message/rfc822");
	part_is(&m, 2, 2, "text/plain");
	part_is(&m, 3, 1, "text/plain");
	ck_assert_str_eq(m.pv.text, "digested");
	msg_close(&m);

	/* no Content-Type: text/plain; a garbage one: the default */
	msg_str(&m, "Subject: plain\n\nbody\n");
	part_is(&m, 0, 0, "text/plain");
	ck_assert_str_eq(m.pv.text, "body\n");
	msg_close(&m);
	msg_str(&m, "Content-Type: text/\n\nbody");
	part_is(&m, 0, 0, "text/plain");
	msg_close(&m);
	msg_str(&m, "Content-Type: a/b/c; charset=x\n\nbody");
	part_is(&m, 0, 0, "text/plain");
	msg_close(&m);

	/* a header that never ends: no body */
	msg_str(&m, "Content-Type: TEXT/Plain; CHARSET=ISO-8859-1");
	part_is(&m, 0, 0, "text/plain");
	ck_assert_str_eq(part(&m, 0)->charset, "iso-8859-1");
	ck_assert_uint_eq(part(&m, 0)->size, 0);
	msg_close(&m);

	/* an mbox From_ line before the header */
	msg_str(&m, "From a@b Tue Nov 24 13:50:00 2026\nContent-Type: "
	    "text/html\n\n<b>x</b>");
	part_is(&m, 0, 0, "text/html");
	ck_assert_str_eq(m.pv.text, "x");
	ck_assert_uint_eq(m.pv.flags, MV_HTML);
	msg_close(&m);
}
END_TEST

START_TEST(test_boundaries)
{
	struct msg	 m;
	struct lines	*l = xmalloc(sizeof(*l));
	const char	*s;

	/* no boundary parameter */
	msg_str(&m, "Content-Type: multipart/mixed\n\n--x\n\ntext\n--x--\n");
	ck_assert_uint_eq(m.t.nparts, 1);
	ck_assert_uint_eq(part(&m, 0)->flags, MP_NOBOUNDARY);
	ck_assert_int_eq(m.pv.part, -1);
	ck_assert_str_eq(m.pv.text, "");
	msg_close(&m);

	/* a boundary that never appears */
	s = "Content-Type: multipart/mixed; boundary=\"nope\"\n\n--x\n\nt\n";
	msg_str(&m, s);
	ck_assert_uint_eq(m.t.nparts, 1);
	ck_assert_uint_eq(part(&m, 0)->flags, MP_NOBOUNDARY);
	msg_close(&m);
	lines_of(s, strlen(s), 0, l);
	ck_assert_str_eq(l->buf, "MIME structure:\n"
	    "  multipart/mixed, 0 parts, boundary not found\n"
	    "Preview: no text part\n");

	/* an empty boundary, one of garbage bytes, and a longer one */
	msg_str(&m, "Content-Type: multipart/mixed; boundary=\"\"\n\n"
	    "--\n\nt\n");
	ck_assert_uint_eq(m.t.nparts, 1);
	ck_assert_uint_eq(part(&m, 0)->flags, MP_NOBOUNDARY);
	msg_close(&m);
	msg_str(&m, "Content-Type: multipart/mixed; boundary=\"\033[2J\377\"\n"
	    "\n--\033[2J\377\n\nt\n--\033[2J\377--\n");
	ck_assert_uint_eq(m.t.nparts, 2);
	ck_assert_str_eq(m.pv.text, "t");
	msg_close(&m);
	/* "--b" is not "--bb": RFC 2046 forbids it, a sender may not care */
	msg_str(&m, "Content-Type: multipart/mixed; boundary=b\n\n--bb\n\n"
	    "x\n--b\n\ny\n--b--\n");
	ck_assert_uint_eq(m.t.nparts, 2);
	ck_assert_str_eq(m.pv.text, "y");
	msg_close(&m);

	/* the closing boundary missing: the last part runs to the end */
	msg_str(&m, "Content-Type: multipart/mixed; boundary=b\n\n--b\n\n"
	    "first\n--b\nContent-Type: text/html\n\n<i>second</i>\n");
	ck_assert_uint_eq(m.t.nparts, 3);
	ck_assert_uint_eq(part(&m, 0)->flags, MP_UNCLOSED);
	ck_assert_uint_eq(part(&m, 2)->size, 14);
	msg_close(&m);

	/* delimiters with transport padding, and an empty part */
	msg_str(&m, "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
	    "--b \t\r\n--b\r\n\r\nz\r\n--b-- \r\n");
	ck_assert_uint_eq(m.t.nparts, 3);
	ck_assert_uint_eq(part(&m, 1)->size, 0);
	ck_assert_uint_eq(part(&m, 2)->size, 1);
	ck_assert_uint_eq(part(&m, 0)->flags, 0);
	msg_close(&m);
	free(l);
}
END_TEST

START_TEST(test_deep)
{
	char		*buf, *p;
	struct msg	 m;
	struct lines	*l = xmalloc(sizeof(*l));
	int		 i;

	/* 1000 multiparts one inside the other */
	buf = p = xmalloc(1000 * 100 + 100);
	for (i = 0; i < 1000; i++)
		p += sprintf(p, "Content-Type: multipart/mixed; boundary=b%d\n"
		    "\n--b%d\n", i, i);
	p += sprintf(p, "\ndeep text\n");
	msg_open(&m, buf, (size_t)(p - buf));
	ck_assert_uint_eq(m.t.nparts, MIME_DEPTH_MAX + 1);
	ck_assert_uint_eq(m.t.flags, MT_TOODEEP);
	ck_assert_uint_eq(part(&m, MIME_DEPTH_MAX)->flags,
	    MP_TOODEEP);
	ck_assert_uint_eq(part(&m, MIME_DEPTH_MAX)->depth, MIME_DEPTH_MAX);
	ck_assert_int_eq(m.pv.part, -1);
	msg_close(&m);
	lines_of(buf, (size_t)(p - buf), 0, l);
	ck_assert_uint_eq(l->n, MIME_DEPTH_MAX + 3);
	ck_assert_ptr_nonnull(strstr(l->buf, "nested too deep"));
	free(buf);

	/* and 1000 message/rfc822 */
	buf = p = xmalloc(1000 * 40 + 100);
	for (i = 0; i < 1000; i++)
		p += sprintf(p, "Content-Type: message/rfc822\n\n");
	msg_open(&m, buf, (size_t)(p - buf));
	ck_assert_uint_eq(m.t.nparts, MIME_DEPTH_MAX + 1);
	ck_assert_uint_eq(m.t.flags, MT_TOODEEP);
	msg_close(&m);
	free(buf);
	free(l);
}
END_TEST

START_TEST(test_many)
{
	char		*buf, *p;
	struct msg	 m;
	struct lines	*l = xmalloc(sizeof(*l));
	int		 i;

	buf = p = xmalloc(10000 * 60 + 100);
	p += sprintf(p, "Content-Type: multipart/mixed; boundary=b\n\n");
	for (i = 0; i < 10000; i++)
		p += sprintf(p, "--b\nContent-Type: image/gif; name=%d.gif\n"
		    "\nGIF\n", i);
	p += sprintf(p, "--b--\n");
	msg_open(&m, buf, (size_t)(p - buf));
	ck_assert_uint_eq(m.t.nparts, MIME_PARTS_MAX);
	ck_assert_uint_eq(m.t.flags, MT_TOOMANY);
	ck_assert_str_eq(part(&m, MIME_PARTS_MAX - 1)->filename, "498.gif");
	msg_close(&m);
	lines_of(buf, (size_t)(p - buf), 0, l);
	ck_assert_uint_eq(l->n, 1 + MIME_PARTS_MAX + 1 + 1);
	ck_assert_ptr_nonnull(strstr(l->buf,
	    "only the first 500 are listed"));
	free(buf);
	free(l);
}
END_TEST

/* --- names --- */

START_TEST(test_filenames)
{
	struct msg	 m;

	/* RFC 2231, split and percent-encoded, over a plain name */
	msg_str(&m, "Content-Type: application/pdf; name=\"plain.pdf\"\n"
	    "Content-Disposition: attachment;\n"
	    " filename*0*=utf-8''%E2%82%AC%20;\n"
	    " filename*1=\"rechnung\"; filename*2*=.pdf%2Eexe\n\nx");
	ck_assert_str_eq(part(&m, 0)->filename,
	    "\342\202\254 rechnung.pdf.exe");
	msg_close(&m);

	/* RFC 2231 whole, in ISO-8859-1; RFC 2047 in quotes */
	msg_str(&m, "Content-Disposition: attachment; filename*=iso-8859-1'fr'"
	    "caf%E9.txt\n\nx");
	ck_assert_str_eq(part(&m, 0)->filename, "caf\303\251.txt");
	msg_close(&m);
	msg_str(&m, "Content-Type: application/octet-stream;\n name=\""
	    "=?UTF-8?B?w6lsw6h2ZS5leGU=?=\"\n\nx");
	ck_assert_str_eq(part(&m, 0)->filename, "\303\251l\303\250ve.exe");
	msg_close(&m);

	/* an unknown charset: the bytes as sent; quoted escapes */
	msg_str(&m, "Content-Disposition: attachment; filename*=x-nope''%FF"
	    "\n\nx");
	ck_assert_str_eq(part(&m, 0)->filename, "\377");
	msg_close(&m);
	msg_str(&m, "Content-Disposition: attachment; filename=\"a\\\"b;c\"; "
	    "size=3\n\nx");
	ck_assert_str_eq(part(&m, 0)->filename, "a\"b;c");
	msg_close(&m);
}
END_TEST

START_TEST(test_hostile_names)
{
	struct msg	 m;
	struct lines	*l = xmalloc(sizeof(*l));
	static const char s[] =
	    "Content-Type: multipart/mixed; boundary=b\n\n--b\n"
	    "Content-Type: application/x-\033]0;pwn\007; name=\"\033[2J\233"
	    "1m.exe\"\n"
	    "Content-Disposition: attachment; filename*=utf-8''%00%1B%5B31m"
	    "%C0%AF.exe\n\nx\n--b\n"
	    "Content-Type: text/plain; charset=utf-8\n\n"
	    "esc \033[31mred\033]8;;http://x\033\\ nul \0 bad \300\257 c1 "
	    "\302\233\n--b--\n";
	static const char raw_name[] =
	    "Content-Type: a/b; name=\"\033[2J\0\233\"\n\nx";

	msg_open(&m, s, sizeof(s) - 1);
	ck_assert_uint_eq(m.t.nparts, 3);
	/* a type with control characters is no type */
	part_is(&m, 1, 1, "text/plain");
	/* NUL as U+FFFD, the rest as sent (the UI sanitizes), the invalid
	   UTF-8 of a name that says UTF-8 as U+FFFD */
	ck_assert_str_eq(part(&m, 1)->filename,
	    "\357\277\275\033[31m\357\277\275\357\277\275.exe");
	ck_assert_str_eq(m.pv.text, "esc \033[31mred\033]8;;http://x\033\\ "
	    "nul \357\277\275 bad \357\277\275\357\277\275 c1 \302\233");
	msg_close(&m);

	lines_of(s, sizeof(s) - 1, 0, l);
	ck_assert_ptr_nonnull(strstr(l->buf, "esc \033[31mred"));
	free(l);

	/* a plain name keeps its raw bytes, NUL aside */
	msg_open(&m, raw_name, sizeof(raw_name) - 1);
	ck_assert_str_eq(part(&m, 0)->filename, "\033[2J\357\277\275\233");
	msg_close(&m);
}
END_TEST

/* --- encodings and charsets --- */

START_TEST(test_qp)
{
	struct msg	 m;

	msg_str(&m, "Content-Transfer-Encoding: Quoted-Printable\n\n"
	    "soft=\nbreak, soft with blanks=  \r\nand CRLF=\r\n; "
	    "=3D=3d =C3=A9 =XY = \ntrailing   \nkept  x\n=");
	ck_assert_str_eq(m.pv.text, "softbreak, soft with blanksand CRLF; "
	    "== \303\251 =XY trailing\nkept  x\n");
	ck_assert_uint_eq(part(&m, 0)->size, m.pv.len);
	msg_close(&m);
}
END_TEST

START_TEST(test_base64)
{
	struct msg	 m;

	/* whitespace anywhere, padding missing, junk skipped */
	msg_str(&m, "Content-Transfer-Encoding: BASE64\n\n"
	    "aGVs bG8g\r\nd29y\tbGQ\n");
	ck_assert_str_eq(m.pv.text, "hello world");
	ck_assert_uint_eq(part(&m, 0)->size, 11);
	msg_close(&m);
	msg_str(&m, "Content-Transfer-Encoding: base64\n\naGk=\n==\n!!*");
	ck_assert_str_eq(m.pv.text, "hi");
	msg_close(&m);
	msg_str(&m, "Content-Transfer-Encoding: base64\n\naGVsbG8\n");
	ck_assert_str_eq(m.pv.text, "hello");
	msg_close(&m);
	/* one sextet alone is no byte */
	msg_str(&m, "Content-Transfer-Encoding: base64\n\naGVsbG8h\nZ");
	ck_assert_str_eq(m.pv.text, "hello!");
	msg_close(&m);

	/* an encoding not known: the size is the encoded one */
	msg_str(&m, "Content-Type: application/zip\n"
	    "Content-Transfer-Encoding: x-uuencode\n\nbegin 644 a\n");
	ck_assert_uint_eq(part(&m, 0)->flags, MP_ENCODED_SIZE);
	ck_assert_uint_eq(part(&m, 0)->size, 12);
	msg_close(&m);
}
END_TEST

START_TEST(test_charsets)
{
	struct msg	 m;
	static const char utf16[] =
	    "Content-Type: text/plain; charset=utf-16le\n\nh\0i\0\0\0";

	msg_str(&m, "Content-Type: text/plain; charset=ISO-8859-1\n"
	    "Content-Transfer-Encoding: quoted-printable\n\ncaf=E9 \244\n");
	ck_assert_str_eq(m.pv.text, "caf\303\251 \302\244\n");
	msg_close(&m);
	msg_str(&m, "Content-Type: text/plain; charset=\"utf-8\"\n\n"
	    "\344\270\255\346\226\207 \360\237\230\200 cut \344\270");
	ck_assert_str_eq(m.pv.text, "\344\270\255\346\226\207 "
	    "\360\237\230\200 cut \357\277\275\357\277\275");
	ck_assert_uint_eq(m.pv.flags, 0);
	msg_close(&m);
	/* no charset, or us-ascii: read as UTF-8 */
	msg_str(&m, "Content-Type: text/plain\n\ncaf\303\251 \351");
	ck_assert_str_eq(m.pv.text, "caf\303\251 \357\277\275");
	msg_close(&m);

	/* unknown, or a name that is no name: the bytes as sent */
	msg_str(&m, "Content-Type: text/plain; charset=x-unknown-42\n\n"
	    "caf\351\n");
	ck_assert_str_eq(m.pv.text, "caf\351\n");
	ck_assert_uint_eq(m.pv.flags, MV_RAWCHARSET);
	msg_close(&m);
	msg_str(&m, "Content-Type: text/plain; charset=\"UTF-8//TRANSLIT\"\n"
	    "\nx");
	ck_assert_uint_eq(m.pv.flags, MV_RAWCHARSET);
	msg_close(&m);
	msg_str(&m, "Content-Type: text/plain; charset=\"../../etc/x\"\n\nx");
	ck_assert_uint_eq(m.pv.flags, MV_RAWCHARSET);
	msg_close(&m);

	/* UTF-16: NULs come out of the conversion, and are replaced */
	msg_open(&m, utf16, sizeof(utf16) - 1);
	ck_assert_str_eq(m.pv.text, "hi\357\277\275");
	msg_close(&m);
}
END_TEST

START_TEST(test_html)
{
	struct msg	 m;

	msg_str(&m, "Content-Type: multipart/alternative; boundary=a\n\n--a\n"
	    "Content-Type: text/html; charset=iso-8859-1\n"
	    "Content-Transfer-Encoding: quoted-printable\n\n"
	    "<html><head><title>T</title><style>p { color: red }</style>\n"
	    "<SCRIPT type=3D\"x\">alert('<p>x</p>')</script></head><body>\n"
	    "<p>Caf=E9   &amp;\n  bar</p><div>a&lt;b&gt;c&quot;d&#65;&#x42;"
	    "&nbsp;e</div>\n<ul><li>one<li>two</ul>line<br>break<BR/>"
	    "<!-- <p>hidden</p> --><a href=3D\"x>y\">link</a>"
	    "&unknown; &#0; &#xD800; &#1114112; &#27;[31m &#; 1 < 2"
	    "<style>never closed\n--a--\n");
	ck_assert_uint_eq(m.pv.flags, MV_HTML);
	ck_assert_str_eq(m.pv.text, "Caf\303\251 & bar\n"
	    "a<b>c\"dAB e\n"
	    "one\ntwo\n"
	    "line\nbreak\nlink&unknown; \357\277\275 \357\277\275 "
	    "\357\277\275 \033[31m &#; 1 < 2");
	msg_close(&m);

	/* a plain part comes first, wherever it is */
	msg_str(&m, "Content-Type: multipart/alternative; boundary=a\n\n--a\n"
	    "Content-Type: text/html\n\n<b>html</b>\n--a\n\nplain\n--a--\n");
	ck_assert_str_eq(m.pv.text, "plain");
	ck_assert_int_eq(m.pv.part, 2);
	msg_close(&m);

	/* an attachment is never previewed */
	msg_str(&m, "Content-Type: multipart/mixed; boundary=a\n\n--a\n"
	    "Content-Type: text/plain; name=x.txt\n"
	    "Content-Disposition: attachment\n\nsecret\n--a--\n");
	ck_assert_int_eq(m.pv.part, -1);
	msg_close(&m);

	/* <pre> keeps its lines */
	msg_str(&m, "Content-Type: text/html\n\n<pre>a  b\n\n\nc</pre>d");
	ck_assert_str_eq(m.pv.text, "a  b\n\n\nc\nd");
	msg_close(&m);
}
END_TEST

START_TEST(test_preview_cut)
{
	char		*buf, *p;
	struct msg	 m;
	struct lines	*l = xmalloc(sizeof(*l));
	int		 i;

	/* two-byte characters after one ASCII byte: 8192 falls inside one */
	buf = p = xmalloc(20000);
	p += sprintf(p, "Content-Type: text/plain; charset=utf-8\n\nx");
	for (i = 0; i < 9000; i++)
		p += sprintf(p, "\303\251");
	msg_open(&m, buf, (size_t)(p - buf));
	ck_assert_uint_eq(m.pv.flags, MV_CUT);
	ck_assert_uint_eq(m.pv.len, MIME_PREVIEW_MAX - 1);
	ck_assert_int_eq((unsigned char)m.pv.text[m.pv.len - 1], 0251);
	msg_close(&m);
	lines_of(buf, (size_t)(p - buf), 0, l);
	ck_assert_ptr_nonnull(strstr(l->buf,
	    "Preview (text/plain, first 8 KB):\n"));
	free(buf);

	/* NULs made U+FFFD still fit in the cap */
	buf = xcalloc(1, 9000);
	memcpy(buf, "Subject: zeros\n\n", 16);
	msg_open(&m, buf, 9000);
	ck_assert_uint_eq(m.pv.flags, MV_CUT);
	ck_assert_uint_eq(m.pv.len, MIME_PREVIEW_MAX - MIME_PREVIEW_MAX % 3);
	msg_close(&m);
	free(buf);

	/* exactly the cap: not cut */
	buf = xmalloc(MIME_PREVIEW_MAX + 16);
	memcpy(buf, "Subject: full\n\n", 15);
	memset(buf + 15, 'a', MIME_PREVIEW_MAX);
	msg_open(&m, buf, MIME_PREVIEW_MAX + 15);
	ck_assert_uint_eq(m.pv.flags, 0);
	ck_assert_uint_eq(m.pv.len, MIME_PREVIEW_MAX);
	msg_close(&m);
	free(buf);
	free(l);
}
END_TEST

/* --- files --- */

static int	 dfd = -1;
static char	 dir[512];

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

static void
dir_new(void)
{
	snprintf(dir, sizeof(dir), "%s/t.XXXXXX", basedir);
	ck_assert_msg(mkdtemp(dir) != NULL, "mkdtemp: %s", strerror(errno));
	ck_assert_int_ge(dfd = open(dir, O_RDONLY | O_DIRECTORY), 0);
}

static void
dir_rm(void)
{
	close(dfd);
	ck_assert_int_eq(nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

static void
put_file(const char *name, const void *data, size_t len)
{
	int	 fd;

	fd = openat(dfd, name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
	close(fd);
}

static void
put_gz(const char *name, const void *data, size_t len)
{
	char	 path[1024];
	gzFile	 gz;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ck_assert_ptr_nonnull(gz = gzopen(path, "wb6"));
	ck_assert_int_eq(gzwrite(gz, data, (unsigned)len), (int)len);
	ck_assert_int_eq(gzclose(gz), Z_OK);
}

/* Text that does not compress, n bytes of it in lines. */
static char *
noise(size_t n)
{
	char		*p = xmalloc(n + 1);
	uint32_t	 x = 2463534242u;
	size_t		 i;

	for (i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = i % 77 == 76 ? '\n' : (char)('0' + x % 64);
	}
	p[n] = '\0';
	return p;
}

START_TEST(test_files)
{
	struct quar_msg	 qm;
	struct stat	 st;
	char		*big, *msg;
	size_t		 len;
	int		 fd;

	dir_new();
	/* empty, plain and gzipped */
	put_file("spam-empty", "", 0);
	ck_assert_int_eq(quar_read_message(dfd, "spam-empty", 0,
	    QUAR_MSG_MAX, &qm), QE_EMPTY);
	ck_assert_str_eq(quar_msg_strerror(&qm), "empty file");
	ck_assert_uint_eq(qm.len, 0);
	ck_assert_str_eq(qm.buf, "");
	quar_msg_free(&qm);
	put_gz("spam-empty.gz", "", 0);
	ck_assert_int_eq(quar_read_message(dfd, "spam-empty.gz", 1,
	    QUAR_MSG_MAX, &qm), QE_EMPTY);
	quar_msg_free(&qm);
	{
		struct msg	 m;

		msg_open(&m, "", 0);
		ck_assert_uint_eq(m.t.nparts, 1);
		part_is(&m, 0, 0, "text/plain");
		ck_assert_str_eq(m.pv.text, "");
		msg_close(&m);
	}

	/* a link, a directory, a FIFO, nothing */
	ck_assert_int_eq(symlinkat("spam-empty", dfd, "spam-link"), 0);
	ck_assert_int_eq(quar_read_message(dfd, "spam-link", 0, QUAR_MSG_MAX,
	    &qm), QE_NOTFILE);
	quar_msg_free(&qm);
	ck_assert_int_eq(mkdirat(dfd, "S", 0755), 0);
	ck_assert_int_eq(quar_read_message(dfd, "S", 0, QUAR_MSG_MAX, &qm),
	    QE_NOTFILE);
	quar_msg_free(&qm);
	ck_assert_int_eq(mkfifoat(dfd, "spam-fifo", 0600), 0);
	ck_assert_int_eq(quar_read_message(dfd, "spam-fifo", 0, QUAR_MSG_MAX,
	    &qm), QE_NOTFILE);
	quar_msg_free(&qm);
	ck_assert_int_eq(quar_read_message(dfd, "spam-none", 0, QUAR_MSG_MAX,
	    &qm), QE_SYS);
	ck_assert_int_eq(qm.sys_errno, ENOENT);
	quar_msg_free(&qm);

	/* over the cap: cut there, and said */
	big = noise(300000);
	len = (size_t)snprintf(NULL, 0, "Subject: big\n\n%s", big);
	msg = xmalloc(len + 1);
	snprintf(msg, len + 1, "Subject: big\n\n%s", big);
	put_file("spam-big", msg, len);
	put_gz("spam-big.gz", msg, len);
	ck_assert_int_eq(quar_read_message(dfd, "spam-big", 0, 100000, &qm),
	    QE_OK);
	ck_assert(qm.cut);
	ck_assert_uint_eq(qm.len, 100000);
	ck_assert_mem_eq(qm.buf, msg, 100000);
	quar_msg_free(&qm);
	ck_assert_int_eq(quar_read_message(dfd, "spam-big.gz", 1, 100000,
	    &qm), QE_OK);
	ck_assert(qm.cut);
	ck_assert_uint_eq(qm.len, 100000);
	quar_msg_free(&qm);
	/* at the cap exactly: whole */
	ck_assert_int_eq(quar_read_message(dfd, "spam-big.gz", 1, len, &qm),
	    QE_OK);
	ck_assert(!qm.cut);
	ck_assert_uint_eq(qm.len, len);
	ck_assert_mem_eq(qm.buf, msg, len);
	quar_msg_free(&qm);
	ck_assert_int_eq(quar_read_message(dfd, "spam-big", 0, QUAR_MSG_MAX,
	    &qm), QE_OK);
	ck_assert(!qm.cut);
	ck_assert_uint_eq(qm.len, len);
	ck_assert_int_eq(qm.buf[len], '\0');
	quar_msg_free(&qm);

	/* a truncated gzip: what came before the damage */
	ck_assert_int_eq(fstatat(dfd, "spam-big.gz", &st, 0), 0);
	fd = openat(dfd, "spam-big.gz", O_WRONLY);
	ck_assert_int_eq(ftruncate(fd, st.st_size / 2), 0);
	close(fd);
	ck_assert_int_eq(quar_read_message(dfd, "spam-big.gz", 1,
	    QUAR_MSG_MAX, &qm), QE_TRUNCATED);
	ck_assert_str_eq(quar_msg_strerror(&qm), "truncated gzip data");
	ck_assert(!qm.cut);
	ck_assert_uint_gt(qm.len, 100000);
	ck_assert_uint_lt(qm.len, len);
	ck_assert_mem_eq(qm.buf, msg, qm.len);
	quar_msg_free(&qm);
	/* cut inside gzip's own header; corrupt */
	put_file("spam-cut.gz", "\037\213\010\0\0\0", 6);
	ck_assert_int_eq(quar_read_message(dfd, "spam-cut.gz", 1,
	    QUAR_MSG_MAX, &qm), QE_TRUNCATED);
	quar_msg_free(&qm);
	put_file("spam-bad.gz", "\037\213\010\0\0\0\0\0\0\003garbage!", 18);
	ck_assert_int_eq(quar_read_message(dfd, "spam-bad.gz", 1,
	    QUAR_MSG_MAX, &qm), QE_GZIP);
	quar_msg_free(&qm);

	free(msg);
	free(big);
	dir_rm();
}
END_TEST

static Suite *
mime_suite(void)
{
	Suite	*s = suite_create("mime");
	TCase	*tc;

	tc = tcase_create("fixtures");
	tcase_add_test(tc, test_fixtures);
	tcase_add_test(tc, test_fixture_lines);
	suite_add_tcase(s, tc);

	tc = tcase_create("structure");
	tcase_add_test(tc, test_nested);
	tcase_add_test(tc, test_nested_lines);
	tcase_add_test(tc, test_lf_and_defaults);
	tcase_add_test(tc, test_boundaries);
	tcase_add_test(tc, test_deep);
	tcase_add_test(tc, test_many);
	tcase_add_test(tc, test_filenames);
	tcase_add_test(tc, test_hostile_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("preview");
	tcase_add_test(tc, test_qp);
	tcase_add_test(tc, test_base64);
	tcase_add_test(tc, test_charsets);
	tcase_add_test(tc, test_html);
	tcase_add_test(tc, test_preview_cut);
	suite_add_tcase(s, tc);

	tc = tcase_create("files");
	tcase_add_test(tc, test_files);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	const char	*t = getenv("TMPDIR");
	int		 r;

	snprintf(basedir, sizeof(basedir), "%s/mhtop-mime-XXXXXX",
	    t != NULL && *t != '\0' ? t : "/tmp");
	if (mkdtemp(basedir) == NULL) {
		perror(basedir);
		return EXIT_FAILURE;
	}
	r = unit_run(mime_suite());
	if (nftw(basedir, rm_one, 16, FTW_DEPTH | FTW_PHYS) == -1)
		perror(basedir);
	return r;
}
