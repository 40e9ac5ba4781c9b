/*
 * The verdicts pane's model: amavis decisions from the mail log, each
 * joined to the smtpd lines of its message (verdict_store.c), shown and
 * acted on by prov_verdicts.c.
 */
#ifndef MHTOP_VERDICTS_H
#define MHTOP_VERDICTS_H

#include <stddef.h>
#include <stdint.h>

#include "maillog.h"
#include "provider.h"
#include "release_log.h"

#define VERDICTS_MAX	200000		/* kept; the oldest go first */

/* A verdict row's cells; strings live in the row's own block. */
enum verdict_cell {
	V_TIME,
	V_LOGID,
	V_ACTION,		/* "Passed", "Blocked" */
	V_CATEGORY,		/* "SPAM", "BANNED (.exe)" */
	V_HITS,			/* thousandths; CELL_NONE for "-" */
	V_HITSTEXT,		/* as logged: "6.312", "" */
	V_IP,
	V_FROM,
	V_TO,			/* comma-joined */
	V_SUBJECT,
	V_SIZE,
	V_MAILID,
	V_QUARANTINE,
	V_QUEUEDAS,
	V_TESTS,		/* "NAME=score,..." */
	V_WBL,			/* "white", "black", "" */
	V_VERDICT,		/* "Passed CLEAN" */
	V_RCPTS,		/* "<r1> (+2)": the screen joins the sender */
	V_CLASS,		/* VC_*: what f filters on */
	V_FATE,			/* "delivered", "deferred", "bounced", "" */
	V_QMSGID,		/* msgid of the re-injected message, or CELL_NONE */
	V_OMSGID,		/* msgid smtpd gave it on receipt, or CELL_NONE */
	V_HELO,			/* the client's name, from smtpd */
	V_ACTIONS,		/* "DiscardedInbound,Quarantined" */
	V_BANK,			/* policy bank(s) */
	V_CLIENT,		/* amavis's client: smtpd on a smarthost */
	V_ORIGIN,		/* the originating address, "" if none */
	V_MESSAGEID,		/* the Message-ID header */
	V_FROMHDR,		/* the From header (verbose template) */
	V_ELAPSED,		/* ms amavis took, or CELL_NONE */
	V_NCELLS
};

enum verdict_class {
	VC_CLEAN,		/* passed, clean */
	VC_SPAM_PASSED,		/* passed, SPAMMY or SPAM */
	VC_BLOCKED_SPAM,
	VC_BANNED,
	VC_INFECTED,
	VC_BADHEADER,
	VC_OTHER,		/* UNCHECKED, OVERSIZED, MTA-BLOCKED... */
	VC_N
};

struct verdict_store;

struct verdict_store	*verdict_store_new(size_t);
void			 verdict_store_free(struct verdict_store *);
/* One line of the mail log, without its newline (may be edited). */
void			 verdict_store_line(struct verdict_store *, char *,
			    size_t);
/* Verdicts logged before a time (the history's start) are not kept. */
void			 verdict_store_since(struct verdict_store *, int64_t);
/* Pieces of split lines logged before a time: let them out alone. */
void			 verdict_store_flush(struct verdict_store *, int64_t);
/* The rows, oldest first; they stay valid until the second next call. */
struct rowset		*verdict_store_rows(struct verdict_store *);
size_t			 verdict_store_count(const struct verdict_store *);
/* None of its rows are on the screen: the evicted ones go at once. */
void			 verdict_store_bury(struct verdict_store *);
/* Evicted rows waiting for the row sets that show them to go. */
size_t			 verdict_store_evicted(const struct verdict_store *);
size_t			 verdict_store_bad(const struct verdict_store *);
/* Per-recipient lines ($log_recip_templ) read: no verdicts of their own. */
size_t			 verdict_store_recip(const struct verdict_store *);
/* The row of a key, or NULL. */
const struct row	*verdict_store_find(const struct verdict_store *,
			    const char *);
/* The newest row about smtpd msgid (received or re-injected), or NULL. */
const struct row	*verdict_store_by_msgid(const struct verdict_store *,
			    uint32_t);
/* The other outcome of a mixed-fate message, or NULL. */
const struct row	*verdict_store_twin(const struct verdict_store *,
			    const char *);
/* The smtpd lines kept for a row (recent messages only), '\n' separated. */
const char		*verdict_store_story(const struct verdict_store *,
			    const char *);
/* The newest verdict about a quarantined message, by its mail_id. */
const struct row	*verdict_store_by_mailid(const struct verdict_store *,
			    const char *);
/* Its release, the last one amavis logged, or NULL. */
const struct release	*verdict_store_release(const struct verdict_store *,
			    const char *);
/* amavisd-release said smtpd queued the copy of mail_id as msgid. */
void			 verdict_store_expect_copy(struct verdict_store *,
			    const char *, uint32_t);
/* The same, in the verdicts pane's stores (prov_verdicts.c). */
void			 verdicts_expect_copy(void *, const char *, uint32_t);
/* Bumped whenever a release or its copy's fate changes. */
unsigned		 verdict_store_release_gen(const struct verdict_store *);
/*
 * The store of the verdicts pane's state (prov_verdicts.c), for the panes
 * that join their rows with it: the history, or while that is read, the
 * preview of the newest.  Valid until that pane's next read.
 */
const struct verdict_store	*verdicts_store(void *);
/* The detail view's lines about a verdict's message: where it came
 * from, what amavis did, where it went, and smtpd's lines. */
void	verdicts_message_lines(void *, const struct row *,
	    void (*)(void *, const char *, size_t), void *);
/* Lines of a story ("HH:MM:SS smtpd: ...\n..."), under a title. */
void	verdicts_story_lines(const char *, const char *,
	    void (*)(void *, const char *, size_t), void *);
/* For the header: lines read, and the time of the newest line. */
int64_t			 verdict_store_newest(const struct verdict_store *);

#endif
