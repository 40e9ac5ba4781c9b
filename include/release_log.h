/*
 * Releases from the quarantine, as amavis logs them ("Quarantined message
 * release", amavis.md 4.4), and the copy each one re-sent through smtpd.
 * The log ties a release to its copy by nothing but what they share: the
 * copy is received within seconds of the release line, from the same
 * sender, for one of the released recipients.  An amavis verdict that
 * later names that message as its own re-injection unties them.
 */
#ifndef MHTOP_RELEASE_LOG_H
#define MHTOP_RELEASE_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "maillog.h"

#define RELEASE_STORY	2048		/* bytes of smtpd lines about a copy */

struct release {
	struct release	*next_id;	/* chains by mail_id, by copy msgid */
	struct release	*next_copy;
	char		 mail_id[AV_MAILID_MAX + 1];
	char		 relid[AV_MAILID_MAX + 8];
	char		 feedback[32];
	char		*sender;
	char		*rcpts;		/* as logged: "<a>,<b>" */
	int64_t		 time;		/* of the last release */
	unsigned	 count;		/* releases logged */
	int		 has_copy;
	uint32_t	 copy;		/* the copy's smtpd msgid */
	int		 nok, ntemp, nperm;	/* its deliveries */
	char		*story;		/* "HH:MM:SS smtpd: ..." lines */
	size_t		 storylen;
};

struct release_log;

struct release_log	*release_log_new(void);
void			 release_log_free(struct release_log *);
/* A release line; returns its record. */
struct release		*release_log_add(struct release_log *,
			    const struct av_release *);
/*
 * An envelope smtpd received: a release's copy if it fits one.  Returns
 * the release it is the copy of, or NULL.
 */
struct release		*release_log_envelope(struct release_log *, int64_t,
			    uint32_t, struct ml_str, struct ml_str);
/*
 * amavisd-release answered that the copy of mail_id is msgid: that is its
 * copy, for a release line read already or logged before until (log
 * time).  Returns the release when it is linked now.
 */
struct release		*release_log_expect(struct release_log *,
			    const char *, uint32_t, int64_t);
/* The release whose copy is msgid, or NULL. */
struct release		*release_log_copy(const struct release_log *,
			    uint32_t);
/* An amavis verdict re-injected msgid: it is no release's copy. */
void			 release_log_claimed(struct release_log *, uint32_t);
const struct release	*release_log_find(const struct release_log *,
			    const char *);
/* What became of its copy: "delivered", "deferred", "bounced", or
 * "released" while smtpd has logged no delivery of it. */
const char		*release_log_fate(const struct release *);
/* Bumped by every change: new releases, copies found, deliveries. */
unsigned		 release_log_gen(const struct release_log *);
void			 release_log_touch(struct release_log *);

#endif
