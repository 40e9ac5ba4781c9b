/*
 * Whether the terminal can show a full screen.  A terminal that cannot
 * place the cursor (TERM=dumb, "unknown") would get a blank screen from
 * curses: say so before curses takes it over.  A file of its own, because
 * <term.h> defines macros (lines, columns) that the rest of the UI uses as
 * names.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <unistd.h>

#include "sanitize.h"
#include "ui.h"

int
term_check(char *err, size_t len)
{
	const char	*term = getenv("TERM"), *cup;
	char		 name[64];
	int		 e, moves;

	if (term == NULL || *term == '\0') {
		snprintf(err, len, "TERM is not set: mhtop needs a full-screen "
		    "terminal (or use -b for batch output)");
		return -1;
	}
	sanitize_screen(term, strlen(term), name, sizeof(name), 40, NULL);
	if (setupterm(NULL, STDOUT_FILENO, &e) != OK) {
		snprintf(err, len, "TERM=%s: no such terminal in the terminfo "
		    "database (use -b for batch output)", name);
		return -1;
	}
	cup = tigetstr("cup");
	moves = cup != NULL && cup != (const char *)-1;
	del_curterm(cur_term);
	if (!moves) {
		snprintf(err, len, "TERM=%s cannot move the cursor: mhtop needs "
		    "a full-screen terminal (or use -b for batch output)", name);
		return -1;
	}
	return 0;
}
