/*
 * The queue pane's counters strip: smtpctl show stats read with every
 * queue read (same load rule), kept a sample a minute for the last half
 * hour: the rates of the last minutes, and sparklines of the queue's size
 * and of its tempfails.
 */
#ifndef MHTOP_QUEUESTATS_H
#define MHTOP_QUEUESTATS_H

#include <stddef.h>
#include <time.h>

#include "smtpdstats.h"

#define QSTATS_MINUTES	31		/* 30 minutes of changes */
#define QSTATS_SPAN	5		/* the rates: the last 5 minutes */
#define QSTATS_MIN_SPAN	20		/* s between two reads for rates */

struct qstats {
	struct smtpd_stats	 rd;		/* being read */
	int			 asked;		/* this read ran show stats */
	char			 rd_err[256];
	char			 err[256];	/* why the last read has none */
	struct qstats_sample {
		time_t			 t;
		struct smtpd_stats	 s;
	}			 min[QSTATS_MINUTES];	/* a minute's first read,
							 * oldest first */
	size_t			 n;
	struct qstats_sample	 last;		/* the newest read */
	time_t			 worked;	/* smtpd attempted deliveries
						 * after this; 0: unknown */
};

void	qstats_begin(struct qstats *);
void	qstats_line(struct qstats *, const char *, size_t);
/* show stats ended: its exit status and stderr, for the strip. */
void	qstats_done(struct qstats *, int, const char *, const char *);
/* The read is complete: what it read joins the samples. */
void	qstats_finish(struct qstats *, time_t);
/* The strip, one line ("" before anything to say); '!' when it failed. */
void	qstats_line_text(const struct qstats *, char *, size_t);

#endif
