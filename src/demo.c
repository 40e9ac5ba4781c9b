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

#define DEMO_MAX	400
#define DEMO_HISTORY	3600	/* s of simulated mail log at start */
#define ST_PENDING	0
#define ST_INFLIGHT	1

struct denv {
	uint64_t	 id;
	const char	*family;
	const char	*type;
	int		 suspend;
	int		 hold;
	char		 sender[96];
	char		 rcpt[96];
	time_t		 ctime;
	int		 retry;
	int		 state;
	time_t		 next;		/* pending: next try */
	time_t		 since;		/* inflight: start of the attempt */
	int		 outcome;	/* inflight: 0 ok, 1 tempfail, 2 permfail */
	char		 error[160];
};

static struct {
	struct denv	 env[DEMO_MAX];
	size_t		 n;
	int		 mta_paused;
	int		 mda_paused;
	int		 smtp_paused;
	unsigned	 seed;
	struct demo_log	*log;
	struct event	*tick;
	char		 dir[512];	/* private to this mhtop, "" once gone */
	char		 path[600];
} demo;

static const char *const senders[] = {
	"billing@shop.example", "alerts@monitoring.example",
	"newsletter+list@bulk.example", "pipe|user@weird.example",
	"", "ceo@corp.example", "noreply@tickets.example",
	"UPPER.Case@Example.COM", "jane.doe@university.example",
	"mailer@forum.example",
};
static const char *const rcpts[] = {
	"bob@example.net", "o'neil@example.com", "ops@partner.example",
	"postmaster@example.net", "rcpt|with|pipes@example.com",
	"sales@customer.example", "victor@[127.0.0.2]", "heidi@greylist.test",
	"info@slow-mx.example", "user@gmail.example", "team@startup.example",
	"archive@backup.example",
};
static const char *const tempfails[] = {
	"Network error on destination MXs",
	"451 4.7.1 Greylisted | try again later \\\\o/ \\^Actl",
	"421 4.7.0 Try again later, closing connection.",
	"452 4.2.2 Mailbox full",
	"Connection timed out",
	"450 4.1.8 <bounce@x.example>: Sender address rejected: Domain not found",
};
/* What smtpctl prints when a remote reply carried escape sequences. */
static const char hostile[] =
    "550 5.7.1 \\^[[31mRejected\\^[[0m \\M-\\^[[2J by policy";

static unsigned
rnd(unsigned n)
{
	demo.seed = demo.seed * 1103515245u + 12345u;
	return n ? (demo.seed >> 8) % n : 0;
}

static uint64_t
new_msgid(void)
{
	uint64_t	 m;

	do
		m = ((uint64_t)rnd(0x10000) << 16 | rnd(0x10000)) & 0xffffffff;
	while (m == 0);
	return m;
}

static void
add_env(uint64_t msgid, const char *sender, const char *rcpt, time_t ctime,
    time_t now)
{
	struct denv	*e;

	if (demo.n == DEMO_MAX)
		return;
	e = &demo.env[demo.n++];
	memset(e, 0, sizeof(*e));
	e->id = msgid << 32 | (rnd(0x10000) << 16 | rnd(0x10000) | 1);
	e->family = rnd(5) == 0 ? "local" : "inet4";
	e->type = rnd(9) == 0 ? "mda" : "mta";
	snprintf(e->sender, sizeof(e->sender), "%s", sender);
	snprintf(e->rcpt, sizeof(e->rcpt), "%s", rcpt);
	e->ctime = ctime;
	e->state = ST_PENDING;
	e->next = now + rnd(8);
}

static void
arrive(time_t now, time_t ctime, int past)
{
	uint64_t	 msgid = new_msgid();
	const char	*s = senders[rnd(nitems(senders))];
	int		 i, n = 1 + (rnd(4) == 0 ? rnd(3) + 1 : 0);

	for (i = 0; i < n; i++) {
		add_env(msgid, s, rcpts[rnd(nitems(rcpts))], ctime, now);
		if (past && demo.n > 0) {
			struct denv	*e = &demo.env[demo.n - 1];

			e->retry = 1 + (int)rnd(6);
			snprintf(e->error, sizeof(e->error), "%s",
			    rnd(40) == 0 ? hostile :
			    tempfails[rnd(nitems(tempfails))]);
			e->next = now + 30 + rnd(900);
			if (rnd(12) == 0) {
				/* the scheduler's hold queue: overdue */
				e->hold = 1;
				e->next = now - (time_t)rnd(30);
			}
		}
	}
}

static void
del_env(size_t i)
{
	demo.env[i] = demo.env[--demo.n];
}

static void
tick(evutil_socket_t fd, short what, void *arg)
{
	time_t		 now = wallclock_now();
	struct denv	*e;
	size_t		 i;

	(void)fd;
	(void)what;
	(void)arg;
	if (!demo.smtp_paused && rnd(3) == 0)
		arrive(now, now, 0);
	demo_spamd_tick(now);
	if (demo.log != NULL)
		demo_log_tick(demo.log, now);
	for (i = 0; i < demo.n; i++) {
		e = &demo.env[i];
		if (e->state == ST_INFLIGHT) {
			if (now - e->since < 2 + (time_t)rnd(4))
				continue;
			if (e->outcome == 0 && strcmp(e->type, "bounce") != 0) {
				del_env(i--);		/* delivered */
				continue;
			}
			if (strcmp(e->type, "bounce") == 0) {
				del_env(i--);		/* report sent */
				continue;
			}
			e->state = ST_PENDING;
			e->retry++;
			if (e->outcome == 2) {
				char	 rcpt[sizeof(e->rcpt)];

				memcpy(rcpt, e->rcpt, sizeof(rcpt));
				e->type = "bounce";
				e->next = now + 3;
				snprintf(e->error, sizeof(e->error),
				    "550 5.1.1 <%.100s>: Recipient address "
				    "rejected: User unknown", rcpt);
				continue;
			}
			snprintf(e->error, sizeof(e->error), "%s",
			    tempfails[rnd(nitems(tempfails))]);
			e->next = now + 20 + (time_t)rnd(40) * e->retry;
			continue;
		}
		if (now - e->ctime > 4 * 86400) {
			del_env(i--);			/* expired */
			continue;
		}
		if (e->hold && rnd(90) == 0)
			e->hold = 0;		/* the MTA took it back */
		if (e->suspend || e->hold || e->next > now)
			continue;
		if (strcmp(e->type, "mda") == 0 ? demo.mda_paused :
		    demo.mta_paused)
			continue;
		e->state = ST_INFLIGHT;
		e->since = now;
		e->outcome = rnd(10) < 5 ? 0 : rnd(10) < 8 ? 1 : 2;
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
	snprintf(demo.path, sizeof(demo.path), "%s/maillog", demo.dir);
	if ((fr = getenv("MHTOP_DEMO_FRAMING")) != NULL &&
	    strcmp(fr, "rfc3339") == 0)
		framing = DEMO_FRAMING_RFC3339;
	if ((demo.log = demo_log_open(demo.path, framing, seed)) == NULL) {
		warn("--demo: no simulated mail log in %s", demo.dir);
		demo_remove_files();
		return;
	}
	demo_log_history(demo.log, now, DEMO_HISTORY);
	free(conf->maillog);
	conf->maillog = xstrdup(demo.path);
	conf->history = DEMO_HISTORY + 60;
}

void
demo_remove_files(void)
{
	if (demo.dir[0] == '\0')
		return;
	unlink(demo.path);
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
	int		 i;

	memset(&demo, 0, sizeof(demo));
	demo.seed = seed;
	demo_maillog(conf, seed, now);
	for (i = 0; i < 70; i++)
		arrive(now, now - 60 - (time_t)rnd(3 * 86400), 1);
	for (i = 0; i < 12; i++)
		arrive(now, now - (time_t)rnd(60), 0);
	demo_spamd_init(seed, now);
	demo.tick = event_new(base, -1, EV_PERSIST, tick, NULL);
	event_add(demo.tick, &sec);
}

void
demo_free(void)
{
	if (demo.tick != NULL)
		event_free(demo.tick);
	demo.tick = NULL;
	if (demo.log != NULL)
		demo_log_close(demo.log);
	demo.log = NULL;
	demo_remove_files();
}

static int
cmp_env(const void *a, const void *b)
{
	const struct denv	*x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static void
print_flags(struct evbuffer *out, const struct denv *e)
{
	int	 n = 0;

	if (strcmp(e->family, "local") == 0)
		evbuffer_add_printf(out, "%sauth", n++ ? "," : "");
	if (e->suspend)
		evbuffer_add_printf(out, "%ssuspend", n++ ? "," : "");
	if (e->hold)
		evbuffer_add_printf(out, "%shold", n++ ? "," : "");
}

static void
show_queue(struct evbuffer *out, time_t now)
{
	const struct denv	*e;
	size_t			 i;
	time_t			 expire;

	qsort(demo.env, demo.n, sizeof(demo.env[0]), cmp_env);
	for (i = 0; i < demo.n; i++) {
		e = &demo.env[i];
		expire = e->ctime + (strcmp(e->type, "bounce") == 0 ? 604800 : 0);
		evbuffer_add_printf(out, "%016" PRIx64 "|%s|%s|", e->id,
		    e->family, e->type);
		print_flags(out, e);
		evbuffer_add_printf(out, "|%s|%s|%s|%lld|%lld|%lld|%d|",
		    e->sender[0] ? e->sender : "@", e->rcpt, e->rcpt, (long long)e->ctime,
		    (long long)expire,
		    (long long)(e->state == ST_INFLIGHT ? e->since : 0),
		    e->retry);
		if (e->state == ST_INFLIGHT)
			evbuffer_add_printf(out, "inflight|%lld|%s\n",
			    (long long)(now - e->since), e->error);
		else
			evbuffer_add_printf(out, "pending|%lld|%s\n",
			    (long long)(e->next - now), e->error);
	}
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
matches(const struct denv *e, const char *arg)
{
	uint64_t	 id;
	int		 msg;

	if (strcmp(arg, "all") == 0)
		return 1;
	if (parse_id(arg, &id, &msg) == -1)
		return 0;
	return msg ? (e->id >> 32) == id : e->id == id;
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
	uint64_t	 id;
	size_t		 i, n = 0;
	int		 msg;
	time_t		 now = wallclock_now();

	if (argv[0] == NULL || argv[1] != NULL ||
	    (strcmp(argv[0], "all") != 0 && parse_id(argv[0], &id, &msg) == -1))
		return usage_of(err, cmd);
	for (i = 0; i < demo.n; i++) {
		struct denv	*e = &demo.env[i];

		if (!matches(e, argv[0]))
			continue;
		switch (what) {
		case 'r':
			del_env(i--);
			n++;
			break;
		case 's':
			if (e->state == ST_INFLIGHT)
				break;
			e->next = now;
			e->hold = 0;
			n++;
			break;
		case 'p':
			e->suspend = 1;
			n++;
			break;
		case 'u':
			e->suspend = 0;
			n++;
			break;
		}
	}
	count_line(out, n, what == 'r' ? "removed" : what == 's' ?
	    "scheduled" : what == 'p' ? "paused" : "resumed");
	return 0;
}

static int
show_envelope(const char *arg, struct evbuffer *out, struct evbuffer *err)
{
	const struct denv	*e;
	size_t			 i;

	if (arg == NULL || strlen(arg) != 16 ||
	    strspn(arg, "0123456789abcdefABCDEF") != 16) {
		evbuffer_add_printf(err, "possibilities are:\n"
		    "show envelope <evpid>\n");
		return 255;
	}
	for (i = 0; i < demo.n; i++) {
		e = &demo.env[i];
		if (!matches(e, arg))
			continue;
		evbuffer_add_printf(out, "version: 3\ndispatcher: %s\n"
		    "type: %s\nsmtpname: relay.demo.example\nhelo: "
		    "client.demo.example\nhostname: localhost\nerrorline: %s\n"
		    "sockaddr: 192.0.2.%u\nsender: %s\nrcpt: %s\ndest: %s\n"
		    "ctime: %lld\nlast-try: 0\nlast-bounce: 0\nttl: %d\n"
		    "retry: %d\ndsn-notify: 0\nesc-class: %d\nesc-code: 0\n",
		    strcmp(e->type, "mda") == 0 ? "local" : "relay", e->type,
		    e->error, (unsigned)(e->id % 250 + 1), e->sender, e->rcpt,
		    e->rcpt, (long long)e->ctime,
		    strcmp(e->type, "bounce") == 0 ? 604800 : 0, e->retry,
		    e->error[0] == '5' ? 5 : 4);
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
	if (a1 == NULL)
		goto usage;
	if (strcmp(a1, "show") == 0 && a2 != NULL) {
		if (strcmp(a2, "queue") == 0 && argv[3] == NULL) {
			show_queue(out, wallclock_now());
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
