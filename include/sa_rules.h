/*
 * SpamAssassin rule descriptions, from the "describe NAME text" lines of
 * the rule files, for the verdicts pane's detail view.
 */
#ifndef MHTOP_SA_RULES_H
#define MHTOP_SA_RULES_H

#include <stddef.h>

struct sa_rules;

/*
 * Reads the *.cf files of each directory of dirs (blank-separated absolute
 * paths, in that order) and of their subdirectories up to 3 levels down:
 * a directory's files sorted by name, then its subdirectories sorted by
 * name.  The last description read of a rule wins, as in SpamAssassin.
 * What is missing or unreadable is skipped, symbolic links are followed
 * but not round a loop; reading stops at 64 MB, 4096 files or 65536
 * directory entries.  Never NULL.
 */
struct sa_rules	*sa_rules_load(const char *);
/* The text as written in the rule file (not sanitized), or NULL. */
const char	*sa_rules_describe(const struct sa_rules *, const char *,
		    size_t);
size_t		 sa_rules_count(const struct sa_rules *);
/*
 * The lines of a detail view for amavis' tests ("GTUBE=1000,..."): a
 * "tests:" title, then one line per test with its score and description
 * (sa may be NULL).  Nothing when tests is empty.
 */
void		 sa_rules_lines(const struct sa_rules *, const char *,
		    void (*)(void *, const char *, size_t), void *);
void		 sa_rules_free(struct sa_rules *);

#endif
