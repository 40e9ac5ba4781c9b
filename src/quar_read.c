/*
 * One quarantine file's header section, read without the body: open,
 * read (through zlib for a .gz name) until the blank line or the cap,
 * close.  A file that is not what it should be says so in h->err.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "quar_io.h"
#include "quarantine.h"
#include "util.h"

#define READ_FIRST	4096	/* most headers fit: amavis' are ~1.2 KB */

/* Whether buf holds a blank line, looking from *from on. */
static int
head_ended(const char *buf, size_t len, size_t *from)
{
	size_t	 i = *from;

	if (i == 0 && len > 0 && buf[0] == '\n')
		return 1;
	for (; i < len; i++) {
		if (buf[i] != '\n')
			continue;
		if (i + 1 < len && buf[i + 1] == '\n')
			return 1;
		if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n')
			return 1;
	}
	/* "\n" + "\r\n" may straddle two reads */
	*from = len >= 2 ? len - 2 : 0;
	return 0;
}

enum quar_err
quar_read_head(int dirfd, const char *qpath, int gz, struct quar_head *h,
    struct stat *sb)
{
	struct stat	 st;
	gzFile		 z = NULL;
	char		*buf;
	size_t		 len = 0, size = READ_FIRST, from = 0;
	enum quar_err	 ioerr = QE_OK;
	int		 fd, n, sys_errno = 0;

	if ((fd = quar_open(dirfd, qpath, &st, &ioerr, &sys_errno)) == -1) {
		quar_parse_head("", 0, h);
		h->err = ioerr;
		h->sys_errno = sys_errno;
		return h->err;
	}
	if (sb != NULL)
		*sb = st;

	if (gz) {
		if ((z = gzdopen(fd, "rb")) == NULL) {
			close(fd);
			quar_parse_head("", 0, h);
			h->err = QE_SYS;
			h->sys_errno = ENOMEM;
			return h->err;
		}
		gzbuffer(z, READ_FIRST);
	}
	buf = xmalloc(size);
	for (;;) {
		if (len == size) {
			if (size == QUAR_HEAD_MAX + 1)
				break;
			size = size * 2 > QUAR_HEAD_MAX + 1 ?
			    QUAR_HEAD_MAX + 1 : size * 2;
			buf = xreallocarray(buf, size, 1);
		}
		if (z != NULL)
			n = gzread(z, buf + len, (unsigned)(size - len));
		else
			n = (int)read(fd, buf + len, size - len);
		if (n == -1 && z == NULL && errno == EINTR)
			continue;
		if (n == -1 && z == NULL) {
			sys_errno = errno;
			ioerr = QE_SYS;
			break;
		}
		if (n <= 0) {
			if (z != NULL)
				ioerr = quar_gz_err(z, &sys_errno);
			break;
		}
		len += (size_t)n;
		if (head_ended(buf, len, &from))
			break;
	}
	if (z != NULL)
		gzclose(z);
	else
		close(fd);

	quar_parse_head(buf, len, h);
	free(buf);
	if (ioerr != QE_OK) {
		h->err = ioerr;
		h->sys_errno = sys_errno;
	}
	return h->err;
}

const char *
quar_strerror(const struct quar_head *h)
{
	return quar_err_str(h->err, h->sys_errno);
}
