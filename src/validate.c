#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <ifaddrs.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "validate.h"

static struct in6_addr	*local6;	/* IPv4 ones as v4-mapped */
static size_t		 nlocal6;

static int
valid_hexid(const char *s, size_t want)
{
	size_t	 i;
	int	 nonzero = 0;

	if (s == NULL || strlen(s) != want)
		return 0;
	for (i = 0; i < want; i++) {
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f') || (s[i] >= 'A' && s[i] <= 'F')))
			return 0;
		if (s[i] != '0')
			nonzero = 1;
	}
	return nonzero;
}

int
valid_evpid(const char *s)
{
	return valid_hexid(s, 16);
}

int
valid_msgid(const char *s)
{
	return valid_hexid(s, 8);
}

int
valid_ip(const char *s)
{
	struct in6_addr	 a6;
	struct in_addr	 a4;

	if (s == NULL || *s == '\0' || strlen(s) >= INET6_ADDRSTRLEN)
		return 0;
	return inet_pton(AF_INET, s, &a4) == 1 || inet_pton(AF_INET6, s, &a6) == 1;
}

int
ip_unmap4(const char *in, char *out, size_t len)
{
	struct in6_addr	 a6;
	struct in_addr	 a4;

	if (strchr(in, ':') == NULL || inet_pton(AF_INET6, in, &a6) != 1 ||
	    !IN6_IS_ADDR_V4MAPPED(&a6))
		return -1;
	memcpy(&a4, &a6.s6_addr[12], 4);
	return inet_ntop(AF_INET, &a4, out, len) == NULL ? -1 : 0;
}

static void
map4(const struct in_addr *a4, struct in6_addr *a6)
{
	memset(a6, 0, sizeof(*a6));
	a6->s6_addr[10] = a6->s6_addr[11] = 0xff;
	memcpy(&a6->s6_addr[12], a4, 4);
}

void
ip_local_init(void)
{
	struct ifaddrs	*ifa, *i;
	struct in6_addr	 a;

	if (getifaddrs(&ifa) == -1)
		return;
	for (i = ifa; i != NULL; i = i->ifa_next) {
		if (i->ifa_addr == NULL)
			continue;
		if (i->ifa_addr->sa_family == AF_INET)
			map4(&((struct sockaddr_in *)(void *)i->ifa_addr)->
			    sin_addr, &a);
		else if (i->ifa_addr->sa_family == AF_INET6)
			a = ((struct sockaddr_in6 *)(void *)i->ifa_addr)->
			    sin6_addr;
		else
			continue;
		local6 = realloc(local6, (nlocal6 + 1) * sizeof(*local6));
		if (local6 == NULL) {
			nlocal6 = 0;
			break;
		}
		local6[nlocal6++] = a;
	}
	freeifaddrs(ifa);
}

const char *
ip_special(const char *ip)
{
	struct in6_addr	 a;
	struct in_addr	 a4;
	const uint8_t	*b;
	size_t		 i;

	if (inet_pton(AF_INET, ip, &a4) == 1)
		map4(&a4, &a);
	else if (inet_pton(AF_INET6, ip, &a) != 1)
		return NULL;
	for (i = 0; i < nlocal6; i++)
		if (memcmp(&local6[i], &a, sizeof(a)) == 0)
			return "an address of this relay";
	b = a.s6_addr;
	if (IN6_IS_ADDR_V4MAPPED(&a)) {
		b += 12;
		if (b[0] == 127)
			return "a loopback address";
		if (b[0] == 0)
			return "the unspecified address";
		if (b[0] == 10 || (b[0] == 172 && (b[1] & 0xf0) == 16) ||
		    (b[0] == 192 && b[1] == 168))
			return "a private address";
		if (b[0] == 100 && (b[1] & 0xc0) == 64)
			return "a shared (carrier-grade NAT) address";
		if (b[0] == 169 && b[1] == 254)
			return "a link-local address";
		if (b[0] >= 224 && b[0] < 240)
			return "a multicast address";
		if (b[0] == 255 && b[1] == 255 && b[2] == 255 && b[3] == 255)
			return "the broadcast address";
		return NULL;
	}
	if (IN6_IS_ADDR_LOOPBACK(&a))
		return "a loopback address";
	if (IN6_IS_ADDR_UNSPECIFIED(&a))
		return "the unspecified address";
	if ((b[0] & 0xfe) == 0xfc)
		return "a private address";
	if (IN6_IS_ADDR_LINKLOCAL(&a))
		return "a link-local address";
	if (IN6_IS_ADDR_MULTICAST(&a))
		return "a multicast address";
	return NULL;
}

/* RFC 5322 atext: what a dot-atom's atoms are made of. */
static int
atext(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' &&
	    strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

/* Labels of letters, digits and inner hyphens, joined by dots. */
static int
valid_host(const char *s)
{
	size_t	 n;

	for (;;) {
		for (n = 0; (s[n] >= 'a' && s[n] <= 'z') ||
		    (s[n] >= 'A' && s[n] <= 'Z') ||
		    (s[n] >= '0' && s[n] <= '9') || s[n] == '-'; n++)
			;
		if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-')
			return 0;
		if (s[n] == '\0')
			return 1;
		if (s[n] != '.')
			return 0;
		s += n + 1;
	}
}

/* "[192.0.2.1]" or "[IPv6:2001:db8::1]" */
static int
valid_literal(const char *s)
{
	char		 ip[INET6_ADDRSTRLEN + 8];
	struct in_addr	 a4;
	struct in6_addr	 a6;
	size_t		 n = strlen(s);

	if (n < 3 || s[0] != '[' || s[n - 1] != ']' || n - 2 >= sizeof(ip))
		return 0;
	memcpy(ip, s + 1, n - 2);
	ip[n - 2] = '\0';
	if (strncasecmp(ip, "IPv6:", 5) == 0)
		return inet_pton(AF_INET6, ip + 5, &a6) == 1;
	return inet_pton(AF_INET, ip, &a4) == 1;
}

const char *
address_problem(const char *s)
{
	const char	*at, *p;

	if (s == NULL || *s == '\0')
		return "no address";
	for (p = s; *p != '\0'; p++) {
		if ((unsigned char)*p >= 0x80)
			return "not ASCII";
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return "a space or control character in it";
	}
	if (p - s > ADDRESS_MAX)
		return "longer than 254 characters";
	/* amavisd-release would not take it for an option, but a program
	 * between (doas, a wrapper) might */
	if (*s == '-')
		return "it starts with '-'";
	if ((at = strrchr(s, '@')) == NULL)
		return "no '@' in it";
	if (at == s)
		return "nothing before the '@'";
	if (at[1] == '\0')
		return "no domain after the '@'";
	/* a dot-atom: no quoted local parts, no empty atoms */
	if (*s == '.' || at[-1] == '.')
		return "a dot at an end of the local part";
	for (p = s; p < at; p++) {
		if (*p == '.' && p[1] == '.')
			return "two dots in a row";
		if (*p != '.' && !atext(*p))
			return "a character an unquoted local part may not have";
	}
	if (at[1] == '[' ? !valid_literal(at + 1) : !valid_host(at + 1))
		return "the domain is not a host name";
	return NULL;
}
