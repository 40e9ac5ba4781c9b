/*
 * --demo's smtpd queue: the envelopes of the messages in the simulated mail
 * log, from their receipt to their delivery, bounce or expiry, retried as
 * OpenSMTPD's scheduler does (ctime + 400 s times the tries squared) and
 * expired after smtpd.conf's default queue ttl of 4 days.  demo.c shows them
 * as smtpctl would, so a queued envelope's msgid is the one amavis logged as
 * "queued_as" and smtpd's delivery lines name.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo_maillog_int.h"
#include "util.h"

void
queue_enter(struct demo_log *d, struct msg *m)
{
	if (m->inq)
		return;
	if (d->nq == d->qcap) {
		d->qcap = d->qcap ? d->qcap * 2 : 64;
		d->q = xreallocarray(d->q, d->qcap, sizeof(*d->q));
	}
	d->q[d->nq++] = m;
	m->inq = 1;
	m->refs++;
}

static int64_t
max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

/* Deliver the due envelopes of m at ms, as a new try. */
static void
retry_at(struct demo_log *d, struct msg *m, int64_t ms)
{
	m->gen++;
	m->next = ms;
	demo_sched(d, ms, EV_DELIVER, m);
}

/* A failed envelope: a report to its sender while it is being made. */
static void
bounce(struct demo_log *d, struct msg *m, size_t i, int esc_code)
{
	if (m->sender[0] == '\0') {
		m->qst[i] = QS_DONE;	/* no report on a report */
		return;
	}
	m->qst[i] = QS_BOUNCE;
	d->st_bounce++;
	m->bevp[i] = (uint64_t)m->msgid2 << 32 | (demo_rnd32(d) | 1);
	m->bctime[i] = d->now;
	m->bgone[i] = d->now + 2000 + demo_rnd(d, 6000);
	m->esc_code = esc_code;
	demo_sched(d, m->bgone[i], EV_ARRIVE, traffic_bounce(d, m));
}

/* After a tempfail: the next try, or the expiry when that comes first. */
void
queue_tempfail(struct demo_log *d, struct msg *m, int64_t ms)
{
	struct msg	*w;
	int64_t		 ct = m->ctime2 / 1000, now = ms / 1000, next;
	int64_t		 k;

	m->tries++;
	for (k = m->tries; (next = ct + BACKOFF_MTA * k * k) <= now; k++)
		continue;
	if (next < ct + DEMO_QUEUE_TTL)
		retry_at(d, m, next * 1000 + demo_rnd(d, 1000));
	else {
		/* no try after the expiry: that is the next event */
		m->next = max64(ms, (ct + DEMO_QUEUE_TTL) * 1000);
		demo_sched(d, m->next, EV_EXPIRE, m);
	}
	if (m->lastbounce == 0 && now - ct >= WARN_AFTER &&
	    m->sender[0] != '\0') {
		/* "bounce warn-interval 4h": the sender learns of the delay */
		m->lastbounce = now;
		w = traffic_bounce(d, m);
		w->subj = "Delivery status notification: delay";
		demo_sched(d, ms + 1000 + demo_rnd(d, 3000), EV_ARRIVE, w);
	}
}

/* The try inflight ended. */
void
queue_settle(struct demo_log *d, struct msg *m)
{
	size_t	 i;
	int	 temp = 0;

	for (i = 0; i < m->nrcpt; i++) {
		if (!m->infl[i])
			continue;
		m->infl[i] = 0;
		if (m->qst[i] != QS_QUEUED)
			continue;	/* removed while inflight */
		if (m->res[i] == QS_QUEUED) {
			temp = 1;
			d->st_tempfail++;
		} else if (m->res[i] == QS_BOUNCE) {
			d->st_permfail++;
			bounce(d, m, i, 11);	/* 5.1.1 */
		} else {
			d->st_ok++;
			m->qst[i] = QS_DONE;
		}
	}
	m->until = 0;
	if (temp)
		queue_tempfail(d, m, d->now);
}

void
queue_expire(struct demo_log *d, struct msg *m)
{
	char	 t[32];
	size_t	 i;

	for (i = 0; i < m->nrcpt; i++) {
		if (m->qst[i] != QS_QUEUED || m->infl[i])
			continue;
		demo_smtpd(d, d->now, "relay: Expire for " X64 ": from=<%s%s>, "
		    "to=<%s>, rcpt=<->, delay=%s, stat=Envelope expired",
		    m->evp2[i], m->sender, m->sender[0] != '\0' ? "" : "@",
		    m->rcpt[i], demo_dur(t, sizeof(t), d->now, m->ctime2));
		snprintf(m->err, sizeof(m->err), "Envelope expired");
		d->st_expired++;
		bounce(d, m, i, 47);		/* 4.4.7 */
	}
}

/* The envelopes received, until amavis has the message. */
static int
shows1(const struct msg *m, int64_t ms)
{
	return m->evp[0] != 0 && m->ctime <= ms && ms < m->funtil;
}

/* An envelope of the copy amavis passed. */
static int
shows(const struct msg *m, size_t i, int64_t ms)
{
	if (m->ctime2 > ms)
		return 0;
	return m->qst[i] == QS_QUEUED || (m->qst[i] == QS_BOUNCE &&
	    m->bctime[i] <= ms && ms < m->bgone[i]);
}

/* Messages with no envelope left leave the queue. */
void
queue_tick(struct demo_log *d, int64_t ms)
{
	struct msg	*m;
	size_t		 i, j, k;
	int		 left;

	for (k = j = 0; j < d->nq; j++) {
		m = d->q[j];
		left = shows1(m, ms) || m->funtil == INT64_MAX;
		for (i = 0; i < m->nrcpt; i++) {
			if (m->qst[i] == QS_BOUNCE && m->bgone[i] <= ms)
				m->qst[i] = QS_DONE;
			left |= m->qst[i] == QS_QUEUED || m->qst[i] == QS_BOUNCE;
		}
		if (left)
			d->q[k++] = m;
		else {
			m->inq = 0;
			demo_msg_unref(m);
		}
	}
	d->nq = k;
}

void
queue_free(struct demo_log *d)
{
	size_t	 i;

	for (i = 0; i < d->nq; i++)
		demo_msg_unref(d->q[i]);
	free(d->q);
	free(d->envs);
	d->q = NULL;
	d->envs = NULL;
	d->nq = d->qcap = d->envcap = 0;
}

static void
fill(struct demo_env *e, const struct msg *m, size_t i, int first,
    time_t now)
{
	int64_t		 ms = (int64_t)now * 1000;

	memset(e, 0, sizeof(*e));
	e->family = "inet4";
	e->type = "mta";
	e->sender = m->sender;
	e->error = "";
	e->rcpt = m->rcpt[i];
	if (first) {
		/* received, on its way to amavis on :10024 */
		e->id = m->evp[i];
		e->dispatcher = "amavis";
		if (m->kind == K_BOUNCE)
			e->family = "local";
		e->helo = m->kind == K_BOUNCE ? MYHOST : m->host;
		e->hostname = e->helo;
		e->sockaddr = m->kind == K_BOUNCE ? "local" : m->ip;
		e->ctime = m->ctime / 1000;
		e->inflight = m->fsince <= ms;
		e->lasttry = e->inflight ? m->fsince / 1000 : 0;
		e->delay = e->inflight ? now - e->lasttry : 0;
		return;
	}
	e->id = m->evp2[i];
	e->dispatcher = m->kind == K_IN ? "inbound" : "outbound";
	e->helo = e->hostname = "localhost";
	e->sockaddr = "127.0.0.1";
	e->ctime = m->ctime2 / 1000;
	e->retry = m->tries;
	e->lastbounce = m->lastbounce;
	e->error = m->err;
	e->esc_class = m->err[0] != '\0' ? 4 : 0;
	e->hold = m->hold[i];
	e->suspend = m->susp[i];
	if (m->qst[i] == QS_BOUNCE) {
		/* smtpd's report of the failure, being made */
		e->id = m->bevp[i];
		e->type = "bounce";
		e->ctime = m->bctime[i] / 1000;
		e->ttl = BOUNCE_TTL;
		e->retry = 0;
		e->lastbounce = 0;
		e->esc_class = 5;
		e->esc_code = m->esc_code;
		e->hold = e->suspend = 0;
		e->inflight = 1;
		e->lasttry = e->ctime;
		e->delay = now - e->ctime;
	} else if (m->infl[i] && m->since <= ms) {
		e->inflight = 1;
		e->lasttry = m->since / 1000;
		e->delay = now - e->lasttry;
	} else
		e->delay = m->next / 1000 - now;
}

static int
cmp_env(const void *a, const void *b)
{
	const struct demo_env	*x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static struct demo_env *
env_add(struct demo_log *d, size_t *n)
{
	if (*n == d->envcap) {
		d->envcap = d->envcap ? d->envcap * 2 : 256;
		d->envs = xreallocarray(d->envs, d->envcap, sizeof(*d->envs));
	}
	return &d->envs[(*n)++];
}

void
demo_log_counters(const struct demo_log *d, int64_t c[6])
{
	c[0] = d->st_ok;
	c[1] = d->st_tempfail;
	c[2] = d->st_permfail;
	c[3] = d->st_bounce;
	c[4] = d->st_expired;
	c[5] = d->st_removed;
}

size_t
demo_log_queue(struct demo_log *d, time_t now, const struct demo_env **out)
{
	struct msg	*m;
	int64_t		 ms = (int64_t)now * 1000;
	size_t		 i, j, n = 0;

	for (j = 0; j < d->nq; j++) {
		m = d->q[j];
		for (i = 0; i < m->nrcpt; i++) {
			if (shows1(m, ms))
				fill(env_add(d, &n), m, i, 1, now);
			if (shows(m, i, ms))
				fill(env_add(d, &n), m, i, 0, now);
		}
	}
	qsort(d->envs, n, sizeof(*d->envs), cmp_env);
	*out = d->envs;
	return n;
}

static int
matches(uint64_t evpid, uint64_t id, int is_msgid)
{
	if (id == 0)
		return 1;
	return is_msgid ? evpid >> 32 == id : evpid == id;
}

size_t
demo_log_act(struct demo_log *d, int what, uint64_t id, int is_msgid,
    time_t now)
{
	struct msg	*m;
	int64_t		 ms = (int64_t)now * 1000;
	size_t		 i, j, n = 0;
	int		 again;

	for (j = 0; j < d->nq; j++) {
		m = d->q[j];
		again = 0;
		for (i = 0; i < m->nrcpt; i++) {
			if (!shows(m, i, ms) || m->qst[i] != QS_QUEUED ||
			    !matches(m->evp2[i], id, is_msgid))
				continue;
			switch (what) {
			case 'r':
				m->qst[i] = QS_DONE;
				if (!m->infl[i])	/* as the scheduler */
					d->st_removed++;
				break;
			case 's':
				if (m->infl[i])
					continue;
				m->hold[i] = 0;
				again = 1;
				break;
			case 'p':
				m->susp[i] = 1;
				break;
			case 'u':
				m->susp[i] = 0;
				again |= m->next <= ms;
				break;
			}
			n++;
		}
		for (i = 0; what == 'r' && i < m->nrcpt; i++)
			if (shows(m, i, ms) && m->qst[i] == QS_BOUNCE &&
			    matches(m->bevp[i], id, is_msgid)) {
				m->bgone[i] = ms;
				n++;
			}
		if (again && !d->mta_paused)
			retry_at(d, m, ms);
	}
	return n;
}

void
demo_log_pause(struct demo_log *d, int mta, int smtp, time_t now)
{
	size_t	 j;

	if (d->mta_paused && !mta)
		for (j = 0; j < d->nq; j++)
			if (d->q[j]->waiting)
				retry_at(d, d->q[j], (int64_t)now * 1000);
	d->mta_paused = mta;
	d->smtp_paused = smtp;
}
