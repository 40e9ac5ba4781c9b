/*
 * One quarantine file whole, for the detail view: the MIME walker
 * (mime_walk.c) needs the body that quar_read.c never reads.  Read once,
 * up to a cap, when the operator opens the message.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "quar_io.h"
#include "quarantine.h"
#include "util.h"

#define READ_CHUNK	(64 * 1024)

/* One read into buf, from the gzip stream when z; -1 with *err. */
static ssize_t
read_some(int fd, gzFile z, char *buf, size_t n, enum quar_err *err,
    int *sys_errno)
{
	ssize_t	 r;
	int	 zr;

	if (n > READ_CHUNK)
		n = READ_CHUNK;
	if (z != NULL) {
		if ((zr = gzread(z, buf, (unsigned)n)) <= 0)
			*err = quar_gz_err(z, sys_errno);
		return zr < 0 ? -1 : zr;
	}
	while ((r = read(fd, buf, n)) == -1 && errno == EINTR)
		;
	if (r == -1) {
		*sys_errno = errno;
		*err = QE_SYS;
	}
	return r;
}

enum quar_err
quar_read_message(int dirfd, const char *qpath, int gz, size_t max,
    struct quar_msg *m)
{
	struct stat	 st;
	gzFile		 z = NULL;
	size_t		 size;
	ssize_t		 n;
	char		 probe;
	int		 fd;

	memset(m, 0, sizeof(*m));
	m->buf = xmalloc(1);
	m->buf[0] = '\0';
	if ((fd = quar_open(dirfd, qpath, &st, &m->err, &m->sys_errno)) == -1)
		return m->err;
	if (gz && (z = gzdopen(fd, "rb")) == NULL) {
		close(fd);
		m->err = QE_SYS;
		m->sys_errno = ENOMEM;
		return m->err;
	}

	/* a plain file says its size; a gzipped one grows as it comes */
	if (gz || st.st_size <= 0)
		size = READ_CHUNK < max ? READ_CHUNK : max;
	else
		size = (uintmax_t)st.st_size < max ? (size_t)st.st_size : max;
	m->buf = xreallocarray(m->buf, size + 1, 1);
	for (;;) {
		if (m->len == max) {
			/* one byte more says whether the file was cut */
			n = read_some(fd, z, &probe, 1, &m->err, &m->sys_errno);
			m->cut = n > 0;
			if (n > 0)
				m->err = QE_OK;
			break;
		}
		if (m->len == size) {
			size = size > max / 2 ? max : size * 2;
			m->buf = xreallocarray(m->buf, size + 1, 1);
		}
		n = read_some(fd, z, m->buf + m->len, size - m->len, &m->err,
		    &m->sys_errno);
		if (n <= 0)
			break;
		m->len += (size_t)n;
	}
	if (z != NULL)
		gzclose(z);
	else
		close(fd);
	m->buf[m->len] = '\0';
	if (m->err == QE_OK && m->len == 0)
		m->err = QE_EMPTY;
	return m->err;
}

void
quar_msg_free(struct quar_msg *m)
{
	free(m->buf);
	m->buf = NULL;
	m->len = 0;
}

const char *
quar_msg_strerror(const struct quar_msg *m)
{
	return quar_err_str(m->err, m->sys_errno);
}
