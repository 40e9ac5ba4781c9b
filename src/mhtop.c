/*
 * mhtop: a top-like dashboard for a mail smarthost.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "action.h"
#include "batch.h"
#include "conf.h"
#include "demo.h"
#include "hint.h"
#include "pane.h"
#include "proc.h"
#include "trace.h"
#include "ui.h"
#include "util.h"
#include "validate.h"
#include "wallclock.h"

/* At exit, the commands still reading: silent this long, they are hung;
 * after the max, they are killed all the same (proc_finish_all). */
#define FINISH_QUIET		2.0
#define FINISH_MAX		10.0
#define FINISH_SIGNAL_MAX	5.0

static const struct provider *const providers[] = {
	&provider_queue,
	&provider_grey,
	&provider_white,
	&provider_verdicts,
	&provider_quarantine,
	/* no tab: only the trace reads them */
	&provider_spamdlog,
	&provider_smtpdlog,
};
#define NTABS	5

static struct pane	panes[nitems(providers)];

/* On request (--help) on stdout with status 0; after a mistake on stderr. */
static void __attribute__((noreturn))
usage(int asked)
{
	fprintf(asked ? stdout : stderr, "usage: mhtop [-bJrV] [-d seconds] "
	    "[-f file] [-n count] [-p pane] [--demo]\n"
	    "       mhtop -b | -J -p trace -a address|domain|IP [-f file] "
	    "[--demo]\n"
	    "       (-J: batch output as JSON lines, one object a row; "
	    "implies -b)\n");
	exit(asked ? 0 : 1);
}

static void
on_fatal(void)
{
	ui_end();
	proc_kill_all();
	demo_remove_files();
}

static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	(void)what;
	(void)arg;
	ui_end();
	/* a killed smtpctl can stop smtpd: what talks to it ends first */
	proc_finish_all(FINISH_QUIET, FINISH_SIGNAL_MAX);
	proc_kill_all();
	demo_remove_files();
	_exit(128 + (int)sig);
}

#if defined(HAVE_UNVEIL) && defined(HAVE_PLEDGE)
static void
unveil_or_die(const char *path, const char *perm)
{
	if (path != NULL && unveil(path, perm) == -1 && errno != ENOENT)
		fatal("unveil %s", path);
}
#endif

static void
sandbox(const struct conf *conf)
{
#if defined(HAVE_UNVEIL) && defined(HAVE_PLEDGE)
	char	 dir[PATH_MAX], *slash, *dirs, *d, *rest, promises[256];
	size_t	 i;
	int	 unix_sock = 0, inet = 0, ps = 0;

	if (!conf->demo) {
		unveil_or_die(conf->smtpctl, "x");
		unveil_or_die(conf->doas, "x");
		unveil_or_die(conf->spamdb, "x");
		unveil_or_die(conf->pfctl, "x");
		unveil_or_die(conf->amavisd_release, "x");
	}
	/* the mail log's directory: its rotated files too */
	xstrlcpy(dir, conf->maillog, sizeof(dir));
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir)
		*slash = '\0';
	/* the demo writes its log there, and removes it at the end */
	unveil_or_die(dir, conf->demo ? "rc" : "r");
	/* spamd's log's, for the trace: its rotated files too */
	xstrlcpy(dir, conf->spamdlog, sizeof(dir));
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir)
		*slash = '\0';
	if (!conf->demo && dir[0] != '\0')
		unveil_or_die(dir, "r");
	dirs = xstrdup(conf->sa_rules);
	for (rest = dirs; (d = strsep(&rest, " ")) != NULL;)
		if (*d != '\0')
			unveil_or_die(d, "r");
	free(dirs);
	/* the health line's pid files, sockets and process table */
	for (i = 0; i < HS_NSVC; i++)
		switch (conf->health.svc[i].how) {
		case HOW_PIDFILE:
			unveil_or_die(conf->health.svc[i].arg, "r");
			break;
		case HOW_SOCKET:
			unveil_or_die(conf->health.svc[i].arg, "rw");
			unix_sock = 1;
			break;
		case HOW_PORT:
			inet = 1;
			break;
		case HOW_PROCESS:
			ps = 1;
			break;
		default:
			break;
		}
	/* the demo writes its quarantine as amavis would */
	unveil_or_die(conf->quarantine, conf->demo ? "rwc" : "r");
	/* curses reads the terminal description after this */
	if (unveil("/usr/share/misc/terminfo.db", "r") == -1 && errno != ENOENT)
		fatal("unveil terminfo");
	if (unveil("/usr/share/terminfo", "r") == -1 && errno != ENOENT)
		fatal("unveil terminfo");
	if (unveil(NULL, NULL) == -1)
		fatal("unveil");
	/* vminfo: the load average, which says whether to parse spamdb's
	 * listing while it writes (poll.c) */
	snprintf(promises, sizeof(promises), "%s%s%s%s", conf->demo ?
	    "stdio rpath wpath cpath fattr tty getpw vminfo" :
	    "stdio rpath tty getpw proc exec vminfo", unix_sock ? " unix" : "",
	    inet ? " inet" : "", ps ? " ps" : "");
	if (pledge(promises, NULL) == -1)
		fatal("pledge");
#else
	(void)conf;
#endif
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "demo",	no_argument,	NULL,	'D' },
		{ "help",	no_argument,	NULL,	'h' },
		{ "version",	no_argument,	NULL,	'V' },
		{ NULL,		0,		NULL,	0 }
	};
	struct conf		 conf;
	struct event_base	*base;
	struct event		*sigs[3];
	const char		*file = CONF_FILE, *pane_name = "queue", *pin;
	const char		*about = NULL;
	struct trace_target	 target;
	char			 err[1024], *end;
	double			 interval = 0;
	int			 ch, batch = 0, json = 0, count = 0;
	int			 explicit_file = 0;
	int			 rc, signos[3] = { SIGINT, SIGTERM, SIGHUP };
	size_t			 i, k, start = nitems(providers);
	const struct view	*bview = NULL;

	setlocale(LC_ALL, "");
	/* a captured queue or log read as of the time it was taken */
	if ((pin = getenv("MHTOP_NOW")) != NULL && *pin != '\0' &&
	    wallclock_pin_str(pin) == -1)
		fatalx("MHTOP_NOW=%.40s: not a time in seconds since the epoch",
		    pin);
	conf_defaults(&conf);
	/* getopt's own messages would echo a mistyped option raw */
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":a:bd:f:hJn:p:rV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'a':
			about = optarg;
			break;
		case 'b':
			batch = 1;
			break;
		case 'd':
			if (conf_parse_interval(optarg, &interval) == -1)
				fatalx("-d %s: not a number of seconds from "
				    "0.1 to 86400", optarg);
			break;
		case 'D':
			conf.demo = 1;
			break;
		case 'f':
			file = optarg;
			explicit_file = 1;
			break;
		case 'n':
			errno = 0;
			count = (int)strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || count < 1)
				fatalx("-n %s: not a positive count", optarg);
			break;
		case 'p':
			pane_name = optarg;
			break;
		case 'h':
			usage(1);
		case 'J':
			batch = json = 1;
			break;
		case 'r':
			conf.readonly = 1;
			break;
		case 'V':
			printf("mhtop %s\n", PACKAGE_VERSION);
			exit(0);
		case ':':
			warnmsg("-%c needs a value", optopt);
			usage(0);
		default:
			if (strncmp(argv[optind - 1], "--", 2) == 0)
				warnmsg("%s: no such option, or it takes no "
				    "value", argv[optind - 1]);
			else
				warnmsg("-%c: no such option", optopt);
			usage(0);
		}
	}
	if (optind != argc)
		usage(0);
	if (conf_load(&conf, file, explicit_file, err, sizeof(err)) == -1)
		fatalx("%s", err);
	conf.batch = batch;
	if (!conf.demo) {
		conf_find_maillog(&conf, "/var/log/maillog", "/var/log/mail.log");
		conf_find_spamdlog(&conf, "/var/log/daemon",
		    "/var/log/daemon.log");
		conf_find_quarantine(&conf, "/var/virusmails",
		    "/var/lib/amavis/virusmails");
		conf_find_release(&conf, "/usr/local/bin/amavisd-release",
		    "/usr/sbin/amavisd-release");
		health_conf_defaults(&conf.health);
	}
	if (interval > 0)
		conf.interval = interval;
	poll_interval = conf.interval;
	for (i = 0; i < NTABS; i++) {
		if (strcmp(providers[i]->name, pane_name) == 0 ||
		    strcmp(providers[i]->desc.title, pane_name) == 0)
			start = i;
		/* a view of a pane: -p shape is the queue by domain */
		for (k = 0; k < providers[i]->desc.nviews; k++)
			if (providers[i]->desc.views[k].batch != NULL &&
			    strcmp(providers[i]->desc.views[k].batch,
			    pane_name) == 0) {
				start = i;
				bview = &providers[i]->desc.views[k];
			}
	}
	if (bview != NULL && !batch)
		fatalx("-p %s: only with -b (on the screen: b in the %s pane)",
		    pane_name, providers[start]->desc.title);
	if (strcmp(pane_name, "trace") == 0) {
		if (!batch || about == NULL)
			fatalx("-p trace: give -b (or -J) and -a with an "
			    "address, a domain or an IP");
		if (trace_target_parse(&target, about, err, sizeof(err)) == -1)
			fatalx("-a: %s", err);
		start = 0;
	} else if (about != NULL)
		fatalx("-a: only with -p trace");
	if (start == nitems(providers))
		fatalx("-p %s: no such pane (panes: queue, grey, white, verdicts, "
		    "quarantine, trace; views: shape, senders, errors)",
		    pane_name);
	if (!batch && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)))
		fatalx("not a terminal (use -b for batch output)");

	if ((base = event_base_new()) == NULL)
		fatalx("event_base_new failed");
	proc_init(base);
	set_fatal_hook(on_fatal);
	if (conf.demo) {
		demo_init(base, (unsigned)wallclock_now(), &conf);
		proc_set_emulator(demo_exec);
	} else {
		if (geteuid() != 0 && conf.doas != NULL &&
		    access(conf.doas, X_OK) == 0)
			proc_set_wrapper(conf.doas);
		else if (geteuid() != 0 && conf.doas != NULL)
			hint_doas_missing(conf.doas);
		openlog("mhtop", LOG_PID, LOG_MAIL);
		action_syslog = 1;
	}
	for (i = 0; i < nitems(sigs); i++) {
		sigs[i] = evsignal_new(base, signos[i], on_signal, NULL);
		if (sigs[i] == NULL || evsignal_add(sigs[i], NULL) == -1)
			fatalx("cannot watch signal %d", signos[i]);
	}
	/* the time zone file, before unveil hides /etc/localtime */
	tzset();
	/* this relay's addresses, that w and W warn about */
	ip_local_init();
	sandbox(&conf);

	for (i = 0; i < nitems(providers); i++)
		pane_init(&panes[i], providers[i], &conf, base);
	pane_join(panes, nitems(panes));
	if (batch && about != NULL)
		rc = batch_trace(base, panes, nitems(panes), &target,
		    wallclock_now(), json);
	else if (batch)
		rc = batch_run(base, &panes[start], bview, count, json);
	else
		rc = ui_run(base, panes, NTABS, nitems(panes) - NTABS, start,
		    &conf, count);

	set_fatal_hook(NULL);
	for (i = 0; i < nitems(panes); i++)
		pane_free(&panes[i]);
	proc_finish_all(FINISH_QUIET, FINISH_MAX);
	proc_kill_all();
	for (i = 0; i < nitems(sigs); i++)
		event_free(sigs[i]);
	if (conf.demo)
		demo_free();
	proc_end();
	conf_free(&conf);
	event_base_free(base);
	return rc;
}
