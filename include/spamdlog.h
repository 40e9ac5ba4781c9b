/*
 * OpenBSD spamd's own log (daemon.info, /var/log/daemon by default), as
 * spamd.c writes it: connections, the (GREY)/(BLACK) attempts of -v, the
 * header lines of blacklisted senders, disconnections.  A pure parser of a
 * framed line's message (maillog.h): no I/O, no allocation.
 *
 * SpamAssassin's daemon is called spamd too, and logs "spamd: ..." and
 * "prefork: ..." messages under that name: they are told apart by their
 * form, not by the program name, and parse as SD_NONE.
 */
#ifndef MHTOP_SPAMDLOG_H
#define MHTOP_SPAMDLOG_H

#include <stdint.h>

#include "maillog.h"

enum sd_kind {
	SD_NONE,		/* not one of OpenBSD spamd's forms */
	SD_CONNECT,		/* "ADDR: connected (N/M)[, lists: TAGS]" */
	SD_DISCONNECT,		/* "ADDR: disconnected after N seconds.[ lists: TAGS]" */
	SD_GREY,		/* "(GREY) ADDR: FROM -> TO" */
	SD_BLACK,		/* "(BLACK) ADDR: FROM -> TO" */
	SD_HEADER,		/* "ADDR: From: ...", To:, Subject: (blacklisted, -v) */
};

struct sd_event {
	enum sd_kind	 kind;
	struct ml_str	 addr;		/* the client's address, as logged */
	int64_t		 clients;	/* connected: open connections */
	int64_t		 blacks;	/* connected: of them blacklisted */
	int64_t		 seconds;	/* disconnected: how long it was held */
	struct ml_str	 lists;		/* the blacklists' tags, space-separated */
	int		 lists_cut;	/* spamd cut the tags short (" ...") */
	struct ml_str	 from;		/* (GREY)/(BLACK): as the client sent
					 * them, brackets and all */
	struct ml_str	 to;
	struct ml_str	 header;	/* the header line, as logged */
};

/*
 * The event of one message (ml_frame msg/msglen, un-vis'ed or not).  The
 * strings point into it.  Returns ev->kind.
 */
enum sd_kind	spamd_log_parse(const char *, size_t, struct sd_event *);
/* "connected", "disconnected", "GREY", "BLACK", "header", "-" */
const char	*spamd_log_kind_name(enum sd_kind);

#endif
