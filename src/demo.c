/*
 * --demo: a simulated smarthost.  Envelopes arrive, are tried, deferred,
 * bounced, delivered and expire; demo_exec answers smtpctl command lines with
 * byte-for-byte the formats of OpenSMTPD 6.8/7.x, so the demo goes through
 * the same parsers, actions and screens as a real relay.
 */
#include "config.h"

#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>

#include "conf.h"
#include "demo.h"
#include "demo_maillog.h"
#include "util.h"
#include "wallclock.h"

#define DEMO_HISTORY	3600	/* s of simulated mail log at start */
#define DEMO_BACKLOG	80	/* messages its next hop defers for days */

static struct {
	int		 mta_paused;
	int		 mda_paused;
	int		 smtp_paused;
	struct demo_log	*log;
	struct event	*tick;
	char		 dir[512];	/* private to this mhtop, "" once gone */
	char		 qdir[600];	/* its quarantine */
	int		 qfd;		/* and a descriptor of it */
	char		 path[600];
	char		 spamdlog[600];	/* spamd's daemon.info, "" if none */
	time_t		 started;	/* smtpd's, as show stats says */
	char		 pidfile[600];	/* the daemons' pid, for health */
} demo;

static void
tick(evutil_socket_t fd, short what, void *arg)
{
	time_t		 now = wallclock_now();

	(void)fd;
	(void)what;
	(void)arg;
	demo_spamd_tick(now);
	if (demo.log != NULL)
		demo_log_tick(demo.log, now);
}

/* The simulated daemons run as mhtop: one pid file says so for all. */
static void
demo_health(struct conf *conf)
{
	FILE	*fp;
	size_t	 i;

	snprintf(demo.pidfile, sizeof(demo.pidfile), "%s/daemons.pid",
	    demo.dir);
	if ((fp = fopen(demo.pidfile, "w")) == NULL) {
		warn("--demo: no health line: %s", demo.pidfile);
		demo.pidfile[0] = '\0';
		return;
	}
	fprintf(fp, "%ld\n", (long)getpid());
	fclose(fp);
	for (i = 0; i < HS_NSVC; i++) {
		free(conf->health.svc[i].arg);
		conf->health.svc[i].how = HOW_PIDFILE;
		conf->health.svc[i].arg = xstrdup(demo.pidfile);
	}
}

/*
 * The simulated mail log, in a directory of the user's own: the verdicts
 * pane follows it as it would /var/log/maillog.
 */
static void
demo_maillog(struct conf *conf, unsigned seed, time_t now)
{
	const char		*tmp = getenv("TMPDIR"), *fr;
	enum demo_framing	 framing = DEMO_FRAMING_BSD;

	if (tmp == NULL || tmp[0] != '/')
		tmp = "/tmp";
	/* one directory a demo: two demos never write one log */
	snprintf(demo.dir, sizeof(demo.dir), "%s/mhtop-demo.XXXXXXXXXX", tmp);
	if (mkdtemp(demo.dir) == NULL) {
		warn("--demo: no simulated mail log: mkdtemp %s", demo.dir);
		demo.dir[0] = '\0';
		return;
	}
	demo_health(conf);
	snprintf(demo.path, sizeof(demo.path), "%s/maillog", demo.dir);
	if ((fr = getenv("MHTOP_DEMO_FRAMING")) != NULL &&
	    strcmp(fr, "rfc3339") == 0)
		framing = DEMO_FRAMING_RFC3339;
	if ((demo.log = demo_log_open(demo.path, framing, seed)) == NULL) {
		warn("--demo: no simulated mail log in %s", demo.dir);
		demo_remove_files();
		return;
	}
	/* amavis' quarantine, written as the log says it is */
	snprintf(demo.qdir, sizeof(demo.qdir), "%s/virusmails", demo.dir);
	if (mkdir(demo.qdir, 0750) == 0 &&
	    (demo.qfd = open(demo.qdir, O_RDONLY | O_DIRECTORY)) != -1) {
		demo_log_quarantine(demo.log, demo.qdir);
		free(conf->quarantine);
		conf->quarantine = xstrdup(demo.qdir);
	} else
		warn("--demo: no quarantine: mkdir %s", demo.qdir);
	demo_log_backlog(demo.log, DEMO_BACKLOG);
	demo_log_history(demo.log, now, DEMO_HISTORY);
	/* its queue's oldest mail came in after smtpd started */
	demo.started = now - DEMO_QUEUE_TTL - DEMO_HISTORY;
	free(conf->maillog);
	conf->maillog = xstrdup(demo.path);
	/* spamd's own log, written by demo_spamd.c */
	snprintf(demo.spamdlog, sizeof(demo.spamdlog), "%s/daemon", demo.dir);
	free(conf->spamdlog);
	conf->spamdlog = xstrdup(demo.spamdlog);
	/* the verdicts of all the mail still queued */
	conf->history = DEMO_QUEUE_TTL + 60;
}

void
demo_remove_files(void)
{
	if (demo.dir[0] == '\0')
		return;
	unlink(demo.path);
	if (demo.pidfile[0] != '\0')
		unlink(demo.pidfile);
	if (demo.spamdlog[0] != '\0')
		unlink(demo.spamdlog);
	if (demo.qfd > 0) {
		/* from a signal handler too: unlinkat and rmdir only */
		demo_log_quarantine_unlink(demo.log, demo.qfd);
		rmdir(demo.qdir);
	}
	rmdir(demo.dir);
	demo.dir[0] = '\0';
}

const char *
demo_dir(void)
{
	return demo.dir[0] != '\0' ? demo.dir : NULL;
}

void
demo_init(struct event_base *base, unsigned seed, struct conf *conf)
{
	struct timeval	 sec = { 1, 0 };
	time_t		 now = wallclock_now();

	memset(&demo, 0, sizeof(demo));
	demo_maillog(conf, seed, now);
	demo_spamd_init(seed, now, demo.spamdlog[0] != '\0' ?
	    demo.spamdlog : NULL);
	demo.tick = event_new(base, -1, EV_PERSIST, tick, NULL);
	event_add(demo.tick, &sec);
}

void
demo_free(void)
{
	if (demo.tick != NULL)
		event_free(demo.tick);
	demo.tick = NULL;
	/* while the log still knows the quarantine's files */
	demo_remove_files();
	demo_spamd_free();
	if (demo.log != NULL)
		demo_log_close(demo.log);
	demo.log = NULL;
}

/*
 * amavisd-release mail_file [secret_id [alt_recip ...]], answered as the
 * real one does: amavisd's replies on stderr, exit 0 whether it released
 * or refused.  The simulated amavis logs the release and smtpd the copy.
 */
static int
demo_release(const char *const *argv, struct evbuffer *err)
{
	const char	*prog = strrchr(argv[0], '/'), *secret = NULL;
	const char	*const *alt;
	char		*reply;
	size_t		 nalt;

	prog = prog != NULL ? prog + 1 : argv[0];
	if (strcmp(prog, "amavisd-release") != 0)
		return -1;
	if (argv[1] == NULL) {
		evbuffer_add_printf(err, "Not enough arguments\n\n"
		    "%s version 2.002\nUsage:  $ %s mail_file [secret_id "
		    "[alt_recip1 alt_recip2 ...]]\n  or to read request lines "
		    "from stdin:  $ %s -\n", prog, prog, prog);
		return 255;
	}
	/* a second argument with an '@' is a recipient, not a secret */
	alt = argv + 2;
	if (argv[2] != NULL && strchr(argv[2], '@') == NULL) {
		secret = argv[2];
		alt++;
	}
	for (nalt = 0; alt[nalt] != NULL; nalt++)
		continue;
	if (demo.log == NULL) {
		evbuffer_add_printf(err, "Can't connect to UNIX socket "
		    "/var/amavisd/amavisd.sock: No such file or directory at "
		    "/usr/local/bin/amavisd-release line 272.\n");
		return 2;
	}
	demo_log_release(demo.log, argv[1], secret, alt, nalt,
	    wallclock_now(), &reply);
	evbuffer_add(err, reply, strlen(reply));
	free(reply);
	return 0;
}

/* strnvis(3) with no flags, as smtpctl prints an error line. */
static void
add_vis(struct evbuffer *out, const char *s)
{
	unsigned char	 c;

	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if (c == '\\')
			evbuffer_add(out, "\\\\", 2);
		else if ((c >= 0x20 && c < 0x7f) || c == '\t' || c == '\n')
			evbuffer_add(out, s, 1);
		else
			evbuffer_add_printf(out, "\\%s%s%c", c & 0x80 ? "M" : "",
			    (c & 0x7f) < 0x20 || (c & 0x7f) == 0x7f ? "^" : "-",
			    (c & 0x7f) == 0x7f ? '?' : (c & 0x7f) < 0x20 ?
			    (c & 0x7f) + '@' : c & 0x7f);
	}
}

static void
print_flags(struct evbuffer *out, const struct demo_env *e)
{
	int	 n = 0;

	if (strcmp(e->family, "local") == 0)
		evbuffer_add_printf(out, "%sauth", n++ ? "," : "");
	if (e->suspend)
		evbuffer_add_printf(out, "%ssuspend", n++ ? "," : "");
	if (e->hold)
		evbuffer_add_printf(out, "%shold", n++ ? "," : "");
}

static size_t
envelopes(const struct demo_env **e)
{
	*e = NULL;
	return demo.log != NULL ? demo_log_queue(demo.log, wallclock_now(), e) :
	    0;
}

static void
show_queue(struct evbuffer *out)
{
	const struct demo_env	*e;
	size_t			 i, n = envelopes(&e);

	for (i = 0; i < n; i++, e++) {
		evbuffer_add_printf(out, "%016" PRIx64 "|%s|%s|", e->id,
		    e->family, e->type);
		print_flags(out, e);
		/* smtpd keeps no ttl for mta envelopes: expire is ctime */
		evbuffer_add_printf(out, "|%s|%s|%s|%lld|%lld|%lld|%d|%s|%lld|",
		    e->sender[0] != '\0' ? e->sender : "@", e->rcpt, e->rcpt, (long long)e->ctime,
		    (long long)(e->ctime + e->ttl), (long long)e->lasttry,
		    e->retry, e->inflight ? "inflight" : "pending",
		    (long long)e->delay);
		add_vis(out, e->error);
		evbuffer_add(out, "\n", 1);
	}
}

/* The domain of an envelope's recipient, "" for none. */
static const char *
env_domain(const struct demo_env *e)
{
	const char	*at = strrchr(e->rcpt, '@');

	return at != NULL ? at + 1 : "";
}

/* Whether an earlier envelope of the n before e has its domain. */
static int
domain_seen(const struct demo_env *first, const struct demo_env *e)
{
	for (; first < e; first++)
		if (first->error[0] != '\0' &&
		    strcmp(env_domain(first), env_domain(e)) == 0)
			return 1;
	return 0;
}

/* The last delivery attempt to a domain. */
static int64_t
last_try(const struct demo_env *e, size_t n, const char *domain)
{
	int64_t	 t = 0;

	for (; n > 0; n--, e++)
		if (strcmp(env_domain(e), domain) == 0 && e->lasttry > t)
			t = e->lasttry;
	return t;
}

/*
 * show hoststats and show routes: a line for each domain the queue holds
 * mail for with an error, as smtpd keeps them ("domain|time|text"; "N.
 * [] <-> IP (host) flags ...").
 */
static void
show_domains(struct evbuffer *out, int routes)
{
	const struct demo_env	*e, *first;
	size_t			 i, n = envelopes(&first), k = 0;

	for (i = 0, e = first; i < n; i++, e++) {
		if (e->error[0] == '\0' || *env_domain(e) == '\0' ||
		    strcmp(e->type, "mta") != 0 || domain_seen(first, e))
			continue;
		if (routes)
			evbuffer_add_printf(out, "%zu. [] <-> 203.0.113.%u "
			    "(mx1.%s) ---- nconn=0 nerror=1 penalty=0 "
			    "timeout=-\n", ++k, DEMO_MX_OCTET(demo_domain_hash(
			    env_domain(e))), env_domain(e));
		else
			evbuffer_add_printf(out, "%s|%lld|%s\n", env_domain(e),
			    (long long)last_try(first, n, env_domain(e)),
			    e->error);
	}
}

/*
 * show stats: smtpd's counters, sorted by name as smtpctl prints them,
 * those the demo counts (since its log began: the uptime) among a few it
 * does not.
 */
static void
show_stats(struct evbuffer *out)
{
	const struct demo_env	*e;
	size_t			 i, n = envelopes(&e), inflight = 0;
	int64_t			 c[6] = { 0 }, up;
	char			 human[32];

	for (i = 0; i < n; i++)
		inflight += e[i].inflight != 0;
	if (demo.log != NULL)
		demo_log_counters(demo.log, c);
	up = (int64_t)(wallclock_now() - demo.started);
	fmt_duration(up, human, sizeof(human));
	evbuffer_add_printf(out, "control.session=1\n"
	    "queue.bounce=%lld\n"
	    "scheduler.delivery.ok=%lld\n"
	    "scheduler.delivery.permfail=%lld\n"
	    "scheduler.delivery.tempfail=%lld\n"
	    "scheduler.envelope=%zu\n"
	    "scheduler.envelope.expired=%lld\n"
	    "scheduler.envelope.inflight=%zu\n"
	    "scheduler.envelope.removed=%lld\n"
	    "smtp.session=1\n"
	    "uptime=%lld\n"
	    "uptime.human=%s\n", (long long)c[3], (long long)c[0],
	    (long long)c[2], (long long)c[1], n, (long long)c[4], inflight,
	    (long long)c[5], (long long)up, human);
}

static int
parse_id(const char *s, uint64_t *id, int *is_msgid)
{
	char		*end;
	size_t		 len = strlen(s);

	if (len != 8 && len != 16)
		return -1;
	if (strspn(s, "0123456789abcdefABCDEF") != len)
		return -1;
	*id = strtoull(s, &end, 16);
	*is_msgid = len == 8;
	return *id == 0 ? -1 : 0;
}

static int
usage_of(struct evbuffer *err, const char *cmd)
{
	evbuffer_add_printf(err, "possibilities are:\n%s <evpid>\n%s <msgid>\n"
	    "%s all\n", cmd, cmd, cmd);
	return 255;
}

static void
count_line(struct evbuffer *out, size_t n, const char *verb)
{
	evbuffer_add_printf(out, "%zu envelope%s %s\n", n, n > 1 ? "s" : "",
	    verb);
}

static int
on_envelopes(const char *const *argv, struct evbuffer *out,
    struct evbuffer *err, const char *cmd, int what)
{
	uint64_t	 id = 0;
	size_t		 n;
	int		 msg = 0;

	if (argv[0] == NULL || argv[1] != NULL ||
	    (strcmp(argv[0], "all") != 0 && parse_id(argv[0], &id, &msg) == -1))
		return usage_of(err, cmd);
	n = demo.log != NULL ? demo_log_act(demo.log, what, id, msg,
	    wallclock_now()) : 0;
	count_line(out, n, what == 'r' ? "removed" : what == 's' ?
	    "scheduled" : what == 'p' ? "paused" : "resumed");
	return 0;
}

static int
show_envelope(const char *arg, struct evbuffer *out, struct evbuffer *err)
{
	const struct demo_env	*e;
	uint64_t		 id;
	size_t			 i, n;
	int			 msg;

	if (arg == NULL || strlen(arg) != 16 || parse_id(arg, &id, &msg) == -1) {
		evbuffer_add_printf(err, "possibilities are:\n"
		    "show envelope <evpid>\n");
		return 255;
	}
	for (i = 0, n = envelopes(&e); i < n; i++, e++) {
		if (e->id != id)
			continue;
		/* the envelope file, as "cat" shows it */
		evbuffer_add_printf(out, "version: 3\ndispatcher: %s\n"
		    "type: %s\nsmtpname: mx.example.org\nhelo: %s\n"
		    "hostname: %s\n", e->dispatcher, e->type, e->helo,
		    e->hostname);
		if (e->error[0] != '\0')
			evbuffer_add_printf(out, "errorline: %s\n", e->error);
		evbuffer_add_printf(out, "sockaddr: %s\nsender: %s\nrcpt: %s\n"
		    "dest: %s\nctime: %lld\nlast-try: 0\nlast-bounce: %lld\n"
		    "ttl: %lld\nretry: %d\ndsn-notify: 0\nesc-class: %d\n"
		    "esc-code: %d\n", e->sockaddr, e->sender[0] != '\0' ?
		    e->sender : "@", e->rcpt, e->rcpt, (long long)e->ctime,
		    (long long)e->lastbounce, (long long)e->ttl, e->retry,
		    e->esc_class, e->esc_code);
		if (strcmp(e->type, "bounce") == 0)
			evbuffer_add_printf(out, "bounce-type: failed\n");
		return 0;
	}
	evbuffer_add_printf(err, "smtpctl: fopen: No such file or directory\n");
	return 1;
}

static int
pause_resume(const char *what, int pause, struct evbuffer *out,
    struct evbuffer *err)
{
	int	*flag;

	if (what == NULL)
		return usage_of(err, pause ? "pause" : "resume");
	if (strcmp(what, "mta") == 0)
		flag = &demo.mta_paused;
	else if (strcmp(what, "mda") == 0)
		flag = &demo.mda_paused;
	else if (strcmp(what, "smtp") == 0)
		flag = &demo.smtp_paused;
	else
		return usage_of(err, pause ? "pause" : "resume");
	if (*flag == pause) {
		evbuffer_add_printf(out, "command failed\n");
		return 1;
	}
	*flag = pause;
	if (demo.log != NULL)
		demo_log_pause(demo.log, demo.mta_paused, demo.smtp_paused,
		    wallclock_now());
	evbuffer_add_printf(out, "command succeeded\n");
	return 0;
}

int
demo_exec(const char *const *argv, struct evbuffer *out, struct evbuffer *err)
{
	const char	*a1 = argv[1], *a2 = a1 ? argv[2] : NULL;
	int		 rc;

	if ((rc = demo_spamd_exec(argv, out, err)) != -1)
		return rc;
	if ((rc = demo_release(argv, err)) != -1)
		return rc;
	if (a1 == NULL)
		goto usage;
	if (strcmp(a1, "show") == 0 && a2 != NULL) {
		if (strcmp(a2, "queue") == 0 && argv[3] == NULL) {
			show_queue(out);
			return 0;
		}
		if (strcmp(a2, "status") == 0) {
			evbuffer_add_printf(out, "MDA %s\nMTA %s\nSMTP %s\n",
			    demo.mda_paused ? "paused" : "running",
			    demo.mta_paused ? "paused" : "running",
			    demo.smtp_paused ? "paused" : "running");
			return 0;
		}
		if (strcmp(a2, "envelope") == 0)
			return show_envelope(argv[3], out, err);
		if (strcmp(a2, "stats") == 0) {
			show_stats(out);
			return 0;
		}
		if (strcmp(a2, "hoststats") == 0 ||
		    strcmp(a2, "routes") == 0) {
			show_domains(out, a2[0] == 'r');
			return 0;
		}
	}
	if (strcmp(a1, "pause") == 0 || strcmp(a1, "resume") == 0) {
		int	 pause = a1[0] == 'p';

		if (a2 != NULL && strcmp(a2, "envelope") == 0)
			return on_envelopes(argv + 3, out, err, pause ?
			    "pause envelope" : "resume envelope",
			    pause ? 'p' : 'u');
		return pause_resume(a2, pause, out, err);
	}
	if (strcmp(a1, "remove") == 0)
		return on_envelopes(argv + 2, out, err, "remove", 'r');
	if (strcmp(a1, "schedule") == 0)
		return on_envelopes(argv + 2, out, err, "schedule", 's');
usage:
	evbuffer_add_printf(err, "possibilities are:\ndiscover\npause\nresume\n"
	    "show\nlog\nmonitor\nprofile\nremove\nschedule\ntrace\nunprofile\n"
	    "untrace\nupdate\nencrypt\nspf\n");
	return 255;
}
