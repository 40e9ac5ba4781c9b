/*
 * libFuzzer: quarantine files.  The input is a file's contents: parsed in
 * memory by quar_parse_head, and written to a file read back by
 * quar_read_head (gunzipped when the first byte is odd), which must agree
 * with the parse in memory for a plain file.  Every field must be a string
 * inside the result, lists as long as they say.  Its first line is also a
 * name for quar_name_parse and quar_qpath_ok, and the whole is fed to
 * rfc2047_decode.  Built by run.sh.
 */
#include "config.h"

#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "provider.h"		/* CELL_NONE */
#include "quarantine.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: invariant failed: %s\n",	\
		    __FILE__, __LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

static int	 dfd = -1;
static char	 dir[] = "/tmp/mhtop-fuzzq.XXXXXX";

static void
cleanup(void)
{
	unlinkat(dfd, "spam-FUZZ", 0);
	rmdir(dir);
}

static void
check_head(const struct quar_head *h, size_t len)
{
	const char	*s;
	uint32_t	 i, n;
	int		 f;

	CHECK(h->buf != NULL && h->buf[0] == '\0');
	CHECK(h->hdrlen <= len && h->hdrlen <= QUAR_HEAD_MAX);
	CHECK(h->err >= QE_OK && h->err <= QE_TOOBIG);
	CHECK((h->flags & ~(unsigned)QH_ENDED) == 0);
	CHECK(!(h->flags & QH_ENDED) || h->err == QE_OK);
	for (f = 0; f < QF_NFIELDS; f++) {
		s = quar_field(h, (enum quar_field)f);
		n = f == QF_ENV_FROM ? h->nfrom : f == QF_ENV_TO ? h->nto :
		    f == QF_ENV_BLOCKED ? h->nblocked : 1;
		if (n == 0)
			CHECK(s == h->buf);
		/* ASan sees a string that runs off the buffer */
		for (i = 0; i < n; i++)
			s = quar_list_next(s);
	}
	/* tests are a list without spaces, as amavis logs them */
	CHECK(strpbrk(quar_field(h, QF_TESTS), " \t\n") == NULL);
	CHECK(h->score == CELL_NONE ||
	    (h->score > -1000000000000000000LL &&
	    h->score < 1000000000000000000LL));
}

static void
same_head(const struct quar_head *a, const struct quar_head *b)
{
	int	 f;

	CHECK(a->err == b->err);
	CHECK(a->hdrlen == b->hdrlen && a->flags == b->flags);
	CHECK(a->nfrom == b->nfrom && a->nto == b->nto &&
	    a->nblocked == b->nblocked && a->score == b->score);
	for (f = 0; f < QF_NFIELDS; f++)
		CHECK(strcmp(quar_field(a, (enum quar_field)f),
		    quar_field(b, (enum quar_field)f)) == 0);
}

static int
allowed(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '/' || c == '.' || c == '_' ||
	    c == '+' || c == '-';
}

static void
check_name(const char *s)
{
	struct quar_name	 qn;
	char			 again[QUAR_QPATH_MAX * 2];
	const char		*p;
	int			 ok = quar_qpath_ok(s), slashes = 0;

	if (ok) {
		CHECK(strlen(s) < QUAR_QPATH_MAX);
		CHECK(s[0] != '/' && s[0] != '-' && s[0] != '.');
		CHECK(strstr(s, "..") == NULL);
		for (p = s; *p != '\0'; p++) {
			CHECK(allowed((unsigned char)*p));
			slashes += *p == '/';
		}
		CHECK(slashes <= 1);
	}
	if (quar_name_parse(s, &qn) == -1) {
		CHECK(qn.qpath[0] == '\0');
		return;
	}
	CHECK(ok);
	CHECK(strcmp(qn.qpath, s) == 0);
	CHECK(qn.type[0] != '\0' && qn.mail_id[0] != '\0');
	CHECK(strchr(qn.type, '-') == NULL);
	if (qn.hashed)
		snprintf(again, sizeof(again), "%.*s/%s-%s%s",
		    (int)(strchr(s, '/') - s), s, qn.type, qn.mail_id,
		    qn.gz ? ".gz" : "");
	else
		snprintf(again, sizeof(again), "%s-%s%s", qn.type, qn.mail_id,
		    qn.gz ? ".gz" : "");
	CHECK(strcmp(again, s) == 0);
	CHECK((qn.kind == QT_SPAM) == (strcmp(qn.type, "spam") == 0));
	CHECK((qn.kind == QT_OTHER) == (strcmp(qn.type, "spam") != 0 &&
	    strcmp(qn.type, "virus") != 0 && strcmp(qn.type, "banned") != 0 &&
	    strcmp(qn.type, "badh") != 0));
}

static void
check_file(const char *p, size_t len, const struct quar_head *mem)
{
	struct quar_head	 h;
	int			 fd, gz = len > 0 && (p[0] & 1);

	if (dfd == -1) {
		CHECK(mkdtemp(dir) != NULL);
		CHECK((dfd = open(dir, O_RDONLY | O_DIRECTORY)) != -1);
		atexit(cleanup);
	}
	fd = openat(dfd, "spam-FUZZ", O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK(fd != -1);
	CHECK(write(fd, p, len) == (ssize_t)len);
	close(fd);
	quar_read_head(dfd, "spam-FUZZ", gz, &h, NULL);
	check_head(&h, gz ? QUAR_HEAD_MAX + 1 : len);
	CHECK(h.err != QE_SYS && h.err != QE_NOTFILE);
	if (!gz)
		same_head(&h, mem);
	quar_head_free(&h);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct quar_head	 h, cut;
	const char		*p = (const char *)data, *nl;
	char			*copy, *dec, name[QUAR_QPATH_MAX * 2];
	size_t			 declen, n;

	/* in a buffer of exactly its size: ASan sees overreads */
	copy = malloc(size ? size : 1);
	memcpy(copy, p, size);
	quar_parse_head(copy, size, &h);
	check_head(&h, size);
	if (size == 0)
		CHECK(h.err == QE_EMPTY);

	/* what follows the header section changes nothing */
	if (h.flags & QH_ENDED) {
		n = h.hdrlen + (copy[h.hdrlen] == '\r' ? 2 : 1);
		CHECK(n <= size);
		quar_parse_head(copy, n, &cut);
		same_head(&cut, &h);
		quar_head_free(&cut);
	}
	check_file(copy, size, &h);
	quar_head_free(&h);

	dec = rfc2047_decode(copy, size, &declen);
	CHECK(strlen(dec) == declen);
	if (memmem(copy, size, "=?", 2) == NULL &&
	    memchr(copy, '\0', size) == NULL)
		CHECK(declen == size && memcmp(dec, copy, size) == 0);
	free(dec);
	free(copy);

	nl = memchr(p, '\n', size);
	n = nl != NULL ? (size_t)(nl - p) : size;
	if (n >= sizeof(name))
		n = sizeof(name) - 1;
	memcpy(name, p, n);
	name[n] = '\0';
	check_name(name);
	return 0;
}
