#include "config.h"

#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hint.h"
#include "proc.h"
#include "util.h"

void
explain_failure(const char *err, const char *prog, char *buf, size_t len)
{
	struct passwd	*pw;
	const char	*user = "USER";
	size_t		 n;

	n = strcspn(err, "\n");
	while (n > 0 && (err[n - 1] == ' ' || err[n - 1] == '\r'))
		n--;
	if (n >= len)
		n = len - 1;
	memcpy(buf, err, n);
	buf[n] = '\0';
	if (strstr(err, "Authentication required") == NULL &&
	    strstr(err, "Operation not permitted") == NULL &&
	    strstr(err, "need root privileges") == NULL)
		return;
	if ((pw = getpwuid(getuid())) != NULL)
		user = pw->pw_name;
	snprintf(buf + n, len - n, " [doas.conf: permit nopass %s cmd %s]",
	    user, prog);
}

void
explain_exit(int status, const char *err, const char *prog, char *buf,
    size_t len)
{
	char	 why[768];

	explain_failure(err, prog, why, sizeof(why));
	/* exec failed: the path in the config is wrong, or this is no relay */
	if (status == 127 && strncmp(err, prog, strlen(prog)) == 0 &&
	    strstr(err, "No such file or directory") != NULL) {
		snprintf(buf, len, "%s not found: set its path in mhtop.conf, "
		    "or try mhtop --demo", prog);
		return;
	}
	if (status == PROC_KILLED)
		snprintf(buf, len, "%s", why);
	else
		snprintf(buf, len, "exit %d%s%s", status, why[0] ? ": " : "",
		    why);
}
