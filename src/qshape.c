#include "config.h"

#include <ctype.h>
#include <string.h>

#include "qshape.h"
#include "util.h"

const char *const qshape_bucket_names[QSHAPE_BUCKETS] = {
	"5m", "10m", "20m", "40m", "80m", "160m", "320m", "640m", "1280m",
	"older"
};

int
qshape_bucket(int64_t age)
{
	int64_t	 limit = 5 * 60;
	int	 b;

	for (b = 0; b < QSHAPE_BUCKETS - 1; b++, limit *= 2)
		if (age <= limit)
			return b;
	return QSHAPE_BUCKETS - 1;
}

size_t
qshape_domain(const char *addr, char *buf, size_t len)
{
	const char	*at = strrchr(addr, '@'), *d, *end;
	size_t		 n, i;

	if (len == 0)
		return 0;
	buf[0] = '\0';
	if (at == NULL)
		return 0;
	d = at + 1;
	end = d + strlen(d);
	if (end > d && end[-1] == '>')
		end--;
	if (*d == '[' && end > d && end[-1] == ']') {
		d++;
		end--;
	}
	while (end > d && end[-1] == '.')
		end--;
	n = (size_t)(end - d);
	for (i = 0; i < n && i < len - 1; i++)
		buf[i] = (char)tolower((unsigned char)d[i]);
	buf[i] = '\0';
	return n;
}

/* Second levels under a country code that are no one's own domain. */
static int
generic_sld(const char *s, size_t n)
{
	static const char *const sld[] = {
		"ac", "co", "com", "edu", "gov", "net", "org", "ne", "or",
		"go", "gv", "ltd", "plc", "nhs", "mil", "govt", "nom",
	};
	size_t	 i;

	for (i = 0; i < nitems(sld); i++)
		if (strlen(sld[i]) == n && memcmp(sld[i], s, n) == 0)
			return 1;
	return 0;
}

const char *
qshape_parent(const char *d)
{
	const char	*dots[3] = { NULL, NULL, NULL }, *p;
	size_t		 ndots = 0, tld;

	/* an address literal is no domain name */
	if (strchr(d, ':') != NULL || (d[0] != '\0' &&
	    strspn(d, "0123456789.") == strlen(d)))
		return d;
	for (p = d + strlen(d); p > d; p--)
		if (p[-1] == '.') {
			dots[ndots++] = p - 1;
			if (ndots == 3)
				break;
		}
	if (ndots < 2)
		return d;
	tld = strlen(dots[0] + 1);
	/* shop.co.uk: "co" between the two last dots */
	if (tld == 2 && generic_sld(dots[1] + 1,
	    (size_t)(dots[0] - dots[1] - 1)))
		return ndots == 3 ? dots[2] + 1 : d;
	return dots[1] + 1;
}

static int
all_digits(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return n > 0;
}

/* 4.7.1: a class, a subject, a detail */
static int
enhanced_code(const char *s, size_t n)
{
	size_t	 i, part = 0, digits = 0;

	if (n < 5 || (s[0] != '2' && s[0] != '4' && s[0] != '5'))
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (digits == 0 || digits > 3)
				return 0;
			part++;
			digits = 0;
		} else if (isdigit((unsigned char)s[i]))
			digits++;
		else
			return 0;
	}
	return part == 2 && digits > 0 && digits <= 3;
}

static int
looks_ip(const char *s, size_t n)
{
	size_t	 i, colons = 0, dots = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == ':')
			colons++;
		else if (s[i] == '.')
			dots++;
		else if (!isxdigit((unsigned char)s[i]))
			return 0;
	}
	return colons >= 2 || (dots == 3 && strspn(s, "0123456789.") >= n);
}

/* An id: letters, digits and the punctuation of ids, a digit among them. */
static int
looks_id(const char *s, size_t n)
{
	size_t	 i;
	int	 digit = 0;

	for (i = 0; i < n; i++) {
		if (isdigit((unsigned char)s[i]))
			digit = 1;
		else if (!isalpha((unsigned char)s[i]) &&
		    strchr("._-=+/", s[i]) == NULL)
			return 0;
	}
	return digit;
}

/* Append s (n bytes) to out at *o; false once out is full. */
static int
put(char *out, size_t len, size_t *o, const char *s, size_t n)
{
	if (*o + n >= len) {
		n = len - 1 - *o;
		memcpy(out + *o, s, n);
		*o += n;
		return 0;
	}
	memcpy(out + *o, s, n);
	*o += n;
	return 1;
}

/* What a word stands for, or NULL when it stays as it is. */
static const char *
word_class(const char *w, size_t n, int first, int *bracketed)
{
	const char	*p = w;
	size_t		 m = n;

	*bracketed = 0;
	if (memchr(w, '@', n) != NULL)
		return "<ADDR>";
	/* smtpd's first words: "421" or "421-", "4.7.0" */
	if (first && n >= 3 && all_digits(w, 3) &&
	    (w[0] == '2' || w[0] == '4' || w[0] == '5') && (n == 3 ||
	    (w[3] == '-' && (n == 4 || enhanced_code(w + 4, n - 4)))))
		return NULL;
	if (enhanced_code(w, n))
		return NULL;
	if (m >= 2 && p[0] == '[' && p[m - 1] == ']') {
		p++;
		m -= 2;
		*bracketed = 1;
	}
	if (m > 5 && strncasecmp(p, "IPv6:", 5) == 0) {
		p += 5;
		m -= 5;
	}
	if (looks_ip(p, m))
		return *bracketed ? "[IP]" : "IP";
	*bracketed = 0;
	if (all_digits(w, n))
		return "N";
	if (looks_id(w, n))
		return "ID";
	return NULL;
}

size_t
qshape_error(const char *in, char *out, size_t len)
{
	const char	*s = in, *w, *cls;
	size_t		 o = 0, n, lead, trail;
	int		 first = 1, br;

	if (len == 0)
		return 0;
	while (*s != '\0') {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0')
			break;
		for (w = s; *s != '\0' && *s != ' ' && *s != '\t'; s++)
			;
		n = (size_t)(s - w);
		/* punctuation around a word stays: "(x)," "<a@b>:" */
		for (lead = 0; lead < n && strchr("(\"'", w[lead]) != NULL;
		    lead++)
			;
		for (trail = 0; trail < n - lead &&
		    strchr(",;:)\"'", w[n - 1 - trail]) != NULL; trail++)
			;
		/* a sentence's full stop, not an IP's or a domain's dot */
		if (trail < n - lead && w[n - 1 - trail] == '.' &&
		    (n - lead - trail == 1 || !isdigit((unsigned char)
		    w[n - 2 - trail]) || looks_ip(w + lead,
		    n - lead - trail - 1)))
			trail++;
		if (o > 0 && !put(out, len, &o, " ", 1))
			break;
		cls = word_class(w + lead, n - lead - trail, first, &br);
		first = 0;
		if (cls == NULL) {
			if (!put(out, len, &o, w, n))
				break;
			continue;
		}
		if (!put(out, len, &o, w, lead) ||
		    !put(out, len, &o, cls, strlen(cls)) ||
		    !put(out, len, &o, w + n - trail, trail))
			break;
	}
	/* cut short after a blank: no blank at the end */
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	return o;
}
