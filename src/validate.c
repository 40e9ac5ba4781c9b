#include "config.h"

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
