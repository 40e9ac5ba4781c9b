#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "util.h"

void
conf_defaults(struct conf *c)
{
	memset(c, 0, sizeof(*c));
	c->smtpctl = xstrdup("/usr/sbin/smtpctl");
	c->doas = xstrdup("/usr/bin/doas");
	c->spamdb = xstrdup("/usr/sbin/spamdb");
	c->pfctl = xstrdup("/sbin/pfctl");
	c->white_table = xstrdup("spamd-white");
	c->passtime = 25;
	c->maillog = xstrdup("/var/log/maillog");
	c->spamdlog = xstrdup("/var/log/daemon");
	c->confirm_risky = 1;
	c->history = 24 * 3600;
	c->sa_rules = xstrdup("/usr/local/share/spamassassin "
	    "/etc/mail/spamassassin /usr/share/spamassassin "
	    "/var/lib/spamassassin /etc/spamassassin");
	c->quarantine = xstrdup("/var/virusmails");
	c->amavisd_release = xstrdup("/usr/local/bin/amavisd-release");
	c->interval = 2;
	health_conf_init(&c->health);
}

void
conf_free(struct conf *c)
{
	free(c->smtpctl);
	free(c->doas);
	free(c->spamdb);
	free(c->pfctl);
	free(c->white_table);
	free(c->maillog);
	free(c->spamdlog);
	free(c->sa_rules);
	free(c->quarantine);
	free(c->amavisd_release);
	c->smtpctl = c->doas = c->spamdb = c->pfctl = c->white_table = NULL;
	c->maillog = c->sa_rules = c->quarantine = c->amavisd_release = NULL;
	c->spamdlog = NULL;
	health_conf_free(&c->health);
}

int
conf_parse_interval(const char *s, double *out)
{
	char	*end;
	double	 d;

	errno = 0;
	d = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !isfinite(d) ||
	    d < 0.1 || d > 86400)
		return -1;
	*out = d;
	return 0;
}

/* Seconds, or a number with s, m, h or d; 0 (no history) to 366 days. */
int
conf_parse_span(const char *s, long *out)
{
	char	*end;
	long	 v, mul = 1;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0)
		return -1;
	switch (*end) {
	case '\0':
	case 's':
		break;
	case 'm':
		mul = 60;
		break;
	case 'h':
		mul = 3600;
		break;
	case 'd':
		mul = 86400;
		break;
	default:
		return -1;
	}
	if (*end != '\0' && end[1] != '\0')
		return -1;
	if (v > 366L * 86400 / mul)
		return -1;
	*out = v * mul;
	return 0;
}

static int
set_path(char **dst, const char *val, int none_ok)
{
	if (none_ok && strcmp(val, "none") == 0) {
		free(*dst);
		*dst = NULL;
		return 0;
	}
	if (val[0] != '/')
		return -1;
	free(*dst);
	*dst = xstrdup(val);
	return 0;
}

/*
 * The next line of [*p, end), NUL-terminated in place, its length in *len;
 * NULL after the last.
 */
static char *
next_line(char **p, char *end, size_t *len)
{
	char	*line = *p, *nl;

	if (line >= end)
		return NULL;
	if ((nl = memchr(line, '\n', (size_t)(end - line))) == NULL)
		nl = end;
	*nl = '\0';
	*len = (size_t)(nl - line);
	*p = nl + 1;
	return line;
}

int
conf_load(struct conf *c, const char *file, int required, char *err,
    size_t errlen)
{
	FILE	*fp;
	char	*buf, *p, *line, *kw, *val, *end;
	size_t	 size, n;
	int	 lineno = 0, rc = 0;

	if ((fp = fopen(file, "r")) == NULL) {
		if (errno == ENOENT && !required)
			return 0;
		snprintf(err, errlen, "%s: %s", file, strerror(errno));
		return -1;
	}
	/* a line of /dev/zero, a huge file: not read to its end */
	buf = xmalloc(CONF_MAX_SIZE + 2);
	size = fread(buf, 1, CONF_MAX_SIZE + 1, fp);
	if (ferror(fp)) {
		snprintf(err, errlen, "%s: %s", file, strerror(errno));
		rc = -1;
	} else if (size > CONF_MAX_SIZE) {
		snprintf(err, errlen, "%s: more than %d KB: not a config file",
		    file, CONF_MAX_SIZE / 1024);
		rc = -1;
	}
	fclose(fp);
	p = buf;
	while (rc == 0 && (line = next_line(&p, buf + size, &n)) != NULL) {
		lineno++;
		if (n > CONF_LINE_MAX) {
			snprintf(err, errlen, "%s:%d: a line longer than %d bytes",
			    file, lineno, CONF_LINE_MAX);
			rc = -1;
			break;
		}
		if (strlen(line) != n) {
			snprintf(err, errlen, "%s:%d: a NUL byte: not a config "
			    "file", file, lineno);
			rc = -1;
			break;
		}
		if ((end = strchr(line, '#')) != NULL)
			*end = '\0';
		kw = line + strspn(line, " \t\r\n");
		if (*kw == '\0')
			continue;
		val = kw + strcspn(kw, " \t\r\n");
		if (*val != '\0')
			*val++ = '\0';
		val += strspn(val, " \t");
		end = val + strlen(val);
		while (end > val && strchr(" \t\r\n", end[-1]) != NULL)
			*--end = '\0';
		if (*val == '\0') {
			snprintf(err, errlen, "%s:%d: %s needs a value", file,
			    lineno, kw);
			rc = -1;
			break;
		}
		/* a word too many fails here, not at run time */
		if (strcmp(kw, "sa-rules") != 0 && strcmp(kw, "health") != 0 &&
		    val[strcspn(val, " \t")] !=
		    '\0') {
			snprintf(err, errlen, "%s:%d: %s takes one value, not "
			    "\"%s\"", file, lineno, kw, val);
			rc = -1;
			break;
		}
		if (strcmp(kw, "smtpctl") == 0) {
			if (set_path(&c->smtpctl, val, 0) == -1) {
				snprintf(err, errlen, "%s:%d: smtpctl: not an "
				    "absolute path: %s", file, lineno, val);
				rc = -1;
				break;
			}
		} else if (strcmp(kw, "doas") == 0) {
			if (set_path(&c->doas, val, 1) == -1) {
				snprintf(err, errlen, "%s:%d: doas: not an "
				    "absolute path or none: %s", file, lineno,
				    val);
				rc = -1;
				break;
			}
		} else if (strcmp(kw, "spamdb") == 0 ||
		    strcmp(kw, "pfctl") == 0) {
			if (set_path(kw[0] == 's' ? &c->spamdb : &c->pfctl, val,
			    0) == -1) {
				snprintf(err, errlen, "%s:%d: %s: not an "
				    "absolute path: %s", file, lineno, kw, val);
				rc = -1;
				break;
			}
		} else if (strcmp(kw, "white-table") == 0) {
			/* a pf table name: what pfctl -t takes, nothing else */
			if (strlen(val) >= 32 || strspn(val, "abcdefghijklmnop"
			    "qrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") !=
			    strlen(val) || val[0] == '-') {
				snprintf(err, errlen, "%s:%d: white-table: not a "
				    "pf table name: %s", file, lineno, val);
				rc = -1;
				break;
			}
			free(c->white_table);
			c->white_table = xstrdup(val);
		} else if (strcmp(kw, "passtime") == 0) {
			char	*vend;
			long	 v = strtol(val, &vend, 10);

			if (*vend != '\0' || v < 1 || v > 1440) {
				snprintf(err, errlen, "%s:%d: passtime: not a "
				    "number of minutes from 1 to 1440: %s", file,
				    lineno, val);
				rc = -1;
				break;
			}
			c->passtime = (int)v;
		} else if (strcmp(kw, "maillog") == 0) {
			c->maillog_set = 1;
			if (set_path(&c->maillog, val, 0) == -1) {
				snprintf(err, errlen, "%s:%d: maillog: not an "
				    "absolute path: %s", file, lineno, val);
				rc = -1;
				break;
			}
		} else if (strcmp(kw, "spamdlog") == 0) {
			c->spamdlog_set = 1;
			if (set_path(&c->spamdlog, val, 0) == -1) {
				snprintf(err, errlen, "%s:%d: spamdlog: not an "
				    "absolute path: %s", file, lineno, val);
				rc = -1;
				break;
			}
		} else if (strcmp(kw, "quarantine") == 0) {
			c->quarantine_set = 1;
			if (set_path(&c->quarantine, val, 0) == -1) {
				snprintf(err, errlen, "%s:%d: quarantine: not an "
				    "absolute path: %s", file, lineno, val);
				rc = -1;
				break;
			}
		} else if (strcmp(kw, "amavisd-release") == 0) {
			c->amavisd_release_set = 1;
			if (set_path(&c->amavisd_release, val, 0) == -1) {
				snprintf(err, errlen, "%s:%d: amavisd-release: not "
				    "an absolute path: %s", file, lineno, val);
				rc = -1;
				break;
			}
		} else if (strcmp(kw, "history") == 0) {
			if (conf_parse_span(val, &c->history) == -1) {
				snprintf(err, errlen, "%s:%d: history: not a "
				    "time span (86400, 90m, 24h, 7d; at most 366d): "
				    "%s", file, lineno, val);
				rc = -1;
				break;
			}
		} else if (strcmp(kw, "sa-rules") == 0) {
			char	*dir, *rest = val;

			while ((dir = strsep(&rest, " \t")) != NULL)
				if (*dir != '\0' && *dir != '/')
					break;
			if (dir != NULL) {
				snprintf(err, errlen, "%s:%d: sa-rules: not an "
				    "absolute path: %s", file, lineno, dir);
				rc = -1;
				break;
			}
			/* strsep cut val: put the blanks back */
			for (dir = val; dir < end; dir++)
				if (*dir == '\0')
					*dir = ' ';
			free(c->sa_rules);
			c->sa_rules = xstrdup(val);
		} else if (strcmp(kw, "confirm") == 0) {
			if (strcmp(val, "all") == 0)
				c->confirm_risky = 1;
			else if (strcmp(val, "removals") == 0)
				c->confirm_risky = 0;
			else {
				snprintf(err, errlen, "%s:%d: confirm: not all "
				    "or removals: %s", file, lineno, val);
				rc = -1;
				break;
			}
		} else if (strcmp(kw, "health") == 0) {
			char	 why[256];

			if (health_conf_line(&c->health, val, why,
			    sizeof(why)) == -1) {
				snprintf(err, errlen, "%s:%d: health: %s", file,
				    lineno, why);
				rc = -1;
				break;
			}
		} else if (strcmp(kw, "interval") == 0) {
			if (conf_parse_interval(val, &c->interval) == -1) {
				snprintf(err, errlen, "%s:%d: interval: not a "
				    "number of seconds from 0.1 to 86400: %s",
				    file, lineno, val);
				rc = -1;
				break;
			}
		} else {
			snprintf(err, errlen, "%s:%d: unknown keyword: %s",
			    file, lineno, kw);
			rc = -1;
			break;
		}
	}
	free(buf);
	return rc;
}

/* Debian's path in *path, when the config named none and only it exists. */
static void
find_path(char **path, int set, const char *bsd, const char *debian)
{
	if (set || access(bsd, F_OK) == 0 || access(debian, F_OK) == -1)
		return;
	free(*path);
	*path = xstrdup(debian);
}

void
conf_find_quarantine(struct conf *c, const char *bsd, const char *debian)
{
	find_path(&c->quarantine, c->quarantine_set, bsd, debian);
}

void
conf_find_release(struct conf *c, const char *bsd, const char *debian)
{
	find_path(&c->amavisd_release, c->amavisd_release_set, bsd, debian);
}

void
conf_find_spamdlog(struct conf *c, const char *bsd, const char *debian)
{
	find_path(&c->spamdlog, c->spamdlog_set, bsd, debian);
}

void
conf_find_maillog(struct conf *c, const char *bsd, const char *debian)
{
	find_path(&c->maillog, c->maillog_set, bsd, debian);
}
