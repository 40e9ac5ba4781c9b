/*
 * mhtop's idea of the time of day.  Every age, window and "now" on screen
 * comes from wallclock_now(), so that a captured log or queue can be read
 * as of the time it was taken (MHTOP_NOW) and tests do not depend on the
 * day they run.
 */
#ifndef MHTOP_WALLCLOCK_H
#define MHTOP_WALLCLOCK_H

#include <time.h>

/* The time now: the system's, or the pinned start plus the time since. */
time_t	 wallclock_now(void);

/* From now on, the time is t, and it goes on from there. */
void	 wallclock_pin(time_t);

/* Back to the system clock. */
void	 wallclock_unpin(void);

/* Pin to the epoch seconds in s (MHTOP_NOW); -1 if s is not one. */
int	 wallclock_pin_str(const char *);

#endif
