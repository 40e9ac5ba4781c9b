/*
 * Why a command failed, in words an operator can act on: the first line of
 * its stderr, and when privileges are missing, the doas.conf(5) rule that
 * would allow it, as narrow as the command allows.
 */
#include "config.h"

#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hint.h"
#include "proc.h"
#include "sanitize.h"
#include "util.h"

static const char	*doas_missing;	/* configured, but not there */

void
hint_doas_missing(const char *path)
{
	doas_missing = path;
}

void
explain_failure(const char *err, const char *prog, const char *args,
    char *buf, size_t len)
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
	/* smtpctl show queue where smtpd never ran: no spool at all (the
	 * advice first: a header line is cut at the screen's edge) */
	if (strncmp(err, "stat: ", 6) == 0 && n > 33 && strncmp(err + n - 33,
	    "/queue: No such file or directory", 33) == 0) {
		snprintf(buf, len, "no smtpd spool (%.*s): is OpenSMTPD "
		    "installed and started? Or try mhtop --demo",
		    (int)(n - 6 - 27), err + 6);
		return;
	}
	/* amavisd-release: only root and amavis' user may use its socket */
	if (strstr(err, "Authentication required") == NULL &&
	    strstr(err, "Operation not permitted") == NULL &&
	    strstr(err, "need root privileges") == NULL &&
	    strstr(err, "Permission denied") == NULL)
		return;
	if (doas_missing != NULL) {
		snprintf(buf + n, len - n, " [not root, and %s is not "
		    "installed: run mhtop as root, or install doas]",
		    doas_missing);
		return;
	}
	if ((pw = getpwuid(getuid())) != NULL)
		user = pw->pw_name;
	if (args != NULL)
		/* doas matches args exactly: the rule for this command only */
		snprintf(buf + n, len - n, " [doas.conf: permit nopass %s as "
		    "root cmd %s args%s%s]", user, prog, *args ? " " : "",
		    args);
	else
		snprintf(buf + n, len - n, " [doas.conf: a command with an id "
		    "needs a rule without args: permit nopass %s as root cmd "
		    "%s; see mhtop(1)]", user, prog);
}

void
explain_exit(int status, const char *err, const char *prog,
    const char *args, char *buf, size_t len)
{
	char	 why[768];

	explain_failure(err, prog, args, why, sizeof(why));
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

void
badlines_add(struct badlines *b, const char *line, size_t len)
{
	size_t	 n;

	if (b->n++ > 0)
		return;
	if (line == NULL) {
		xstrlcpy(b->first, "(a line too long to read)",
		    sizeof(b->first));
		return;
	}
	/* room for "..." after a cut line */
	if (sanitize_text(line, len, b->first, sizeof(b->first) - 3) < len) {
		n = strlen(b->first);
		memcpy(b->first + n, "...", 4);
	}
}

int
explain_garbage(const struct badlines *b, size_t parsed, const char *what,
    const char *prog, char *buf, size_t len)
{
	if (parsed > 0 || b->n == 0)
		return 0;
	snprintf(buf, len, "%s: none of its %zu line%s could be parsed (is %s "
	    "the right program?); the first: %s", what, b->n,
	    b->n == 1 ? "" : "s", prog, b->first);
	return -1;
}
