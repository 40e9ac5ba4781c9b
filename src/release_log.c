/*
 * Releases amavis logged, by mail_id, and the copies they re-sent, by the
 * msgid smtpd gave them (see release_log.h for how a copy is recognised).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "release_log.h"
#include "util.h"

#define RELEASES_MAX	1024		/* the oldest go first */
#define BUCKETS		2048
#define COPY_AFTER	30		/* s from a release line to its copy */
/* and before it: syslog may write smtpd's lines of the same second first,
 * but the message released came earlier, from that sender to those
 * recipients too */
#define COPY_BEFORE	2
#define RECENT		32		/* envelopes kept for a late release line */
#define WAITING		16		/* releases whose copy is still to come */
#define ADDR_ROOM	256		/* longer addresses are not matched */
#define EXPECTED	16		/* copies amavisd-release named */

struct recent {
	int64_t		 time;
	uint32_t	 msgid;
	int		 used;
	char		 sender[ADDR_ROOM];
	char		 to[ADDR_ROOM];
};

struct expected {
	char		 mail_id[AV_MAILID_MAX + 1];
	uint32_t	 msgid;
	int64_t		 until;
	int		 used;
};

struct release_log {
	struct release	*ring[RELEASES_MAX];
	size_t		 first, n;
	struct release	*by_id[BUCKETS];
	struct release	*by_copy[BUCKETS];
	struct release	*waiting[WAITING];
	struct recent	 recent[RECENT];
	size_t		 next_recent;
	struct expected	 expected[EXPECTED];
	size_t		 next_expected;
	unsigned	 gen;
};

static size_t
id_bucket(const char *s, size_t len)
{
	return (size_t)(hash_mem(s, len) * 0x9e3779b97f4a7c15ULL >> 53);
}

static size_t
copy_bucket(uint32_t msgid)
{
	return (size_t)((uint64_t)msgid * 0x9e3779b97f4a7c15ULL >> 53);
}

struct release_log *
release_log_new(void)
{
	return xcalloc(1, sizeof(struct release_log));
}

static void
release_free(struct release *r)
{
	free(r->sender);
	free(r->rcpts);
	free(r->story);
	free(r);
}

void
release_log_free(struct release_log *rl)
{
	size_t	 i;

	if (rl == NULL)
		return;
	for (i = 0; i < rl->n; i++)
		release_free(rl->ring[(rl->first + i) % RELEASES_MAX]);
	free(rl);
}

static void
unchain(struct release **pp, struct release *r, int copy)
{
	for (; *pp != NULL; pp = copy ? &(*pp)->next_copy : &(*pp)->next_id)
		if (*pp == r) {
			*pp = copy ? r->next_copy : r->next_id;
			return;
		}
}

/* What the last copy was: not known any more. */
static void
copy_forget(struct release_log *rl, struct release *r)
{
	if (r->has_copy)
		unchain(&rl->by_copy[copy_bucket(r->copy)], r, 1);
	r->has_copy = 0;
	r->nok = r->ntemp = r->nperm = 0;
	r->storylen = 0;
	if (r->story != NULL)
		r->story[0] = '\0';
}

static void
waiting_drop(struct release_log *rl, const struct release *r)
{
	size_t	 i;

	for (i = 0; i < WAITING; i++)
		if (rl->waiting[i] == r)
			rl->waiting[i] = NULL;
}

static void
evict_oldest(struct release_log *rl)
{
	struct release	*r = rl->ring[rl->first];

	copy_forget(rl, r);
	unchain(&rl->by_id[id_bucket(r->mail_id, strlen(r->mail_id))], r, 0);
	waiting_drop(rl, r);
	release_free(r);
	rl->first = (rl->first + 1) % RELEASES_MAX;
	rl->n--;
}

/* Whether the list "<a>,<b>" (as amavis logs it) holds addr. */
static int
rcpts_hold(const char *rcpts, const char *addr, size_t len)
{
	struct ml_str	 rest = { rcpts, strlen(rcpts) }, rcpt;

	while (av_rcpt_next(&rest, &rcpt))
		if (rcpt.len == len && strncasecmp(rcpt.p, addr, len) == 0)
			return 1;
	return 0;
}

static int
fits(const struct release *r, int64_t t, const char *sender, size_t slen,
    const char *to, size_t tlen)
{
	if (r->has_copy || t < r->time - COPY_BEFORE ||
	    t > r->time + COPY_AFTER)
		return 0;
	if (strlen(r->sender) != slen || memcmp(r->sender, sender, slen) != 0)
		return 0;
	return rcpts_hold(r->rcpts, to, tlen);
}

static void
copy_set(struct release_log *rl, struct release *r, uint32_t msgid)
{
	size_t	 b = copy_bucket(msgid);

	r->has_copy = 1;
	r->copy = msgid;
	r->next_copy = rl->by_copy[b];
	rl->by_copy[b] = r;
	waiting_drop(rl, r);
	rl->gen++;
}

static char *
dup_str(struct ml_str s)
{
	char	*p = xmalloc(s.len + 1);

	memcpy(p, s.p, s.len);
	p[s.len] = '\0';
	return p;
}

static void
cpy(char *dst, size_t room, struct ml_str s)
{
	size_t	 n = s.len < room - 1 ? s.len : room - 1;

	memcpy(dst, s.p, n);
	dst[n] = '\0';
}

static struct release *
find(const struct release_log *rl, const char *id, size_t len)
{
	struct release	*r;

	for (r = rl->by_id[id_bucket(id, len)]; r != NULL; r = r->next_id)
		if (strlen(r->mail_id) == len && memcmp(r->mail_id, id, len) == 0)
			return r;
	return NULL;
}

struct release *
release_log_add(struct release_log *rl, const struct av_release *av)
{
	struct release	*r;
	struct recent	*e;
	size_t		 i, b;

	if (av->mail_id.len == 0 || av->mail_id.len > AV_MAILID_MAX)
		return NULL;
	if ((r = find(rl, av->mail_id.p, av->mail_id.len)) == NULL) {
		if (rl->n == RELEASES_MAX)
			evict_oldest(rl);
		r = xcalloc(1, sizeof(*r));
		cpy(r->mail_id, sizeof(r->mail_id), av->mail_id);
		b = id_bucket(r->mail_id, av->mail_id.len);
		r->next_id = rl->by_id[b];
		rl->by_id[b] = r;
		rl->ring[(rl->first + rl->n++) % RELEASES_MAX] = r;
	} else {
		/* released again: a new copy */
		copy_forget(rl, r);
		free(r->sender);
		free(r->rcpts);
	}
	r->sender = dup_str(av->sender);
	r->rcpts = dup_str(av->rcpts);
	cpy(r->relid, sizeof(r->relid), av->logid);
	cpy(r->feedback, sizeof(r->feedback), av->feedback);
	r->time = av->time;
	r->count++;
	rl->gen++;

	/* what amavisd-release said, rather than a guess */
	for (i = 0; i < EXPECTED; i++)
		if (rl->expected[i].used && rl->expected[i].until >= av->time &&
		    strcmp(rl->expected[i].mail_id, r->mail_id) == 0) {
			rl->expected[i].used = 0;
			copy_set(rl, r, rl->expected[i].msgid);
			return r;
		}

	/* the copy's lines may have come first */
	for (i = 0; i < RECENT; i++) {
		e = &rl->recent[(rl->next_recent + i) % RECENT];
		if (e->used && fits(r, e->time, e->sender, strlen(e->sender),
		    e->to, strlen(e->to))) {
			copy_set(rl, r, e->msgid);
			return r;
		}
	}
	waiting_drop(rl, r);
	for (i = 0; i < WAITING; i++)
		if (rl->waiting[i] == NULL ||
		    rl->waiting[i]->time < av->time - COPY_AFTER) {
			rl->waiting[i] = r;
			break;
		}
	return r;
}

struct release *
release_log_envelope(struct release_log *rl, int64_t t, uint32_t msgid,
    struct ml_str sender, struct ml_str to)
{
	struct release	*r;
	struct recent	*e;
	size_t		 i;

	if ((r = release_log_copy(rl, msgid)) != NULL)
		return r;	/* the copy's next recipient */
	for (i = 0; i < WAITING; i++) {
		r = rl->waiting[i];
		if (r != NULL && fits(r, t, sender.p, sender.len, to.p,
		    to.len)) {
			copy_set(rl, r, msgid);
			return r;
		}
	}
	if (sender.len < ADDR_ROOM && to.len < ADDR_ROOM) {
		e = &rl->recent[rl->next_recent];
		rl->next_recent = (rl->next_recent + 1) % RECENT;
		e->used = 1;
		e->time = t;
		e->msgid = msgid;
		cpy(e->sender, sizeof(e->sender), sender);
		cpy(e->to, sizeof(e->to), to);
	}
	return NULL;
}

struct release *
release_log_expect(struct release_log *rl, const char *mail_id,
    uint32_t msgid, int64_t until)
{
	struct expected	*x;
	struct release	*r;

	if (strlen(mail_id) > AV_MAILID_MAX)
		return NULL;
	x = &rl->expected[rl->next_expected];
	rl->next_expected = (rl->next_expected + 1) % EXPECTED;
	xstrlcpy(x->mail_id, mail_id, sizeof(x->mail_id));
	x->msgid = msgid;
	x->until = until;
	x->used = 1;
	if ((r = find(rl, mail_id, strlen(mail_id))) == NULL ||
	    (r->has_copy && r->copy == msgid))
		return NULL;
	/* the line may be this release's, or the one before it: then the
	 * next line takes the expectation again */
	copy_forget(rl, r);
	copy_set(rl, r, msgid);
	return r;
}

struct release *
release_log_copy(const struct release_log *rl, uint32_t msgid)
{
	struct release	*r;

	for (r = rl->by_copy[copy_bucket(msgid)]; r != NULL; r = r->next_copy)
		if (r->copy == msgid)
			return r;
	return NULL;
}

void
release_log_claimed(struct release_log *rl, uint32_t msgid)
{
	struct release	*r;
	size_t		 i;

	while ((r = release_log_copy(rl, msgid)) != NULL) {
		copy_forget(rl, r);
		rl->gen++;
		/* its real copy may still come */
		for (i = 0; i < WAITING && rl->waiting[i] != NULL; i++)
			;
		if (i < WAITING)
			rl->waiting[i] = r;
	}
	for (i = 0; i < RECENT; i++)
		if (rl->recent[i].msgid == msgid)
			rl->recent[i].used = 0;
}

const struct release *
release_log_find(const struct release_log *rl, const char *mail_id)
{
	return find(rl, mail_id, strlen(mail_id));
}

unsigned
release_log_gen(const struct release_log *rl)
{
	return rl->gen;
}

void
release_log_touch(struct release_log *rl)
{
	rl->gen++;
}

const char *
release_log_fate(const struct release *r)
{
	if (r->nperm > 0)
		return "bounced";
	if (r->ntemp > 0 && r->nok == 0)
		return "deferred";
	if (r->nok > 0)
		return "delivered";
	return "released";
}
