#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "queue.h"
#include "unit.h"
#include "wallclock.h"

char *
unit_slurp(const char *path, size_t *len)
{
	FILE	*fp;
	char	*buf = NULL;
	size_t	 cap = 0, n = 0, r;

	if ((fp = fopen(path, "rb")) == NULL)
		ck_abort_msg("%s: %s", path, strerror(errno));
	for (;;) {
		if (cap - n < 65536) {
			cap = cap ? cap * 2 : 65536;
			if ((buf = realloc(buf, cap + 1)) == NULL)
				ck_abort_msg("out of memory");
		}
		if ((r = fread(buf + n, 1, cap - n, fp)) == 0)
			break;
		n += r;
	}
	ck_assert_msg(!ferror(fp), "%s: read error", path);
	fclose(fp);
	buf[n] = '\0';
	*len = n;
	return buf;
}

size_t
unit_count_lines(const char *buf, size_t len)
{
	size_t	 i, n = 0;

	for (i = 0; i < len; i++)
		if (buf[i] == '\n')
			n++;
	if (len > 0 && buf[len - 1] != '\n')
		n++;
	return n;
}

struct rowset *
unit_parse_buf(const char *buf, size_t len)
{
	struct rowset	*rs = rowset_new();
	const char	*p = buf, *end = buf + len, *nl;

	while (p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		queue_parse_line(rs, p, (size_t)(nl - p));
		p = nl + 1;
	}
	return rs;
}

struct rowset *
unit_parse_text(const char *text)
{
	return unit_parse_buf(text, strlen(text));
}

struct rowset *
unit_parse_fixture(const char *path, size_t *nlines)
{
	struct rowset	*rs;
	size_t		 len;
	char		*buf = unit_slurp(path, &len);

	if (nlines != NULL)
		*nlines = unit_count_lines(buf, len);
	rs = unit_parse_buf(buf, len);
	free(buf);
	return rs;
}

const struct row *
unit_find(const struct rowset *rs, const char *key)
{
	size_t	 i;

	for (i = 0; i < rs->nrows; i++)
		if (strcmp(rs->rows[i]->key, key) == 0)
			return rs->rows[i];
	ck_abort_msg("no row with key %s", key);
	return NULL;
}

void
unit_utf8_locale(void)
{
	if (setlocale(LC_ALL, "C.UTF-8") == NULL &&
	    setlocale(LC_ALL, "en_US.UTF-8") == NULL)
		ck_abort_msg("no UTF-8 locale (C.UTF-8 or en_US.UTF-8)");
}

int
unit_run(Suite *s)
{
	SRunner	*sr = srunner_create(s);
	int	 failed;

	/* no test depends on the day it runs: tests fork with this clock */
	wallclock_pin(UNIT_NOW);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

void *
unit_load_tsv(const char *path, size_t ncols, size_t keycol, const char *key,
    size_t *n, char **bufp)
{
	char	**rows = NULL, *buf, *p, *nl;
	size_t	  len, cap = 0, i;

	buf = unit_slurp(path, &len);
	*n = 0;
	for (p = buf; p < buf + len; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = buf + len;
		*nl = '\0';
		if (*p == '#' || *p == '\0')
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			rows = realloc(rows, cap * ncols * sizeof(*rows));
			ck_assert_ptr_nonnull(rows);
		}
		for (i = 0; i < ncols; i++) {
			rows[*n * ncols + i] = p;
			if ((p = strchr(p, '\t')) != NULL)
				*p++ = '\0';
			ck_assert_msg(p != NULL || i == ncols - 1,
			    "%s: short row", path);
		}
		if (strcmp(rows[*n * ncols + keycol], key) == 0)
			(*n)++;
	}
	*bufp = buf;
	return rows;
}
