/*
 * What quar_read.c and quar_body.c share: opening a quarantine file as
 * amavis left it, and what a zlib error means for it.
 */
#ifndef MHTOP_QUAR_IO_H
#define MHTOP_QUAR_IO_H

#include <zlib.h>

#include "quarantine.h"

struct stat;

/*
 * qpath under dirfd, for reading: a regular file, a link not followed, a
 * FIFO not waited on.  The fd, and its fstat(2) in *sb; or -1 with *err
 * (QE_SYS with *sys_errno, or QE_NOTFILE).
 */
int		 quar_open(int dirfd, const char *qpath, struct stat *sb,
		    enum quar_err *err, int *sys_errno);
/* What a gzFile's last error means here; errno kept for Z_ERRNO. */
enum quar_err	 quar_gz_err(gzFile, int *sys_errno);
/* One line of the UI for err ("truncated gzip data"...). */
const char	*quar_err_str(enum quar_err err, int sys_errno);

#endif
