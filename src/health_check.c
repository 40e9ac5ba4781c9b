/*
 * The health checks that answer at once: a pid file, a local socket, the
 * process table.  Each says up, down or unknown, and why in a few words.
 * Down is only said when the answer is sure: a missing pid file in a
 * directory that is there (a daemon removes it when it stops), a socket
 * that refuses, no process of the name.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef __OpenBSD__
#include <sys/sysctl.h>
#endif

#include "health.h"
#include "util.h"

/* Whether the directory of path is there: a file missing in it is news. */
static int
dir_there(const char *path)
{
	char		 dir[1024], *slash;
	struct stat	 st;

	if (xstrlcpy(dir, path, sizeof(dir)) >= sizeof(dir))
		return 0;
	if ((slash = strrchr(dir, '/')) == NULL)
		return 0;
	if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	return stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
}

static enum health_state
missing(const char *path, char *why, size_t len)
{
	if (dir_there(path)) {
		snprintf(why, len, "no %s", path);
		return HEALTH_DOWN;
	}
	snprintf(why, len, "no directory for %s", path);
	return HEALTH_UNKNOWN;
}

enum health_state
health_pidfile(const char *path, char *why, size_t len)
{
	char	 buf[32], *end;
	ssize_t	 n;
	long	 pid;
	int	 fd;

	if ((fd = open(path, O_RDONLY | O_NONBLOCK)) == -1) {
		if (errno == ENOENT)
			return missing(path, why, len);
		snprintf(why, len, "%s: %s", path, strerror(errno));
		return HEALTH_UNKNOWN;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0) {
		/* written at start, before the pid: or an empty stale file */
		snprintf(why, len, "%s is empty", path);
		return HEALTH_UNKNOWN;
	}
	buf[n] = '\0';
	errno = 0;
	pid = strtol(buf, &end, 10);
	if (errno != 0 || end == buf || pid <= 1 || pid > 0x7fffffffL ||
	    (*end != '\0' && *end != '\n' && *end != ' ')) {
		snprintf(why, len, "no pid in %s", path);
		return HEALTH_UNKNOWN;
	}
	if (kill((pid_t)pid, 0) == 0 || errno == EPERM) {
		snprintf(why, len, "pid %ld", pid);
		return HEALTH_UP;
	}
	snprintf(why, len, "pid %ld gone", pid);
	return HEALTH_DOWN;
}

enum health_state
health_socket(const char *path, char *why, size_t len)
{
	struct sockaddr_un	 sun;
	enum health_state	 st;
	int			 fd, e;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (xstrlcpy(sun.sun_path, path, sizeof(sun.sun_path)) >=
	    sizeof(sun.sun_path)) {
		snprintf(why, len, "socket path too long");
		return HEALTH_UNKNOWN;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1) {
		snprintf(why, len, "socket: %s", strerror(errno));
		return HEALTH_UNKNOWN;
	}
	/* a full backlog must not block the screen: busy is up */
	if (fcntl(fd, F_SETFL, O_NONBLOCK) == -1) {
		close(fd);
		snprintf(why, len, "fcntl: %s", strerror(errno));
		return HEALTH_UNKNOWN;
	}
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0 ||
	    errno == EAGAIN || errno == EINPROGRESS) {
		close(fd);
		snprintf(why, len, "%s answers", path);
		return HEALTH_UP;
	}
	e = errno;
	close(fd);
	if (e == ENOENT)
		return missing(path, why, len);
	if (e == ECONNREFUSED) {
		snprintf(why, len, "%s refuses", path);
		st = HEALTH_DOWN;
	} else {
		snprintf(why, len, "%s: %s", path, strerror(e));
		st = HEALTH_UNKNOWN;
	}
	return st;
}

#if defined(__linux__)
/* /proc/PID/comm of every process: a few hundred small reads. */
enum health_state
health_process(const char *name, char *why, size_t len)
{
	DIR		*d;
	struct dirent	*de;
	char		 path[300], comm[32];
	size_t		 nl = strlen(name);
	ssize_t		 n;
	int		 fd, found = 0;

	if ((d = opendir("/proc")) == NULL) {
		snprintf(why, len, "/proc: %s", strerror(errno));
		return HEALTH_UNKNOWN;
	}
	while (!found && (de = readdir(d)) != NULL) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", de->d_name);
		if ((fd = open(path, O_RDONLY)) == -1)
			continue;
		n = read(fd, comm, sizeof(comm));
		close(fd);
		/* "name\n"; the kernel keeps 15 bytes of it */
		if (n > 0 && comm[n - 1] == '\n')
			n--;
		found = n > 0 && ((size_t)n == nl || (n == 15 && nl > 15)) &&
		    memcmp(comm, name, (size_t)n) == 0;
	}
	closedir(d);
	if (found) {
		snprintf(why, len, "a %s process", name);
		return HEALTH_UP;
	}
	snprintf(why, len, "no %s process", name);
	return HEALTH_DOWN;
}
#elif defined(__OpenBSD__)
/* The process table, as ps(1) reads it: pledge "ps". */
enum health_state
health_process(const char *name, char *why, size_t len)
{
	int			 mib[6] = { CTL_KERN, KERN_PROC, KERN_PROC_ALL,
				    0, sizeof(struct kinfo_proc), 0 };
	struct kinfo_proc	*kp = NULL;
	size_t			 size = 0, i, n;
	int			 found = 0, tries;

	for (tries = 0; tries < 3; tries++) {
		if (sysctl(mib, 6, NULL, &size, NULL, 0) == -1)
			break;
		size += size / 4;
		kp = xreallocarray(kp, 1, size);
		mib[5] = (int)(size / sizeof(*kp));
		if (sysctl(mib, 6, kp, &size, NULL, 0) == 0)
			break;
		if (errno != ENOMEM) {
			tries = 3;
			break;
		}
	}
	if (tries == 3 || kp == NULL) {
		free(kp);
		snprintf(why, len, "process table: %s", strerror(errno));
		return HEALTH_UNKNOWN;
	}
	n = size / sizeof(*kp);
	for (i = 0; i < n && !found; i++)
		found = strncmp(kp[i].p_comm, name, sizeof(kp[i].p_comm)) ==
		    0;
	free(kp);
	if (found) {
		snprintf(why, len, "a %s process", name);
		return HEALTH_UP;
	}
	snprintf(why, len, "no %s process", name);
	return HEALTH_DOWN;
}
#else
enum health_state
health_process(const char *name, char *why, size_t len)
{
	(void)name;
	snprintf(why, len, "no process table here");
	return HEALTH_UNKNOWN;
}
#endif
