/*
 * Opening a quarantine file safely, and naming what went wrong: shared by
 * the header reader (quar_read.c) and the whole-message reader
 * (quar_body.c).
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "quar_io.h"

int
quar_open(int dirfd, const char *qpath, struct stat *sb, enum quar_err *err,
    int *sys_errno)
{
	int	 fd;

	fd = openat(dirfd, qpath, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC);
	if (fd == -1) {
		*sys_errno = errno;
		*err = errno == ELOOP ? QE_NOTFILE : QE_SYS;
		return -1;
	}
	if (fstat(fd, sb) == -1) {
		*sys_errno = errno;
		*err = QE_SYS;
		close(fd);
		return -1;
	}
	if (!S_ISREG(sb->st_mode)) {
		*err = QE_NOTFILE;
		close(fd);
		return -1;
	}
	*err = QE_OK;
	return fd;
}

enum quar_err
quar_gz_err(gzFile gz, int *sys_errno)
{
	int	 zerr;

	gzerror(gz, &zerr);
	switch (zerr) {
	case Z_OK:
	case Z_STREAM_END:
		return QE_OK;
	case Z_BUF_ERROR:		/* "unexpected end of file" */
		return QE_TRUNCATED;
	case Z_ERRNO:
		*sys_errno = errno;
		return QE_SYS;
	default:
		return QE_GZIP;
	}
}

const char *
quar_err_str(enum quar_err err, int sys_errno)
{
	switch (err) {
	case QE_OK:
		return "no error";
	case QE_SYS:
		return strerror(sys_errno);
	case QE_NOTFILE:
		return "not a regular file";
	case QE_EMPTY:
		return "empty file";
	case QE_NOTMSG:
		return "not a mail message";
	case QE_TRUNCATED:
		return "truncated gzip data";
	case QE_GZIP:
		return "corrupt gzip data";
	case QE_TOOBIG:
		return "header section over 64 KB";
	}
	return "unknown error";
}
