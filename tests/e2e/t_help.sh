#!/bin/sh
# 3. `?` lists every key of the queue pane and the global keys; it scrolls
# like the detail view and any other key closes it (q closes it without
# quitting).
. "${srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
need_tmux
e2e_init
start_mhtop
wait_for '14 envelopes' 10

help_shows() { # KEY TEXT
	if screen | grep -qE -- "^ +$1 +.*$2"; then
		ok "help lists $1: $2"
	else
		fail "help does not list $1 ($2)"
	fi
}

open_help() {
	keys '?'
	on_screen 'Keys of the queue pane' 3
}

check '? opens the help' open_help
help_shows p 'pause the MTA'
help_shows r 'resume the MTA'
help_shows s 'schedule'
help_shows d 'remove envelope'
help_shows D 'remove whole message'
help_shows h 'pause envelope'
help_shows H 'resume envelope'
help_shows 'Up/Down, j/k' 'move'
help_shows 'PgUp/PgDn' 'page'
help_shows 'Home/End, g/G' 'first/last'
help_shows 'Enter' 'details'
help_shows '/' 'filter'
help_shows '< >' 'sort'
help_shows 'R' 'reverse'
help_shows 'space' 'tag'
help_shows 'A' 'tag every row shown'
help_shows 'U' 'untag'
help_shows 'F' 'freeze/unfreeze this pane'
help_shows 'Ctrl-L' 'redraw'
help_shows '\?' 'help'
help_shows 'q' 'quit'
help_shows '1-5, Tab, Shift-Tab' 'pane'
check 'help: p, r, d and D say they ask first' test "$(screen | grep -c 'asks first$')" -eq 4
help_shows s 'asks first for more than one'
assert_no_screen 'ENVELOPE' 'the table is hidden behind the help'

# any key closes it, and is not acted upon
keys x
check 'x closes the help' on_screen ENVELOPE 3
check 'help gone' off_screen 'Keys of the queue pane' 3
check 'x was not taken as a table key' test -z "$(status_line | grep 'unknown key')"
open_help
keys Escape
check 'Esc closes the help' on_screen ENVELOPE 3
open_help
keys q
check 'q closes the help' on_screen ENVELOPE 3
check 'q in the help does not quit mhtop' test ! -f "$E2E_DIR/exit"
open_help
keys '?'
check '? closes the help' on_screen ENVELOPE 3
open_help
keys p
check 'p closes the help' on_screen ENVELOPE 3
check 'p in the help runs nothing' test -z "$(grep -v -e '^show ' "$LOG")"
check 'the cursor did not move' wait_cursor 0862d5e211583af9

# at 80x24 the help is longer than the screen: it scrolls with the keys of
# the detail view, says where it is, and every key can be reached
tm resize-window -t e2e -x 80 -y 24
check 'at 80x24' on_screen ENVELOPE 3
open_help
check 'the help says there is more' on_screen_re '^help, lines 1-22 of [0-9]+ -- more --' 3
assert_no_screen_re '^ +H +resume envelope' 'the last keys are below the first page'
keys G
check 'G: the last page, no more' on_screen_re '^help, lines [0-9]+-([0-9]+) of \1;' 3
help_shows H 'resume envelope'
help_shows a 'verdict'
keys g
check 'g: back to the top' on_screen_re '^help, lines 1-22 of' 3
help_shows 'Up/Down, j/k' 'move'
keys NPage
check 'PgDn: down to the last page' on_screen_re '^help, lines ([0-9]+)-([0-9]+) of \2;' 3
keys PPage j j
check 'PgUp j j: lines 3-' on_screen_re '^help, lines 3-24 of' 3
keys q
check 'q closes the help' on_screen ENVELOPE 3
check 'and does not quit' test ! -f "$E2E_DIR/exit"
keys q
check 'q quits' wait_exit 3
finish
