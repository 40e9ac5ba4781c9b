/*
 * The time of day, pinnable.  A pinned clock still runs: it is the pinned
 * time plus the monotonic time since it was pinned, so that ages grow and
 * timers stay right while a captured data set is read "as of" its time.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "wallclock.h"

static int		 pinned;
static time_t		 pin_time;
static struct timespec	 pin_mono;

time_t
wallclock_now(void)
{
	struct timespec	 ts;
	time_t		 d;

	if (!pinned)
		return time(NULL);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	d = ts.tv_sec - pin_mono.tv_sec;
	if (ts.tv_nsec < pin_mono.tv_nsec)
		d--;
	return pin_time + d;
}

void
wallclock_pin(time_t t)
{
	clock_gettime(CLOCK_MONOTONIC, &pin_mono);
	pin_time = t;
	pinned = 1;
}

void
wallclock_unpin(void)
{
	pinned = 0;
}

int
wallclock_pin_str(const char *s)
{
	char		*end;
	long long	 v;

	if (*s < '0' || *s > '9')	/* strtoll takes blanks and signs */
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	/* 1970 to 9999: a year with four digits, as every display has */
	if (errno != 0 || *end != '\0' ||
	    v > 253402300799LL || (time_t)v != v)
		return -1;
	wallclock_pin((time_t)v);
	return 0;
}
