/*
 * quarantine_gen: a big amavisd-new quarantine for bench/quarantine.sh, in
 * the hashed layout ($quarantine_subdir_levels = 1).
 *
 *   quarantine_gen DIR N FIRST NOW SPAN
 *
 * Makes the 62 directories 0-9 A-Z a-z under DIR, as amavis does on first
 * use, and N files numbered from FIRST (so that a second call adds files
 * no first call made): spam-MAILID.gz gzipped, virus-, banned- and badh-
 * plain, in the shares of a busy smarthost.  Each file is what amavis
 * writes (see tests/fixtures/amavis/quarantine/): Return-Path,
 * Delivered-To, the X-Envelope-* lines (a recipient in eight has company,
 * up to 40, folded as amavis folds them), X-Quarantine-ID, an
 * X-Amavis-Alert for what is not spam, the X-Spam-* lines with a folded
 * tests list, amavis' Received line and two to five more, then the
 * message's own header (From and Subject plain, RFC 2047 B or Q encoded,
 * or folded) and a body of 300 bytes to 200 KB, most a few KB.  mtimes
 * run over the SPAN seconds that end at NOW.  The same arguments make the
 * same tree.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#define HDR_MAX		(64 * 1024)
#define BODY_MAX	(256 * 1024)

static const char alnum[] =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
static const char idchars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

static const char *const words[] = {
	"invoice", "account", "payment", "offer", "limited", "free", "urgent",
	"meeting", "report", "delivery", "package", "order", "confirm",
	"update", "your", "the", "now", "today", "winner", "bonus", "credit",
	"password", "security", "notice", "final", "reminder", "quarterly",
	"shipment", "tracking", "refund", "claim", "prize", "exclusive",
	"discount", "pharmacy", "loan", "approved", "verify", "statement",
	"project", "schedule", "review", "draft", "attached", "please",
};
static const char *const utf8[] = {
	"Rechnung f\xc3\xbcr Ihre Bestellung",
	"Votre colis est arriv\xc3\xa9",
	"\xd0\x92\xd0\xb0\xd1\x88 \xd1\x81\xd1\x87\xd0\xb5\xd1\x82",
	"\xe8\xab\x8b\xe6\xb1\x82\xe6\x9b\xb8\xe3\x81\xae\xe3\x81\x94"
	    "\xe6\xa1\x88\xe5\x86\x85",
	"Gro\xc3\x9f" "artiges Angebot \xe2\x82\xac 99",
	"\xc2\xa1Oferta \xc3\xbanica!",
};
static const char *const latin1[] = {	/* ISO-8859-1, Q-encoded */
	"Pr=E4sentation_f=FCr_Montag",
	"Caf=E9_cr=E8me_offert",
	"=C0_votre_attention",
};
static const char *const domains[] = {
	"spam.example", "sender.example", "bulk.example.net",
	"mailer.example.com", "news.example.org", "promo.example",
	"example.co.uk", "shop.example", "bank.example.com",
};
static const char *const tests[] = {
	"BAYES_99=3.5", "BAYES_999=0.2", "DKIM_SIGNED=0.1", "DKIM_VALID=-0.1",
	"HTML_MESSAGE=0.001", "MIME_HTML_ONLY=0.1", "RCVD_IN_DNSWL_NONE=-0.0001",
	"SPF_HELO_NONE=0.001", "SPF_PASS=-0.001", "URIBL_BLOCKED=0.001",
	"RDNS_NONE=0.793", "FREEMAIL_FROM=0.001", "HTML_FONT_LOW_CONTRAST=0.001",
	"URIBL_ABUSE_SURBL=1.948", "URIBL_DBL_SPAM=2.5", "PYZOR_CHECK=1.985",
	"RAZOR2_CHECK=1.729", "DCC_CHECK=1.1", "MISSING_MID=0.497",
	"TVD_SPACE_RATIO=0.001", "RCVD_ILLEGAL_IP=1.3", "GTUBE=1000",
};
static const char *const viruses[] = {
	"Eicar-Test-Signature", "Win.Trojan.Agent-1234567",
	"Doc.Dropper.Agent-6958364", "Html.Phishing.Bank-123",
	"Js.Downloader.Nemucod-9876", "Xls.Malware.Emotet-7720",
};
static const char *const banned[] = {
	"application/octet-stream,invoice.pdf.exe",
	"application/x-msdownload,.exe,.exe-ms,setup.exe",
	"application/zip,.zip,payment.zip | application/x-msdownload,.exe,"
	    "payment.scr",
	"text/html,.html,.asc,document.html",
	"application/vnd.ms-excel,.doc,.xls,report.xls",
};
static const char *const badh[] = {
	"Duplicate header field: \"Subject\"",
	"Duplicate header field: \"Date\"",
	"Improper use of control character (char 0D hex): Subject: Re\\r",
	"Non-encoded non-ASCII data (and not UTF-8) (char E9 hex): From: "
	    "Caf\\xE9 <cafe@shop.example>",
	"Missing required header field: \"Date\"",
};

static uint64_t	 rng_state;

static uint32_t
rnd(void)
{
	/* xorshift64*: the same seed, the same tree */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 2685821657736338717ULL) >> 32);
}

static uint32_t
below(uint32_t n)
{
	return rnd() % n;
}

#define PICK(a)	((a)[below(sizeof(a) / sizeof((a)[0]))])

struct buf {
	char	*s;
	size_t	 len, cap;
};

static void
put(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
put(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= b->cap - b->len)
		errx(1, "buffer full");
	b->len += (size_t)n;
}

static void
b64(const char *s, char *out)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t		 len = strlen(s), i;
	const uint8_t	*p = (const uint8_t *)s;
	uint32_t	 v;

	for (i = 0; i + 2 < len; i += 3, p += 3) {
		v = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
		*out++ = tab[v >> 18];
		*out++ = tab[(v >> 12) & 63];
		*out++ = tab[(v >> 6) & 63];
		*out++ = tab[v & 63];
	}
	if (len - i == 1) {
		v = (uint32_t)p[0] << 16;
		*out++ = tab[v >> 18];
		*out++ = tab[(v >> 12) & 63];
		*out++ = '=';
		*out++ = '=';
	} else if (len - i == 2) {
		v = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8;
		*out++ = tab[v >> 18];
		*out++ = tab[(v >> 12) & 63];
		*out++ = tab[(v >> 6) & 63];
		*out++ = '=';
	}
	*out = '\0';
}

static void
phrase(char *out, size_t len, int n)
{
	size_t	 k = 0;
	int	 i, w;

	out[0] = '\0';
	for (i = 0; i < n; i++) {
		w = snprintf(out + k, len - k, "%s%s", i ? " " : "",
		    PICK(words));
		if (w < 0 || (size_t)w >= len - k)
			break;
		k += (size_t)w;
	}
	if (out[0] >= 'a' && out[0] <= 'z')
		out[0] -= 'a' - 'A';
}

static void
address(char *out, size_t len, const char *who, uint32_t n)
{
	snprintf(out, len, "%s%u@%s", who, n, PICK(domains));
}

/* A Subject line, possibly encoded or folded. */
static void
subject(struct buf *b)
{
	char	 text[256], enc[512];

	switch (below(10)) {
	case 0:
	case 1:
		b64(PICK(utf8), enc);
		put(b, "Subject: =?UTF-8?B?%s?=\n", enc);
		break;
	case 2:
		put(b, "Subject: =?ISO-8859-1?Q?%s?=\n", PICK(latin1));
		break;
	case 3:
		/* a long one, folded: two encoded words */
		b64(PICK(utf8), enc);
		phrase(text, sizeof(text), 4);
		put(b, "Subject: %s\n =?UTF-8?B?%s?=\n", text, enc);
		break;
	case 4:
		phrase(text, sizeof(text), 8 + (int)below(8));
		put(b, "Subject: Re: %.*s\n\t%s\n", 40, text,
		    strlen(text) > 40 ? text + 40 : "again");
		break;
	default:
		phrase(text, sizeof(text), 2 + (int)below(7));
		put(b, "Subject: %s\n", text);
		break;
	}
}

/* Recipients: "<a>, <b>,\n <c>" as amavis folds a long list. */
static void
rcpts(struct buf *b, const char *field, char rcpt[][96], int n)
{
	size_t	 col;
	int	 i;

	put(b, "%s:", field);
	col = strlen(field) + 1;
	for (i = 0; i < n; i++) {
		if (i > 0 && col + strlen(rcpt[i]) + 4 > 78) {
			put(b, ",\n");
			col = 0;
		} else if (i > 0) {
			put(b, ",");
			col++;
		}
		put(b, " <%s>", rcpt[i]);
		col += strlen(rcpt[i]) + 3;
	}
	put(b, "\n");
}

static void
rfc2822_date(char *out, size_t len, time_t t)
{
	struct tm	 tm;

	gmtime_r(&t, &tm);
	strftime(out, len, "%a, %d %b %Y %H:%M:%S +0000 (UTC)", &tm);
}

static size_t
body_size(void)
{
	uint32_t	 r = below(1000);

	if (r < 600)
		return 300 + below(3000);
	if (r < 900)
		return 3000 + below(12000);
	if (r < 990)
		return 15000 + below(60000);
	return 75000 + below(125000);
}

static void
body(struct buf *b, int kind)
{
	size_t	 want = body_size(), line = 0;

	if (kind == 2) {		/* banned: an attachment */
		put(b, "--BOUNDARY\nContent-Type: text/plain\n\nSee the "
		    "attachment.\n\n--BOUNDARY\nContent-Type: "
		    "application/octet-stream; name=\"invoice.pdf.exe\"\n"
		    "Content-Transfer-Encoding: base64\n\n");
		while (b->len < b->cap - 100 && want > 0) {
			put(b, "TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAAAAAA"
			    "AAAAAAAAAAAAAAAAAAAAAAAAAA%04X\n", rnd() & 0xffff);
			want = want > 77 ? want - 77 : 0;
		}
		put(b, "--BOUNDARY--\n");
		return;
	}
	while (want > 0 && b->len < b->cap - 100) {
		const char	*w = PICK(words);
		size_t		 n = strlen(w) + 1;

		put(b, "%s%s", w, line + n > 72 ? "\n" : " ");
		line = line + n > 72 ? 0 : line + n;
		want = want > n ? want - n : 0;
	}
	put(b, "\n");
}

static void
message(struct buf *b, int kind, const char *id, time_t when)
{
	static const char *const dto[] = { "spam-quarantine",
	    "virus-quarantine", "banned-quarantine", "bad-header-quarantine" };
	char		 rcpt[40][96], from[96], date[64], text[256], enc[512];
	int		 nrcpt = 1, i, nrecv, ntests;
	uint32_t	 score;

	if (below(8) == 0)
		nrcpt = 2 + (int)(below(4) == 0 ? below(39) : below(5));
	for (i = 0; i < nrcpt; i++)
		address(rcpt[i], sizeof(rcpt[i]), "user", below(5000));
	if (below(20) == 0)
		from[0] = '\0';			/* a bounce: <> */
	else
		address(from, sizeof(from), PICK(words), below(100000));
	rfc2822_date(date, sizeof(date), when);

	put(b, "Return-Path: <%s>\n", from);
	put(b, "Delivered-To: %s\n", dto[kind]);
	put(b, "X-Envelope-From: <%s>\n", from);
	rcpts(b, "X-Envelope-To", rcpt, nrcpt);
	/* a recipient who wants spam is not blocked */
	rcpts(b, "X-Envelope-To-Blocked", rcpt,
	    nrcpt > 2 && below(2) ? nrcpt - 1 : nrcpt);
	put(b, "X-Quarantine-ID: <%s>\n", id);
	switch (kind) {
	case 1:
		put(b, "X-Amavis-Alert: INFECTED, message contains virus: "
		    "%s\n", PICK(viruses));
		break;
	case 2:
		put(b, "X-Amavis-Alert: BANNED, message contains\n %s\n",
		    PICK(banned));
		break;
	case 3:
		put(b, "X-Amavis-Alert: BAD HEADER SECTION, %s\n", PICK(badh));
		break;
	}
	if (kind == 0) {
		score = 6000 + below(40000);
		put(b, "X-Spam-Flag: YES\nX-Spam-Score: %u.%03u\n",
		    score / 1000, score % 1000);
		put(b, "X-Spam-Level: ");
		for (i = 0; i < (int)(score / 1000) && i < 64; i++)
			put(b, "*");
		put(b, "\nX-Spam-Status: Yes, score=%u.%03u tag=2 tag2=5 "
		    "kill=6.9 tests=[", score / 1000, score % 1000);
		ntests = 2 + (int)below(8);
		for (i = 0; i < ntests; i++)
			put(b, "%s%s", i == 0 ? "" : i % 3 == 0 ? ",\n\t" : ", ",
			    PICK(tests));
		put(b, "] autolearn=no autolearn_force=no\n");
	} else
		put(b, "X-Spam-Flag: NO\nX-Spam-Score: 0\nX-Spam-Level:\n"
		    "X-Spam-Status: No, score=x tag=x tag2=x kill=x tests=[] "
		    "autolearn=unavailable\n");
	put(b, "Received: from mx.example.org ([127.0.0.1])\n by localhost "
	    "(mx.example.org [127.0.0.1]) (amavis, port 10024) with ESMTP\n"
	    " id %s for <%s>; %s\n", id, rcpt[0], date);
	nrecv = 2 + (int)below(4);
	for (i = 0; i < nrecv; i++)
		put(b, "Received: from mail%u.%s (mail.%s [198.51.100.%u])\n"
		    "\tby mx%d.example.org (OpenSMTPD) with ESMTPS id %08x\n"
		    "\tfor <%s>; %s\n", below(100), PICK(domains),
		    PICK(domains), 1 + below(254), i, rnd(), rcpt[0], date);
	switch (below(6)) {
	case 0:
		b64(PICK(utf8), enc);
		put(b, "From: =?UTF-8?B?%s?= <%s>\n", enc, from);
		break;
	case 1:
		put(b, "From: <%s>\n", from);
		break;
	default:
		phrase(text, sizeof(text), 2);
		put(b, "From: \"%s\" <%s>\n", text, from);
		break;
	}
	put(b, "To: %s\n", rcpt[0]);
	subject(b);
	if (kind == 3 && below(2))
		subject(b);		/* the duplicate Subject it is held for */
	put(b, "Date: %s\n", date);
	put(b, "Message-ID: <%08x.%s@%s>\n", rnd(), id, PICK(domains));
	put(b, "MIME-Version: 1.0\n");
	if (kind == 2)
		put(b, "Content-Type: multipart/mixed; boundary=\"BOUNDARY\"\n");
	else
		put(b, "Content-Type: text/plain; charset=utf-8\n");
	put(b, "\n");
	body(b, kind);
}

static void
write_file(const char *path, const struct buf *b, int gz, time_t mtime)
{
	struct timespec	 ts[2];
	gzFile		 z;
	int		 fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0640)) == -1)
		err(1, "%s", path);
	if (gz) {
		if ((z = gzdopen(fd, "wb6")) == NULL)
			errx(1, "%s: gzdopen", path);
		if (gzwrite(z, b->s, (unsigned)b->len) != (int)b->len ||
		    gzclose(z) != Z_OK)
			errx(1, "%s: gzwrite", path);
	} else {
		if (write(fd, b->s, b->len) != (ssize_t)b->len)
			err(1, "%s", path);
		close(fd);
	}
	ts[0].tv_sec = ts[1].tv_sec = mtime;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	if (utimensat(AT_FDCWD, path, ts, 0) == -1)
		err(1, "%s", path);
}

int
main(int argc, char *argv[])
{
	static const char *const prefix[] = { "spam", "virus", "banned",
	    "badh" };
	struct buf	 b;
	char		 path[4096], id[13];
	unsigned long	 n, first, i, k;
	time_t		 now, span, when;
	uint32_t	 r;
	int		 kind;

	if (argc != 6) {
		fprintf(stderr, "usage: quarantine_gen DIR N FIRST NOW SPAN\n");
		return 2;
	}
	n = strtoul(argv[2], NULL, 10);
	first = strtoul(argv[3], NULL, 10);
	now = (time_t)strtoll(argv[4], NULL, 10);
	span = (time_t)strtoll(argv[5], NULL, 10);
	if (span < 1)
		span = 1;
	for (i = 0; i < sizeof(alnum) - 1; i++) {
		snprintf(path, sizeof(path), "%s/%c", argv[1], alnum[i]);
		if (mkdir(path, 0750) == -1 && errno != EEXIST)
			err(1, "%s", path);
	}
	b.cap = HDR_MAX + BODY_MAX;
	if ((b.s = malloc(b.cap)) == NULL)
		err(1, NULL);
	for (i = first; i < first + n; i++) {
		rng_state = 0x9e3779b97f4a7c15ULL * (i + 1);
		rnd();
		r = below(100);
		kind = r < 75 ? 0 : r < 80 ? 1 : r < 90 ? 2 : 3;
		/* 12 characters; the number in 2-5 keeps them distinct */
		id[0] = alnum[below(sizeof(alnum) - 1)];
		id[1] = idchars[below(64)];
		for (k = 0; k < 4; k++)
			id[2 + k] = idchars[(i >> (6 * k)) & 63];
		for (k = 6; k < 12; k++)
			id[k] = idchars[below(64)];
		id[12] = '\0';
		b.len = 0;
		when = now - (time_t)(rnd() % (uint32_t)span);
		message(&b, kind, id, when);
		snprintf(path, sizeof(path), "%s/%c/%s-%s%s", argv[1], id[0],
		    prefix[kind], id, kind == 0 ? ".gz" : "");
		write_file(path, &b, kind == 0, when);
	}
	free(b.s);
	return 0;
}
