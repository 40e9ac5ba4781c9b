/*
 * OpenBSD spamd's log messages (spamd.c: main()'s accept, closecon(),
 * nextstate()).  The address is getnameinfo(3)'s numeric form of an IPv4
 * client (spamd takes no other), and is checked as an address: that is
 * what tells these messages from SpamAssassin's "spamd: ..." ones.  FROM
 * and TO are the tokens of MAIL FROM: and RCPT TO: up to a blank, so the
 * first " -> " splits them.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <string.h>
#include <strings.h>

#include "spamdlog.h"

#define ADDR_MAX	64	/* INET6_ADDRSTRLEN and a scope */

static void
set(struct ml_str *s, const char *p, const char *e)
{
	s->p = p;
	s->len = e > p ? (size_t)(e - p) : 0;
}

static int
lit(const char *p, const char *e, const char *l)
{
	size_t	 n = strlen(l);

	return (size_t)(e - p) >= n && memcmp(p, l, n) == 0;
}

/* Whether [p, e) is an address inet_pton(3) reads, IPv4 or IPv6. */
static int
is_addr(const char *p, const char *e)
{
	char		 buf[ADDR_MAX];
	unsigned char	 a[16];
	size_t		 n = (size_t)(e - p);

	if (n == 0 || n >= sizeof(buf))
		return 0;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return inet_pton(AF_INET, buf, a) == 1 ||
	    inet_pton(AF_INET6, buf, a) == 1;
}

/* Decimal digits at *pp, at most 18; *pp is left after them. */
static int
num(const char **pp, const char *e, int64_t *out)
{
	const char	*p = *pp;
	int64_t		 v = 0;
	int		 n;

	for (n = 0; p < e && *p >= '0' && *p <= '9' && n < 18; p++, n++)
		v = v * 10 + (*p - '0');
	if (n == 0 || (p < e && *p >= '0' && *p <= '9'))
		return -1;
	*out = v;
	*pp = p;
	return 0;
}

/*
 * " lists:" and the tags, each after a space (loglists()); a fork puts
 * one more space after the colon.  The whole rest of the message.
 */
static int
lists(const char *p, const char *e, struct sd_event *ev)
{
	const char	*q;

	if (p == e)
		return 0;
	if (!lit(p, e, "lists:"))
		return -1;
	for (p += 6; p < e && *p == ' '; p++)
		;
	for (q = e; q > p && q[-1] == ' '; q--)
		;
	if (q - p >= 3 && memcmp(q - 3, "...", 3) == 0) {
		ev->lists_cut = 1;
		for (q -= 3; q > p && q[-1] == ' '; q--)
			;
	}
	set(&ev->lists, p, q);
	return 0;
}

/* The rest of "ADDR: " for connected and disconnected. */
static enum sd_kind
conn(const char *p, const char *e, struct sd_event *ev)
{
	if (lit(p, e, "connected (")) {
		p += 11;
		if (num(&p, e, &ev->clients) == -1 || p == e || *p++ != '/' ||
		    num(&p, e, &ev->blacks) == -1 || p == e || *p++ != ')')
			return SD_NONE;
		if (p < e && (e - p < 2 || memcmp(p, ", ", 2) != 0))
			return SD_NONE;
		if (p < e && lists(p + 2, e, ev) == -1)
			return SD_NONE;
		return SD_CONNECT;
	}
	if (lit(p, e, "disconnected after ")) {
		p += 19;
		if (num(&p, e, &ev->seconds) == -1 || !lit(p, e, " seconds."))
			return SD_NONE;
		p += 9;
		if (p < e && (*p != ' ' || lists(p + 1, e, ev) == -1))
			return SD_NONE;
		return SD_DISCONNECT;
	}
	return SD_NONE;
}

static int
header_name(const char *p, const char *e)
{
	static const char *const names[] = { "from:", "to:", "subject:" };
	size_t		 i, n;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		n = strlen(names[i]);
		if ((size_t)(e - p) >= n && strncasecmp(p, names[i], n) == 0)
			return 1;
	}
	return 0;
}

static void
clear(struct sd_event *ev, const char *msg)
{
	memset(ev, 0, sizeof(*ev));
	ev->clients = ev->blacks = ev->seconds = CELL_NONE;
	set(&ev->addr, msg, msg);
	ev->lists = ev->from = ev->to = ev->header = ev->addr;
}

/* "(GREY) " or "(BLACK) " done: "ADDR: FROM -> TO" at p. */
static enum sd_kind
attempt(const char *p, const char *e, enum sd_kind k, struct sd_event *ev)
{
	const char	*colon, *arrow;

	if ((colon = ml_find(p, (size_t)(e - p), ": ", 2)) == NULL ||
	    !is_addr(p, colon))
		return SD_NONE;
	set(&ev->addr, p, colon);
	p = colon + 2;
	/* the sender is one token: the first arrow ends it */
	if ((arrow = ml_find(p, (size_t)(e - p), " -> ", 4)) == NULL ||
	    arrow == p || arrow + 4 == e)
		return SD_NONE;
	set(&ev->from, p, arrow);
	set(&ev->to, arrow + 4, e);
	return k;
}

enum sd_kind
spamd_log_parse(const char *msg, size_t len, struct sd_event *ev)
{
	const char	*p = msg, *e = msg + len, *colon;
	enum sd_kind	 k;

	clear(ev, msg);
	if (lit(p, e, "(GREY) "))
		k = attempt(p + 7, e, SD_GREY, ev);
	else if (lit(p, e, "(BLACK) "))
		k = attempt(p + 8, e, SD_BLACK, ev);
	/* an IPv6 address holds colons, never ": " */
	else if ((colon = ml_find(p, len, ": ", 2)) == NULL ||
	    !is_addr(p, colon))
		k = SD_NONE;
	else {
		set(&ev->addr, p, colon);
		p = colon + 2;
		if (header_name(p, e)) {
			set(&ev->header, p, e);
			k = SD_HEADER;
		} else
			k = conn(p, e, ev);
	}
	if (k == SD_NONE)
		clear(ev, msg);
	return ev->kind = k;
}

const char *
spamd_log_kind_name(enum sd_kind k)
{
	switch (k) {
	case SD_CONNECT:
		return "connected";
	case SD_DISCONNECT:
		return "disconnected";
	case SD_GREY:
		return "GREY";
	case SD_BLACK:
		return "BLACK";
	case SD_HEADER:
		return "header";
	default:
		return "-";
	}
}
