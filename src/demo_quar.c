/*
 * --demo's quarantine: for each message amavis quarantines in the simulated
 * log, the file amavis would write, in the shape of the captured ones
 * (tests/fixtures/amavis/quarantine): the headers amavis prepends, its
 * Received line, the message's own header and a short body; spam gzipped.
 * Its mtime is the verdict's time, so the history has its age.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#include "demo_maillog.h"
#include "demo_maillog_int.h"
#include "util.h"

void
demo_log_quarantine(struct demo_log *d, const char *dir)
{
	free(d->qdir);
	d->qdir = dir != NULL ? xstrdup(dir) : NULL;
}

void
demo_log_quarantine_unlink(const struct demo_log *d, int dirfd)
{
	size_t	 i;

	for (i = 0; d != NULL && i < d->nqfiles; i++)
		unlinkat(dirfd, d->qfiles[i].name, 0);
}

static void
addr_list(struct sbuf *b, const char *field, const struct msg *m,
    const int *pass, int blocked_only)
{
	size_t	 i, n = 0;

	sb_printf(b, "%s:", field);
	for (i = 0; i < m->nrcpt; i++) {
		if (blocked_only && pass != NULL && pass[i])
			continue;
		/* folded as amavis folds a long list */
		sb_printf(b, "%s <%s>", n == 0 ? "" : n % 2 ? "," : ",\n",
		    m->rcpt[i]);
		n++;
	}
	sb_printf(b, "\n");
}

static void
spam_headers(struct sbuf *b, const struct msg *m)
{
	char	 sc[32];
	size_t	 i;
	int	 v = m->hits, stars;

	snprintf(sc, sizeof(sc), "%s%d.%03d", v < 0 ? "-" : "",
	    abs(v) / 1000, abs(v) % 1000);
	sb_printf(b, "X-Spam-Flag: %s\n", v >= 6200 ? "YES" : "NO");
	sb_printf(b, "X-Spam-Score: %s\n", m->sa ? sc : "0");
	sb_printf(b, "X-Spam-Level: ");
	for (stars = v / 1000; stars > 0 && stars < 64; stars--)
		sb_printf(b, "*");
	sb_printf(b, "\n");
	if (!m->sa || m->intent != C_SPAM) {
		sb_printf(b, "X-Spam-Status: No, score=x tag=x tag2=x kill=x "
		    "tests=[] autolearn=unavailable\n");
		return;
	}
	sb_printf(b, "X-Spam-Status: Yes, score=%s tag=2 tag2=6.2 kill=6.9 "
	    "tests=[", sc);
	for (i = 0; i < m->ntest; i++)
		sb_printf(b, "%s%s%s=%d.%03d", i ? "," : "", i && i % 3 == 0 ?
		    "\n " : i ? " " : "", m->test[i].name,
		    m->test[i].score / 1000, abs(m->test[i].score) % 1000);
	sb_printf(b, "] autolearn=no autolearn_force=no\n");
}

/* What amavis writes to $QUARANTINEDIR/m->quar. */
static void
contents(struct sbuf *b, const struct msg *m, int64_t ms, const int *pass)
{
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May",
	    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	static const char *const wday[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
	    "Fri", "Sat" };
	time_t		 t = (time_t)(ms / 1000);
	struct tm	 tm;
	char		 date[64];

	gmtime_r(&t, &tm);
	snprintf(date, sizeof(date), "%s, %d %s %d %02d:%02d:%02d +0000",
	    wday[tm.tm_wday], tm.tm_mday, mon[tm.tm_mon], 1900 + tm.tm_year,
	    tm.tm_hour, tm.tm_min, tm.tm_sec);
	sb_printf(b, "Return-Path: <%s>\n", m->sender);
	sb_printf(b, "Delivered-To: %s-quarantine\n", m->intent == C_VIRUS ?
	    "virus" : m->intent == C_BANNED ? "banned" : m->intent == C_BADH ?
	    "bad-header" : "spam");
	sb_printf(b, "X-Envelope-From: <%s>\n", m->sender);
	addr_list(b, "X-Envelope-To", m, NULL, 0);
	addr_list(b, "X-Envelope-To-Blocked", m, pass, 1);
	sb_printf(b, "X-Quarantine-ID: <%s>\n", m->mailid);
	if (m->intent == C_VIRUS)
		sb_printf(b, "X-Amavis-Alert: INFECTED, message contains "
		    "virus: %s\n", m->virus);
	else if (m->intent == C_BANNED)
		sb_printf(b, "X-Amavis-Alert: BANNED, message contains\n"
		    " %s,%s\n", m->bmime, m->bname);
	else if (m->intent == C_BADH)
		sb_printf(b, "X-Amavis-Alert: BAD HEADER SECTION, Duplicate "
		    "header field: \"Subject\"\n");
	spam_headers(b, m);
	sb_printf(b, "Received: from relay.example.org ([127.0.0.1])\n"
	    " by localhost (relay.example.org [127.0.0.1]) (amavis, port "
	    "10024) with ESMTP\n id %s for <%s>; %s (UTC)\n", m->mailid,
	    m->rcpt[0], date);
	if (m->kind == K_IN)
		sb_printf(b, "Received: from %s (%s [%s])\n\tby "
		    "relay.example.org (OpenSMTPD) with ESMTPS id %08x\n\tfor "
		    "<%s>; %s (UTC)\n", m->host, m->host, m->ip, m->msgid,
		    m->rcpt[0], date);
	sb_printf(b, "From: %s\n", m->hfrom[0] ? m->hfrom : m->sender);
	sb_printf(b, "To: %s\n", m->rcpt[0]);
	sb_printf(b, "Subject: %s\n", m->raw != NULL ? m->raw : m->subj);
	if (m->intent == C_BADH)
		sb_printf(b, "Subject: %s\n", m->subj);
	sb_printf(b, "Date: %s\n", date);
	if (m->mid[0] != '\0')
		sb_printf(b, "Message-ID: %s\n", m->mid);
	sb_printf(b, "MIME-Version: 1.0\n");
	if (m->intent == C_BANNED || m->intent == C_VIRUS) {
		sb_printf(b, "Content-Type: multipart/mixed; "
		    "boundary=\"=-demo-boundary\"\n\n--=-demo-boundary\n"
		    "Content-Type: text/plain; charset=us-ascii\n\n"
		    "Please see the attached file.\n\n--=-demo-boundary\n");
		sb_printf(b, "Content-Type: %s; name=\"%s\"\n"
		    "Content-Disposition: attachment; filename=\"%s\"\n"
		    "Content-Transfer-Encoding: base64\n\n"
		    "TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAAAAAAAAAA\n\n"
		    "--=-demo-boundary--\n", m->intent == C_BANNED ? m->bmime :
		    "application/octet-stream", m->intent == C_BANNED ?
		    m->bname : "document.zip", m->intent == C_BANNED ?
		    m->bname : "document.zip");
	} else
		sb_printf(b, "Content-Type: text/plain; charset=utf-8\n\n"
		    "Dear customer, this is a simulated message of mhtop "
		    "--demo.\n");
}

void
demo_quar_write(struct demo_log *d, const struct msg *m, int64_t ms,
    const int *pass)
{
	struct sbuf	 b = { NULL, 0, 0 };
	struct timeval	 tv[2];
	char		 path[1024], tmp[1100];
	gzFile		 gz;
	FILE		*fp;
	int		 ok;

	if (d->qdir == NULL || m->quar[0] == '\0')
		return;
	contents(&b, m, ms, pass);
	snprintf(path, sizeof(path), "%s/%s", d->qdir, m->quar);
	/* written aside and renamed, as amavis' readers expect */
	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", d->qdir, m->quar);
	if (strlen(m->quar) > 3 &&
	    strcmp(m->quar + strlen(m->quar) - 3, ".gz") == 0) {
		if ((gz = gzopen(tmp, "wb")) == NULL)
			goto out;
		ok = gzwrite(gz, b.p, (unsigned)b.len) == (int)b.len;
		ok = gzclose(gz) == Z_OK && ok;
	} else {
		if ((fp = fopen(tmp, "w")) == NULL)
			goto out;
		ok = fwrite(b.p, 1, b.len, fp) == b.len;
		ok = fclose(fp) == 0 && ok;
	}
	tv[0].tv_sec = tv[1].tv_sec = (time_t)(ms / 1000);
	tv[0].tv_usec = tv[1].tv_usec = 0;
	if (!ok || utimes(tmp, tv) == -1 || rename(tmp, path) == -1) {
		unlink(tmp);
		goto out;
	}
	if (d->nqfiles == d->capqfiles) {
		d->capqfiles = d->capqfiles ? d->capqfiles * 2 : 64;
		d->qfiles = xreallocarray(d->qfiles, d->capqfiles,
		    sizeof(*d->qfiles));
	}
	/* m->quar is as long as a qfile's name: the structs say so */
	memcpy(d->qfiles[d->nqfiles].name, m->quar,
	    sizeof(d->qfiles[0].name));
	d->qfiles[d->nqfiles].ms = ms;
	d->qfiles[d->nqfiles++].released = 0;
out:
	free(b.p);
}
