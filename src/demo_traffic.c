/*
 * --demo's mail traffic: who sends what.  The senders and recipients, the
 * subjects and attachments of the messages demo_maillog.c relays, the
 * SpamAssassin rules that fire on them, and when the next one arrives.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "demo_maillog_int.h"
#include "util.h"

struct origin {
	const char	*from;		/* '#': a random hex digit */
	const char	*ip;		/* '*': a random number, 1-254 */
	const char	*host;
	const char	*hdrfrom;	/* NULL: the sender */
	const char	*dkim;		/* "selector:domain" of a good signature */
	int		 wbl;		/* @score_sender_maps, 0: none */
	const char	*ua;		/* already uquoted */
	const char	*midhost;
};

static const struct origin hams[] = {
	{ "orders@bakkerij-devries.example", "198.51.100.17",
	    "mail.bakkerij-devries.example", NULL, "mail:bakkerij-devries.example",
	    0, "X-Mailer: Microsoft_Outlook_16.0", "bakkerij-devries.example" },
	{ "news@ngo-kinderhulp.example", "198.51.100.42",
	    "relay.ngo-kinderhulp.example", NULL, "s1:ngo-kinderhulp.example", 0,
	    NULL, "ngo-kinderhulp.example" },
	{ "invoices@supplier.example", "203.0.113.25", "mx.supplier.example",
	    "billing@supplier.example", NULL, 0, NULL, "supplier.example" },
	{ "m.jansen@partnerfirm.nl", "40.107.*.*",
	    "mail-am6eur05on2071.outbound.protection.outlook.com", NULL,
	    "selector1:partnerfirm.nl", -10000, NULL, "AM6PR05MB.eurprd05.example" },
	{ "noreply@tickets.example", "192.0.2.80", "out.tickets.example", NULL,
	    "k1:tickets.example", 0, NULL, "tickets.example" },
	{ "jane.doe@university.example", "192.0.2.*", "smtp.university.example",
	    NULL, NULL, 0, "User-Agent: Mozilla/5.0_(X11;_Linux_x86_64;_rv:128.0)"
	    "_Gecko/20100101_Thunderbird/128.4.2", "university.example" },
	{ "", "203.0.113.25", "mx.supplier.example", "MAILER-DAEMON@supplier.example",
	    NULL, 0, NULL, "mx.supplier.example" },
};
static const struct origin idn = {
	"info@xn--mller-kva.example", "198.51.100.88", "mail.xn--mller-kva.example",
	"info@m\xc3\xbcller.example", NULL, 0, NULL, "xn--mller-kva.example"
};
static const struct origin white = {
	"billing@bank.example", "192.0.2.130", "smtp-out.bank.example", NULL,
	"bank2026:bank.example", 0, NULL, "bank.example"
};
static const struct origin esc = {	/* demo_spamd's "\e[31mEVIL" sender */
	"x@esc.example", "203.0.113.66", "<unknown>", NULL, NULL, 0,
	"X-Mailer: \x1b]0;pwned\x07", "esc.example"
};
static const struct origin spams[] = {
	{ "info@quick-loans-247.example", "203.0.113.45", "<unknown>",
	    "offers@quick-loans-247.example", NULL, 0, NULL, NULL },
	{ "Admin@Secure-Mailbox-Verify.example", "203.0.113.*", "<unknown>",
	    "admin@secure-mailbox-verify.example", NULL, 0, NULL, NULL },
	{ "sales@cheap-meds.example", "203.0.113.*", "<unknown>", NULL, NULL, 0,
	    NULL, "cheap-meds.example" },
};
static const struct origin provider = {	/* spamd's promo-hub sender */
	"bounce-######@mailer.promo-hub.example", "198.51.100.144",
	"mx.gw-2741.example", "deals@promo-hub.example", NULL, 0, NULL,
	"promo-hub.example"
};
static const struct origin bulk = {
	"bounces+########-####-ob=example.org@em1234.bulkmail-eu.example",
	"198.51.100.90", "smtp.bulkmail-eu.example", "news@bulkmail-eu.example",
	"em:bulkmail-eu.example", 3000, NULL, "bulkmail-eu.example"
};
static const struct origin lan = {	/* our users, to the Internet */
	NULL, "10.20.1.*", NULL, NULL, NULL, 0,
	"User-Agent: Microsoft_Outlook_16.0", "example.org"
};

static const char *const users[] = {
	"bob", "alice", "carol", "dave", "j.smit", "k.bakker", "m.devries",
	"p.janssen", "sales", "info", "accounts", "support", "hr",
};
static const char *const lovers[] = { "postmaster", "abuse" };
static const char *const firsts[] = {
	"anna", "bram", "chris", "daan", "femke", "gijs",
};
static const char *const lasts[] = {
	"van.der.berg", "de.vries", "jansen", "bakker", "visser", "van.dijk",
};
static const char *const outside[] = {
	"orders@supplier.example", "m.jansen@partnerfirm.nl",
	"info@bakkerij-devries.example", "events@ngo-kinderhulp.example",
	"jane.doe@university.example",
};

/* Next hops that defer all mail, until it expires in the queue. */
static const struct {
	const char	*domain, *reply;
} dead[] = {
	{ "slow-mx.example", "Network error on destination MXs" },
	{ "startup.example", "Connection timed out" },
	{ "greylist.test", "451 4.7.1 Greylisted | try again later \\o/ "
	    "\x01" "ctl" },
	{ "customer.example", "452 4.2.2 Mailbox full" },
	{ "partner.example", "421 4.7.0 Try again later, closing connection." },
	{ "backup.example", "450 4.1.8 <bounce@x.example>: Sender address "
	    "rejected: Domain not found" },
	{ "[127.0.0.2]", "Network error on destination MXs" },
	{ "policy.example", "451 4.7.1 \x1b[31mRejected\x1b[0m \x9b[2J by "
	    "policy" },
};
static const char *const dead_users[] = {
	"info", "sales", "o'neil", "rcpt|with|pipes", "heidi", "ops",
	"archive", "victor", "team",
};
/* Who sends through the smarthost besides the users: systems of the LAN. */
static const char *const lan_senders[] = {
	"alerts@monitoring.example.org", "noreply@tickets.example.org",
	"UPPER.Case@Example.ORG", "pipe|user@example.org",
	"newsletter+list@example.org", "",
};

static const char *const subj_ham[] = {
	"Order 4471 confirmed", "Invoice 2026-1187", "Re: Quarterly figures",
	"Meeting notes 24/11", "Delivery schedule week 48",
	"Your ticket #88213 has been updated", "Nieuwsbrief november",
	"Re: Offerte kozijnen", "Fwd: contract draft v3", "Lunch tomorrow?",
};
static const char *const subj_bulk[] = {
	"November deals: up to 40% off", "Webinar invitation: cloud backup",
	"Your weekly digest", "Newsletter",
};
static const char *const subj_spam[] = {
	"You have (1) pending payment", "LAST CHANCE: 80% OFF",
	"Re: your account", "Claim your reward now", "Cheap stuff",
	"Mailbox quota exceeded", "Verify your account within 24 hours",
};

/* RFC 2047: amavis logs the decoded text, then " (raw: …)". */
static const char hostile_dec[] = "Re: \x1b[2J\x1b[31mPAY NOW\x1b[0m "
    "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \"final\" notice, [ref] \\ "
    "\xe2\x84\x96" "4471";
static const char hostile_raw[] = "=?UTF-8?Q?Re:_=1B[2J=1B[31mPAY_NOW=1B[0m_"
    "caf=C3=A9_=E6=97=A5=E6=9C=AC_\"final\"_notice,_[ref]_\\_=E2=84=964471?=";
static const char raw8bit[] = "Raw \"utf8\" Gr\xc3\xbc\xc3\x9f" "e "
    "\xe6\x97\xa5\xe6\x9c\xac, esc:\x1b[2J\x1b[1mCLEAR\x1b[0m ]";

static const char *const bannedfiles[][2] = {
	{ "application/octet-stream", "invoice.pdf.exe" },
	{ "application/x-msdownload", "Rechnung_4471.scr" },
	{ "text/vbscript", "payment_advice.vbs" },
};
static const char *const viruses[] = {
	"Eicar-Test-Signature", "Doc.Downloader.Emotet-9940577-0",
	"Win.Malware.Qakbot-10012345-0", "Html.Phishing.Bank-1502",
	"Xls.Dropper.Agent-7401238-0",
};
static const int badh_minor[] = { 0, 2, 5, 6, 7 };

/* SpamAssassin rules in groups that fire together; one per excl letter. */
struct sa_group {
	char		 excl;
	struct sa_test	 t[2];
};
static const struct sa_group ham_rules[] = {
	{ 'B', { { "BAYES_00", -1900 } } }, { 'B', { { "BAYES_05", -500 } } },
	{ 'B', { { "BAYES_50", 800 } } },
	{ 'S', { { "SPF_HELO_NONE", 1 }, { "SPF_PASS", -1 } } },
	{ 0, { { "HTML_MESSAGE", 1 } } },
	{ 'D', { { "RCVD_IN_DNSWL_LOW", -700 } } },
	{ 'D', { { "RCVD_IN_DNSWL_NONE", -1 } } },
	{ 0, { { "T_SCC_BODY_TEXT_LINE", -10 } } },
	{ 0, { { "MAILING_LIST_MULTI", -1000 } } },
	{ 0, { { "URIBL_BLOCKED", 1 } } },
	{ 0, { { "ARC_SIGNED", 1 }, { "ARC_VALID", -100 } } },
	{ 0, { { "HTML_FONT_LOW_CONTRAST", 1 } } },
	{ 0, { { "KAM_DMARC_STATUS", 10 } } },
};
static const struct sa_group spam_rules[] = {
	{ 'B', { { "BAYES_99", 3500 }, { "BAYES_999", 200 } } },
	{ 'B', { { "BAYES_95", 3000 } } }, { 'B', { { "BAYES_80", 2000 } } },
	{ 0, { { "RCVD_IN_SBL_CSS", 3335 } } },
	{ 0, { { "URIBL_ABUSE_SURBL", 1948 } } },
	{ 0, { { "URIBL_DBL_SPAM", 2500 } } },
	{ 0, { { "PYZOR_CHECK", 1985 } } },
	{ 0, { { "RAZOR2_CF_RANGE_51_100", 2430 }, { "RAZOR2_CHECK", 1729 } } },
	{ 0, { { "DCC_CHECK", 1100 } } },
	{ 'H', { { "HTML_IMAGE_ONLY_24", 1282 }, { "HTML_MESSAGE", 1 } } },
	{ 0, { { "MIME_HTML_ONLY", 100 } } },
	{ 0, { { "RDNS_NONE", 793 } } },
	{ 0, { { "FREEMAIL_FORGED_REPLYTO", 2095 } } },
	{ 'S', { { "SPF_FAIL", 919 } } }, { 'S', { { "SPF_SOFTFAIL", 665 } } },
	{ 0, { { "SUBJ_ALL_CAPS", 500 } } },
	{ 0, { { "LOTS_OF_MONEY", 1 } } },
	{ 0, { { "MISSING_MID", 140 } } },
	{ 0, { { "T_REMOTE_IMAGE", 10 } } },
};
static const struct sa_group bulk_rules[] = {
	{ 'B', { { "BAYES_50", 800 } } }, { 'B', { { "BAYES_60", 1500 } } },
	{ 'B', { { "BAYES_80", 2000 } } },
	{ 'H', { { "HTML_MESSAGE", 1 } } },
	{ 0, { { "MIME_HTML_ONLY", 100 } } },
	{ 0, { { "DCC_CHECK", 1100 } } },
	{ 0, { { "DCC_REPUT_13_19", 1398 } } },
	{ 0, { { "RDNS_NONE", 793 } } },
	{ 'S', { { "SPF_SOFTFAIL", 665 } } },
	{ 0, { { "URIBL_GREY", 424 } } },
	{ 0, { { "PYZOR_CHECK", 1985 } } },
	{ 0, { { "T_REMOTE_IMAGE", 10 } } },
	{ 0, { { "HTML_IMAGE_RATIO_02", 1 } } },
	{ 0, { { "KAM_NUMSUBJECT", 500 } } },
};

/* Copies a pattern: '#' becomes a hex digit, '*' a number from 1 to 254. */
static void
fill(struct demo_log *d, char *dst, size_t len, const char *pat)
{
	size_t	 n = 0;
	int	 w;

	for (; *pat != '\0' && n + 4 < len; pat++) {
		if (*pat == '#')
			dst[n++] = "0123456789abcdef"[demo_rnd(d, 16)];
		else if (*pat == '*') {
			w = snprintf(dst + n, len - n, "%u",
			    1 + demo_rnd(d, 254));
			n += (size_t)w;
		} else
			dst[n++] = *pat;
	}
	dst[n] = '\0';
}

static void
add_test(struct msg *m, const char *name, int v)
{
	if (m->ntest < TEST_MAX)
		m->test[m->ntest++] = (struct sa_test){ name, v };
}

/* Rules that fired, drawn until their sum lands in the intent's category. */
static void
spamassassin(struct demo_log *d, struct msg *m, const struct origin *o)
{
	const struct sa_group	*g;
	struct sa_test		 t;
	char			 used[32], excl[8];
	size_t			 n, i, j, k, ng, want;
	int			 lo = -100000, hi = TAG2, tries, sum = 0;

	if (m->intent == C_SPAMMY) {
		g = bulk_rules;
		ng = nitems(bulk_rules);
		lo = TAG2;
		hi = KILL;
	} else if (m->intent == C_SPAM || m->intent == C_LOVER ||
	    m->intent == C_MIXED) {
		g = spam_rules;
		ng = nitems(spam_rules);
		lo = KILL;
		hi = 2000000;
	} else {
		g = ham_rules;
		ng = nitems(ham_rules);
		if (demo_rnd(d, 10) != 0)
			hi = TAG;		/* most ham scores below 2 */
	}
	for (tries = 0; tries < 200; tries++) {
		m->ntest = 0;
		memset(used, 0, sizeof(used));
		memset(excl, 0, sizeof(excl));
		want = (g == ham_rules ? 2 : 3) + demo_rnd(d, 5);
		for (n = 0; n < want; n++) {
			k = demo_rnd(d, (unsigned)ng);
			if (used[k] || (g[k].excl != 0 &&
			    strchr(excl, g[k].excl) != NULL))
				continue;
			used[k] = 1;
			if (g[k].excl != 0 && strlen(excl) < sizeof(excl) - 1)
				excl[strlen(excl)] = g[k].excl;
			for (j = 0; j < 2 && g[k].t[j].name != NULL; j++)
				add_test(m, g[k].t[j].name, g[k].t[j].score);
		}
		if (o->dkim != NULL) {
			add_test(m, "DKIM_SIGNED", 100);
			add_test(m, "DKIM_VALID", -100);
			add_test(m, "DKIM_VALID_AU", -100);
		}
		if (m->flags & F_GTUBE)
			add_test(m, "GTUBE", 1000000);
		if (m->flags & F_RAW8BIT) {
			add_test(m, "SUBJECT_NEEDS_ENCODING", 498);
			add_test(m, "SUBJ_ILLEGAL_CHARS", 620);
		}
		if (o->wbl != 0)
			add_test(m, "AM.WBL", o->wbl);
		for (sum = 0, i = 0; i < m->ntest; i++)
			sum += m->test[i].score;
		if (sum >= lo && sum < hi)
			break;
	}
	if (tries == 200) {
		/* rare: rules known to land where they must */
		m->ntest = 0;
		if (lo == KILL) {
			add_test(m, "BAYES_99", 3500);
			add_test(m, "RDNS_NONE", 793);
			add_test(m, "URIBL_DBL_SPAM", 2500);
			sum = 6793;
		} else if (lo == TAG2) {
			add_test(m, "BAYES_80", 2000);
			add_test(m, "DCC_CHECK", 1100);
			add_test(m, "PYZOR_CHECK", 1985);
			sum = 5085;
		} else {
			add_test(m, "BAYES_00", -1900);
			sum = -1900;
		}
	}
	m->hits = sum;
	for (i = 1; i < m->ntest; i++)		/* Tests: [] is sorted */
		for (j = i; j > 0 && strcmp(m->test[j - 1].name,
		    m->test[j].name) > 0; j--) {
			t = m->test[j];
			m->test[j] = m->test[j - 1];
			m->test[j - 1] = t;
		}
	for (i = 0; i < m->ntest; i++)
		if (strcmp(m->test[i].name, "MISSING_MID") == 0)
			m->mid[0] = '\0';
}

static void
add_rcpt(struct msg *m, const char *local, const char *domain, int lover)
{
	size_t	 i;

	for (i = 0; i < m->nrcpt; i++)
		if (strncmp(m->rcpt[i], local, strlen(local)) == 0 &&
		    m->rcpt[i][strlen(local)] == '@')
			return;
	if (m->nrcpt == RCPT_MAX)
		return;
	snprintf(m->rcpt[m->nrcpt], sizeof(m->rcpt[0]), "%s@%s", local, domain);
	m->lover[m->nrcpt++] = lover;
}

struct msg *
traffic_msg(struct demo_log *d, int intent, unsigned flags)
{
	const struct origin	*o;
	const char *const	*subjs = subj_ham;
	size_t			 nsubj = nitems(subj_ham), i, n;
	struct msg		*m = xcalloc(1, sizeof(*m));

	m->intent = intent;
	m->flags = flags;
	m->kind = flags & F_OUT ? K_OUT : K_IN;
	m->verbose = (flags & F_VERBOSE) || (!(flags & F_SHORT) &&
	    demo_rnd(d, 100) < d->verbose);
	m->noise = (flags & F_NOISE) || demo_rnd(d, 50) == 0;
	m->sa = intent != C_BANNED && intent != C_VIRUS && intent != C_BADH &&
	    intent != C_WHITE;

	if (m->kind == K_OUT)
		o = &lan;
	else if (flags & (F_HOSTILE | F_RAW8BIT))
		o = &esc;
	else if (flags & F_IDN)
		o = &idn;
	else if (flags & F_BURST)
		o = &provider;
	else if (intent == C_WHITE)
		o = &white;
	else if (flags & F_WBL)
		o = &bulk;
	else if (intent == C_SPAMMY)
		o = demo_rnd(d, 3) ? &bulk : &provider;
	else if (intent == C_SPAM || intent == C_LOVER || intent == C_MIXED ||
	    (intent == C_VIRUS && demo_rnd(d, 2)))
		o = &spams[demo_rnd(d, nitems(spams))];
	else
		o = &hams[demo_rnd(d, nitems(hams) - (intent == C_BANNED ||
		    intent == C_BADH))];	/* the last one is <> */
	if (flags & F_STUCK) {
		i = demo_rnd(d, nitems(dead));
		m->dead = dead[i].reply;
		n = demo_rnd(d, 4) ? 1 : 2 + demo_rnd(d, 2);
		while (m->nrcpt < n)
			add_rcpt(m, dead_users[demo_rnd(d, nitems(dead_users))],
			    dead[i].domain, 0);
	}
	if (m->kind == K_OUT && demo_rnd(d, 3) == 0)
		snprintf(m->sender, sizeof(m->sender), "%s",
		    lan_senders[demo_rnd(d, nitems(lan_senders))]);
	else if (m->kind == K_OUT)
		snprintf(m->sender, sizeof(m->sender), "%s@example.org",
		    users[demo_rnd(d, nitems(users))]);
	if (m->kind == K_OUT) {
		fill(d, m->ip, sizeof(m->ip), o->ip);
		snprintf(m->host, sizeof(m->host), "ws%s.example.org",
		    m->ip + 8);
		if (m->nrcpt == 0) {
			snprintf(m->rcpt[0], sizeof(m->rcpt[0]), "%s",
			    outside[demo_rnd(d, nitems(outside))]);
			m->nrcpt = 1;
		}
		m->ua = o->ua;
		snprintf(m->mid, sizeof(m->mid), "<%08x%04x@%s>", demo_rnd32(d),
		    demo_rnd(d, 0x10000), o->midhost);
	} else {
		fill(d, m->sender, sizeof(m->sender), o->from);
		fill(d, m->ip, sizeof(m->ip), o->ip);
		snprintf(m->host, sizeof(m->host), "%s", o->host);
		m->hdrfrom = o->hdrfrom;
		m->dkim = o->dkim;
		m->ua = o->ua;
		if (o == &esc)
			snprintf(m->mid, sizeof(m->mid),
			    "<a\"b, c]d[e@esc.example>");
		else if (o->midhost != NULL && demo_rnd(d, 2))
			snprintf(m->mid, sizeof(m->mid), "<%lld.%x@%s>",
			    (long long)d->now / 1000, demo_rnd(d, 0x100000),
			    o->midhost);
		else if (o->midhost != NULL)
			snprintf(m->mid, sizeof(m->mid),
			    "<%08x-%04x-%04x@%s>", demo_rnd32(d),
			    demo_rnd(d, 0x10000), demo_rnd(d, 0x10000),
			    o->midhost);
		if (flags & F_MANY) {
			n = 30 + demo_rnd(d, 7);
			for (i = 0; i < n; i++) {
				char	 lp[48];

				snprintf(lp, sizeof(lp), "%s.%s",
				    firsts[i % nitems(firsts)],
				    lasts[i / nitems(firsts) % nitems(lasts)]);
				add_rcpt(m, lp, "example.org", 0);
			}
		} else if (intent == C_LOVER)
			add_rcpt(m, lovers[demo_rnd(d, 2)], "example.org", 1);
		else if (intent == C_MIXED) {
			add_rcpt(m, lovers[demo_rnd(d, 2)], "example.org", 1);
			n = 1 + demo_rnd(d, 3);
			for (i = 0; i < n; i++)
				add_rcpt(m, users[demo_rnd(d, nitems(users))],
				    "example.org", 0);
		} else {
			n = demo_rnd(d, 4) ? 1 : 2 + demo_rnd(d, 3);
			for (i = 0; i < n; i++)
				add_rcpt(m, users[demo_rnd(d, nitems(users))],
				    "example.org", 0);
		}
	}
	m->tls = o == &esc || (o != &provider && demo_rnd(d, 10) < 7);
	m->size = 1800 + demo_rnd(d, 30000);
	if (intent == C_BANNED || intent == C_VIRUS)
		m->size = 20000 + demo_rnd(d, 300000);
	else if (demo_rnd(d, 12) == 0)
		m->size += demo_rnd(d, 2000000);
	m->asize = m->size + 280 + demo_rnd(d, 200);

	if (intent == C_SPAMMY) {
		subjs = subj_bulk;
		nsubj = nitems(subj_bulk);
	} else if (intent == C_SPAM || intent == C_LOVER || intent == C_MIXED) {
		subjs = subj_spam;
		nsubj = nitems(subj_spam);
	}
	m->subj = subjs[demo_rnd(d, (unsigned)nsubj)];
	if (flags & F_HOSTILE) {
		m->subj = hostile_dec;
		m->raw = hostile_raw;
	} else if (flags & F_RAW8BIT)
		m->subj = raw8bit;
	else if (flags & F_GTUBE)
		m->subj = "GTUBE test";
	else if (intent == C_BANNED)
		m->subj = "Your invoice";
	else if (intent == C_VIRUS)
		m->subj = "Scanned document";
	else if (intent == C_UNCHECKED)
		m->subj = "Documents (password 1234)";
	else if (intent == C_BADH)
		m->subj = "Dup subject";
	else if (flags & F_MANY)
		m->subj = "All staff: office closed on Friday";
	else if (m->sender[0] == '\0')
		m->subj = "Undelivered Mail Returned to Sender";
	fill(d, m->hfrom, sizeof(m->hfrom), m->hdrfrom != NULL ? m->hdrfrom :
	    m->sender[0] != '\0' ? m->sender : "MAILER-DAEMON@unknown.example");
	if (m->sa)
		spamassassin(d, m, o);
	demo_b64id(d, m->mailid, 12, 1);
	if (flags & F_BURST)
		memcpy(m->bdig, d->burst_b, sizeof(m->bdig));
	else
		demo_b64id(d, m->bdig, 9, 0);

	switch (intent) {
	case C_SPAMMY:
		snprintf(m->ccat, sizeof(m->ccat), "SPAMMY");
		break;
	case C_SPAM:
	case C_MIXED:
		snprintf(m->quar, sizeof(m->quar), "spam-%s.gz", m->mailid);
		/* FALLTHROUGH */
	case C_LOVER:
		snprintf(m->ccat, sizeof(m->ccat), "SPAM");
		break;
	case C_BANNED:
		i = demo_rnd(d, nitems(bannedfiles));
		m->bmime = bannedfiles[i][0];
		m->bname = bannedfiles[i][1];
		snprintf(m->ccat, sizeof(m->ccat), "BANNED (%s,%s)", m->bmime,
		    m->bname);
		snprintf(m->quar, sizeof(m->quar), "banned-%s", m->mailid);
		break;
	case C_VIRUS:
		m->virus = viruses[demo_rnd(d, nitems(viruses))];
		snprintf(m->ccat, sizeof(m->ccat), "INFECTED (%s)", m->virus);
		snprintf(m->quar, sizeof(m->quar), "virus-%s", m->mailid);
		break;
	case C_BADH:
		m->badh = badh_minor[demo_rnd(d, nitems(badh_minor))];
		snprintf(m->ccat, sizeof(m->ccat), "BAD-HEADER-%d", m->badh);
		snprintf(m->quar, sizeof(m->quar), "badh-%s", m->mailid);
		break;
	case C_UNCHECKED:
		snprintf(m->ccat, sizeof(m->ccat), "%s", demo_rnd(d, 2) ?
		    "UNCHECKED" : "UNCHECKED-ENCRYPTED");
		break;
	default:
		snprintf(m->ccat, sizeof(m->ccat), "CLEAN");
		break;
	}
	return m;
}

const char *
traffic_dead(const char *domain)
{
	size_t	 i;

	for (i = 0; i < nitems(dead); i++)
		if (strcasecmp(domain, dead[i].domain) == 0)
			return dead[i].reply;
	return NULL;
}

/* smtpd's report of a permanent failure, sent through amavis again. */
struct msg *
traffic_bounce(struct demo_log *d, const struct msg *orig)
{
	struct msg	*m = xcalloc(1, sizeof(*m));

	m->kind = K_BOUNCE;
	m->intent = C_CLEAN;
	m->verbose = orig->verbose;
	m->sa = 1;
	snprintf(m->rcpt[0], sizeof(m->rcpt[0]), "%s", orig->sender);
	m->nrcpt = 1;
	m->size = 1700 + demo_rnd(d, 900);
	m->asize = m->size + 60 + demo_rnd(d, 40);
	snprintf(m->mid, sizeof(m->mid), "<" X64 "@" MYHOST ">", demo_uid(d));
	m->subj = "Delivery status notification: error";
	snprintf(m->hfrom, sizeof(m->hfrom), "MAILER-DAEMON@" MYHOST);
	m->test[0] = (struct sa_test){ "NO_RELAYS", -1 };
	m->ntest = 1;
	m->hits = -1;
	demo_b64id(d, m->mailid, 12, 1);
	demo_b64id(d, m->bdig, 9, 0);
	snprintf(m->ccat, sizeof(m->ccat), "CLEAN");
	return m;
}

/* The next message from the outside world; *wait: ms until the one after. */
struct msg *
traffic_next(struct demo_log *d, int64_t *wait)
{
	static const struct { int intent, weight; } mix[] = {
		{ C_CLEAN, 520 }, { C_SPAMMY, 80 }, { C_SPAM, 180 },
		{ C_LOVER, 10 }, { C_MIXED, 20 }, { C_BANNED, 20 },
		{ C_VIRUS, 20 }, { C_BADH, 15 }, { C_UNCHECKED, 10 },
		{ C_WHITE, 30 },
	};
	struct msg	*m;
	unsigned	 flags = 0, w = demo_rnd(d, 1000);
	size_t		 i;
	int		 intent = C_CLEAN, burst = d->now < d->burst_until;
	double		 u;

	if (!burst && demo_rnd(d, 400) == 0) {
		d->burst_until = d->now + 20000 + demo_rnd(d, 25000);
		demo_b64id(d, d->burst_b, 9, 0);
		burst = 1;
	}
	if (burst && demo_rnd(d, 10) < 8) {
		intent = demo_rnd(d, 10) ? C_SPAM : C_SPAMMY;
		flags |= F_BURST;
	} else if (demo_rnd(d, 10) == 0)
		flags |= F_OUT | (demo_rnd(d, 300) == 0 ? F_STUCK : 0);
	else
		for (i = 0; i < nitems(mix); w -= (unsigned)mix[i++].weight)
			if (w < (unsigned)mix[i].weight) {
				intent = mix[i].intent;
				break;
			}
	if (!(flags & (F_OUT | F_BURST))) {
		if (demo_rnd(d, 120) == 0)
			flags |= F_MANY;
		if (intent == C_CLEAN && demo_rnd(d, 300) == 0)
			flags |= demo_rnd(d, 2) ? F_HOSTILE : F_RAW8BIT;
		if (intent == C_CLEAN && demo_rnd(d, 100) == 0)
			flags |= F_IDN;
		if (intent == C_SPAM && demo_rnd(d, 30) == 0)
			flags |= F_GTUBE;
	}
	m = traffic_msg(d, intent, flags);
	u = (demo_rnd(d, 1 << 20) + 1) / (double)((1 << 20) + 1);
	u = -log(u) * (double)d->mean / (burst ? 4 : 1);
	*wait = 1 + (int64_t)(u > 10.0 * d->mean ? 10.0 * d->mean : u);
	return m;
}
