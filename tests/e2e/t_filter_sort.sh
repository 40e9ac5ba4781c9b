#!/bin/sh
# 11. Filter: `/` substring (case-insensitive), `~regex`, Enter applies, Esc
# clears.  Sort: `>`/`<` choose the column, `R` reverses.
. "${srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
need_tmux
e2e_init
start_mhtop
wait_for '14 envelopes' 10

rows() {
	screen_evpids | tr '\n' ' ' | sed 's/ $//'
}

# wait until the rows on screen are exactly WANT (space separated)
rows_are() { # WANT DESCRIPTION
	_deadline=$(($(now_ms) + 3000))
	while [ "$(rows)" != "$1" ] && [ "$(now_ms)" -lt "$_deadline" ]; do
		sleep 0.1
	done
	assert_eq "$(rows)" "$1" "$2"
}

# the title of the sort column: drawn bold and underlined
sort_title() {
	screen_e | grep ENVELOPE | sed -n 's/.*\[1;4m\([^[:cntrl:]]*\)\x1b.*/\1/p' | sed 's/ *$//'
}

all=$(printf '%s\n' "$ROWS14" | tr '\n' ' ' | sed 's/ $//')
rows_are "$all" 'all 14 rows, sorted by AGE'

# --- filter: substring
keys /
wait_for 'filter (~ for a regex):'
type_text greylist
wait_for 'filter (~ for a regex): greylist'
keys Enter
rows_are 8f9f6e4456c53f2d '/greylist: only the greylisted envelope'
wait_for 'filter: greylist (1 of 14)'
# case-insensitive
keys /
wait_for 'filter (~ for a regex): greylist'
keys C-u
type_text MIXEDCASE
keys Enter
rows_are c66913f8b6c1a8b0 '/MIXEDCASE matches MixedCase@Example.NET'
# the filter stays across re-polls
wait_polls 1
rows_are c66913f8b6c1a8b0 'the filter stays after a re-poll'
# an action under a filter applies to the visible cursor row
keys d
wait_for 'Remove envelope c66913f8b6c1a8b0 (UPPER.Case@Example.COM → MixedCase@Example.NET)? [y/N]'
keys n
wait_for 'cancelled'
# Esc in the table clears the filter
keys Escape
rows_are "$all" 'Esc clears the filter'
wait_for 'filter cleared'
assert_no_screen 'filter: ' 'no filter in the header'

# the filter searches what the screen shows, whole: at 80 columns the
# sender of 0862d5e211583af9 is cut to its domain's end, and still matches;
# the family ("local" of 7bb7df62a81a2c06) is not on screen: no match
tm resize-window -t e2e -x 80 -y 30
check '80 columns: the sender is cut' off_screen 'alice@example.com' 3
keys /
type_text alice@
keys Enter
rows_are 0862d5e211583af9 '/alice@ matches the cut sender'
keys Escape /
type_text local
keys Enter
rows_are '' '/local: the family is not on screen, no row'
wait_for 'filter: local (0 of 14)'
keys Escape
rows_are "$all" 'Esc clears the filter'
tm resize-window -t e2e -x 120 -y 30

# Backspace takes a whole character: "aü" then Backspace is "a", not "a"
# and half a "ü" (which PCRE2 refused as bad UTF-8)
keys /
wait_for 'filter (~ for a regex):'
keys C-u
type_text 'carolü'
wait_for 'filter (~ for a regex): carolü'
keys BSpace
check 'Backspace: "carol" left' on_screen_re 'filter \(~ for a regex\): carol$' 3
keys Enter
rows_are 'aca65f001fc08029 aca65f0062f28350 aca65f00a2e33597' '/carol (after Backspace on ü): the three envelopes of carol'
assert_no_screen 'bad pattern' 'no "bad pattern" for a plain substring'
# A tags every row the filter shows, and only those
keys A
wait_for '3 tagged (every row the filter shows)'
keys Escape
rows_are "$all" 'Esc clears the filter'
check 'the three stay tagged' on_screen '3 tagged' 3
for id in aca65f001fc08029 aca65f0062f28350 aca65f00a2e33597; do
	assert_screen_re "^\\*. $id " "$id is tagged"
done
assert_eq "$(screen | grep -c '^\*')" 3 'no other row is tagged'
keys d
wait_for 'Remove 3 envelopes aca65f001fc08029, aca65f0062f28350 and aca65f00a2e33597? [y/N]'
keys n
wait_for 'cancelled: nothing changed'
keys U
wait_for 'all untagged'

# --- filter: regex
keys /
type_text '~^8f9f'
keys Enter
rows_are 8f9f6e4456c53f2d '/~^8f9f: the envelope whose id starts with 8f9f'
wait_for 'filter: ~^8f9f (1 of 14)'
keys /
keys C-u
type_text '~^aca65f00'
keys Enter
rows_are 'aca65f001fc08029 aca65f0062f28350 aca65f00a2e33597' '/~^aca65f00: the 3 envelopes of that message'
keys /
keys C-u
type_text '~greylist|tempfail'
keys Enter
rows_are '3047f32eaba40d19 8f9f6e4456c53f2d' '/~greylist|tempfail: an alternation'
keys /
keys C-u
type_text 'no such thing'
keys Enter
rows_are '' 'a filter matching nothing: no rows'
wait_for '(no rows match the filter)'
# a bad regex is refused and the prompt stays open
keys /
keys C-u
type_text '~(unclosed'
keys Enter
check 'a bad regex: Enter shows why it is refused (bad pattern)' on_screen 'bad pattern' 3
check 'a bad regex: the prompt stays open' on_screen 'filter (~ for a regex): ~(unclosed' 3
assert_screen 'filter: no such thing (0 of 14)' 'the previous filter is still in force'
# Esc in the prompt clears the filter
keys Escape
rows_are "$all" 'Esc in the prompt clears the filter'
keys /
type_text 'GREYLIST'
keys Enter
rows_are 8f9f6e4456c53f2d '/GREYLIST: case-insensitive'
# an empty filter clears it
keys /
keys C-u
keys Enter
rows_are "$all" 'an empty filter shows everything'

# --- sort
assert_eq "$(sort_title)" AGE 'AGE is the sort column at start'
keys '>'
rows_are '3047f32eaba40d19 ecc8a5b7fc7f5b8c 0862d5e211583af9 15ef78e2d1245448 41a3e85a8587ab6c 82f7113b5a9de746 8924a15b86f02e24 8f9f6e4456c53f2d aca65f001fc08029 aca65f0062f28350 aca65f00a2e33597 c66913f8b6c1a8b0 ef58cc78c9672aba 7bb7df62a81a2c06' \
    '>: sorted by NEXT (delay), then id'
assert_eq "$(sort_title)" NEXT '> moves the sort to NEXT'
keys R
rows_are '7bb7df62a81a2c06 ef58cc78c9672aba c66913f8b6c1a8b0 aca65f00a2e33597 aca65f0062f28350 aca65f001fc08029 8f9f6e4456c53f2d 8924a15b86f02e24 82f7113b5a9de746 41a3e85a8587ab6c 15ef78e2d1245448 0862d5e211583af9 ecc8a5b7fc7f5b8c 3047f32eaba40d19' \
    'R reverses the order'
assert_screen 'NEXT-' 'a reversed sort shows as NEXT-'
keys R
rows_are '3047f32eaba40d19 ecc8a5b7fc7f5b8c 0862d5e211583af9 15ef78e2d1245448 41a3e85a8587ab6c 82f7113b5a9de746 8924a15b86f02e24 8f9f6e4456c53f2d aca65f001fc08029 aca65f0062f28350 aca65f00a2e33597 c66913f8b6c1a8b0 ef58cc78c9672aba 7bb7df62a81a2c06' \
    'R again: back to ascending'
keys '<' '<'
rows_are '0862d5e211583af9 15ef78e2d1245448 3047f32eaba40d19 41a3e85a8587ab6c 7bb7df62a81a2c06 82f7113b5a9de746 8924a15b86f02e24 8f9f6e4456c53f2d aca65f001fc08029 aca65f0062f28350 aca65f00a2e33597 c66913f8b6c1a8b0 ecc8a5b7fc7f5b8c ef58cc78c9672aba' \
    '< <: sorted by ENVELOPE'
assert_eq "$(sort_title)" ENVELOPE '< < moves the sort to ENVELOPE'
keys '<'
rows_are 'ecc8a5b7fc7f5b8c 3047f32eaba40d19 8f9f6e4456c53f2d 0862d5e211583af9 15ef78e2d1245448 41a3e85a8587ab6c 7bb7df62a81a2c06 82f7113b5a9de746 8924a15b86f02e24 aca65f001fc08029 aca65f0062f28350 aca65f00a2e33597 c66913f8b6c1a8b0 ef58cc78c9672aba' \
    '< wraps around to ERROR'
assert_eq "$(sort_title)" ERROR '< from the first column goes to the last (ERROR)'
keys '>' '>'
rows_are "$all" '> > back to AGE'
# the cursor keeps its row when the sort changes
keys G
wait_cursor 7bb7df62a81a2c06
keys '<'
check 'the cursor follows its row to the new place' wait_cursor 7bb7df62a81a2c06
keys q
check 'q quits' wait_exit 3
finish
