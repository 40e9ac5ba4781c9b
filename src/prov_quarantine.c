/*
 * The quarantine pane: amavis' quarantined messages, from the files of
 * $QUARANTINEDIR.  The source reads for itself: dirscan lists the
 * directory (and its hashed subdirectories) a slice at a time, and each
 * file new or changed has its header part read, a few hundred a slice, so
 * that a quarantine of 100,000 files never holds the keys.  Afterwards
 * only what changed is read again.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "cut.h"
#include "dirscan.h"
#include "mime.h"
#include "provider.h"
#include "quarantine.h"
#include "sa_rules.h"
#include "spamdb.h"
#include "trace.h"
#include "util.h"
#include "validate.h"
#include "validate.h"
#include "verdicts.h"
#include "wallclock.h"

#define LIST_SLICE	4000		/* directory entries a step */
#define READ_SLICE	300		/* files whose headers a step reads */

enum {
	QC_TIME,		/* the file's mtime: when it was quarantined */
	QC_QPATH,
	QC_TYPE,		/* "spam", "virus", ... */
	QC_ID,			/* the mail_id */
	QC_SCORE,		/* thousandths, CELL_NONE */
	QC_SCORETEXT,		/* "12.5", "" */
	QC_FROM,
	QC_TO,			/* "a,b,c" */
	QC_RCPTS,		/* "<a> (+2)" */
	QC_SUBJECT,
	QC_REASON,
	QC_RELEASED,		/* when amavis logged its release, CELL_NONE */
	QC_RELFATE,		/* "delivered"... (release_log_fate), "" */
	QC_SIZE,
	QC_NCELLS
};

/* Of what a name says (struct quar_name), what is kept of 100,000. */
struct qname {
	char		 mail_id[QUAR_ID_MAX];
	enum quar_type	 kind;
	int		 gz;
};

struct qent {
	char		*qpath;		/* after the struct */
	struct qname	 name;
	struct quar_head head;
	time_t		 mtime;
	off_t		 size;
	int		 read;		/* its headers are in head */
	struct row	*row;		/* in qstate's store; NULL: to build */
};

struct qstate {
	char		*dir;
	char		*release;	/* amavisd-release */
	char		*sa_dirs;
	char		*spamdb, *pfctl, *table;	/* W */
	char		 ip[64];
	struct sa_rules	*sa;		/* read when a detail needs it */
	int		 sa_loaded;
	struct dirscan	*ds;
	int		 dirfd;
	/* the files, by qpath: open addressing, tombstones */
	struct qent	**slots;
	size_t		  cap, n, used;
	/* found, not read yet: qpaths */
	char		**todo;
	size_t		  ntodo, captodo, todo_at;
	int		  listing;	/* a dirscan pass is under way */
	int		  first_done;
	void		 *verdicts;	/* the verdicts pane's, for the join */
	long		  history;	/* s of the mail log it reads */
	dev_t		  dir_dev;	/* what dirfd is open on */
	ino_t		  dir_ino;
	/*
	 * Each file's row is built once, into store, and again only when
	 * the file changed; poll_finish hands out the rows sorted, pointers
	 * to them.  Setting rows_dirty builds every row again, into a new
	 * store.  The rows handed out before may still be on the screen:
	 * their store is kept in store_held until those after them are
	 * replaced too.
	 */
	struct rowset	 *store;	/* its arena; its rows[] unused */
	struct rowset	 *store_held;
	size_t		  store_dead;	/* rows in it no file has */
	struct row	**sorted;	/* newest first, as -b prints them */
	size_t		  nsorted;
	struct row	**dropped;	/* rows in sorted no longer a file's */
	size_t		  ndropped, capdropped;
	int		  rows_dirty;	/* build every row again */
	int		  rows_changed;	/* a row is to be built, or went */
	/* the releases the rows were built with */
	const struct verdict_store *rel_vs;
	unsigned	  rel_gen;
	/*
	 * A row's strings are its file's (qpath, mail_id, the header's
	 * fields): a file gone or read again leaves them here, freed when
	 * the rows handed out before are replaced too, as store_held.
	 */
	void		**grave, **grave_prev;
	size_t		  ngrave, ngrave_prev, capgrave;
	/* the summary's figures, for the copy last handed out */
	const struct rowset *counted;
	size_t		  count[5];
	int64_t		  size[5];
	char		  fs[1200];	/* its path and file system, once a poll */
	time_t		  fs_time;
	char		  error[600];
	time_t		  now;
};

static struct qent	 tombstone;

static size_t
slot_of(const struct qstate *q, const char *qpath)
{
	return (size_t)hash_mem(qpath, strlen(qpath)) & (q->cap - 1);
}

static struct qent **
ent_find(struct qstate *q, const char *qpath)
{
	size_t	 i;

	if (q->cap == 0)
		return NULL;
	for (i = slot_of(q, qpath); q->slots[i] != NULL;
	    i = (i + 1) & (q->cap - 1))
		if (q->slots[i] != &tombstone &&
		    strcmp(q->slots[i]->qpath, qpath) == 0)
			return &q->slots[i];
	return NULL;
}

static void
ent_grow(struct qstate *q)
{
	struct qent	**old = q->slots;
	size_t		  oldcap = q->cap, i, j;

	q->cap = oldcap ? oldcap * 2 : 256;
	q->slots = xcalloc(q->cap, sizeof(*q->slots));
	q->used = q->n;
	for (i = 0; i < oldcap; i++) {
		if (old[i] == NULL || old[i] == &tombstone)
			continue;
		for (j = slot_of(q, old[i]->qpath); q->slots[j] != NULL;
		    j = (j + 1) & (q->cap - 1))
			;
		q->slots[j] = old[i];
	}
	free(old);
}

static void
ent_free(struct qent *e)
{
	quar_head_free(&e->head);
	free(e);
}

/* Free p when no row handed out may hold its strings. */
static void
bury(struct qstate *q, void *p)
{
	if (p == NULL)
		return;
	if (q->ngrave == q->capgrave) {
		q->capgrave = q->capgrave ? q->capgrave * 2 : 64;
		q->grave = xreallocarray(q->grave, q->capgrave,
		    sizeof(*q->grave));
	}
	q->grave[q->ngrave++] = p;
}

static void
graves_free(void **g, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(g[i]);
	free(g);
}

/* Its row is out of date: built again at the next poll_finish. */
static void
row_drop(struct qstate *q, struct qent *e)
{
	if (e->row != NULL) {
		q->store_dead++;
		if (q->ndropped == q->capdropped) {
			q->capdropped = q->capdropped ? q->capdropped * 2 : 64;
			q->dropped = xreallocarray(q->dropped, q->capdropped,
			    sizeof(*q->dropped));
		}
		q->dropped[q->ndropped++] = e->row;
	}
	e->row = NULL;
	q->rows_changed = 1;
}

static void
on_found(void *arg, const char *qpath, const struct stat *st)
{
	struct qstate	*q = arg;
	struct qent	**slot, *e;
	struct quar_name  name;
	size_t		  i, len;

	if ((slot = ent_find(q, qpath)) != NULL) {
		e = *slot;
		bury(q, e->head.buf);
		e->head.buf = NULL;
		e->read = 0;
	} else {
		if ((q->used + 1) * 2 > q->cap)
			ent_grow(q);
		len = strlen(qpath);
		e = xcalloc(1, sizeof(*e) + len + 1);
		e->qpath = (char *)(e + 1);
		memcpy(e->qpath, qpath, len);
		/* a name amavis would not give: shown, never released */
		if (quar_name_parse(qpath, &name) == -1) {
			memset(&name, 0, sizeof(name));
			name.kind = QT_OTHER;
		}
		memcpy(e->name.mail_id, name.mail_id, sizeof(e->name.mail_id));
		e->name.kind = name.kind;
		e->name.gz = name.gz;
		for (i = slot_of(q, qpath); q->slots[i] != NULL &&
		    q->slots[i] != &tombstone; i = (i + 1) & (q->cap - 1))
			;
		if (q->slots[i] == NULL)
			q->used++;
		q->slots[i] = e;
		q->n++;
	}
	e->mtime = st->st_mtim.tv_sec;
	e->size = st->st_size;
	row_drop(q, e);
	if (q->ntodo == q->captodo) {
		q->captodo = q->captodo ? q->captodo * 2 : 256;
		q->todo = xreallocarray(q->todo, q->captodo, sizeof(*q->todo));
	}
	q->todo[q->ntodo++] = xstrdup(qpath);
}

static void
on_gone(void *arg, const char *qpath)
{
	struct qstate	*q = arg;
	struct qent	**slot;

	if ((slot = ent_find(q, qpath)) == NULL)
		return;
	row_drop(q, *slot);
	bury(q, (*slot)->head.buf);
	bury(q, *slot);
	*slot = &tombstone;
	q->n--;
}

static const struct dirscan_ops scan_ops = { on_found, on_gone };

static void *
quarantine_create(const struct conf *conf)
{
	struct qstate	*q = xcalloc(1, sizeof(*q));

	q->dir = xstrdup(conf->quarantine);
	q->release = xstrdup(conf->amavisd_release);
	q->sa_dirs = xstrdup(conf->sa_rules);
	q->history = conf->history;
	q->spamdb = xstrdup(conf->spamdb);
	q->pfctl = xstrdup(conf->pfctl);
	q->table = xstrdup(conf->white_table);
	q->dirfd = -1;
	q->ds = dirscan_new(q->dir, 1, &scan_ops, q);
	return q;
}

static void
todo_clear(struct qstate *q)
{
	size_t	 i;

	for (i = q->todo_at; i < q->ntodo; i++)
		free(q->todo[i]);
	q->ntodo = q->todo_at = 0;
}

static void
quarantine_destroy(void *arg)
{
	struct qstate	*q = arg;
	size_t		 i;

	for (i = 0; i < q->cap; i++)
		if (q->slots[i] != NULL && q->slots[i] != &tombstone)
			ent_free(q->slots[i]);
	free(q->slots);
	todo_clear(q);
	free(q->todo);
	dirscan_free(q->ds);
	if (q->dirfd != -1)
		close(q->dirfd);
	rowset_free(q->store);
	rowset_free(q->store_held);
	free(q->sorted);
	free(q->dropped);
	graves_free(q->grave, q->ngrave);
	graves_free(q->grave_prev, q->ngrave_prev);
	free(q->dir);
	free(q->release);
	free(q->sa_dirs);
	free(q->spamdb);
	free(q->pfctl);
	free(q->table);
	sa_rules_free(q->sa);
	free(q);
}

static void
size_text(int64_t n, char *buf, size_t len)
{
	if (n < 10 * 1024)
		snprintf(buf, len, "%lld B", (long long)n);
	else if (n < 10 * 1024 * 1024)
		snprintf(buf, len, "%lld KB", (long long)(n / 1024));
	else if (n < 10LL * 1024 * 1024 * 1024)
		snprintf(buf, len, "%lld MB", (long long)(n / 1048576));
	else
		snprintf(buf, len, "%lld GB", (long long)(n >> 30));
}

/* The file system the quarantine is on: a full /var is an incident too. */
static void
fs_update(struct qstate *q)
{
	struct statvfs	 vfs;
	char		 s1[32], s2[32];
	int		 used;

	if (statvfs(q->dir, &vfs) == -1 || vfs.f_blocks == 0) {
		snprintf(q->fs, sizeof(q->fs), "%s", q->dir);
		return;
	}
	used = (int)(100 - (int64_t)vfs.f_bavail * 100 /
	    (int64_t)vfs.f_blocks);
	size_text((int64_t)vfs.f_bavail * (int64_t)vfs.f_frsize, s1,
	    sizeof(s1));
	size_text((int64_t)vfs.f_blocks * (int64_t)vfs.f_frsize, s2,
	    sizeof(s2));
	/* the path here: the counts come first, a long path last */
	snprintf(q->fs, sizeof(q->fs), "%s%s, its file system: %s free of %s "
	    "(%d%% used)", used >= 90 ? "!" : "", q->dir, s1, s2, used);
}

static void
quarantine_poll_begin(void *arg, time_t now)
{
	struct qstate	*q = arg;

	q->now = now;
	/* a first read begins a poll every slice: a second is fresh enough */
	if (now != q->fs_time) {
		fs_update(q);
		q->fs_time = now;
	}
}

/*
 * The directory removed and made again (a restore, a new volume): the
 * files are read through a descriptor of the new one.  dirscan lists it
 * again by itself.
 */
static void
check_dir(struct qstate *q)
{
	struct stat	 st;

	if (q->dirfd == -1 || stat(q->dir, &st) == -1)
		return;
	if (st.st_dev != q->dir_dev || st.st_ino != q->dir_ino) {
		close(q->dirfd);
		q->dirfd = -1;
	}
}

/* The headers of up to n files found, not yet read. */
static void
read_some(struct qstate *q, size_t n)
{
	struct qent	**slot, *e;
	struct stat	  st;
	char		 *qpath;
	double		  end;
	size_t		  i;

	if (q->dirfd == -1) {
		if ((q->dirfd = open(q->dir, O_RDONLY | O_DIRECTORY |
		    O_CLOEXEC)) == -1)
			return;
		if (fstat(q->dirfd, &st) == 0) {
			q->dir_dev = st.st_dev;
			q->dir_ino = st.st_ino;
		}
	}
	end = mono_now() + slice_time;
	/* a slow disk (NFS, a failing one) must not hold the keys either */
	for (i = 0; i < n && q->todo_at < q->ntodo; i++) {
		if (i % 16 == 15 && mono_now() > end)
			break;
		qpath = q->todo[q->todo_at++];
		if ((slot = ent_find(q, qpath)) != NULL && !(*slot)->read) {
			e = *slot;
			quar_read_head(q->dirfd, qpath, e->name.gz, &e->head,
			    NULL);
			e->read = 1;
			row_drop(q, e);
		}
		free(qpath);
	}
	if (q->todo_at == q->ntodo)
		q->ntodo = q->todo_at = 0;
}

static int
quarantine_poll_step(void *arg)
{
	struct qstate	*q = arg;
	int		 r;

	q->error[0] = '\0';
	if (q->todo_at == q->ntodo) {
		if (!q->listing)
			check_dir(q);
		r = dirscan_step(q->ds, LIST_SLICE);
		q->listing = r == DIRSCAN_MORE;
		if (r == -1) {
			snprintf(q->error, sizeof(q->error), "%s%s",
			    dirscan_error(q->ds), strstr(dirscan_error(q->ds),
			    strerror(EACCES)) != NULL ?
			    ": run mhtop as root, or as a member of amavis' "
			    "group (_vscan on OpenBSD, amavis on Debian)" : "");
			if (q->dirfd != -1)
				close(q->dirfd);
			q->dirfd = -1;
			return -1;
		}
	}
	read_some(q, READ_SLICE);
	/* the poll shows the first rows at once, then twice a second */
	if (q->listing || q->todo_at < q->ntodo)
		return PROV_MORE;
	q->first_done = 1;
	return PROV_IDLE;
}

static const char *
quarantine_poll_error(void *arg)
{
	struct qstate	*q = arg;

	return q->error[0] != '\0' ? q->error : NULL;
}

static size_t
quarantine_progress(void *arg)
{
	return ((struct qstate *)arg)->n;
}

static const char *
put_str(struct rowset *rs, const char *s)
{
	return arena_strndup(&rs->arena, s, strlen(s));
}

/* "a,b,c" and "<a> (+2)" from a list of n recipients. */
static void
put_rcpts(struct rowset *rs, struct row *r, const char *list, uint32_t n)
{
	char		 to[4096], first[1024];
	const char	*s;
	size_t		 len = 0;
	uint32_t	 i;

	to[0] = first[0] = '\0';
	for (i = 0, s = list; i < n; i++, s = quar_list_next(s)) {
		if (i == 0)
			snprintf(first, sizeof(first), "<%s>", s);
		len += (size_t)snprintf(to + len, len < sizeof(to) ?
		    sizeof(to) - len : 0, "%s%s", i ? "," : "", s);
		if (len >= sizeof(to))
			len = sizeof(to) - 1;
	}
	r->cells[QC_TO].s = put_str(rs, to);
	if (n > 1)
		snprintf(first + strlen(first), sizeof(first) - strlen(first),
		    " (+%u)", n - 1);
	r->cells[QC_RCPTS].s = put_str(rs, first);
}

static void
quarantine_attach(void *arg, void *verdicts)
{
	((struct qstate *)arg)->verdicts = verdicts;
}

static const struct verdict_store *
joined_store(const struct qstate *q)
{
	return q->verdicts != NULL ? verdicts_store(q->verdicts) : NULL;
}

/* Released: amavis logged it, whoever asked; and its copy's fate. */
static void
set_released(struct row *r, const struct verdict_store *vs,
    const char *mail_id)
{
	const struct release	*rel;

	r->cells[QC_RELEASED].i = CELL_NONE;
	r->cells[QC_RELFATE].s = "";
	if (vs == NULL || mail_id[0] == '\0' ||
	    (rel = verdict_store_release(vs, mail_id)) == NULL)
		return;
	r->cells[QC_RELEASED].i = rel->time;
	r->cells[QC_RELFATE].s = release_log_fate(rel);
}

static struct row *
add_row(struct rowset *rs, const struct qent *e, const struct verdict_store *vs)
{
	const struct quar_head	*h = &e->head;
	struct row		*r = rowset_add(rs, QC_NCELLS);
	char			 score[32], reason[512];

	/* the file's own strings: they outlive the row (q->grave) */
	r->key = e->qpath;
	r->cells[QC_TIME].i = e->mtime;
	r->cells[QC_QPATH].s = r->key;
	r->cells[QC_TYPE].s = quar_type_label(e->name.kind);
	r->cells[QC_ID].s = e->name.mail_id;
	r->cells[QC_SIZE].i = e->size;
	set_released(r, vs, e->name.mail_id);
	if (!e->read) {
		r->cells[QC_SCORE].i = CELL_NONE;
		r->cells[QC_SCORETEXT].s = r->cells[QC_FROM].s =
		    r->cells[QC_TO].s = r->cells[QC_RCPTS].s =
		    r->cells[QC_SUBJECT].s = r->cells[QC_REASON].s = "";
		return r;
	}
	/* an unchecked message says score 0 and score=x: it has none */
	r->cells[QC_SCORE].i = e->name.kind == QT_SPAM ? h->score : CELL_NONE;
	if (r->cells[QC_SCORE].i == CELL_NONE)
		score[0] = '\0';
	else
		snprintf(score, sizeof(score), "%.1f", h->score / 1000.0);
	r->cells[QC_SCORETEXT].s = put_str(rs, score);
	r->cells[QC_FROM].s = h->nfrom > 0 ? quar_field(h, QF_ENV_FROM) : "";
	put_rcpts(rs, r, quar_field(h, QF_ENV_TO), h->nto);
	r->cells[QC_SUBJECT].s = quar_field(h, QF_SUBJECT);
	r->cells[QC_REASON].s = quar_field(h, QF_REASON);
	if (h->err != QE_OK) {
		snprintf(reason, sizeof(reason), "(%s)", quar_strerror(h));
		r->cells[QC_REASON].s = put_str(rs, reason);
	} else if (strlen(r->cells[QC_REASON].s) >= sizeof(reason))
		r->cells[QC_REASON].s = arena_strndup(&rs->arena,
		    r->cells[QC_REASON].s, sizeof(reason) - 1);
	return r;
}

static int
cmp_newest(const void *a, const void *b)
{
	const struct row	*x = *(const struct row *const *)a;
	const struct row	*y = *(const struct row *const *)b;

	if (x->cells[QC_TIME].i != y->cells[QC_TIME].i)
		return x->cells[QC_TIME].i > y->cells[QC_TIME].i ? -1 : 1;
	return strcmp(x->key, y->key);
}

static int
cmp_ptr(const void *a, const void *b)
{
	uintptr_t	 x = (uintptr_t)*(const struct row *const *)a;
	uintptr_t	 y = (uintptr_t)*(const struct row *const *)b;

	return x < y ? -1 : x > y;
}

/*
 * The rows in order without those that went, merged with those that
 * came, in order: a few new files do not sort 100,000 rows again.
 */
static void
rows_merge(struct qstate *q, struct row **fresh, size_t nfresh)
{
	struct row	**out, *r;
	size_t		  i = 0, j = 0, n = 0, cap = q->nsorted + nfresh + 1;

	if (q->ndropped > 1)
		qsort(q->dropped, q->ndropped, sizeof(*q->dropped), cmp_ptr);
	if (nfresh > 1)
		qsort(fresh, nfresh, sizeof(*fresh), cmp_newest);
	out = xreallocarray(NULL, cap, sizeof(*out));
	while (i < q->nsorted || j < nfresh) {
		if (i < q->nsorted && q->ndropped > 0 && bsearch(&q->sorted[i],
		    q->dropped, q->ndropped, sizeof(*q->dropped),
		    cmp_ptr) != NULL) {
			i++;
			continue;
		}
		if (j == nfresh || (i < q->nsorted &&
		    cmp_newest(&q->sorted[i], &fresh[j]) <= 0))
			r = q->sorted[i++];
		else
			r = fresh[j++];
		out[n++] = r;
	}
	free(q->sorted);
	q->sorted = out;
	q->nsorted = n;
}

/* The rows of the files that changed, then all of them in order. */
static void
rows_update(struct qstate *q)
{
	struct qent	*e;
	struct row	**fresh;
	size_t		 i, nfresh = 0;

	/* as many dead rows as live ones: the live ones move */
	if (q->rows_dirty || q->store == NULL || q->store_dead > q->n) {
		q->store = rowset_new();
		q->store_dead = 0;
		for (i = 0; i < q->cap; i++)
			if (q->slots[i] != NULL && q->slots[i] != &tombstone)
				q->slots[i]->row = NULL;
		q->nsorted = q->ndropped = 0;
		q->rows_dirty = 0;
		q->rows_changed = 1;
	}
	if (!q->rows_changed)
		return;
	fresh = xreallocarray(NULL, q->n + 1, sizeof(*fresh));
	for (i = 0; i < q->cap; i++) {
		if ((e = q->slots[i]) == NULL || e == &tombstone ||
		    e->row != NULL)
			continue;
		e->row = add_row(q->store, e, joined_store(q));
		fresh[nfresh++] = e->row;
	}
	q->store->nrows = 0;	/* the rows are the files' */
	rows_merge(q, fresh, nfresh);
	free(fresh);
	q->ndropped = 0;
	q->rows_changed = 0;
}

static const enum quar_type summary_kinds[] = { QT_SPAM, QT_VIRUS,
    QT_BANNED, QT_BADH, QT_OTHER };

/* Messages and bytes by type. */
static void
count_rows(const struct rowset *rs, size_t *count, int64_t *size)
{
	const char	*type;
	size_t		 i, k;

	memset(count, 0, nitems(summary_kinds) * sizeof(*count));
	memset(size, 0, nitems(summary_kinds) * sizeof(*size));
	for (i = 0; rs != NULL && i < rs->nrows; i++) {
		type = rs->rows[i]->cells[QC_TYPE].s;
		for (k = 0; k < nitems(summary_kinds) &&
		    strcmp(type, quar_type_label(summary_kinds[k])) != 0; k++)
			;
		if (k == nitems(summary_kinds))
			k--;
		count[k]++;
		size[k] += rs->rows[i]->cells[QC_SIZE].i;
	}
}

/*
 * 100,000 rows are not built again every poll: only those of the files
 * that changed, and the order only when one did.
 */
static struct rowset *
quarantine_poll_finish(void *arg)
{
	struct qstate			*q = arg;
	struct rowset			*rs = rowset_new(), *last = q->store;
	const struct verdict_store	*vs = joined_store(q);
	unsigned			 gen;
	int				 changed;

	/* a release amavis logged changes rows whose files did not */
	gen = vs != NULL ? verdict_store_release_gen(vs) : 0;
	if (vs != q->rel_vs || gen != q->rel_gen) {
		q->rows_dirty = 1;
		q->rel_vs = vs;
		q->rel_gen = gen;
	}
	changed = q->rows_changed || q->rows_dirty;
	rows_update(q);
	/* the rows handed out before these are in last */
	if (q->store_held != last)
		rowset_free(q->store_held);
	q->store_held = last != q->store ? last : NULL;
	graves_free(q->grave_prev, q->ngrave_prev);
	q->grave_prev = q->grave;
	q->ngrave_prev = q->ngrave;
	q->grave = NULL;
	q->ngrave = q->capgrave = 0;

	rs->cap = q->nsorted > 0 ? q->nsorted : 1;
	rs->rows = xreallocarray(NULL, rs->cap, sizeof(*rs->rows));
	if (q->nsorted > 0)
		memcpy(rs->rows, q->sorted, q->nsorted * sizeof(*rs->rows));
	rs->nrows = q->nsorted;
	if (changed)
		count_rows(rs, q->count, q->size);
	q->counted = rs;
	return rs;
}

/*
 * "quarantine /var/virusmails: 1234 messages, 56 MB: spam 1000 (40 MB),
 * ..." and the file system it is on: a full /var is an incident too.
 */
static void
quarantine_summary(void *arg, const struct rowset *rs, time_t now,
    char *buf, size_t len)
{
	struct qstate	*q = arg;
	int64_t		 total = 0, sizes[nitems(summary_kinds)];
	const int64_t	*size = q->size;
	size_t		 counts[nitems(summary_kinds)], k, n = 0;
	const size_t	*count = q->count;
	char		 s1[32];

	(void)now;
	if (q->error[0] != '\0' && (rs == NULL || rs->nrows == 0)) {
		snprintf(buf, len, "quarantine %s: not read", q->dir);
		return;
	}
	/* drawn with every key: the figures of the rows the poll made */
	if (rs == NULL || rs != q->counted) {
		count_rows(rs, counts, sizes);
		count = counts;
		size = sizes;
	}
	for (k = 0; k < nitems(summary_kinds); k++)
		total += size[k];
	size_text(total, s1, sizeof(s1));
#define ADD(...) do {							\
	int	 k_ = snprintf(buf + n, len - n, __VA_ARGS__);		\
	if (k_ > 0)							\
		n = (size_t)k_ >= len - n ? len - 1 : n + k_;		\
} while (0)
	ADD("quarantine: %zu message%s, %s", rs ? rs->nrows : 0,
	    rs && rs->nrows == 1 ? "" : "s", s1);
	for (k = 0; k < nitems(summary_kinds); k++) {
		if (count[k] == 0)
			continue;
		size_text(size[k], s1, sizeof(s1));
		ADD("%s %s %zu (%s)", k == 0 || n == 0 ? ":" : ",",
		    quar_type_label(summary_kinds[k]), count[k], s1);
	}
	/* a big quarantine's first read takes seconds: how far it is */
	if (!q->first_done && q->error[0] == '\0')
		ADD("\nreading the quarantine: the headers of %zu of %zu "
		    "files read%s", q->n - (q->ntodo - q->todo_at), q->n,
		    q->listing ? ", more files still being listed" : "");
	if (q->fs[0] != '\0')
		ADD("\n%s", q->fs);
#undef ADD
}

static void
quarantine_empty_reason(void *arg, char *buf, size_t len)
{
	struct qstate	*q = arg;

	if (q->error[0] != '\0')
		snprintf(buf, len, "no quarantine: %s (quarantine in "
		    "mhtop.conf)", q->error);
	else if (!q->first_done)
		snprintf(buf, len, "reading %s...", q->dir);
	else
		snprintf(buf, len, "no quarantined messages in %s", q->dir);
}

/* Columns. */

/* A file from a clock ahead of ours is not from the future: 0s. */
static size_t
fmt_age(const struct row *r, time_t now, char *buf, size_t len)
{
	int64_t	 age = now - r->cells[QC_TIME].i;

	return fmt_duration(age < 0 ? 0 : age, buf, len);
}

static size_t
fmt_score(const struct row *r, time_t now, char *buf, size_t len)
{
	(void)now;
	return (size_t)snprintf(buf, len, "%s",
	    r->cells[QC_SCORETEXT].s[0] ? r->cells[QC_SCORETEXT].s : "-");
}

static size_t
fmt_route(const struct row *r, time_t now, char *buf, size_t len)
{
	(void)now;
	return (size_t)snprintf(buf, len, "<%s> %s %s", r->cells[QC_FROM].s,
	    glyph_arrow(), r->cells[QC_RCPTS].s);
}

static int
fit_route(const struct row *r, int width, char *buf, size_t len)
{
	char	 from[1024];

	snprintf(from, sizeof(from), "<%s>", r->cells[QC_FROM].s);
	return cut_route(from, r->cells[QC_RCPTS].s, width, buf, len);
}

/* For prompts: whom it was for, and why it is held. */
static size_t
quarantine_row_label(const struct row *r, char *buf, size_t len)
{
	size_t	 n = fmt_route(r, 0, buf, len);

	if (n >= len)
		return n;
	if (r->cells[QC_REASON].s[0] != '\0')
		n += (size_t)snprintf(buf + n, len - n, ", %s %s",
		    r->cells[QC_TYPE].s, r->cells[QC_REASON].s);
	else if (r->cells[QC_SCORETEXT].s[0] != '\0')
		n += (size_t)snprintf(buf + n, len - n, ", %s %s",
		    r->cells[QC_TYPE].s, r->cells[QC_SCORETEXT].s);
	return n;
}

static void
detail_list(const char *title, const char *list, uint32_t n,
    void (*add)(void *, const char *, size_t), void *arg)
{
	char		 line[1200];
	uint32_t	 i;
	int		 k;

	for (i = 0; i < n; i++, list = quar_list_next(list)) {
		k = snprintf(line, sizeof(line), "  %-14s <%s>", i == 0 ?
		    title : "", list);
		add(arg, line, k > 0 ? (size_t)k : 0);
	}
}

static void
detail_field(const char *title, const char *value,
    void (*add)(void *, const char *, size_t), void *arg)
{
	char	 line[2048];
	int	 k;

	if (value[0] == '\0')
		return;
	k = snprintf(line, sizeof(line), "  %-14s %s", title, value);
	add(arg, line, k > 0 ? (size_t)k : 0);
}

static void
local_time(int64_t t, char *buf, size_t len)
{
	time_t		 tt = (time_t)t;
	struct tm	 tm;

	buf[0] = '\0';
	if (localtime_r(&tt, &tm) != NULL)
		strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
}

/*
 * What the mail log says of it: its release (whoever asked for it) and
 * what became of the copy, then amavis's verdict and smtpd's story.
 */
static void
detail_log(struct qstate *q, const struct qent *e,
    void (*add)(void *, const char *, size_t), void *arg)
{
	const struct verdict_store	*vs = joined_store(q);
	const struct release		*rel;
	const struct row		*v;
	const char			*id = e->name.mail_id;
	char				 line[1024], when[32], span[32];
	int				 n;

	if (vs == NULL || id[0] == '\0')
		return;
	if (q->history % 3600 == 0)
		snprintf(span, sizeof(span), "%ld h", q->history / 3600);
	else
		fmt_duration(q->history, span, sizeof(span));
	add(arg, "", 0);
	add(arg, "in the mail log:", 16);
	if ((rel = verdict_store_release(vs, id)) != NULL) {
		local_time(rel->time, when, sizeof(when));
		n = snprintf(line, sizeof(line), "  %-14s %s by amavis (%s, %s) "
		    "for %s", rel->count > 1 ? "released again" : "released",
		    when, rel->relid, rel->feedback, rel->rcpts);
		add(arg, line, n > 0 ? (size_t)n : 0);
		if (rel->has_copy)
			n = snprintf(line, sizeof(line), "  %-14s smtpd message "
			    "%08x: %s", "its copy", rel->copy,
			    strcmp(release_log_fate(rel), "released") == 0 ?
			    "no delivery logged yet" : release_log_fate(rel));
		else
			n = snprintf(line, sizeof(line), "  %-14s not seen in "
			    "the mail log yet", "its copy");
		add(arg, line, n > 0 ? (size_t)n : 0);
		verdicts_story_lines("the copy's smtpd lines:", rel->story, add,
		    arg);
		add(arg, "", 0);
	} else {
		n = snprintf(line, sizeof(line), "  %-14s not in the last %s",
		    "released", span);
		add(arg, line, n > 0 ? (size_t)n : 0);
	}
	if ((v = verdict_store_by_mailid(vs, id)) == NULL) {
		n = snprintf(line, sizeof(line), "  %-14s none in the last %s",
		    "verdict", span);
		add(arg, line, n > 0 ? (size_t)n : 0);
		return;
	}
	local_time(v->cells[V_TIME].i, when, sizeof(when));
	n = snprintf(line, sizeof(line), "  %-14s %s %s", "verdict", when,
	    v->cells[V_VERDICT].s);
	add(arg, line, n > 0 ? (size_t)n : 0);
	verdicts_message_lines(q->verdicts, v, add, arg);
}

/*
 * Its parts, named and never opened, and a text preview: the whole file is
 * read now, up to QUAR_MSG_MAX, for this one message.
 */
static void
detail_mime(struct qstate *q, const struct qent *e,
    void (*add)(void *, const char *, size_t), void *arg)
{
	struct quar_msg	 m;

	if (q->dirfd == -1)
		return;
	add(arg, "", 0);
	if (quar_read_message(q->dirfd, e->qpath, e->name.gz, QUAR_MSG_MAX,
	    &m) != QE_OK && m.len == 0) {
		detail_field("reading it", quar_msg_strerror(&m), add, arg);
		quar_msg_free(&m);
		return;
	}
	mime_lines(m.buf, m.len, m.cut, add, arg);
	if (m.err != QE_OK)
		detail_field("reading it", quar_msg_strerror(&m), add, arg);
	quar_msg_free(&m);
}

/*
 * Details: what amavis wrote above the message (every recipient, the
 * blocked ones, its alerts, SpamAssassin's status) and the message's own
 * header fields, then the tests with their descriptions.
 */
static void
quarantine_detail_lines(void *arg, const char *key,
    void (*add)(void *, const char *, size_t), void *aarg)
{
	struct qstate		*q = arg;
	struct qent		**slot;
	const struct quar_head	*h;

	if ((slot = ent_find(q, key)) == NULL || !(*slot)->read)
		return;
	h = &(*slot)->head;
	add(aarg, "", 0);
	add(aarg, "what amavis wrote above it:", 27);
	detail_list("to", quar_field(h, QF_ENV_TO), h->nto, add, aarg);
	detail_list("blocked for", quar_field(h, QF_ENV_BLOCKED), h->nblocked,
	    add, aarg);
	detail_field("alert", quar_field(h, QF_ALERT), add, aarg);
	detail_field("spam status", quar_field(h, QF_SPAM_STATUS), add, aarg);
	if (h->err != QE_OK)
		detail_field("reading it", quar_strerror(h), add, aarg);
	add(aarg, "", 0);
	add(aarg, "the message's header:", 21);
	detail_field("From:", quar_field(h, QF_FROM), add, aarg);
	detail_field("Subject:", quar_field(h, QF_SUBJECT), add, aarg);
	detail_field("Date:", quar_field(h, QF_DATE), add, aarg);
	detail_field("Message-ID:", quar_field(h, QF_MESSAGE_ID), add, aarg);
	if (quar_field(h, QF_TESTS)[0] != '\0') {
		if (!q->sa_loaded) {
			q->sa = sa_rules_load(q->sa_dirs);	/* once */
			q->sa_loaded = 1;
		}
		sa_rules_lines(q->sa, quar_field(h, QF_TESTS), add, aarg);
	}
	detail_log(q, *slot, add, aarg);
	detail_mime(q, *slot, add, aarg);
}

/* a: its verdict in the verdicts pane, by the id amavis gave both. */
static int
quarantine_refer(void *arg, const char *key, int ch, char *ref, size_t len)
{
	struct qstate	*q = arg;
	struct qent	**slot;

	if (ch != 'a')
		return -1;
	if (key == NULL || (slot = ent_find(q, key)) == NULL ||
	    (*slot)->name.mail_id[0] == '\0')
		return 0;
	snprintf(ref, len, "mail_id %s", (*slot)->name.mail_id);
	return 1;
}

static int
quarantine_resolve(void *arg, const struct rowset *rs, const char *ref,
    char *key, size_t len)
{
	size_t	 i;

	(void)arg;
	if (strncmp(ref, "mail_id ", 8) != 0)
		return 0;
	for (i = 0; rs != NULL && i < rs->nrows; i++)
		if (strcmp(rs->rows[i]->cells[QC_ID].s, ref + 8) == 0) {
			xstrlcpy(key, rs->rows[i]->key, len);
			return 1;
		}
	return 0;
}

static const char *const quarantine_help[] = {
	"a                    go to its verdict in the verdicts pane",
	NULL
};

/* Actions: the row key is the qpath. */

static int
target_qpath(void *arg, const char *key, char *id, size_t len)
{
	(void)arg;
	if (!quar_qpath_ok(key) || strlen(key) >= len)
		return -1;
	xstrlcpy(id, key, len);
	return 0;
}

/*
 * W: the client that sent it, as amavis logged it (the originating address
 * when amavis found one): the file does not say.
 */
static const struct row *
verdict_of(struct qstate *q, const char *qpath)
{
	struct qent			**slot;
	const struct verdict_store	*vs = joined_store(q);

	if ((slot = ent_find(q, qpath)) == NULL ||
	    (*slot)->name.mail_id[0] == '\0' || vs == NULL)
		return NULL;
	return verdict_store_by_mailid(vs, (*slot)->name.mail_id);
}

static int
target_client(void *arg, const char *key, char *id, size_t len)
{
	const struct row	*v = verdict_of(arg, key);
	char			 v4[64];

	if (v == NULL || !valid_ip(v->cells[V_IP].s) ||
	    strlen(v->cells[V_IP].s) >= len)
		return -1;
	xstrlcpy(id, v->cells[V_IP].s, len);
	/* a v4-mapped client is the IPv4 sender it is */
	if (ip_unmap4(id, v4, sizeof(v4)) == 0)
		xstrlcpy(id, v4, len);
	return 0;
}

static const char *
refused_client(void *arg, const char *key)
{
	return verdict_of(arg, key) == NULL ? "its client is not known: no "
	    "verdict about it in the mail log" : "its verdict names no client "
	    "address";
}

static int
act_whitelist(void *arg, const char *id, int step, const char **argv,
    size_t max)
{
	struct qstate	*q = arg;

	(void)max;
	if (id == NULL || !valid_ip(id))
		return -1;
	xstrlcpy(q->ip, id, sizeof(q->ip));
	return spamd_whitelist_argv(q->spamdb, q->pfctl, q->table, q->ip,
	    step, argv);
}

/*
 * r: amavisd-release QPATH, the path exactly as amavis logs it (a bare
 * name fails in the hashed layout).  Only a name amavisd itself accepts,
 * of a plain file inside the quarantine, ever reaches the argv.
 */
static int
release_ok(struct qstate *q, const char *qpath)
{
	struct stat	 st;

	if (qpath == NULL || !quar_qpath_ok(qpath))
		return 0;
	return q->dirfd == -1 || (fstatat(q->dirfd, qpath, &st,
	    AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode));
}

static int
act_release(void *arg, const char *qpath, int step, const char **argv,
    size_t n)
{
	struct qstate	*q = arg;

	if (step > 0)
		return 0;
	if (!release_ok(q, qpath) || n < 3)
		return -1;
	argv[0] = q->release;
	argv[1] = qpath;
	argv[2] = NULL;
	return 2;
}

/*
 * o: amavisd-release QPATH ADDR, another recipient instead of the
 * original ones.  The script takes a second argument with an '@' for a
 * recipient, not a secret_id; address_problem() makes sure it has one and
 * nothing else the script, doas or amavisd could misread.
 */
static int
act_release_to(void *arg, const char *qpath, const char *addr, int step,
    const char **argv, size_t n)
{
	struct qstate	*q = arg;

	if (step > 0)
		return 0;
	if (!release_ok(q, qpath) || address_problem(addr) != NULL || n < 4)
		return -1;
	argv[0] = q->release;
	argv[1] = qpath;
	argv[2] = addr;
	argv[3] = NULL;
	return 3;
}

/* "Release SkMBGGfgtCC1 to which address?": the mail_id amavis logged. */
static void
ask_release_to(void *arg, char *const *qpaths, size_t n, char *buf,
    size_t len)
{
	struct quar_name	 name;

	(void)arg;
	if (n == 1 && quar_name_parse(qpaths[0], &name) == 0 &&
	    name.mail_id[0] != '\0')
		snprintf(buf, len, "Release %s to which address?",
		    name.mail_id);
	else if (n == 1)
		snprintf(buf, len, "Release %s to which address?", qpaths[0]);
	else
		snprintf(buf, len, "Release %zu messages to which address?", n);
}

static int
check_address(const char *addr, char *why, size_t len)
{
	const char	*p;

	if ((p = address_problem(addr)) == NULL)
		return 0;
	snprintf(why, len, "not an address to release to: %s", p);
	return -1;
}

/*
 * amavisd-release prints amavisd's reply on stderr and exits 0 whether the
 * release worked or amavisd refused it: it worked when every line is a
 * 250, one per recipient.  "250 2.0.0 from MTA(smtp:[127.0.0.1]:10025):
 * 250 2.0.0 5e6b0001 Message accepted for delivery".
 */
static int
judge_release(void *arg, const char *qpath, const char *out, const char *err,
    const char *to, char *buf, size_t len)
{
	struct qstate	*q = arg;
	struct qent	**slot;
	const char	*p, *nl, *at, *qid = NULL;
	size_t		 qlen = 0;
	uint64_t	 msgid;
	int		 n = 0;

	(void)out;
	for (p = err; *p != '\0'; p = *nl != '\0' ? nl + 1 : nl) {
		nl = p + strcspn(p, "\n");
		if (nl == p)
			continue;
		if (strncmp(p, "250 2.5.0 No recipients", 23) == 0) {
			/* amavisd found no recipient in the file to send to
			 * (In/AMPDP.pm, dispatch_from_quarantine): a 250
			 * that released nothing */
			snprintf(buf, len, "amavisd released it to no one: %.*s",
			    (int)(nl - p - 10), p + 10);
			return -1;
		}
		if (strncmp(p, "250 ", 4) != 0) {
			/* "450 4.5.0 Failure: File ... does not exist at
			 * /usr/share/perl5/Amavis/In/AMPDP.pm line 390, ..." */
			for (at = p; at + 5 <= nl && strncmp(at, " at /", 5) != 0;
			    at++)
				;
			snprintf(buf, len, "amavisd refused: %.*s",
			    (int)((at + 5 <= nl ? at : nl) - p), p);
			return -1;
		}
		if (qid == NULL && (at = strstr(p, "): 250 ")) != NULL &&
		    at < nl) {
			/* the MTA's queue id after its own code */
			at += 7;
			at += strcspn(at, " \n");
			at += strspn(at, " ");
			qid = at;
			qlen = strcspn(at, " \n");
		}
		n++;
	}
	if (n == 0) {
		snprintf(buf, len, "no reply from amavisd");
		return -1;
	}
	/* smtpd's msgid: the copy's lines in the mail log, wherever it went */
	if (qid != NULL && qlen == 8 && ml_hex64(qid, 8, &msgid) == 0 &&
	    q->verdicts != NULL && qpath != NULL &&
	    (slot = ent_find(q, qpath)) != NULL &&
	    (*slot)->name.mail_id[0] != '\0')
		verdicts_expect_copy(q->verdicts, (*slot)->name.mail_id,
		    (uint32_t)msgid);
	if (to != NULL)
		snprintf(buf, len, "released to %s%s%.*s", to,
		    qid != NULL ? ", queued as " : "", (int)qlen,
		    qid != NULL ? qid : "");
	else
		snprintf(buf, len, "released to %d recipient%s%s%.*s", n,
		    n == 1 ? "" : "s", qid != NULL ? ", queued as " : "",
		    (int)qlen, qid != NULL ? qid : "");
	return 0;
}

static const struct action quarantine_actions[] = {
	{ 'r', "release: amavisd-release QPATH, to its recipients",
	    ACT_ROWS | ACT_RISKY, "Release", "message", target_qpath,
	    act_release, NULL, NULL, NULL, NULL, judge_release, NULL },
	{ 'o', "release to another address: amavisd-release QPATH ADDR",
	    ACT_ROWS | ACT_INPUT, "Release", "message", target_qpath,
	    NULL, NULL, NULL, NULL, NULL, judge_release, NULL },
	{ 'W', "whitelist the client IP that sent it in spamd (spamdb -a IP, "
	    "pfctl -t TABLE -T add IP), from its verdict in the mail log",
	    ACT_ROWS | ACT_CONFIRM, "Whitelist", "client IP", target_client,
	    act_whitelist, NULL, NULL, spamd_warn_white, NULL, NULL,
	    refused_client },
};

static const struct action_input quarantine_inputs[] = {
	{ 'o', ask_release_to, check_address, act_release_to, "to" },
};

static int
quarantine_row_class(const struct row *r)
{
	return r->cells[QC_RELEASED].i != CELL_NONE ? ROW_GOOD : 0;
}

#define B	COL_BATCH
#define S	COL_SCREEN
#define D	COL_DETAIL
static const struct column quarantine_columns[] = {
	{ "mtime",	COL_TIME, QC_TIME,	6, B | S | COL_RIGHT, fmt_age },
	{ "qpath",	COL_STR,  QC_QPATH,	0, B | D | COL_SEARCH, NULL },
	{ "type",	COL_STR,  QC_TYPE,	10, B | S, NULL },
	{ "mail_id",	COL_STR,  QC_ID,	13, B | S, NULL },
	{ "score",	COL_STR,  QC_SCORETEXT,	0, B | COL_NUMBER, NULL },
	{ "from",	COL_STR,  QC_FROM,	0, B, NULL },
	{ "to",		COL_STR,  QC_TO,	0, B | COL_LIST, NULL },
	{ "subject",	COL_STR,  QC_SUBJECT,	0, B | S, NULL },
	{ "reason",	COL_STR,  QC_REASON,	0, B | S | COL_CUT_MIDDLE, NULL },
	{ "released",	COL_TIME, QC_RELEASED,	0, B, NULL },
	/* the screen's, and the detail view's extras */
	{ "hits",	COL_INT,  QC_SCORE,	6, S | COL_RIGHT | COL_NONE_LAST,
	    fmt_score },
	{ "envelope",	COL_STR,  QC_FROM,	0, S, fmt_route },
	{ "size",	COL_INT,  QC_SIZE,	0, D, NULL },
	{ "fate",	COL_STR,  QC_RELFATE,	9, S, NULL },
};
#undef B
#undef S
#undef D

/* Narrow screens keep the id and whom it was for, then why. */
static const struct screen_col quarantine_screen[] = {
	{ 0, "AGE", 3, 0, NULL },
	{ 2, "TYPE", 4, 0, NULL },
	{ 3, "QUARANTINE ID", 0, 0, NULL },
	{ 10, "HITS", 5, 0, NULL },
	{ 11, "SENDER \xe2\x86\x92 RECIPIENT", 0, 24, fit_route },
	{ 7, "SUBJECT", 6, 12, NULL },
	{ 8, "REASON", 2, 14, NULL },
	{ 13, "RELEASED", 7, 0, NULL },
};

/* What the trace says of a quarantined message: why, and if released. */
static size_t
quarantine_trace_detail(void *arg, const struct row *r, time_t now,
    char *buf, size_t len)
{
	const union cell	*c = r->cells;
	char			 at[32];
	int			 n;

	(void)arg;
	at[0] = '\0';
	if (c[QC_RELEASED].i != CELL_NONE)
		fmt_clock(c[QC_RELEASED].i, now, at, sizeof(at));
	n = snprintf(buf, len, "%s%s%s, mail_id %s; %s%s%s%s%s%s",
	    c[QC_TYPE].s, c[QC_SCORETEXT].s[0] != '\0' ? " " : "",
	    c[QC_SCORETEXT].s, c[QC_ID].s,
	    at[0] != '\0' ? "released at " : "not released", at,
	    c[QC_RELFATE].s[0] != '\0' ? ", " : "", c[QC_RELFATE].s,
	    c[QC_SUBJECT].s[0] != '\0' ? "; subject " : "", c[QC_SUBJECT].s);
	return n < 0 ? 0 : (size_t)n >= len ? len - 1 : (size_t)n;
}

/* The trace's answer: how many quarantined, why, how many released. */
static size_t
quarantine_trace_summary(void *arg, const struct row *const *rows, size_t n,
    time_t now, char *buf, size_t len)
{
	const union cell	*c;
	size_t			 i, released = 0, o;

	(void)arg;
	(void)now;
	if (n == 0)
		return trace_clip(snprintf(buf, len, "nothing quarantined"), len);
	for (i = 0; i < n; i++)
		if (rows[i]->cells[QC_RELEASED].i != CELL_NONE)
			released++;
	c = rows[0]->cells;
	if (n == 1)
		o = trace_clip(snprintf(buf, len, "1 message quarantined (%s%s%s)",
		    c[QC_TYPE].s, c[QC_SCORETEXT].s[0] != '\0' ? ", " : "",
		    c[QC_SCORETEXT].s), len);
	else
		o = trace_clip(snprintf(buf, len, "%zu messages quarantined", n),
		    len);
	if (released > 0)
		o += trace_clip(snprintf(buf + o, len - o, ", %zu released",
		    released), len - o);
	return o;
}

static const struct trace_desc quarantine_trace = {
	.kind = "quarantined",
	.kind_cell = -1,
	.when = QC_TIME,
	.ip = -1,
	.sender = QC_FROM,
	.rcpts = QC_TO,
	.host = -1,
	.header_from = -1,
	.detail = quarantine_trace_detail,
	.summary = quarantine_trace_summary,
};

static size_t
quarantine_mailid(const struct row *r, char *buf, size_t len)
{
	return xstrlcpy(buf, r->cells[QC_ID].s, len);
}

static const struct link_offer quarantine_offers[] = {
	{ "mail_id quarantined", quarantine_mailid },
};

const struct provider provider_quarantine = {
	.name = "quarantine",
	.src = {
		.create = quarantine_create,
		.destroy = quarantine_destroy,
		.poll_begin = quarantine_poll_begin,
		.poll_finish = quarantine_poll_finish,
		.progress = quarantine_progress,
		.poll_error = quarantine_poll_error,
		.poll_step = quarantine_poll_step,
		.joins = "verdicts",
		.attach = quarantine_attach,
	},
	.desc = {
		.title = "quarantine",
		.noun = "message",
		.columns = quarantine_columns,
		.ncolumns = nitems(quarantine_columns),
		.screen = quarantine_screen,
		.nscreen = nitems(quarantine_screen),
		.sort_column = 0,		/* AGE: newest first */
		.sort_reverse = 1,
		.summary = quarantine_summary,
		.empty_reason = quarantine_empty_reason,
		.actions = quarantine_actions,
		.nactions = nitems(quarantine_actions),
		.inputs = quarantine_inputs,
		.ninputs = nitems(quarantine_inputs),
		.help = quarantine_help,
		.detail_lines = quarantine_detail_lines,
		.row_class = quarantine_row_class,
		.row_label = quarantine_row_label,
		.refer = quarantine_refer,
		.resolve = quarantine_resolve,
		.trace = &quarantine_trace,
		.offers = quarantine_offers,
		.noffers = nitems(quarantine_offers),
	},
};
