/*
 * --demo's spamd: a greylisting database and spamd's pf table, answering
 * spamdb(8) and pfctl(8) command lines with their real formats.  Tuples
 * arrive, some senders retry after passtime and pass, spamd's scan turns
 * them into WHITE records and rebuilds the table, and a large provider
 * keeps retrying from addresses whose tuples never match.
 */
#include "config.h"

#include <arpa/inet.h>

#include <err.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>

#include "demo.h"
#include "util.h"
#include "wallclock.h"
#include "validate.h"

#define GREY_MAX	600
#define WHITE_MAX	300
#define TABLE_MAX	300
#define PASSTIME	(25 * 60)
#define GREYEXP		(4 * 3600)
#define WHITEEXP	3110400		/* spamdb -a's 36 days */

struct dgrey {
	char	 ip[16];
	char	 helo[64];
	char	 from[80];
	char	 to[64];
	time_t	 first, pass, expire;
	int	 bcount;
	int	 patient;		/* retries from the same address */
};

struct dwhite {
	const char	*type;		/* WHITE, TRAPPED, SPAMTRAP */
	char		 key[64];
	time_t		 first, pass, expire;
	int		 bcount, pcount;
};

static struct {
	struct dgrey	 grey[GREY_MAX];
	size_t		 ngrey;
	struct dwhite	 white[WHITE_MAX];
	size_t		 nwhite;
	char		 table[TABLE_MAX][16];
	size_t		 ntable;
	time_t		 last_scan;
	unsigned	 seed;
	FILE		*log;		/* spamd's daemon.info lines, or NULL */
	int		 clients;
} sd;

static void	log_grey(const struct dgrey *, time_t);

static const char *const senders[][3] = {
	/* helo, from, to */
	{ "mail.bakkerij-devries.example", "<orders@bakkerij-devries.example>",
	    "<sales@example.org>" },
	{ "relay.ngo-kinderhulp.example", "<news@ngo-kinderhulp.example>",
	    "<info@example.org>" },
	{ "WIN-4K2J7Q1R8LM", "<Admin@Secure-Mailbox-Verify.example>",
	    "<j.smit@example.org>" },
	{ "localhost", "<>", "<postmaster@example.org>" },
	{ "[203.0.113.45]", "<info@quick-loans-247.example>",
	    "<sales@example.org>" },
	{ "mx.supplier.example", "<invoices@supplier.example>",
	    "<accounts@example.org>" },
	{ "\x1b[31mEVIL\x1b[0m", "<x@esc.example>", "<info@example.org>" },
	{ "mail.odd.example", "<we|rd@odd.example>", "<sales@example.org>" },
};

static unsigned
rnd(unsigned n)
{
	sd.seed = sd.seed * 1103515245u + 12345u;
	return n ? (sd.seed >> 8) % n : 0;
}

static struct dwhite *
white_find(const char *key)
{
	size_t	 i;

	for (i = 0; i < sd.nwhite; i++)
		if (strcmp(sd.white[i].key, key) == 0)
			return &sd.white[i];
	return NULL;
}

static struct dwhite *
white_add(const char *type, const char *key, time_t now)
{
	struct dwhite	*w;

	if ((w = white_find(key)) == NULL) {
		if (sd.nwhite == WHITE_MAX)
			return NULL;
		w = &sd.white[sd.nwhite++];
		memset(w, 0, sizeof(*w));
		snprintf(w->key, sizeof(w->key), "%s", key);
		w->first = w->pass = now;
		w->bcount = 1;
	}
	w->type = type;
	return w;
}

static void
grey_add(const char *ip, const char *helo, const char *from, const char *to,
    time_t first, int patient)
{
	struct dgrey	*g;

	if (sd.ngrey == GREY_MAX)
		return;
	g = &sd.grey[sd.ngrey++];
	memset(g, 0, sizeof(*g));
	snprintf(g->ip, sizeof(g->ip), "%s", ip);
	snprintf(g->helo, sizeof(g->helo), "%s", helo);
	snprintf(g->from, sizeof(g->from), "%s", from);
	snprintf(g->to, sizeof(g->to), "%s", to);
	g->first = first;
	g->pass = g->expire = first + GREYEXP;
	g->bcount = 1;
	g->patient = patient;
	log_grey(g, first);
}

/*
 * What spamd -v logs of a greylisted connection at when: connected, the
 * (GREY) attempt, disconnected once stuttered at.  Written as syslogd
 * would, for the trace.
 */
static void
log_line(time_t when, const char *fmt, ...)
    __attribute__((__format__(__printf__, 2, 3)));

static void
log_line(time_t when, const char *fmt, ...)
{
	struct tm	 tm;
	char		 stamp[32];
	va_list		 ap;

	if (sd.log == NULL || localtime_r(&when, &tm) == NULL)
		return;
	strftime(stamp, sizeof(stamp), "%b %e %H:%M:%S", &tm);
	fprintf(sd.log, "%s mx spamd[48213]: ", stamp);
	va_start(ap, fmt);
	vfprintf(sd.log, fmt, ap);
	va_end(ap);
	fputc('\n', sd.log);
}

static void
log_grey(const struct dgrey *g, time_t when)
{
	unsigned	 held = 10 + rnd(30);

	/* the attempt at when, the connection around it, never ahead of
	 * the clock */
	sd.clients = 1 + (int)rnd(4);
	log_line(when - (time_t)held / 2, "%s: connected (%d/0)", g->ip,
	    sd.clients);
	log_line(when, "(GREY) %s: %s -> %s", g->ip, g->from, g->to);
	log_line(when + (time_t)(held - held / 2) > wallclock_now() ?
	    wallclock_now() : when + (time_t)(held - held / 2),
	    "%s: disconnected after %u seconds.", g->ip, held);
}

/* One connection: a new tuple, or a retry of a known one. */
static void
arrive(time_t now, time_t when)
{
	char		 ip[16], helo[64];
	size_t		 k;

	if (rnd(3) == 0) {
		/* the large provider: a new address every time, never passes */
		snprintf(ip, sizeof(ip), "40.107.%u.%u", rnd(256), 1 + rnd(250));
		snprintf(helo, sizeof(helo), "EUR05-AM6-obe%u.outbound."
		    "protection.outlook.com", rnd(90));
		grey_add(ip, helo, "<m.jansen@partnerfirm.nl>",
		    "<sales@example.org>", when, 0);
		return;
	}
	k = rnd(nitems(senders));
	snprintf(ip, sizeof(ip), "%u.%u.%u.%u", rnd(2) ? 198 : 203,
	    rnd(2) ? 51 : 0, rnd(2) ? 100 : 113, 1 + rnd(250));
	grey_add(ip, senders[k][0], senders[k][1], senders[k][2], when,
	    rnd(3) != 0);
	(void)now;
}

/* What spamd's greyscan does every minute. */
static void
scan(time_t now)
{
	struct dwhite	*w;
	size_t		 i;

	for (i = 0; i < sd.ngrey; i++) {
		if (sd.grey[i].expire <= now) {
			sd.grey[i--] = sd.grey[--sd.ngrey];
			continue;
		}
		if (sd.grey[i].pass < sd.grey[i].expire &&
		    white_find(sd.grey[i].ip) == NULL &&
		    (w = white_add("WHITE", sd.grey[i].ip, now)) != NULL) {
			w->first = sd.grey[i].first;
			w->pass = sd.grey[i].pass;
			w->bcount = sd.grey[i].bcount;
			w->expire = now + WHITEEXP;
		}
	}
	for (i = 0; i < sd.nwhite; i++)
		if (sd.white[i].type[0] != 'S' && sd.white[i].expire <= now)
			sd.white[i--] = sd.white[--sd.nwhite];
	/* the table is replaced wholesale with the IPv4 WHITE records */
	sd.ntable = 0;
	for (i = 0; i < sd.nwhite && sd.ntable < TABLE_MAX; i++) {
		struct in_addr	 a;

		if (strcmp(sd.white[i].type, "WHITE") == 0 &&
		    inet_pton(AF_INET, sd.white[i].key, &a) == 1)
			snprintf(sd.table[sd.ntable++], 16, "%s",
			    sd.white[i].key);
	}
	sd.last_scan = now;
}

void
demo_spamd_tick(time_t now)
{
	struct dgrey	*g;
	size_t		 i;

	if (rnd(2) == 0)
		arrive(now, now);
	for (i = 0; i < sd.ngrey; i++) {
		g = &sd.grey[i];
		if (!g->patient || rnd(400) != 0)
			continue;
		g->bcount++;		/* a retry of the same tuple */
		if (g->first + PASSTIME < now && g->pass == g->expire)
			g->pass = now;
		log_grey(g, now);
	}
	if (now - sd.last_scan >= 60)
		scan(now);
	if (sd.log != NULL)
		fflush(sd.log);
}

void
demo_spamd_init(unsigned seed, time_t now, const char *logpath)
{
	static const char *const mx[] = {
		"142.250.102.27", "209.85.220.41", "40.92.18.77",
		"192.0.2.25", "198.51.100.23", "203.0.113.80",
	};
	struct dwhite	*w;
	size_t		 i;

	memset(&sd, 0, sizeof(sd));
	sd.seed = seed;
	if (logpath != NULL && (sd.log = fopen(logpath, "w")) == NULL)
		warn("--demo: no spamd log: %s", logpath);
	for (i = 0; i < 90; i++)
		arrive(now, now - (time_t)rnd(GREYEXP - 60));
	for (i = 0; i < sd.ngrey; i += 7)
		if (sd.grey[i].patient && now - sd.grey[i].first > PASSTIME)
			sd.grey[i].pass = sd.grey[i].first + PASSTIME +
			    (time_t)rnd(600);
	/* spamlogd's records of the MXes we deliver to, and older ones */
	for (i = 0; i < nitems(mx); i++)
		if ((w = white_add("WHITE", mx[i], now)) != NULL) {
			w->first = w->pass = now - (time_t)rnd(30 * 86400);
			w->pcount = (int)rnd(60);
			w->expire = now + (time_t)rnd(WHITEEXP);
		}
	if ((w = white_add("WHITE", "2001:db8::25", now)) != NULL)
		w->expire = now + WHITEEXP;
	if ((w = white_add("TRAPPED", "198.51.100.66", now)) != NULL) {
		w->pcount = -1;
		w->expire = now + 80000;
	}
	if ((w = white_add("SPAMTRAP", "spamtrap@example.org", now)) != NULL) {
		w->pcount = -2;
		w->expire = 0;
	}
	scan(now);
	/* an address added to pf by hand: spamd will drop it */
	snprintf(sd.table[sd.ntable++], 16, "%s", "192.0.2.99");
	/* the trapped sender, tarpitted: what spamd -v logs of it */
	log_line(now - 900, "198.51.100.66: connected (2/1), lists: "
	    "spamd-greytrap");
	log_line(now - 890, "(BLACK) 198.51.100.66: "
	    "<info@quick-loans-247.example> -> <sales@example.org>");
	log_line(now - 600, "198.51.100.66: Subject: Your pre-approved offer");
	log_line(now - 500, "198.51.100.66: disconnected after 400 seconds. "
	    "lists: spamd-greytrap");
	if (sd.log != NULL)
		fflush(sd.log);
}

void
demo_spamd_free(void)
{
	if (sd.log != NULL)
		fclose(sd.log);
	sd.log = NULL;
}

static void
list(struct evbuffer *out)
{
	const struct dgrey	*g;
	const struct dwhite	*w;
	size_t			 i;

	for (i = 0; i < sd.ngrey; i++) {
		g = &sd.grey[i];
		evbuffer_add_printf(out, "GREY|%s|%s|%s|%s|%lld|%lld|%lld|%d|0\n",
		    g->ip, g->helo, g->from, g->to, (long long)g->first,
		    (long long)g->pass, (long long)g->expire, g->bcount);
	}
	for (i = 0; i < sd.nwhite; i++) {
		w = &sd.white[i];
		if (w->type[0] == 'W')
			evbuffer_add_printf(out, "WHITE|%s|||%lld|%lld|%lld|"
			    "%d|%d\n", w->key, (long long)w->first,
			    (long long)w->pass, (long long)w->expire,
			    w->bcount, w->pcount);
		else if (w->type[0] == 'T')
			evbuffer_add_printf(out, "TRAPPED|%s|%lld\n", w->key,
			    (long long)w->expire);
		else
			evbuffer_add_printf(out, "SPAMTRAP|%s\n", w->key);
	}
}

static int
spamdb(const char *const *argv, struct evbuffer *out, struct evbuffer *err)
{
	time_t		 now = wallclock_now();
	struct dwhite	*w;
	int		 add = 0, del = 0, grey = 0, trap = 0, fails = 0, i;
	size_t		 k;
	const char	*p;

	for (i = 1; argv[i] != NULL && argv[i][0] == '-'; i++)
		for (p = argv[i] + 1; *p != '\0'; p++)
			switch (*p) {
			case 'a': add = 1; del = 0; break;
			case 'd': del = 1; add = 0; break;
			case 'G': grey = 1; break;
			case 't': trap = 1; break;
			default:
				evbuffer_add_printf(err, "spamdb: unknown "
				    "option -- %c\nusage: spamdb [-adGTt] "
				    "[keys ...]\n", *p);
				return 1;
			}
	if (!add && !del) {
		list(out);
		return 0;
	}
	if (argv[i] == NULL) {
		evbuffer_add_printf(err, "spamdb: no addresses specified\n");
		return 2;
	}
	for (; argv[i] != NULL; i++) {
		if (del && grey) {
			for (k = 0; k < sd.ngrey; k++)
				if (strcmp(sd.grey[k].ip, argv[i]) == 0)
					break;
			if (k == sd.ngrey) {
				evbuffer_add_printf(err, "spamdb: no entry "
				    "for %s\n", argv[i]);
				fails++;
			} else
				sd.grey[k] = sd.grey[--sd.ngrey];
		} else if (del) {
			if ((w = white_find(argv[i])) == NULL) {
				evbuffer_add_printf(err, "spamdb: no entry "
				    "for %s\n", argv[i]);
				fails++;
			} else
				*w = sd.white[--sd.nwhite];
		} else if (!valid_ip(argv[i])) {
			evbuffer_add_printf(err, "spamdb: invalid ip address "
			    "%s\n", argv[i]);
			fails++;
		} else if ((w = white_add(trap ? "TRAPPED" : "WHITE", argv[i],
		    now)) != NULL) {
			w->pass = now;
			w->pcount = trap ? -1 : w->pcount + 1;
			w->expire = now + (trap ? 86400 : WHITEEXP);
		}
	}
	return fails;
}

static int
pfctl(const char *const *argv, struct evbuffer *out, struct evbuffer *err)
{
	const char	*cmd;
	size_t		 i, k, n = 0, total = 0;

	if (argv[1] == NULL || strcmp(argv[1], "-t") != 0 || argv[2] == NULL ||
	    argv[3] == NULL || strcmp(argv[3], "-T") != 0 || argv[4] == NULL) {
		evbuffer_add_printf(err, "usage: pfctl [-deghNnPqrvz] ...\n");
		return 1;
	}
	if (strcmp(argv[2], "spamd-white") != 0) {
		evbuffer_add_printf(err, "pfctl: Table does not exist\n");
		return 255;
	}
	cmd = argv[4];
	if (strcmp(cmd, "show") == 0) {
		for (i = 0; i < sd.ntable; i++)
			evbuffer_add_printf(out, "   %s\n", sd.table[i]);
		return 0;
	}
	for (i = 5; argv[i] != NULL; i++) {
		if (!valid_ip(argv[i])) {
			evbuffer_add_printf(err, "no IP address found for %s\n",
			    argv[i]);
			return 255;
		}
		total++;
		for (k = 0; k < sd.ntable; k++)
			if (strcmp(sd.table[k], argv[i]) == 0)
				break;
		if (strcmp(cmd, "add") == 0 && k == sd.ntable &&
		    sd.ntable < TABLE_MAX) {
			snprintf(sd.table[sd.ntable++], 16, "%s", argv[i]);
			n++;
		} else if (strcmp(cmd, "delete") == 0 && k < sd.ntable) {
			memcpy(sd.table[k], sd.table[--sd.ntable], 16);
			n++;
		}
	}
	evbuffer_add_printf(err, "%zu/%zu addresses %s.\n", n, total,
	    strcmp(cmd, "add") == 0 ? "added" : "deleted");
	return 0;
}

int
demo_spamd_exec(const char *const *argv, struct evbuffer *out,
    struct evbuffer *err)
{
	const char	*prog = strrchr(argv[0], '/');

	prog = prog != NULL ? prog + 1 : argv[0];
	if (strcmp(prog, "spamdb") == 0)
		return spamdb(argv, out, err);
	if (strcmp(prog, "pfctl") == 0)
		return pfctl(argv, out, err);
	return -1;
}
