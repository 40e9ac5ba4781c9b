/*
 * smtpctl show stats: sorted "key=value" lines of smtpd's counters (only
 * those touched since it started appear), read into the few the queue's
 * counters strip shows, and the rates between two reads.
 */
#ifndef MHTOP_SMTPDSTATS_H
#define MHTOP_SMTPDSTATS_H

#include <stddef.h>
#include <stdint.h>

enum smtpd_stat {
	SS_ENVELOPE,		/* scheduler.envelope: queued now */
	SS_INFLIGHT,		/* scheduler.envelope.inflight */
	SS_OK,			/* scheduler.delivery.ok, since start */
	SS_TEMPFAIL,		/* scheduler.delivery.tempfail */
	SS_PERMFAIL,		/* scheduler.delivery.permfail */
	SS_LOOP,		/* scheduler.delivery.loop */
	SS_EXPIRED,		/* scheduler.envelope.expired */
	SS_REMOVED,		/* scheduler.envelope.removed */
	SS_BOUNCE,		/* queue.bounce: bounces made */
	SS_SESSIONS,		/* smtp.session: open now */
	SS_UPTIME,		/* uptime, seconds */
	SS_COUNT
};

struct smtpd_stats {
	int64_t		 v[SS_COUNT];	/* absent: 0, as smtpd counts */
	size_t		 nlines;	/* key=value lines read */
	size_t		 nbad;		/* other lines */
};

void	smtpd_stats_init(struct smtpd_stats *);
/* One line (without its newline); -1 for one that is no key=value. */
int	smtpd_stats_line(struct smtpd_stats *, const char *, size_t);

/*
 * What happened between two reads, per minute: delivered, tempfailed,
 * permfailed (loops included), bounces made, and envelopes queued (not
 * counted by smtpd: the change in queued envelopes plus those that left,
 * delivered, failed, expired or removed; smtpd does not count the removal
 * of an envelope in flight, which makes it lower).  -1 when
 * the two cannot be compared: smtpd restarted (its uptime went back or a
 * counter did), or no time passed.
 */
struct smtpd_rates {
	double		 queued, ok, tempfail, permfail, bounce;
};
int	smtpd_stats_rates(const struct smtpd_stats *, const struct smtpd_stats *,
	    double, struct smtpd_rates *);

#endif
