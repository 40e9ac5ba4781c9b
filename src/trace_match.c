/*
 * The trace's target, and the tests of what a pane or a log holds against
 * it.  An address's local part is compared as written (RFC 5321 leaves
 * its case to the receiving system), its domain in any case; a domain
 * takes its subdomains; an IP is compared as 16 bytes, so every spelling
 * of it (2001:db8::1, 2001:0db8:0:0::1, ::ffff:192.0.2.1) is the same.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "trace.h"

#define IP_TEXT_MAX	64

/* The last c in [s, s + len): memrchr(3) is not POSIX. */
static const char *
last_of(const char *s, size_t len, int c)
{
	while (len > 0)
		if (s[--len] == c)
			return s + len;
	return NULL;
}

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* An IP address in [s, s + len), bracketed or not, as 16 bytes. */
int
trace_ip_read(const char *s, size_t len, unsigned char ip[16])
{
	char		 buf[IP_TEXT_MAX];
	struct in_addr	 a4;

	if (len >= 2 && s[0] == '[' && s[len - 1] == ']') {
		s++;
		len -= 2;
	}
	if (len >= 5 && strncasecmp(s, "IPv6:", 5) == 0) {
		s += 5;
		len -= 5;
	}
	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (inet_pton(AF_INET, buf, &a4) == 1) {
		memset(ip, 0, 10);
		ip[10] = ip[11] = 0xff;
		memcpy(ip + 12, &a4, 4);
		return 0;
	}
	return inet_pton(AF_INET6, buf, ip) == 1 ? 0 : -1;
}

static int
ip_is_v4(const unsigned char ip[16])
{
	static const unsigned char	 mapped[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
	};

	return memcmp(ip, mapped, 12) == 0;
}

/*
 * A host name: labels of letters, digits, '-' (not at either end) and
 * '_' (seen in real HELOs and SPF names) of 1 to 63 bytes, 253 in all,
 * the last not all
 * digits (no top-level domain is: "192.0.2.010" is a mistyped IP); a
 * final dot is dropped.  Lower-cased into out; its length, or 0 if it is
 * none.
 */
static size_t
domain_read(const char *s, size_t len, char *out, size_t outlen)
{
	size_t	 i, label = 0;
	int	 c, digits = 1;

	if (len > 0 && s[len - 1] == '.')
		len--;
	if (len == 0 || len > 253 || len >= outlen)
		return 0;
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c == '.') {
			if (label == 0 || s[i - 1] == '-')
				return 0;
			label = 0;
			digits = 1;
		} else if (c == '-' && label == 0)
			return 0;
		else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_') {
			if (++label > 63)
				return 0;
			digits &= c >= '0' && c <= '9';
		} else
			return 0;
		out[i] = (char)lower(c);
	}
	if (label == 0 || digits || s[len - 1] == '-')
		return 0;
	out[len] = '\0';
	return len;
}

/* A local part as typed: printable ASCII but blanks, '<' and '>', or
 * 8-bit bytes (an internationalised address). */
static int
local_ok(const char *s, size_t len)
{
	size_t	 i;
	int	 c;

	if (len == 0 || len > TRACE_LOCAL_MAX)
		return 0;
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c <= ' ' || c == 0x7f || c == '<' || c == '>')
			return 0;
	}
	return 1;
}

static void
why(char *err, size_t errlen, const char *msg)
{
	if (errlen > 0)
		snprintf(err, errlen, "%s", msg);
}

int
trace_target_parse(struct trace_target *t, const char *text, char *err,
    size_t errlen)
{
	const char	*s = text, *at;
	size_t		 len = strlen(text), i;
	char		 ipbuf[INET6_ADDRSTRLEN];

	memset(t, 0, sizeof(*t));
	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len >= 2 && s[0] == '<' && s[len - 1] == '>') {
		s++;
		len -= 2;
	}
	if (len == 0) {
		why(err, errlen, "nothing to trace: give an address, a domain "
		    "or an IP");
		return -1;
	}
	if (trace_ip_read(s, len, t->ip) == 0) {
		t->kind = TRACE_IP;
		if (ip_is_v4(t->ip))
			inet_ntop(AF_INET, t->ip + 12, ipbuf, sizeof(ipbuf));
		else
			inet_ntop(AF_INET6, t->ip, ipbuf, sizeof(ipbuf));
		snprintf(t->text, sizeof(t->text), "%s", ipbuf);
		return 0;
	}
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < ' ' || s[i] == 0x7f) {
			why(err, errlen, "not an address, a domain or an IP: "
			    "it holds a control character");
			return -1;
		}
	if ((at = last_of(s, len, '@')) != NULL) {
		if (!local_ok(s, (size_t)(at - s))) {
			why(err, errlen, "not an address: the part before "
			    "'@' must be 1 to 64 characters, no blanks or <>");
			return -1;
		}
		if ((t->domain_len = domain_read(at + 1, len - (size_t)(at -
		    s) - 1, t->domain, sizeof(t->domain))) == 0) {
			why(err, errlen, "not an address: the part after '@' "
			    "is no domain name");
			return -1;
		}
		t->kind = TRACE_ADDRESS;
		t->local_len = (size_t)(at - s);
		memcpy(t->local, s, t->local_len);
		snprintf(t->text, sizeof(t->text), "%s@%s", t->local,
		    t->domain);
		return 0;
	}
	if (memchr(s, ':', len) != NULL) {
		why(err, errlen, "not an IP address (nor an address or a "
		    "domain)");
		return -1;
	}
	if ((t->domain_len = domain_read(s, len, t->domain,
	    sizeof(t->domain))) == 0) {
		why(err, errlen, "not an address, a domain or an IP: a domain "
		    "is labels of letters, digits and '-' between dots");
		return -1;
	}
	t->kind = TRACE_DOMAIN;
	snprintf(t->text, sizeof(t->text), "%s", t->domain);
	return 0;
}

int
trace_match_ip(const struct trace_target *t, const char *s, size_t len)
{
	unsigned char	 ip[16];

	return t->kind == TRACE_IP && trace_ip_read(s, len, ip) == 0 &&
	    memcmp(ip, t->ip, 16) == 0;
}

/* Whether the host [s, s + len) is the domain or under it. */
static int
in_domain(const struct trace_target *t, const char *s, size_t len)
{
	size_t	 n = t->domain_len, i;

	if (len > 0 && s[len - 1] == '.')
		len--;
	if (len < n || (len > n && s[len - n - 1] != '.'))
		return 0;
	for (i = 0; i < n; i++)
		if (lower((unsigned char)s[len - n + i]) != t->domain[i])
			return 0;
	return 1;
}

int
trace_match_host(const struct trace_target *t, const char *s, size_t len)
{
	return t->kind == TRACE_DOMAIN && in_domain(t, s, len);
}

int
trace_match_address(const struct trace_target *t, const char *s, size_t len)
{
	const char	*at;
	size_t		 local;

	if (len >= 2 && s[0] == '<' && s[len - 1] == '>') {
		s++;
		len -= 2;
	}
	if (t->kind == TRACE_IP || len == 0 ||
	    (at = last_of(s, len, '@')) == NULL)
		return 0;
	local = (size_t)(at - s);
	if (t->kind == TRACE_DOMAIN)
		return in_domain(t, at + 1, len - local - 1);
	/* the same domain, not a subdomain: another mailbox */
	return local == t->local_len && memcmp(s, t->local, local) == 0 &&
	    len - local - 1 == t->domain_len &&
	    in_domain(t, at + 1, len - local - 1);
}

int
trace_match_addresses(const struct trace_target *t, const char *s,
    size_t len)
{
	const char	*e = s + len, *p, *q;

	for (p = s; p < e; p = q + 1) {
		while (p < e && (*p == ' ' || *p == ','))
			p++;
		if ((q = memchr(p, ',', (size_t)(e - p))) == NULL)
			q = e;
		if (trace_match_address(t, p, (size_t)(q - p)))
			return 1;
	}
	return 0;
}
