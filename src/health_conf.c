/* The health line's configuration: "health SERVICE HOW [ARG...]". */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "health.h"
#include "util.h"

const char *const health_svc_names[HS_NSVC] = { "smtpd", "spamd", "amavisd" };

#define SILENCE_DEFAULT	600		/* s */
#define FREE_DEFAULT	(1LL << 30)	/* bytes */

void
health_conf_init(struct health_conf *hc)
{
	memset(hc, 0, sizeof(*hc));
	hc->silence = SILENCE_DEFAULT;
	hc->free_min = FREE_DEFAULT;
}

void
health_conf_free(struct health_conf *hc)
{
	size_t	 i;

	for (i = 0; i < HS_NSVC; i++) {
		free(hc->svc[i].arg);
		hc->svc[i].arg = NULL;
	}
}

long long
health_parse_size(const char *s)
{
	char		*end;
	long long	 v;
	int		 shift = 0;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0)
		return -1;
	switch (*end) {
	case '\0':
		break;
	case 'K': case 'k':
		shift = 10;
		break;
	case 'M': case 'm':
		shift = 20;
		break;
	case 'G': case 'g':
		shift = 30;
		break;
	case 'T': case 't':
		shift = 40;
		break;
	default:
		return -1;
	}
	if (*end != '\0' && end[1] != '\0')
		return -1;
	if (v > (1LL << 52) >> shift)
		return -1;
	return v << shift;
}

/* 1536 -> "1.5K", 21474836480 -> "20G": three digits at most. */
size_t
health_fmt_size(long long v, char *buf, size_t len)
{
	static const char	 units[] = "BKMGTP";
	double			 d = (double)v;
	size_t			 u = 0;
	int			 n;

	while (d >= 1000 && u < sizeof(units) - 2) {
		d /= 1024;
		u++;
	}
	if (u == 0)
		n = snprintf(buf, len, "%lldB", v);
	else if (d < 9.95 && d != (double)(long long)d)
		n = snprintf(buf, len, "%.1f%c", d, units[u]);
	else
		n = snprintf(buf, len, "%.0f%c", d, units[u]);
	return n < 0 ? 0 : (size_t)n >= len ? len - 1 : (size_t)n;
}

/* A port number, or a service's number: digits only, no lookup. */
static int
port_ok(const char *s)
{
	char	*end;
	long	 v;

	if (*s < '0' || *s > '9' || strlen(s) > 5)
		return 0;
	v = strtol(s, &end, 10);
	return *end == '\0' && v >= 1 && v <= 65535;
}

int
health_conf_line(struct health_conf *hc, const char *line, char *err,
    size_t errlen)
{
	char			*buf = xstrdup(line), *rest = buf, *w[4];
	struct health_spec	*sp;
	size_t			 n = 0, i;
	long			 span;
	int			 rc = -1;

	while (n < nitems(w) && (w[n] = strsep(&rest, " \t")) != NULL)
		if (*w[n] != '\0')
			n++;
	while (rest != NULL && (w[3] = strsep(&rest, " \t")) != NULL)
		if (*w[3] != '\0') {
			n = nitems(w) + 1;
			break;
		}
	if (n < 2) {
		snprintf(err, errlen, "not a service and a check: %s", line);
		goto out;
	}
	if (strcmp(w[0], "maillog") == 0) {
		if (n == 2 && strcmp(w[1], "none") == 0)
			hc->silence = -1;
		else if (n == 2 && conf_parse_span(w[1], &span) == 0)
			hc->silence = span;
		else {
			snprintf(err, errlen, "maillog: not a time span (10m, "
			    "1h) or none: %s", w[1]);
			goto out;
		}
		rc = 0;
		goto out;
	}
	if (strcmp(w[0], "quarantine") == 0) {
		if (n == 2 && strcmp(w[1], "none") == 0)
			hc->free_min = -1;
		else if (n == 2 && health_parse_size(w[1]) != -1)
			hc->free_min = health_parse_size(w[1]);
		else {
			snprintf(err, errlen, "quarantine: not a size (500M, "
			    "2G) or none: %s", w[1]);
			goto out;
		}
		rc = 0;
		goto out;
	}
	for (i = 0; i < HS_NSVC; i++)
		if (strcmp(w[0], health_svc_names[i]) == 0)
			break;
	if (i == HS_NSVC) {
		snprintf(err, errlen, "no such service: %s (smtpd, spamd, "
		    "amavisd, maillog, quarantine)", w[0]);
		goto out;
	}
	sp = &hc->svc[i];
	free(sp->arg);
	sp->arg = NULL;
	sp->port[0] = '\0';
	if (strcmp(w[1], "none") == 0 && n == 2)
		sp->how = HOW_NONE;
	else if ((strcmp(w[1], "pidfile") == 0 || strcmp(w[1], "socket") ==
	    0) && n == 3 && w[2][0] == '/') {
		sp->how = w[1][0] == 'p' ? HOW_PIDFILE : HOW_SOCKET;
		sp->arg = xstrdup(w[2]);
	} else if (strcmp(w[1], "process") == 0 && n == 3 &&
	    strlen(w[2]) < 16 && strchr(w[2], '/') == NULL) {
		sp->how = HOW_PROCESS;
		sp->arg = xstrdup(w[2]);
	} else if (strcmp(w[1], "port") == 0 && n == 4 && port_ok(w[3])) {
		sp->how = HOW_PORT;
		sp->arg = xstrdup(w[2]);
		xstrlcpy(sp->port, w[3], sizeof(sp->port));
	} else {
		snprintf(err, errlen, "%s: not pidfile PATH, socket PATH, "
		    "process NAME, port ADDRESS PORT or none: %s", w[0],
		    line + (w[1] - buf));
		goto out;
	}
	rc = 0;
out:
	free(buf);
	return rc;
}

static void
set_default(struct health_spec *sp, enum health_how how, const char *arg)
{
	sp->how = how;
	sp->arg = arg != NULL ? xstrdup(arg) : NULL;
}

/* The first of the paths that is there, else the first. */
static const char *
first_there(const char *a, const char *b)
{
	return access(a, F_OK) == -1 && access(b, F_OK) == 0 ? b : a;
}

void
health_conf_defaults(struct health_conf *hc)
{
	struct health_spec	*sp;

	/* smtpd's control socket, the same path on OpenBSD and Debian */
	sp = &hc->svc[HS_SMTPD];
	if (sp->how == HOW_DEFAULT)
		set_default(sp, HOW_SOCKET, "/var/run/smtpd.sock");
	/* OpenBSD's spamd writes no pid file; elsewhere there is none */
	sp = &hc->svc[HS_SPAMD];
	if (sp->how == HOW_DEFAULT)
#ifdef __OpenBSD__
		set_default(sp, HOW_PROCESS, "spamd");
#else
		set_default(sp, HOW_NONE, NULL);
#endif
	/* the OpenBSD port's $MYHOME, else Debian's $pid_file */
	sp = &hc->svc[HS_AMAVISD];
	if (sp->how == HOW_DEFAULT)
		set_default(sp, HOW_PIDFILE, first_there(
		    "/var/amavisd/amavisd.pid", "/var/run/amavis/amavisd.pid"));
}
