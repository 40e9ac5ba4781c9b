/* The OpenSMTPD queue: parsers of smtpctl output, used by prov_queue.c. */
#ifndef MHTOP_QUEUE_H
#define MHTOP_QUEUE_H

#include "provider.h"

enum queue_cell {
	Q_EVPID,
	Q_MSGID,
	Q_TYPE,
	Q_STATE,
	Q_FLAGS,
	Q_SENDER,
	Q_RCPT,
	Q_DEST,
	Q_CTIME,
	Q_TRIES,
	Q_DELAY,		/* CELL_NONE when offline/invalid */
	Q_ERROR,
	Q_FAMILY,
	Q_EXPIRE,
	Q_LASTTRY,
	Q_NEXT,			/* Q_DELAY, CELL_NONE while suspended or held:
				 * no try is due */
	Q_NCELLS
};

/* The queue pane's views (queue_shape.c): by recipient domain, by sender
 * domain, by error. */
#define QUEUE_NVIEWS	3
extern const struct view	queue_views[QUEUE_NVIEWS];

/*
 * What the views keep in the provider's state: what their keys changed,
 * the rows on screen and smtpctl, for the actions on a group, and the
 * envelopes of the group an action works through.
 */
struct queue_shape_state {
	int			 rollup_rcpt;
	int			 rollup_sender;
	const struct rowset	*cur;
	const char		*smtpctl;
	int			 gview;		/* the view of the group */
	char			*gkey;		/* the group, NULL: none */
	int			 gkey_view;	/* the view gkey is of */
	char			(*gids)[17];	/* its envelopes */
	size_t			 ngids;
	char			(*gcmds)[17];	/* the ids of its commands: a
						 * message's when all its
						 * envelopes are in it */
	size_t			 ngcmds;
	char			 id[17];
};
void	queue_shape_free(struct queue_shape_state *);
struct queue_shape_state *queue_shape_state(void *);

/* Parse one line of "smtpctl show queue" (without its newline) into a row. */
int	queue_parse_line(struct rowset *, const char *, size_t);
/* Sort rows by ctime, then evpid, as -b prints them. */
void	queue_sort(struct rowset *);

enum smtpd_state {
	SMTPD_UNKNOWN,
	SMTPD_RUNNING,
	SMTPD_PAUSED,
};

struct smtpd_status {
	enum smtpd_state	 mda;
	enum smtpd_state	 mta;
	enum smtpd_state	 smtp;
};

/* Parse one line of "smtpctl show status"; -1 if it is not one. */
int	status_parse_line(struct smtpd_status *, const char *, size_t);

struct queue_counts {
	size_t		 total;
	size_t		 pending;
	size_t		 inflight;
	size_t		 offline;
	size_t		 invalid;
	size_t		 hold;
	size_t		 suspend;
	size_t		 bounce;
	int64_t		 oldest;	/* smallest ctime, 0 when empty */
};

void	queue_count(const struct rowset *, struct queue_counts *);

#endif
