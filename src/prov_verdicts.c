/*
 * The verdicts pane: every amavis decision from the mail log, newest
 * first, with the fate of the message, and the keys an operator needs on
 * a sender amavis got wrong.
 */
#include "config.h"

#include <sys/types.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conf.h"
#include "cut.h"
#include "logfollow.h"
#include "sa_rules.h"
#include "spamdb.h"
#include "trace.h"
#include "util.h"
#include "validate.h"
#include "verdicts.h"
#include "wallclock.h"

#define SLICE		(4 * 1024 * 1024)	/* log bytes per poll step */
#define PREVIEW_SLICE	(32 * 1024 * 1024)	/* the preview's: all at once,
						 * if slice_time allows */
#define SPLIT_WAIT	5		/* s a split line's first piece waits */
#define EVICTED_MAX	30000		/* rows, about 20 MB */
#define PREVIEW_MAX	2000		/* the newest, while the rest is read */

enum vfilter { VF_ALL, VF_BLOCKED, VF_SPAM, VF_CLEAN, VF_N };
static const char *const vfilter_names[] = { "all", "blocked", "spam",
    "clean" };

struct vstate {
	char			*path;
	long			 history;
	char			*spamdb, *pfctl, *table, *sa_dirs;
	struct logfollow	*lf;
	struct verdict_store	*vs;
	/*
	 * The preview: the newest verdicts, read first and shown while the
	 * history is read oldest first into vs; then freed once its rows
	 * are off the screen (two row sets later).
	 */
	struct logfollow	*plf;
	struct verdict_store	*pvs;
	int			 preview_done;	/* caught up with the log */
	int			 preview_left;	/* row sets until it goes */
	struct sa_rules		*sa;
	int			 sa_loaded;
	int			 history_done;
	int			 batch;		/* -b: a missing log is an error */
	int			 warned;	/* -b: the follower's warning */
	enum vfilter		 filter;
	time_t			 now;
	char			 error[1024];
	char			 ip[64];
	/* the last 10 minutes, for the header */
	size_t			 per_class[VC_N];
	size_t			 blocked_min[10];	/* oldest first */
	int64_t			 hits_sum;
	size_t			 hits_n;
};

static void *
verdicts_create(const struct conf *conf)
{
	struct vstate	*v = xcalloc(1, sizeof(*v));

	v->path = xstrdup(conf->maillog);
	v->history = conf->history;
	v->batch = conf->batch;
	v->spamdb = xstrdup(conf->spamdb);
	v->pfctl = xstrdup(conf->pfctl);
	v->table = xstrdup(conf->white_table);
	v->sa_dirs = xstrdup(conf->sa_rules);
	v->vs = verdict_store_new(VERDICTS_MAX);
	return v;
}

static void
preview_free(struct vstate *v)
{
	if (v->plf != NULL)
		logfollow_free(v->plf);
	if (v->pvs != NULL)
		verdict_store_free(v->pvs);
	v->plf = NULL;
	v->pvs = NULL;
}

/* The store whose rows are on the screen. */
static struct verdict_store *
shown(const struct vstate *v)
{
	return v->pvs != NULL && !v->history_done ? v->pvs : v->vs;
}

const struct verdict_store *
verdicts_store(void *arg)
{
	return shown(arg);
}

void
verdicts_expect_copy(void *arg, const char *mail_id, uint32_t msgid)
{
	struct vstate	*v = arg;

	verdict_store_expect_copy(v->vs, mail_id, msgid);
	if (v->pvs != NULL)
		verdict_store_expect_copy(v->pvs, mail_id, msgid);
}

static void
verdicts_destroy(void *arg)
{
	struct vstate	*v = arg;

	if (v->lf != NULL)
		logfollow_free(v->lf);
	verdict_store_free(v->vs);
	preview_free(v);
	sa_rules_free(v->sa);
	free(v->path);
	free(v->spamdb);
	free(v->pfctl);
	free(v->table);
	free(v->sa_dirs);
	free(v);
}

static void
verdicts_poll_begin(void *arg, time_t now)
{
	struct vstate	*v = arg;

	v->now = now;
	v->error[0] = '\0';
}

static void
store_line(void *arg, char *line, size_t len)
{
	verdict_store_line(arg, line, len);
}

/*
 * Up to budget bytes of the log into vs, or what slice_time allows: a log
 * slow to take in (lines that share a key used to be) keeps the screen
 * live all the same.
 */
static int
follow_slice(struct logfollow *lf, size_t budget, struct verdict_store *vs)
{
	double	 end = mono_now() + slice_time;
	size_t	 done = 0;
	int	 r;

	do {
		r = logfollow_step(lf, SLICE_PIECE, store_line, vs);
		done += SLICE_PIECE;
	} while (r == LF_MORE && done < budget && mono_now() < end);
	return r;
}

/* The log from the start of its last n verdicts in the window, into vs. */
static struct logfollow *
open_log(struct vstate *v, struct verdict_store *vs, size_t n)
{
	struct logfollow	*lf;

	lf = logfollow_open(v->path, v->now - v->history, ml_line_time,
	    NULL);
	verdict_store_since(vs, (int64_t)v->now - v->history);
	logfollow_limit(lf, amavis_verdict_line, n);
	return lf;
}

static int
verdicts_poll_step(void *arg)
{
	struct vstate	*v = arg;
	int		 r, show = 0;

	if (v->lf == NULL) {
		/* the oldest read beyond the kept ones bring their smtpd lines */
		v->lf = open_log(v, v->vs, VERDICTS_MAX + VERDICTS_MAX / 64);
		v->pvs = verdict_store_new(PREVIEW_MAX);
		v->plf = open_log(v, v->pvs, PREVIEW_MAX + PREVIEW_MAX / 64);
	}
	if (v->plf != NULL && !v->history_done) {
		/* the newest first, then kept up to date until the swap */
		r = follow_slice(v->plf, PREVIEW_SLICE, v->pvs);
		if (r == LF_ERROR) {
			/* keep what it has read: its rows may be on screen */
			logfollow_free(v->plf);
			v->plf = NULL;
			v->preview_done = 1;
		} else if (r == LF_IDLE && !v->preview_done) {
			/* shown after a first slice of the history, so that
			 * the header says how that goes */
			verdict_store_flush(v->pvs, INT64_MAX);
			v->preview_done = show = 1;
		} else if (r == LF_MORE)
			return PROV_MORE;
	}
	r = follow_slice(v->lf, SLICE, v->vs);
	if (r == LF_ERROR) {
		snprintf(v->error, sizeof(v->error), "%s",
		    logfollow_status(v->lf));
		return -1;
	}
	if (r == LF_IDLE && v->batch && logfollow_missing(v->lf)) {
		/* nothing to print is not an empty log */
		snprintf(v->error, sizeof(v->error), "maillog %s: %s", v->path,
		    strerror(ENOENT));
		return -1;
	}
	if (r == LF_IDLE && v->batch && !v->warned &&
	    logfollow_warning(v->lf) != NULL) {
		/* the rows printed still are all the log has */
		fflush(stdout);
		warnmsg("maillog: %s", logfollow_warning(v->lf));
		v->warned = 1;
	}
	if (r == LF_IDLE) {
		/* a split line whose rest never came: let it out alone */
		verdict_store_flush(v->vs, v->history_done ?
		    (int64_t)v->now - SPLIT_WAIT : INT64_MAX);
		if (!v->history_done)
			v->preview_left = 2;
		v->history_done = 1;
		return PROV_IDLE;
	}
	/* none of its rows are on the screen: its evicted ones can go */
	if (shown(v) != v->vs)
		verdict_store_bury(v->vs);
	/* evicted rows live until the rows on screen are replaced */
	return show || verdict_store_evicted(v->vs) >= EVICTED_MAX ?
	    PROV_SHOW : PROV_MORE;
}

static int
filter_keeps(enum vfilter f, int64_t cls)
{
	switch (f) {
	case VF_BLOCKED:
		return cls == VC_BLOCKED_SPAM || cls == VC_BANNED ||
		    cls == VC_INFECTED || cls == VC_BADHEADER;
	case VF_SPAM:
		return cls == VC_SPAM_PASSED || cls == VC_BLOCKED_SPAM;
	case VF_CLEAN:
		return cls == VC_CLEAN;
	default:
		return 1;
	}
}

/* Outcomes per class, blocked per minute and hits over the last 10 min. */
static void
count_recent(struct vstate *v, const struct rowset *rs)
{
	const struct row	*r;
	int64_t			 t, ago;
	size_t			 i;

	memset(v->per_class, 0, sizeof(v->per_class));
	memset(v->blocked_min, 0, sizeof(v->blocked_min));
	v->hits_sum = 0;
	v->hits_n = 0;
	for (i = rs->nrows; i-- > 0;) {
		r = rs->rows[i];
		t = r->cells[V_TIME].i;
		if ((ago = (int64_t)v->now - t) >= 600)
			break;		/* oldest first: the rest is older */
		if (ago < 0)
			ago = 0;
		v->per_class[r->cells[V_CLASS].i]++;
		if (strcmp(r->cells[V_ACTION].s, "Blocked") == 0)
			v->blocked_min[9 - ago / 60]++;
		if (r->cells[V_HITS].i != CELL_NONE) {
			v->hits_sum += r->cells[V_HITS].i;
			v->hits_n++;
		}
	}
}

static struct rowset *
verdicts_poll_finish(void *arg)
{
	struct vstate	*v = arg;
	struct rowset	*rs = verdict_store_rows(shown(v));
	size_t		 i, n = 0;

	/* the preview's rows are off the screen two row sets later */
	if (v->history_done && v->pvs != NULL && --v->preview_left <= 0)
		preview_free(v);
	count_recent(v, rs);
	if (v->filter != VF_ALL) {
		for (i = 0; i < rs->nrows; i++)
			if (filter_keeps(v->filter,
			    rs->rows[i]->cells[V_CLASS].i))
				rs->rows[n++] = rs->rows[i];
		rs->nrows = n;
	}
	return rs;
}

static size_t
verdicts_progress(void *arg)
{
	return verdict_store_count(shown(arg));
}

static const char *
verdicts_poll_error(void *arg)
{
	return ((struct vstate *)arg)->error;
}

static void
verdicts_summary(void *arg, const struct rowset *rs, time_t now, char *buf,
    size_t len)
{
	struct vstate	*v = arg;
	char		 spark[64], where[640], filt[64], count[80];
	const char	*st, *warn;
	off_t		 done = 0, total = 0;
	size_t		 n;
	double		 avg;

	(void)rs;
	(void)now;
	if (v->lf != NULL)
		logfollow_progress(v->lf, &done, &total);
	if (v->lf == NULL)
		snprintf(where, sizeof(where), "%s", v->path);
	else if (v->plf != NULL && !v->preview_done)
		snprintf(where, sizeof(where), "%s (the newest first)",
		    logfollow_status(v->plf));
	else if (!v->history_done && total > 0) {
		/* the percentage after what is read, before the warning */
		st = logfollow_status(v->lf);
		warn = logfollow_warning(v->lf);
		n = strlen(st) - (warn != NULL ? strlen(warn) + 3 : 0);
		snprintf(where, sizeof(where), "%.*s: %d%% of %.1f MB%s%s",
		    (int)n, st, (int)(done * 100 / total), total / 1048576.0,
		    warn != NULL ? " - " : "", warn != NULL ? warn : "");
	}
	else
		snprintf(where, sizeof(where), "%s", logfollow_status(v->lf));
	filt[0] = '\0';
	if (v->filter != VF_ALL)
		snprintf(filt, sizeof(filt), "  showing: %s (f)",
		    vfilter_names[v->filter]);
	sparkline(v->blocked_min, nitems(v->blocked_min), spark,
	    sizeof(spark));
	avg = v->hits_n > 0 ? (double)v->hits_sum / 1000.0 / v->hits_n : 0;
	if (shown(v) != v->vs)
		snprintf(count, sizeof(count), "the newest %zu verdicts until "
		    "all are read", verdict_store_count(v->pvs));
	else
		snprintf(count, sizeof(count), "%zu verdicts",
		    verdict_store_count(v->vs));
	snprintf(buf, len, "maillog: %s  %s%s\n"
	    "last 10 min, per min: %.1f clean  %.1f spam passed  "
	    "%.1f spam blocked  %.1f banned  %.1f infected  %.1f bad header"
	    "   avg hits %.1f   blocked/min %s",
	    where, count, filt,
	    v->per_class[VC_CLEAN] / 10.0, v->per_class[VC_SPAM_PASSED] / 10.0,
	    v->per_class[VC_BLOCKED_SPAM] / 10.0,
	    v->per_class[VC_BANNED] / 10.0, v->per_class[VC_INFECTED] / 10.0,
	    v->per_class[VC_BADHEADER] / 10.0, avg, spark);
}

/* A history for people ("24 h") and as mhtop.conf writes it ("24h"). */
static void
span_text(long s, char *human, size_t hlen, char *conf, size_t clen)
{
	static const struct {
		long		 secs;
		const char	*human, *conf;
	} units[] = {
		{ 86400, "days", "d" }, { 3600, "h", "h" }, { 60, "min", "m" },
	};
	size_t	 i;

	for (i = 0; i < nitems(units); i++)
		if (s >= units[i].secs && s % units[i].secs == 0 &&
		    (s / units[i].secs > 1 || units[i].secs != 86400))
			break;
	if (i == nitems(units)) {
		snprintf(human, hlen, "%ld s", s);
		snprintf(conf, clen, "%lds", s);
		return;
	}
	snprintf(human, hlen, "%ld %s", s / units[i].secs, units[i].human);
	snprintf(conf, clen, "%ld%s", s / units[i].secs, units[i].conf);
}

static void
verdicts_empty_reason(void *arg, char *buf, size_t len)
{
	struct vstate	*v = arg;
	char		 span[32], conf[32];
	size_t		 n = verdict_store_count(shown(v)), recip;

	span_text(v->history, span, sizeof(span), conf, sizeof(conf));
	if (v->error[0] != '\0')
		snprintf(buf, len, "no verdicts: %s", v->error);
	else if (v->lf == NULL)
		snprintf(buf, len, "no verdicts yet: %s not read yet", v->path);
	else if (logfollow_missing(v->lf))
		snprintf(buf, len, "no verdicts: %s (maillog in mhtop.conf)",
		    logfollow_status(v->lf));
	else if (v->filter != VF_ALL && n > 0)
		snprintf(buf, len, "no %s verdicts among the %zu read (f shows "
		    "all)", vfilter_names[v->filter], n);
	else if (n == 0 && (recip = verdict_store_recip(shown(v))) > 0)
		snprintf(buf, len, "no verdicts: only per-recipient amavis "
		    "lines (%zu), the main log entry is off ($log_templ empty "
		    "in amavisd.conf?): %s", recip, v->path);
	else if (!v->history_done)
		snprintf(buf, len, "no verdicts yet: still reading the last %s "
		    "of %s", span, v->path);
	else if (v->history == 0)
		snprintf(buf, len, "no amavis verdicts in %s since mhtop "
		    "started (history 0)", v->path);
	else
		snprintf(buf, len, "no amavis verdicts in %s in the last %s "
		    "(history %s)", v->path, span, conf);
}

static int
verdicts_row_class(const struct row *r)
{
	switch (r->cells[V_CLASS].i) {
	case VC_CLEAN:
		return ROW_GOOD;
	case VC_SPAM_PASSED:
		return ROW_WARN;
	case VC_OTHER:
		return strcmp(r->cells[V_ACTION].s, "Blocked") == 0 ?
		    ROW_BAD : 0;
	default:
		return ROW_BAD;
	}
}

static int
verdicts_pane_key(void *arg, int ch, char *msg, size_t len)
{
	struct vstate	*v = arg;

	if (ch != 'f')
		return -1;
	v->filter = (v->filter + 1) % VF_N;
	snprintf(msg, len, "showing %s verdicts", vfilter_names[v->filter]);
	return 1;
}

void
verdicts_story_lines(const char *title, const char *story,
    void (*add)(void *, const char *, size_t), void *aarg)
{
	const char	*s, *nl;
	char		 line[1024];
	int		 n;

	if (story == NULL || story[0] == '\0')
		return;
	add(aarg, "", 0);
	add(aarg, title, strlen(title));
	for (s = story; *s != '\0'; s = nl + 1) {
		if ((nl = strchr(s, '\n')) == NULL)
			nl = s + strlen(s);
		n = snprintf(line, sizeof(line), "  %.*s", (int)(nl - s), s);
		add(aarg, line, n > 0 ? (size_t)n : 0);
		if (*nl == '\0')
			break;
	}
}

void
verdicts_message_lines(void *arg, const struct row *r,
    void (*add)(void *, const char *, size_t), void *aarg)
{
	struct vstate		*v = arg;
	const struct row	*twin;
	char			 line[1024];
	int			 n;

	if (r->cells[V_OMSGID].i != CELL_NONE)
		n = snprintf(line, sizeof(line), "  received from %s (%s) "
		    "as smtpd message %08llx", r->cells[V_IP].s,
		    r->cells[V_HELO].s[0] ? r->cells[V_HELO].s : "no name",
		    (unsigned long long)r->cells[V_OMSGID].i);
	else
		n = snprintf(line, sizeof(line), "  received from %s",
		    r->cells[V_IP].s);
	add(aarg, line, n > 0 ? (size_t)n : 0);
	n = snprintf(line, sizeof(line), "  amavis: %s, hits %s",
	    r->cells[V_VERDICT].s, r->cells[V_HITSTEXT].s[0] ?
	    r->cells[V_HITSTEXT].s : "-");
	add(aarg, line, n > 0 ? (size_t)n : 0);
	if (r->cells[V_QMSGID].i != CELL_NONE)
		n = snprintf(line, sizeof(line), "  passed on as smtpd "
		    "message %08llx: %s", (unsigned long long)
		    r->cells[V_QMSGID].i, r->cells[V_FATE].s[0] ?
		    r->cells[V_FATE].s : "no delivery logged yet");
	else
		n = snprintf(line, sizeof(line), "  not passed on");
	add(aarg, line, n > 0 ? (size_t)n : 0);
	if ((twin = verdict_store_twin(shown(v), r->key)) != NULL) {
		n = snprintf(line, sizeof(line), "  and for other recipients: "
		    "%s (to %s)", twin->cells[V_VERDICT].s, twin->cells[V_TO].s);
		add(aarg, line, n > 0 ? (size_t)n : 0);
	}
	verdicts_story_lines("smtpd's lines:", verdict_store_story(shown(v),
	    r->key), add, aarg);
}

/* Details: the message's story and the tests with their descriptions. */
static void
verdicts_detail_lines(void *arg, const char *key,
    void (*add)(void *, const char *, size_t), void *aarg)
{
	struct vstate		*v = arg;
	const struct row	*r = verdict_store_find(shown(v), key);

	if (r == NULL)
		return;
	add(aarg, "", 0);
	add(aarg, "the message:", 12);
	verdicts_message_lines(v, r, add, aarg);
	if (r->cells[V_TESTS].s[0] == '\0')
		return;
	if (!v->sa_loaded) {
		v->sa = sa_rules_load(v->sa_dirs);	/* on demand, once */
		v->sa_loaded = 1;
	}
	sa_rules_lines(v->sa, r->cells[V_TESTS].s, add, aarg);
}

/* Jumps: a verdict names its message by smtpd msgid. */
static int
verdicts_refer(void *arg, const char *key, int ch, char *ref, size_t len)
{
	struct vstate		*v = arg;
	const struct row	*r;
	int64_t			 m;

	if (ch != 'Q' && ch != 'z')
		return -1;
	if (key == NULL || (r = verdict_store_find(shown(v), key)) == NULL)
		return 0;
	if (ch == 'z') {
		/* its quarantined copy, by the id amavis gave both */
		if (r->cells[V_QUARANTINE].s[0] == '\0' ||
		    r->cells[V_MAILID].s[0] == '\0')
			return 0;
		snprintf(ref, len, "mail_id %s", r->cells[V_MAILID].s);
		return 1;
	}
	m = r->cells[V_QMSGID].i != CELL_NONE ? r->cells[V_QMSGID].i :
	    r->cells[V_OMSGID].i;
	if (m == CELL_NONE)
		return 0;
	snprintf(ref, len, "msgid %08llx", (unsigned long long)m);
	return 1;
}

static int
verdicts_resolve(void *arg, const struct rowset *rs, const char *ref,
    char *key, size_t len)
{
	struct vstate		*v = arg;
	const struct row	*r;
	unsigned long		 m;
	char			*end;
	size_t			 i;

	if (strncmp(ref, "mail_id ", 8) == 0) {
		/* a mixed fate has two rows: either will do */
		for (i = rs != NULL ? rs->nrows : 0; i-- > 0;)
			if (strcmp(rs->rows[i]->cells[V_MAILID].s, ref + 8) ==
			    0) {
				xstrlcpy(key, rs->rows[i]->key, len);
				return 1;
			}
		return 0;
	}
	if (strncmp(ref, "msgid ", 6) != 0)
		return 0;
	m = strtoul(ref + 6, &end, 16);
	if (*end != '\0' || (r = verdict_store_by_msgid(shown(v),
	    (uint32_t)m)) == NULL)
		return 0;
	xstrlcpy(key, r->key, len);
	return 1;
}

/* Columns. */

/*
 * Today (in local time): the time of day.  Another day: its date too, as
 * ls(1) does, with the year instead of the time when half a year away.
 * The month names are ours: LC_TIME's may not fit the column.
 */
static size_t
fmt_time(const struct row *r, time_t now, char *buf, size_t len)
{
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr",
	    "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t		 t = (time_t)r->cells[V_TIME].i;
	struct tm	 tm, today;
	int		 n;

	if (localtime_r(&t, &tm) == NULL || localtime_r(&now, &today) == NULL ||
	    tm.tm_mon < 0 || tm.tm_mon > 11)
		return (size_t)snprintf(buf, len, "-");
	if (tm.tm_year == today.tm_year && tm.tm_yday == today.tm_yday)
		return strftime(buf, len, "%H:%M:%S", &tm);
	if (t > now - 180 * 86400 && t < now + 180 * 86400)
		n = snprintf(buf, len, "%s %2d %02d:%02d", months[tm.tm_mon],
		    tm.tm_mday, tm.tm_hour, tm.tm_min);
	else
		n = snprintf(buf, len, "%s %2d  %lld", months[tm.tm_mon],
		    tm.tm_mday, (long long)tm.tm_year + 1900);
	return n > 0 ? (size_t)n : 0;
}

/* The arrow is the UI's, not the data's: a sender's own "->" stays in <>. */
static size_t
fmt_route(const struct row *r, time_t now, char *buf, size_t len)
{
	(void)now;
	return (size_t)snprintf(buf, len, "<%s> %s %s", r->cells[V_FROM].s,
	    glyph_arrow(), r->cells[V_RCPTS].s);
}

/* Cut to a column, the recipient is kept longest. */
static int
fit_route(const struct row *r, int width, char *buf, size_t len)
{
	char	 from[1024];

	snprintf(from, sizeof(from), "<%s>", r->cells[V_FROM].s);
	return cut_route(from, r->cells[V_RCPTS].s, width, buf, len);
}

static size_t
fmt_hits(const struct row *r, time_t now, char *buf, size_t len)
{
	int64_t	 h = r->cells[V_HITS].i;

	(void)now;
	if (h == CELL_NONE)
		return (size_t)snprintf(buf, len, "-");
	if (h < 0 && h > -50)	/* not "-0.0" */
		h = 0;
	return (size_t)snprintf(buf, len, "%.1f", h / 1000.0);
}

static size_t
fmt_size(const struct row *r, time_t now, char *buf, size_t len)
{
	int64_t	 s = r->cells[V_SIZE].i;

	(void)now;
	if (s == CELL_NONE)
		return (size_t)snprintf(buf, len, "-");
	if (s < 10000)
		return (size_t)snprintf(buf, len, "%lld", (long long)s);
	if (s < 10000 * 1024LL)
		return (size_t)snprintf(buf, len, "%lldK",
		    (long long)(s / 1024));
	return (size_t)snprintf(buf, len, "%lldM",
	    (long long)(s / 1048576));
}

#define B	COL_BATCH
#define S	COL_SCREEN
#define D	COL_DETAIL

static const struct column verdict_columns[] = {
	{ "time",	COL_TIME, V_TIME,	12, B | S, fmt_time },
	{ "logid",	COL_STR,  V_LOGID,	0, B, NULL },
	{ "action",	COL_STR,  V_ACTION,	0, B, NULL },
	{ "category",	COL_STR,  V_CATEGORY,	0, B, NULL },
	{ "hits",	COL_STR,  V_HITSTEXT,	0, B | COL_NUMBER, NULL },
	{ "ip",		COL_STR,  V_IP,		15, B | S | COL_CUT_MIDDLE |
	    COL_SORT_ADDR, NULL },
	{ "from",	COL_STR,  V_FROM,	0, B, NULL },
	{ "to",		COL_STR,  V_TO,		0, B | COL_LIST, NULL },
	{ "subject",	COL_STR,  V_SUBJECT,	0, B | S, NULL },
	{ "size",	COL_INT,  V_SIZE,	6, B | S | COL_RIGHT, fmt_size },
	{ "mail_id",	COL_STR,  V_MAILID,	0, B, NULL },
	{ "quarantine",	COL_STR,  V_QUARANTINE,	0, B, NULL },
	{ "queued_as",	COL_STR,  V_QUEUEDAS,	0, B, NULL },
	{ "tests",	COL_STR,  V_TESTS,	0, B | COL_LIST, NULL },
	/* the screen's, and the detail view's extras */
	{ "verdict",	COL_STR,  V_VERDICT,	18, S | COL_CUT_VERDICT, NULL },
	{ "score",	COL_INT,  V_HITS,	6, S | COL_RIGHT | COL_NONE_LAST,
	    fmt_hits },
	{ "envelope",	COL_STR,  V_FROM,	0, S, fmt_route },
	{ "wbl",	COL_STR,  V_WBL,	5, S | D, NULL },
	{ "fate",	COL_STR,  V_FATE,	9, S | D, NULL },
	{ "client",	COL_STR,  V_HELO,	0, D, NULL },
	{ "amavis_client", COL_STR, V_CLIENT,	0, D, NULL },
	{ "origin",	COL_STR,  V_ORIGIN,	0, D, NULL },
	{ "actions",	COL_STR,  V_ACTIONS,	0, D, NULL },
	{ "bank",	COL_STR,  V_BANK,	0, D, NULL },
	{ "message_id",	COL_STR,  V_MESSAGEID,	0, D, NULL },
	{ "from_header", COL_STR, V_FROMHDR,	0, D, NULL },
	{ "elapsed_ms",	COL_INT,  V_ELAPSED,	0, D, NULL },
};

/* Narrow screens keep the verdict and whom it was for, then when, its fate. */
static const struct screen_col verdict_screen[] = {
	{ 0, "TIME", 2, 0, NULL },
	{ 14, "VERDICT", 0, 0, NULL },
	{ 15, "HITS", 4, 0, NULL },
	{ 5, "CLIENT IP", 6, 0, NULL },
	{ 16, "SENDER \xe2\x86\x92 RECIPIENT", 0, 34, fit_route },
	{ 8, "SUBJECT", 5, 12, NULL },
	{ 9, "SIZE", 7, 0, NULL },
	{ 17, "WBL", 8, 0, NULL },
	{ 18, "FATE", 3, 0, NULL },
};

#undef B
#undef S
#undef D

/* W: the client's address, the greylist's w. */
static int
target_client(void *arg, const char *key, char *id, size_t len)
{
	const char	*nl = strchr(key, '\n');

	(void)arg;
	char		 v4[INET_ADDRSTRLEN];

	if (nl == NULL || strlen(nl + 1) >= len)
		return -1;
	xstrlcpy(id, nl + 1, len);
	if (!valid_ip(id))
		return -1;
	/* a v4-mapped client is the IPv4 sender it is */
	if (ip_unmap4(id, v4, sizeof(v4)) == 0)
		xstrlcpy(id, v4, len);
	return 0;
}

static int
act_whitelist(void *arg, const char *id, int step, const char **argv,
    size_t max)
{
	struct vstate	*v = arg;

	(void)max;
	if (id == NULL || !valid_ip(id))
		return -1;
	xstrlcpy(v->ip, id, sizeof(v->ip));
	return spamd_whitelist_argv(v->spamdb, v->pfctl, v->table, v->ip, step,
	    argv);
}

static const struct action verdict_actions[] = {
	{ 'W', "whitelist the client IP in spamd (spamdb -a IP, "
	    "pfctl -t TABLE -T add IP)", ACT_ROWS | ACT_CONFIRM, "Whitelist",
	    "client IP", target_client, act_whitelist, NULL, NULL,
	    spamd_warn_white, NULL, NULL, NULL },
};

static const char *const verdict_help[] = {
	"f                    show all, blocked, spam or clean verdicts",
	"h                    sort by hits, highest first (again: lowest)",
	"Q                    go to the message in the queue pane",
	"z                    go to its quarantined copy (pane 5)",
	NULL
};

/* The detail's title: when, what amavis did, and to whom. */
static size_t
verdicts_row_label(const struct row *r, char *buf, size_t len)
{
	time_t		 t = (time_t)r->cells[V_TIME].i;
	struct tm	 tm;
	char		 when[32] = "", route[1024];

	if (localtime_r(&t, &tm) != NULL)
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	fmt_route(r, 0, route, sizeof(route));
	return (size_t)snprintf(buf, len, "%s %s %s", when,
	    r->cells[V_VERDICT].s, route);
}

/* What the trace says of a verdict: which, how spammy, what became of it. */
static size_t
verdicts_trace_detail(void *arg, const struct row *r, time_t now, char *buf,
    size_t len)
{
	const union cell	*c = r->cells;
	int			 n;

	(void)arg;
	(void)now;
	n = snprintf(buf, len, "%s%s%s%s%s%s%s", c[V_VERDICT].s,
	    c[V_HITSTEXT].s[0] != '\0' ? " " : "", c[V_HITSTEXT].s,
	    c[V_FATE].s[0] != '\0' ? ", " : "", c[V_FATE].s,
	    c[V_SUBJECT].s[0] != '\0' ? "; subject " : "", c[V_SUBJECT].s);
	return n < 0 ? 0 : (size_t)n >= len ? len - 1 : (size_t)n;
}

/* The trace's answer: the last verdict, how long ago. */
static size_t
verdicts_trace_summary(void *arg, const struct row *const *rows, size_t n,
    time_t now, char *buf, size_t len)
{
	const struct row	*last;
	char			 age[32], more[48];
	size_t			 i;

	(void)arg;
	if (n == 0)
		return trace_clip(snprintf(buf, len, "no verdict"), len);
	for (last = rows[0], i = 1; i < n; i++)
		if (rows[i]->cells[V_TIME].i >= last->cells[V_TIME].i)
			last = rows[i];
	fmt_duration(now - last->cells[V_TIME].i, age, sizeof(age));
	more[0] = '\0';
	if (n > 1)
		snprintf(more, sizeof(more), " (%zu verdicts in all)", n);
	return trace_clip(snprintf(buf, len, "last verdict %s%s%s %s ago%s",
	    last->cells[V_VERDICT].s, last->cells[V_HITSTEXT].s[0] != '\0' ?
	    " " : "", last->cells[V_HITSTEXT].s, age, more), len);
}

/* What the trace cannot see here: a missing log, hidden rows, old ones. */
static int
verdicts_trace_blind(void *arg, char *buf, size_t len)
{
	struct vstate	*v = arg;
	char		 span[32], conf[32];

	if (v->lf != NULL && logfollow_missing(v->lf)) {
		snprintf(buf, len, "%s", logfollow_status(v->lf));
		return 2;
	}
	if (v->filter != VF_ALL) {
		snprintf(buf, len, "only %s verdicts (f in the verdicts pane "
		    "shows all)", vfilter_names[v->filter]);
		return 1;
	}
	span_text(v->history, span, sizeof(span), conf, sizeof(conf));
	snprintf(buf, len, "the last %s of the mail log only (history in "
	    "mhtop.conf)", span);
	return 1;
}

/*
 * The marks: the message smtpd received (and amavis judged) and the one it
 * passed on, by smtpd's msgid; its quarantined copy by mail_id.
 */
static size_t
msgid_text(int64_t m, char *buf, size_t len)
{
	int	 n;

	if (m == CELL_NONE)
		return 0;
	n = snprintf(buf, len, "%08llx", (unsigned long long)m);
	return n > 0 && (size_t)n < len ? (size_t)n : 0;
}

static size_t
verdicts_omsgid(const struct row *r, char *buf, size_t len)
{
	return msgid_text(r->cells[V_OMSGID].i, buf, len);
}

static size_t
verdicts_qmsgid(const struct row *r, char *buf, size_t len)
{
	return msgid_text(r->cells[V_QMSGID].i, buf, len);
}

static size_t
verdicts_mailid(const struct row *r, char *buf, size_t len)
{
	return xstrlcpy(buf, r->cells[V_MAILID].s, len);
}

static const struct link_offer verdicts_offers[] = {
	{ "msgid judged", verdicts_omsgid },
	{ "msgid judged", verdicts_qmsgid },
};

static const struct link_mark verdicts_marks[] = {
	{ 'Q', "its message is still in smtpd's queue (Q goes to it)",
	    "msgid queued", verdicts_qmsgid, NULL },
	{ 'Q', "its message is still in smtpd's queue (Q goes to it)",
	    "msgid queued", verdicts_omsgid, NULL },
	{ 'Z', "its message is in the quarantine (z goes to it)",
	    "mail_id quarantined", verdicts_mailid, NULL },
};

static const struct trace_desc verdicts_trace = {
	.kind = "verdict",
	.kind_cell = -1,
	.when = V_TIME,
	.ip = V_IP,
	.sender = V_FROM,
	.rcpts = V_TO,
	.host = V_HELO,
	.header_from = V_FROMHDR,
	.detail = verdicts_trace_detail,
	.summary = verdicts_trace_summary,
	.blind = verdicts_trace_blind,
};

const struct provider provider_verdicts = {
	.name = "verdicts",
	.src = {
		.create = verdicts_create,
		.destroy = verdicts_destroy,
		.poll_begin = verdicts_poll_begin,
		.poll_finish = verdicts_poll_finish,
		.progress = verdicts_progress,
		.poll_error = verdicts_poll_error,
		.poll_step = verdicts_poll_step,
	},
	.desc = {
		.title = "verdicts",
		.noun = "verdict",
		.columns = verdict_columns,
		.ncolumns = nitems(verdict_columns),
		.screen = verdict_screen,
		.nscreen = nitems(verdict_screen),
		.sort_column = 0,		/* TIME, newest first */
		.sort_reverse = 1,
		.quick_sort_key = 'h',		/* the runbook's sort -n -k 10 */
		.quick_sort_column = 2,
		.actions = verdict_actions,
		.nactions = nitems(verdict_actions),
		.summary = verdicts_summary,
		.empty_reason = verdicts_empty_reason,
		.help = verdict_help,
		.row_class = verdicts_row_class,
		.row_label = verdicts_row_label,
		.detail_lines = verdicts_detail_lines,
		.pane_key = verdicts_pane_key,
		.refer = verdicts_refer,
		.resolve = verdicts_resolve,
		.trace = &verdicts_trace,
		.marks = verdicts_marks,
		.nmarks = nitems(verdicts_marks),
		.offers = verdicts_offers,
		.noffers = nitems(verdicts_offers),
	},
};
