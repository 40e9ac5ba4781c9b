/*
 * The mail log, line by line, for the verdicts pane: the syslog framing
 * (syslog_frame.c), amavisd-new's verdict line (amavis_parse.c) and the
 * OpenSMTPD lines the pane joins them with (smtpd_log.c).  Pure parsers:
 * no I/O, no allocation per line, "now" passed in.
 *
 * Ownership: every struct ml_str points into the buffer of the line it came
 * from (the caller's, or the joiner's for a split line joined back) and is
 * valid as long as that buffer is.  The strings are not NUL-terminated;
 * an absent one is "" (never NULL) with length 0.
 * The parsers may rewrite the message in place, never past its length and
 * only to shorten what they decode: vis(3) sequences into UTF-8, the ""
 * of a quoted Subject into ".  Keep a copy first to show the raw line.
 * Nothing is sanitized for a terminal: amavis turns controls into "\x1B"
 * text, but the bytes are still the sender's.
 */
#ifndef MHTOP_MAILLOG_H
#define MHTOP_MAILLOG_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "provider.h"		/* CELL_NONE: an int64 with no value */

struct ml_str {
	const char	*p;
	size_t		 len;
};

/* Whether s is exactly the NUL-terminated lit. */
int	ml_str_eq(struct ml_str s, const char *lit);

/*
 * memmem(3) for the short haystacks of one log line: glibc's sets up a
 * shift table on every call, which cost a sixth of reading a big log.
 */
void	*ml_find(const void *, size_t, const void *, size_t);

/*
 * The clock for syslog's year-less local timestamps.  Year: the one that
 * puts the line at most a day after now (so Dec lines read in January are
 * last year's, and a Jan 1 line read on Dec 31 is next year's).  Local to
 * UTC through the TZ of localtime(3), asked once per local hour.
 */
struct ml_clock {
	int64_t		 now;
	int64_t		 now_local;	/* now on the local wall clock */
	int		 year;		/* local year of now */
	int64_t		 hour;		/* cached local hour (local s / 3600) */
	int64_t		 off;		/* its offset from UTC, seconds */
	char		 stamp[16];	/* the last "Mmm dd HH:MM:SS" read */
	int64_t		 stamp_time;	/* and its time */
};

void	ml_clock_init(struct ml_clock *, int64_t now);

enum ml_prog {
	ML_OTHER,			/* any other program: not looked into */
	ML_AMAVIS,			/* amavis[pid], /usr/sbin/amavisd[pid] */
	ML_SMTPD,			/* smtpd[pid] (OpenSMTPD) */
	ML_SPAMD,			/* spamd[pid]: OpenBSD's, or SpamAssassin's
					 * (spamdlog.h tells them apart) */
};

#define ML_F_RFC3339	0x01		/* an RFC 3339 time: year and zone known */
#define ML_F_JOINED	0x02		/* made of two or more split pieces */
#define ML_F_TRUNCATED	0x04		/* a split whose continuation never came */
#define ML_F_HEADLESS	0x08		/* a continuation whose start was lost */

/*
 * One line: [<PRI>]TIME [HOST ]PROG[[PID]]: MSG, TIME "Mmm dd HH:MM:SS"
 * (day space- or zero-padded) or RFC 3339 ("2026-11-24T13:52:08.123456+00:00",
 * syslogd -Z's "...08.123Z").  HOST is absent in /dev/log datagrams.
 */
struct ml_frame {
	int64_t		 time;		/* epoch s; CELL_NONE for ML_OTHER */
	struct ml_str	 host;		/* "" when the line has none */
	struct ml_str	 prog;		/* "" when no PROG[PID]: was found */
	int64_t		 pid;		/* -1 when none */
	enum ml_prog	 kind;
	char		*msg;		/* after "PROG[PID]: " (or the host) */
	size_t		 msglen;
	unsigned	 flags;		/* ML_F_* */
};

/*
 * Frame a line (without its newline).  Returns -1 when the line has no
 * syslog time, else 0.  The time is only worked out for ML_AMAVIS,
 * ML_SMTPD and ML_SPAMD lines: anything else costs a memchr or two.
 */
int	ml_frame_parse(struct ml_clock *, char *, size_t, struct ml_frame *);

/*
 * The time of a whole log line as logfollow wants it (logfollow_time_cb):
 * a time only for the programs ml_frame_parse times, -1 for the others.
 */
time_t	ml_line_time(void *, const char *, size_t);

/* Epoch of a local wall-clock time (mon 1-12), through the clock's cache. */
int64_t	ml_clock_local(struct ml_clock *, int year, int mon, int day,
	    int hour, int min, int sec);
/* Days since 1970-01-01 of a proleptic Gregorian date (mon 1-12). */
int64_t	ml_days_from_civil(int64_t year, int mon, int day);

/*
 * OpenBSD syslogd's vis(3) of bytes >= 0x80 ("M-CM-)" for "é"), undone in
 * place where the bytes form valid UTF-8; anything else (a literal "M-",
 * "^X" controls) is kept as it is.  Returns the new length.
 */
size_t	ml_unvis(char *, size_t);

/*
 * Syslog cuts amavis lines at 980 characters: the first piece ends in
 * "...", each next one is "(LOGID) ..." and the rest, and other programs'
 * lines may come in between.  The joiner glues them back.  Push every
 * framed amavis line, then take what is ready with ml_join_next() until it
 * returns 0: zero or more messages, in order.  A frame it returns points
 * into the pushed line or into the joiner, and is valid until the next
 * push or flush.
 *
 * A first piece waits at most ML_JOIN_AGE further amavis lines, or until
 * ml_join_flush() is asked for pieces older than a time: it then comes out
 * alone, without its "...", flagged ML_F_TRUNCATED.  At most ML_JOIN_SLOTS
 * pieces wait at once (the oldest goes out first), each at most
 * ML_JOIN_MAX bytes (longer: cut and flagged truncated).
 */
#define ML_JOIN_SLOTS	16
#define ML_JOIN_AGE	256
#define ML_JOIN_MAX	65536

struct ml_join_stats {
	size_t		 joined;	/* lines made of pieces */
	size_t		 truncated;	/* first pieces that came out alone */
	size_t		 headless;	/* continuations without a first piece */
};

struct ml_join;

struct ml_join	*ml_join_new(void);
void		 ml_join_free(struct ml_join *);
void		 ml_join_push(struct ml_join *, const struct ml_frame *);
/* Pieces with a time before the given one go out; INT64_MAX: all. */
void		 ml_join_flush(struct ml_join *, int64_t);
int		 ml_join_next(struct ml_join *, struct ml_frame *);
const struct ml_join_stats *ml_join_stats(const struct ml_join *);

/*
 * amavisd-new's main log entry, at log level 0:
 *   (LOGID) Passed|Blocked CCAT {ACTIONS}, [BANK ][LOCAL ][CLIENT] [ORIGIN]
 *   [PROTO ]<SENDER> -> <R1>,<R2>, key: value, ..., N ms
 * in the short (default) or the verbose template.  Values are not quoted:
 * the line is split by the known ", Key: " anchors in template order,
 * never by commas.  A message whose recipients met different fates gives
 * two lines with the same LOGID and mail_id, one Passed and one Blocked:
 * merge on mail_id (log ids come back when PIDs do).
 */
enum av_ccat {
	AV_CCAT_UNKNOWN,		/* a word amavis 2.13 does not log */
	AV_CCAT_OTHER,
	AV_CCAT_CLEAN,
	AV_CCAT_MTA_BLOCKED,
	AV_CCAT_OVERSIZED,
	AV_CCAT_BAD_HEADER,
	AV_CCAT_SPAMMY,
	AV_CCAT_SPAM,
	AV_CCAT_UNCHECKED,
	AV_CCAT_BANNED,
	AV_CCAT_INFECTED,
};

#define AV_F_VERBOSE	0x01		/* verbose template (mail_id, b:, Tests...) */
#define AV_F_PARTIAL	0x02		/* from a truncated split: fields past the cut missing */
#define AV_F_NOACTIONS	0x04		/* no {ACTIONS}: an amavis older than 2.7 */
#define AV_F_DKIM_AUTHOR 0x08		/* From: ... (dkim:AUTHOR) */

struct av_verdict {
	int64_t		 time;		/* epoch s, from the frame */
	struct ml_str	 logid;		/* "04558-05", "07173-01-12" */
	int		 blocked;	/* 0 Passed, 1 Blocked */
	enum av_ccat	 ccat;
	struct ml_str	 category;	/* as logged: "BANNED (a/b,x.exe)" */
	struct ml_str	 ccat_detail;	/* inside (...), or "ENCRYPTED" */
	int		 ccat_minor;	/* N of BAD-HEADER-N, else -1 */
	struct ml_str	 actions;	/* "DiscardedInbound,Quarantined" */
	struct ml_str	 bank;		/* policy bank(s): "MYNETS", "A/B" */
	int		 local;		/* "LOCAL": client in @mynetworks */
	struct ml_str	 client;	/* client IP, no brackets */
	int64_t		 client_port;	/* [ip]:port, else CELL_NONE */
	struct ml_str	 origin;	/* originating IP, no brackets */
	struct ml_str	 proto;		/* verbose: "ESMTP/ESMTP", "/ESMTP" */
	struct ml_str	 sender;	/* inside <>: "" for the null sender */
	struct ml_str	 rcpts;		/* "<a>,<b>" as logged: av_rcpt_next() */
	size_t		 nrcpts;
	struct ml_str	 trace;		/* verbose: "ESMTP://ip < ESMTPS://ip" */
	struct ml_str	 tls;
	struct ml_str	 quarantine;	/* relative to $QUARANTINEDIR */
	struct ml_str	 queue_id;	/* "Queue-ID:" */
	struct ml_str	 message_id;
	struct ml_str	 resent_message_id;
	struct ml_str	 mail_id;	/* 12 base64url chars: the quarantine id
					 * (base64, '+' and '/', before 2.7) */
	struct ml_str	 body_digest;	/* verbose "b:" */
	int64_t		 hits;		/* thousandths; CELL_NONE for "-" */
	int64_t		 hits_max;	/* of a "min..max" range, else == hits */
	int64_t		 size;		/* bytes, CELL_NONE when absent */
	struct ml_str	 partition;	/* "pt:" */
	struct ml_str	 queued_as;	/* the MTA's reply as logged */
	struct ml_str	 queued_id;	/* its queue id: OpenSMTPD msgid,
					 * Postfix id; "" if none found */
	struct ml_str	 subject;	/* decoded: no quotes, "" undoubled,
					 * RFC 2047 words of old amavis too */
	struct ml_str	 subject_raw;	/* the " (raw: ...)" part, or "" */
	struct ml_str	 from;		/* From: header, "_" for blanks */
	struct ml_str	 user_agent;	/* "X-Mailer: ..." or "User-Agent: ..." */
	struct ml_str	 helo;
	struct ml_str	 tests;		/* "AM.WBL=7,GTUBE=1000": av_test_next() */
	int64_t		 wbl;		/* AM.WBL score, thousandths, or CELL_NONE */
	struct ml_str	 banning;	/* "b.key=..., b.com=..., b.parts=..." */
	struct ml_str	 autolearn;	/* "no autolearn_force=no" */
	int64_t		 elapsed;	/* ms, CELL_NONE when absent */
	unsigned	 flags;		/* AV_F_* */
};

enum av_kind {
	AV_BAD = -1,			/* looked like a verdict, did not parse */
	AV_OTHER = 0,			/* startup, log level 1-5, release... */
	AV_VERDICT = 1,
	AV_RECIP = 2,			/* $log_recip_templ per-recipient line:
					 * "Hits: H, tag=T, ..." and no {ACTIONS} */
};

/*
 * The message of an ML_AMAVIS frame.  Returns an av_kind; the verdict is
 * filled in for AV_VERDICT only.  A verdict's message is decoded in place
 * (vis(3), the Subject's quotes) and the frame's msglen updated.
 */
int	amavis_parse_line(struct av_verdict *, struct ml_frame *);

/*
 * A release logged by amavis (Amavis/Notify.pm): "(rel-NEWID) Quarantined
 * message release (miscategorized): MAILID <sender> -> <r1>,<r2>" and, when
 * some recipients were not blocked, ", (excluded: <r3> )".  The recipients
 * are the blocked ones of the file, even when the copy went to others.
 */
struct av_release {
	int64_t		 time;		/* epoch s, from the frame */
	struct ml_str	 logid;		/* "rel-Cnw6YqjlFCv7" */
	struct ml_str	 request;	/* "release", "report", "requeue" */
	struct ml_str	 feedback;	/* "miscategorized", "abuse" */
	struct ml_str	 mail_id;	/* the quarantined message's */
	struct ml_str	 sender;	/* inside <>: "" for the null sender */
	struct ml_str	 rcpts;		/* "<a>,<b>": av_rcpt_next() */
	size_t		 nrcpts;
};

#define AV_MAILID_MAX	32		/* longer is not a mail_id */

/*
 * The message of an ML_AMAVIS frame, if it is such a line: 1, and the
 * release filled in (8-bit bytes decoded in place); 0 when it is another
 * line, -1 when it starts as one and does not parse.
 */
int	amavis_parse_release(struct av_release *, struct ml_frame *);

/*
 * Whether a whole log line, framing and all, is one that amavis_parse_line
 * makes a verdict of: "amavis[PID]: (ID) Passed " or "Blocked ", then
 * " {" before the sender's '<', or "> -> " after it and no per-recipient
 * ", Hits: H, tag=".  Cheap enough to count the verdicts of a big log
 * backwards without framing it; a per-recipient line whose banned name
 * holds " {" is taken for one.
 */
int	amavis_verdict_line(const char *, size_t);

/* The next recipient of *rest, without its <>; 0 when there is none. */
int	av_rcpt_next(struct ml_str *rest, struct ml_str *rcpt);
/* The next NAME=SCORE of *rest; score in thousandths, CELL_NONE if none. */
int	av_test_next(struct ml_str *rest, struct ml_str *name, int64_t *score);
/* A score ("1.3", "-0.001", "1001.301") in thousandths; -1 if not one. */
int	av_score(const char *, size_t, int64_t *);
/* The MTA's queue id in a reply: "250 2.0.0 ID Message accepted...",
 * "250 2.0.0: ID ...", "... queued as ID", a bare "ID".  0 if found. */
int	ml_reply_queue_id(struct ml_str reply, struct ml_str *id);

/*
 * OpenSMTPD (6.x, 7.x) lines: "SESSID smtp|mta|mda EVENT key=value...".
 * Session, envelope and message ids are numbers (the msgid is the top 32
 * bits of an evpid).  Only what the join needs is taken; other events come
 * back as SE_OTHER at the cost of a few compares.
 */
enum smtpd_event {
	SE_BAD = -1,			/* a known event that did not parse */
	SE_OTHER = 0,			/* "info: ...", "smtp tls ...", ... */
	SE_SMTP_CONNECTED,		/* address= host= */
	SE_SMTP_MESSAGE,		/* msgid= size= nrcpt= proto= */
	SE_SMTP_ENVELOPE,		/* evpid= from=<> to=<> */
	SE_SMTP_FAILED,			/* failed-command command="" result="" */
	SE_SMTP_DISCONNECTED,		/* reason= */
	SE_MTA_CONNECTING,		/* address= host= */
	SE_MTA_DELIVERY,		/* evpid= from to rcpt source relay delay result stat */
	SE_MTA_DISCONNECTED,		/* reason= messages= */
	SE_MTA_ERROR,			/* reason=: a session that failed */
	SE_MDA_DELIVERY,		/* evpid= from to [rcpt] user= delay result stat */
};

enum smtpd_result {
	SR_NONE,
	SR_OK,
	SR_TEMPFAIL,
	SR_PERMFAIL,
	SR_OTHER,			/* see result */
};

#define SE_F_FILTERED	0x01		/* stat is a content filter's "from MTA(...)" */

struct smtpd_line {
	int64_t		 time;		/* epoch s, from the frame */
	enum smtpd_event type;
	uint64_t	 session;
	uint64_t	 evpid;		/* 0 when none */
	uint32_t	 msgid;		/* message's, or the evpid's top half */
	struct ml_str	 address;	/* connected/connecting */
	struct ml_str	 host;
	struct ml_str	 from;		/* inside <>: "" for the null sender */
	struct ml_str	 to;
	struct ml_str	 rcpt;		/* original rcpt; "-" in relays */
	struct ml_str	 source;
	struct ml_str	 relay;
	struct ml_str	 user;		/* mda */
	int64_t		 delay;		/* seconds, CELL_NONE */
	enum smtpd_result result;
	struct ml_str	 result_text;	/* "Ok", or failed-command's reply */
	struct ml_str	 stat;
	struct ml_str	 command;	/* failed-command */
	struct ml_str	 reason;	/* disconnected */
	struct ml_str	 proto;		/* message */
	int64_t		 size;		/* message: bytes; CELL_NONE */
	int64_t		 count;		/* message: nrcpt; mta disconnected:
					 * messages; else CELL_NONE */
	/* From the stat of a delivery: the next hop's queue id (amavis'
	 * re-injection "from MTA(...): 250 2.0.0 MSGID ..." when
	 * SE_F_FILTERED), and the amavis log id of "..., id=LOGID ...". */
	struct ml_str	 queued;
	struct ml_str	 amavis_id;
	unsigned	 flags;
};

/*
 * The message of an ML_SMTPD frame: returns its smtpd_event.  An event's
 * vis(3)-encoded 8-bit bytes are decoded in place and msglen updated.
 */
int	smtpd_parse_line(struct smtpd_line *, struct ml_frame *);

/* A hex number of 1-16 digits; -1 when it is not one. */
int	ml_hex64(const char *, size_t, uint64_t *);

#endif
