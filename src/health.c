/*
 * The health line's state: the checks run every HEALTH_EVERY seconds on a
 * timer of their own (a port's answer comes later, through libevent), and
 * the line is made from their last answers when the screen is drawn.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "health.h"
#include "util.h"

#define PORT_TIMEOUT	2		/* s for a port to answer */
#define LOG_SLACK	60		/* s syslogd may keep a line back */

struct svc {
	const struct health_spec *spec;
	enum health_state	 state;
	char			 why[128];
	int			 checked;
	struct event		*ev;		/* a port's connect */
	int			 fd;
	char			 note[64];	/* a pane's: "MTA paused" */
	int			 note_bad;
	time_t			 worked;
};

struct health {
	struct event_base	*base;
	const struct health_conf *conf;
	const char		*maillog;
	const char		*quarantine;
	void			(*changed)(void *);
	void			*arg;
	struct event		*timer;
	struct svc		 svc[HS_NSVC];
	/* the mail log's and the quarantine's, as of the last check: a
	 * draw makes no system call */
	int			 log_errno;
	time_t			 log_mtime;
	int			 quar_errno;
	long long		 quar_avail;
	struct health_item	 items[HEALTH_NITEMS];
};

static void	on_timer(evutil_socket_t, short, void *);

static void
port_done(struct svc *s, enum health_state st, const char *fmt, int e)
{
	s->state = st;
	snprintf(s->why, sizeof(s->why), fmt, s->spec->arg, s->spec->port,
	    strerror(e));
	s->checked = 1;
	if (s->ev != NULL) {
		event_free(s->ev);
		s->ev = NULL;
	}
	if (s->fd != -1) {
		close(s->fd);
		s->fd = -1;
	}
}

static void
on_port(evutil_socket_t fd, short what, void *arg)
{
	struct health	*h = arg;
	struct svc	*s = NULL;
	socklen_t	 sl;
	size_t		 i;
	int		 e = 0;

	for (i = 0; i < HS_NSVC; i++)
		if (h->svc[i].fd == fd)
			s = &h->svc[i];
	if (s == NULL)
		return;
	if (what & EV_TIMEOUT)
		port_done(s, HEALTH_DOWN, "no answer from %s %s in 2 s%.0s", 0);
	else {
		sl = sizeof(e);
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &sl) == -1)
			e = errno;
		if (e == 0)
			port_done(s, HEALTH_UP, "%s %s answers%.0s", 0);
		else if (e == ECONNREFUSED)
			port_done(s, HEALTH_DOWN, "%s %s refuses%.0s", 0);
		else
			port_done(s, HEALTH_DOWN, "%s %s: %s", e);
	}
	if (h->changed != NULL)
		h->changed(h->arg);
}

/* A TCP connect that never blocks: numeric addresses only, no DNS. */
static void
port_start(struct health *h, struct svc *s)
{
	struct addrinfo		 hints, *ai;
	struct timeval		 tv = { PORT_TIMEOUT, 0 };
	int			 fd, r;

	if (s->ev != NULL)
		return;		/* the last one has not answered yet */
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	if ((r = getaddrinfo(s->spec->arg, s->spec->port, &hints, &ai)) !=
	    0) {
		s->state = HEALTH_UNKNOWN;
		snprintf(s->why, sizeof(s->why), "%s: not an IP address",
		    s->spec->arg);
		s->checked = 1;
		return;
	}
	fd = socket(ai->ai_family, SOCK_STREAM, 0);
	if (fd == -1 || fcntl(fd, F_SETFL, O_NONBLOCK) == -1) {
		s->state = HEALTH_UNKNOWN;
		snprintf(s->why, sizeof(s->why), "socket: %s",
		    strerror(errno));
		s->checked = 1;
		if (fd != -1)
			close(fd);
		freeaddrinfo(ai);
		return;
	}
	s->fd = fd;
	r = connect(fd, ai->ai_addr, ai->ai_addrlen);
	freeaddrinfo(ai);
	if (r == 0)
		port_done(s, HEALTH_UP, "%s %s answers%.0s", 0);
	else if (errno == ECONNREFUSED)
		port_done(s, HEALTH_DOWN, "%s %s refuses%.0s", 0);
	else if (errno != EINPROGRESS)
		port_done(s, HEALTH_UNKNOWN, "%s %s: %s", errno);
	else if ((s->ev = event_new(h->base, fd, EV_WRITE, on_port, h)) ==
	    NULL || event_add(s->ev, &tv) == -1)
		port_done(s, HEALTH_UNKNOWN, "%s %s: %s", ENOMEM);
}

void
health_check(struct health *h)
{
	struct svc	*s;
	struct stat	 st;
	struct statvfs	 vf;
	size_t		 i;

	h->log_errno = h->maillog == NULL || stat(h->maillog, &st) == 0 ? 0 :
	    errno;
	if (h->log_errno == 0 && h->maillog != NULL)
		h->log_mtime = st.st_mtime;
	h->quar_errno = h->quarantine == NULL || statvfs(h->quarantine, &vf) ==
	    0 ? 0 : errno;
	if (h->quar_errno == 0 && h->quarantine != NULL)
		h->quar_avail = (long long)vf.f_bavail * (long long)vf.f_frsize;

	for (i = 0; i < HS_NSVC; i++) {
		s = &h->svc[i];
		switch (s->spec->how) {
		case HOW_PIDFILE:
			s->state = health_pidfile(s->spec->arg, s->why,
			    sizeof(s->why));
			break;
		case HOW_SOCKET:
			s->state = health_socket(s->spec->arg, s->why,
			    sizeof(s->why));
			break;
		case HOW_PROCESS:
			s->state = health_process(s->spec->arg, s->why,
			    sizeof(s->why));
			break;
		case HOW_PORT:
			port_start(h, s);
			continue;
		default:
			continue;
		}
		s->checked = 1;
	}
}

static void
on_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	health_check(arg);
}

struct health *
health_new(struct event_base *base, const struct health_conf *conf,
    const char *maillog, const char *quarantine, void (*changed)(void *),
    void *arg)
{
	struct health	*h = xcalloc(1, sizeof(*h));
	struct timeval	 tv = { HEALTH_EVERY, 0 };
	size_t		 i;

	h->base = base;
	h->conf = conf;
	h->maillog = maillog;
	h->quarantine = quarantine;
	h->changed = changed;
	h->arg = arg;
	for (i = 0; i < HS_NSVC; i++) {
		h->svc[i].spec = &conf->svc[i];
		h->svc[i].fd = -1;
	}
	if (base != NULL) {
		h->timer = event_new(base, -1, EV_PERSIST, on_timer, h);
		if (h->timer == NULL || event_add(h->timer, &tv) == -1)
			fatalx("health: event_new failed");
	}
	health_check(h);
	return h;
}

void
health_free(struct health *h)
{
	size_t	 i;

	if (h == NULL)
		return;
	for (i = 0; i < HS_NSVC; i++)
		if (h->svc[i].ev != NULL || h->svc[i].fd != -1)
			port_done(&h->svc[i], HEALTH_UNKNOWN, "%s%s%.0s", 0);
	if (h->timer != NULL)
		event_free(h->timer);
	free(h);
}

void
health_note(struct health *h, enum health_svc i, const char *note, int bad,
    time_t worked)
{
	xstrlcpy(h->svc[i].note, note, sizeof(h->svc[i].note));
	h->svc[i].note_bad = bad;
	if (worked > h->svc[i].worked)
		h->svc[i].worked = worked;
}

static void
svc_item(const struct svc *s, const char *name, struct health_item *it)
{
	const char	*sep = s->note[0] != '\0' ? ", " : "";

	switch (s->state) {
	case HEALTH_UP:
		snprintf(it->text, sizeof(it->text), "%s up%s%s", name, sep,
		    s->note);
		break;
	case HEALTH_DOWN:
		snprintf(it->text, sizeof(it->text), "%s DOWN: %s", name,
		    s->why);
		break;
	default:
		snprintf(it->text, sizeof(it->text), "%s ?: %s", name,
		    s->checked ? s->why : "checking");
		break;
	}
	it->state = s->state;
	it->bold = s->state == HEALTH_DOWN ||
	    (s->state == HEALTH_UP && s->note_bad);
}

/*
 * How long the mail log has been silent: an alarm only when it was silent
 * for the configured span and smtpd worked after its last line.
 */
static void
log_item(const struct health *h, time_t now, struct health_item *it)
{
	const struct svc	*smtpd = &h->svc[HS_SMTPD];
	char			 age[32];
	time_t			 quiet;

	if (h->log_errno != 0) {
		it->state = HEALTH_UNKNOWN;
		snprintf(it->text, sizeof(it->text), "maillog ?: %s: %s",
		    h->maillog, strerror(h->log_errno));
		return;
	}
	quiet = now > h->log_mtime ? now - h->log_mtime : 0;
	fmt_duration(quiet, age, sizeof(age));
	if (quiet > h->conf->silence && smtpd->worked > h->log_mtime +
	    LOG_SLACK) {
		it->state = HEALTH_DOWN;
		it->bold = 1;
		snprintf(it->text, sizeof(it->text), "maillog SILENT for %s "
		    "while smtpd worked", age);
	} else {
		it->state = HEALTH_UP;
		snprintf(it->text, sizeof(it->text), "maillog %s old", age);
	}
}

static void
quarantine_item(const struct health *h, struct health_item *it)
{
	char		 sz[16], min[16];

	if (h->quar_errno != 0) {
		it->state = HEALTH_UNKNOWN;
		snprintf(it->text, sizeof(it->text), "quarantine ?: %s: %s",
		    h->quarantine, strerror(h->quar_errno));
		return;
	}
	health_fmt_size(h->quar_avail, sz, sizeof(sz));
	if (h->quar_avail < h->conf->free_min) {
		health_fmt_size(h->conf->free_min, min, sizeof(min));
		it->state = HEALTH_DOWN;
		it->bold = 1;
		snprintf(it->text, sizeof(it->text), "quarantine LOW: %s free "
		    "(under %s)", sz, min);
	} else {
		it->state = HEALTH_UP;
		snprintf(it->text, sizeof(it->text), "quarantine %s free", sz);
	}
}

const struct health_item *
health_items(struct health *h, time_t now, size_t *n)
{
	struct health_item	*it;
	size_t			 i;

	*n = 0;
	for (i = 0; i < HS_NSVC; i++) {
		if (h->conf->svc[i].how == HOW_NONE ||
		    h->conf->svc[i].how == HOW_DEFAULT)
			continue;
		it = &h->items[(*n)++];
		memset(it, 0, sizeof(*it));
		svc_item(&h->svc[i], health_svc_names[i], it);
	}
	if (h->conf->silence >= 0 && h->maillog != NULL) {
		it = &h->items[(*n)++];
		memset(it, 0, sizeof(*it));
		log_item(h, now, it);
	}
	if (h->conf->free_min >= 0 && h->quarantine != NULL) {
		it = &h->items[(*n)++];
		memset(it, 0, sizeof(*it));
		quarantine_item(h, it);
	}
	return h->items;
}
