/*
 * amavisd-new's quarantine, one file at a time: the name amavis gave it
 * (quar_name.c), and the header part of its contents (quar_read.c reads,
 * quar_parse.c parses, rfc2047.c decodes Subject and From).  No global
 * state and nothing kept open, so that a directory scan can call
 * quar_read_head() per file within a small budget.
 *
 * Nothing here is sanitized for a terminal: Subject and From are decoded to
 * UTF-8 but keep whatever bytes the sender chose (ESC included); the UI
 * sanitizes at display.  The one change made to the raw bytes: a NUL inside
 * a field becomes U+FFFD, so that every field is a C string.
 */
#ifndef MHTOP_QUARANTINE_H
#define MHTOP_QUARANTINE_H

#include <stddef.h>
#include <stdint.h>

struct stat;

/* --- names: TYPE-MAILID[.gz], flat or under one hashed directory --- */

#define QUAR_QPATH_MAX	128	/* with its NUL */
#define QUAR_TYPE_MAX	32
#define QUAR_ID_MAX	48

enum quar_type {
	QT_OTHER,		/* clean-, archive-, unchecked-, an operator's own */
	QT_SPAM,
	QT_VIRUS,
	QT_BANNED,
	QT_BADH,		/* bad header */
};

struct quar_name {
	char		 qpath[QUAR_QPATH_MAX];	/* "S/spam-SkMBGGfgtCC1.gz" */
	char		 type[QUAR_TYPE_MAX];	/* "spam", "clean"... as named */
	char		 mail_id[QUAR_ID_MAX];	/* "SkMBGGfgtCC1" */
	enum quar_type	 kind;
	int		 gz;			/* name ends in .gz: gzipped */
	int		 hashed;		/* under a directory */
};

/*
 * Whether qpath may be handed to amavisd-release as an argument: amavisd's
 * own rule (^[A-Za-z0-9][A-Za-z0-9/._+-]*$, no ".."), at most one
 * directory level, no empty or "." last part, shorter than QUAR_QPATH_MAX.
 * Shell metacharacters, spaces, a leading '-' or '/' never pass.
 */
int		 quar_qpath_ok(const char *qpath);
/* The relative path amavis logs ("quarantine: S/spam-X.gz"): 0, or -1. */
int		 quar_name_parse(const char *qpath, struct quar_name *);
/* "spam", "virus", "banned", "bad header", "other". */
const char	*quar_type_label(enum quar_type);

/* --- the header part of a file --- */

/* Bytes of header section read at most: a hostile file stops there. */
#define QUAR_HEAD_MAX	(64 * 1024)

enum quar_field {
	QF_ENV_FROM,	/* X-Envelope-From: a list of 1 ("" for <>) */
	QF_ENV_TO,	/* X-Envelope-To: every recipient, a list */
	QF_ENV_BLOCKED,	/* X-Envelope-To-Blocked: a list */
	QF_QUAR_ID,	/* X-Quarantine-ID, without its <> */
	QF_ALERT,	/* every X-Amavis-Alert, unfolded, joined by "; " */
	QF_REASON,	/* the same without "INFECTED, message contains
			   virus: ", "BANNED, message contains ", "BAD HEADER
			   SECTION, ": "Eicar-Test-Signature",
			   "application/octet-stream,invoice.pdf.exe",
			   "Duplicate header field: \"Subject\"".  A spam
			   has none: its reason is QF_TESTS */
	QF_SPAM_STATUS,	/* X-Spam-Status, unfolded */
	QF_TESTS,	/* its tests=[...] as amavis logs them:
			   "GTUBE=1000,RCVD_ILLEGAL_IP=1.3" (av_test_next) */
	QF_FROM,	/* From, RFC 2047-decoded */
	QF_SUBJECT,	/* Subject, RFC 2047-decoded */
	QF_DATE,
	QF_MESSAGE_ID,
	QF_NFIELDS
};

enum quar_err {
	QE_OK,
	QE_SYS,		/* open, stat or read failed: sys_errno */
	QE_NOTFILE,	/* not a regular file (a link is not followed) */
	QE_EMPTY,	/* no bytes at all */
	QE_NOTMSG,	/* does not start with a header field */
	QE_TRUNCATED,	/* the gzip stream ends inside the header section */
	QE_GZIP,	/* the gzip stream is corrupt there */
	QE_TOOBIG,	/* no end of header in the first QUAR_HEAD_MAX bytes */
};

#define QH_ENDED	0x01	/* the blank line ending the header was seen */

/*
 * What the file's header part says.  One allocation: every field is a
 * NUL-terminated string at buf + off[field], "" when the header is absent.
 * A list (the X-Envelope-* fields) is n strings one after the other:
 * quar_list_next() steps through them.  The amavis fields (X-Envelope-*,
 * X-Quarantine-ID, X-Amavis-Alert, X-Spam-*) are only taken above amavis'
 * own Received: line, which it always prepends to a quarantined copy: the
 * same names further down are the sender's and could be forged.  For the
 * others the first occurrence counts (a bad-header file may have two
 * Subjects).  Whatever err says, the fields hold what could be read.
 */
struct quar_head {
	char		*buf;
	uint32_t	 off[QF_NFIELDS];
	uint32_t	 nfrom, nto, nblocked;
	int64_t		 score;		/* X-Spam-Score, thousandths;
					   CELL_NONE when absent or no number */
	uint32_t	 hdrlen;	/* bytes of header section parsed */
	unsigned	 flags;		/* QH_* */
	enum quar_err	 err;
	int		 sys_errno;	/* for QE_SYS */
};

/*
 * Parse a header section (or a whole message: it stops at the blank line,
 * or at a line that is no header field).  Sets QE_EMPTY, QE_NOTMSG or
 * QE_TOOBIG (the fields wholly inside the first QUAR_HEAD_MAX bytes are
 * kept), else QE_OK; returns h->err.  Free with quar_head_free() whatever
 * it returned.
 */
enum quar_err	 quar_parse_head(const char *, size_t, struct quar_head *);
/*
 * Open qpath under the directory dirfd (without following a link), read
 * up to the end of its header section (gunzipped when gz) and never more
 * than QUAR_HEAD_MAX + 1 bytes of it, close it, and parse it.  sb, when not
 * NULL, gets the file's fstat(2).  Returns h->err, the first problem.
 */
enum quar_err	 quar_read_head(int dirfd, const char *qpath, int gz,
		    struct quar_head *, struct stat *sb);
void		 quar_head_free(struct quar_head *);
/* A field's string; "" when absent. */
const char	*quar_field(const struct quar_head *, enum quar_field);
/* The string after s in a list. */
const char	*quar_list_next(const char *s);
/* What err means, for one line of the UI ("truncated gzip data"...). */
const char	*quar_strerror(const struct quar_head *);

/* --- the whole message, for the detail view (quar_body.c) --- */

/* Bytes of a message read at most by default: the rest is not shown. */
#define QUAR_MSG_MAX	(4 * 1024 * 1024)

struct quar_msg {
	char		*buf;		/* len bytes, then a NUL */
	size_t		 len;
	int		 cut;		/* the file goes on after max bytes */
	enum quar_err	 err;		/* QE_OK, QE_SYS, QE_NOTFILE,
					   QE_EMPTY, QE_TRUNCATED, QE_GZIP */
	int		 sys_errno;	/* for QE_SYS */
};

/*
 * Open qpath under dirfd as quar_read_head() does (no link followed,
 * regular files only), read at most max bytes of it (gunzipped when gz),
 * close it.  Whatever err says, m->buf holds what could be read (a
 * truncated gzip keeps the bytes before the damage); free with
 * quar_msg_free().  Returns m->err.
 */
enum quar_err	 quar_read_message(int dirfd, const char *qpath, int gz,
		    size_t max, struct quar_msg *m);
void		 quar_msg_free(struct quar_msg *);
const char	*quar_msg_strerror(const struct quar_msg *);

/*
 * RFC 2047: the encoded words of an unfolded header value (B and Q, any
 * charset iconv(3) knows) to UTF-8, adjacent ones joined; an encoded word
 * that does not decode is kept as it is.  A new NUL-terminated string.
 */
char		*rfc2047_decode(const char *, size_t, size_t *outlen);

#endif
