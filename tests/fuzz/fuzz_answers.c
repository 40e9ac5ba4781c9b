/*
 * libFuzzer: action_sum_answers over the first lines smtpctl printed for each
 * id of an action (one answer per input line, at most 8).  Built by run.sh.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "action.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*ans[8], buf[256], small[8];
	const char	*p = (const char *)data, *end = p + size, *nl;
	size_t		 n = 0, i;

	while (p < end && n < 8) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		ans[n] = strndup(p, (size_t)(nl - p));	/* stops at a NUL */
		n++;
		p = nl + 1;
	}
	action_sum_answers(ans, n, buf, sizeof(buf));
	if (strnlen(buf, sizeof(buf)) >= sizeof(buf))
		abort();
	action_sum_answers(ans, n, small, sizeof(small));
	if (strnlen(small, sizeof(small)) >= sizeof(small))
		abort();
	for (i = 0; i < n; i++)
		free(ans[i]);
	return 0;
}
