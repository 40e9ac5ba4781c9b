#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <string.h>

#include "validate.h"

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
