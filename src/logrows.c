/* A syslog file's events as rows, for the trace (logrows.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "logfollow.h"
#include "logrows.h"
#include "provider.h"
#include "util.h"

#define SLICE		(4 * 1024 * 1024)	/* log bytes per poll step */

void
logrows_init(struct logrows *lr, const char *path, const char *name,
    const struct conf *conf, size_t max, void (*frame)(void *,
    struct ml_frame *), void *arg)
{
	memset(lr, 0, sizeof(*lr));
	lr->path = xstrdup(path != NULL ? path : "");
	lr->name = name;
	lr->history = conf->history;
	lr->batch = conf->batch;
	lr->max = max;
	lr->frame = frame;
	lr->arg = arg;
	evring_init(&lr->ev, max);
}

void
logrows_free(struct logrows *lr)
{
	evring_free(&lr->ev);
	if (lr->lf != NULL)
		logfollow_free(lr->lf);
	free(lr->path);
	memset(lr, 0, sizeof(*lr));
}

void
logrows_begin(struct logrows *lr, time_t now)
{
	lr->now = now;
	lr->error[0] = '\0';
	ml_clock_init(&lr->clk, (int64_t)now);
}

static void
one_line(void *arg, char *line, size_t len)
{
	struct logrows	*lr = arg;
	struct ml_frame	 fr;

	if (ml_frame_parse(&lr->clk, line, len, &fr) == 0)
		lr->frame(lr->arg, &fr);
}

int
logrows_step(struct logrows *lr)
{
	double		 end = mono_now() + slice_time;
	size_t		 done = 0;
	int		 r;

	if (lr->path[0] == '\0') {
		snprintf(lr->error, sizeof(lr->error), "no %s in mhtop.conf",
		    lr->name);
		return -1;
	}
	if (lr->lf == NULL)
		lr->lf = logfollow_open(lr->path, lr->now - lr->history,
		    ml_line_time, NULL);
	do {
		r = logfollow_step(lr->lf, SLICE_PIECE, one_line, lr);
		done += SLICE_PIECE;
	} while (r == LF_MORE && done < SLICE && mono_now() < end);
	if (r == LF_ERROR) {
		snprintf(lr->error, sizeof(lr->error), "%s: %s", lr->name,
		    logfollow_status(lr->lf));
		return -1;
	}
	if (r == LF_IDLE && lr->batch && logfollow_missing(lr->lf)) {
		snprintf(lr->error, sizeof(lr->error), "%s %s: %s", lr->name,
		    lr->path, strerror(ENOENT));
		return -1;
	}
	return r == LF_IDLE ? PROV_IDLE : PROV_MORE;
}

struct rowset *
logrows_rows(struct logrows *lr)
{
	return evring_rows(&lr->ev);
}

const char *
logrows_put(char **p, const char *s, size_t len)
{
	char	*d = *p;

	memcpy(d, s, len);
	d[len] = '\0';
	*p += len + 1;
	return d;
}

struct row *
logrows_row(struct logrows *lr, size_t ncells, size_t len, char **p)
{
	return logrows_row_in(lr, &lr->ev, ncells, len, p);
}

struct row *
logrows_row_in(struct logrows *lr, struct evring *ev, size_t ncells,
    size_t len, char **p)
{
	char		 key[32];
	struct row	*r;
	size_t		 klen;

	klen = (size_t)snprintf(key, sizeof(key), "%016llx",
	    (unsigned long long)++lr->seq);
	r = xmalloc(sizeof(*r) + ncells * sizeof(union cell) + klen + 1 +
	    len);
	*p = (char *)(r->cells + ncells);
	r->key = logrows_put(p, key, klen);
	evring_add(ev, r);
	return r;
}

int
logrows_blind(const struct logrows *lr, char *buf, size_t len)
{
	if (lr->lf != NULL && logfollow_missing(lr->lf)) {
		snprintf(buf, len, "%s", logfollow_status(lr->lf));
		return 2;
	}
	if (lr->seq > lr->max) {
		snprintf(buf, len, "its last %zu events only", lr->max);
		return 1;
	}
	return 0;
}
