/* Helpers shared by the Check unit tests in tests/unit/. */
#ifndef MHTOP_UNIT_H
#define MHTOP_UNIT_H

#include <stddef.h>

#include <check.h>

#include "provider.h"

#ifndef FIXTURES
#error "FIXTURES must be defined (-DFIXTURES=\"<srcdir>/tests/fixtures\")"
#endif
#define FIX(name)	FIXTURES "/opensmtpd/" name

/* The whole file, NUL-terminated (the NUL is not counted in *len). */
char		*unit_slurp(const char *, size_t *);
/* Lines of text, as smtpctl prints them: the final one may lack its '\n'. */
size_t		 unit_count_lines(const char *, size_t);
/* queue_parse_line over every line of a buffer / of a fixture file. */
struct rowset	*unit_parse_buf(const char *, size_t);
struct rowset	*unit_parse_text(const char *);
struct rowset	*unit_parse_fixture(const char *, size_t *);
const struct row *unit_find(const struct rowset *, const char *);
/* A checked fixture: every test runs in C.UTF-8 unless it says otherwise. */
void		 unit_utf8_locale(void);
/*
 * The rows of a TSV file ('#' lines are comments) whose column keycol is
 * key, as arrays of ncols string pointers into *bufp (free both).
 */
void		*unit_load_tsv(const char *, size_t, size_t, const char *,
		    size_t *, char **);
/*
 * mhtop's clock in every test, unless a test pins another time: 2026-11-24
 * 20:00:00 UTC, the evening of the day the fixtures were captured.
 */
#define UNIT_NOW	1795550400
/* Run a suite, the clock pinned to UNIT_NOW; the exit status. */
int		 unit_run(Suite *);

#endif
