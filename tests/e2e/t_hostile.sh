#!/bin/sh
# 16. Hostile bytes in smtpctl's output (an error with ESC, CSI 2J, SGR, OSC,
# raw 0x9b, U+009B, DEL): shown escaped; the terminal is not cleared,
# recoloured or retitled; -b escapes them as \xHH.
. "${srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
# whole cells: wide enough that no address is cut
E2E_COLS=160
need_tmux
e2e_init
# error: E<ESC>[2J<0x9b>X<ESC>[31mRED<ESC>]0;pwned<BEL> <U+009B><DEL> end
{
	printf 'eeeeeeee00000001|inet4|mta||mallory@example.com|victim@example.net|victim@example.net|1795520000|1795520000|0|1|pending|360|'
	printf 'E\033[2J\233X\033[31mRED\033]2;pwned\007 \302\233\177 end\n'
	printf 'eeeeeeee00000002|inet4|mta||ev\033[7mil\033[2J@example.com|victim@example.net|victim@example.net|1795520001|1795520001|0|1|pending|360|plain error\n'
	cat "$FIXTURE14"
} >"$E2E_DIR/q"
set_queue "$E2E_DIR/q"
start_mhtop
wait_for '16 envelopes' 10

# the ERROR column is cut at the screen width
wait_for 'E^[[2J\x9bX^[[31mRED'
check 'the other rows are intact (not cleared)' test "$(screen_evpids | wc -l | tr -d ' ')" -eq 16
wait_for 'ev^[[7mil^[[2J@example.com'
check 'no reverse video from the sender (only the cursor row)' test "$(reverse_lines | grep -vc ENVELOPE)" -eq 1
assert_screen 'smtpd: MTA running  MDA running  SMTP running' 'the header is intact'
# queued at 11:33:20, the clock pinned at 13:00:00
assert_screen_re 'eeeeeeee00000001 +1h2[67]m +6m00s +1 mta +pending +mallory@example.com → victim@' 'the row itself is intact'
assert_eq "$(screen_evpids | tr '\n' ' ')" "eeeeeeee00000001 eeeeeeee00000002 $(printf '%s\n' "$ROWS14" | tr '\n' ' ')" 'every row in its place'
# no colour anywhere: only the attributes mhtop uses (bold, dim, reverse, underline)
if screen_e | grep -q "$(printf '\033')\\[[0-9;]*3[0-8]"; then
	bad=$(screen_e | grep "$(printf '\033')\\[[0-9;]*3[0-8]" | head -n 2 | cat -v)
	fail "a colour reached the terminal: $bad"
else
	ok 'no colour reached the terminal'
fi
title=$(tm display-message -p -t "$TGT" '#{pane_title}')
check "the pane title was not changed by OSC 2 ($title)" test "$title" != pwned
# the cursor row (reverse video) is still drawn right after the hostile row
check 'the cursor is on the hostile row' wait_cursor eeeeeeee00000001
keys j
check 'the next row can be highlighted' wait_cursor eeeeeeee00000002
keys k

# the detail view shows it escaped too
keys Enter
wait_for 'evpid    eeeeeeee00000001'
wait_for ' error    E^[[2J\x9bX^[[31mRED^[]2;pwned^G \u009b^? end'
wait_for 'errorline: E^[[2J'
check 'detail: the rest of the screen is intact' on_screen 'msgid    eeeeeeee' 2
keys q
on_screen ENVELOPE 3
keys q
check 'q quits' wait_exit 3

# batch mode
out=$(FAKE_SMTPCTL_DIR=$STATE "$MHTOP" -b -f "$CONF")
check 'mhtop -b exits 0' test $? -eq 0
row=$(printf '%s\n' "$out" | grep '^eeeeeeee00000001')
err=$(printf '%s\n' "$row" | awk -F'\t' '{ print $12 }')
assert_eq "$err" 'E\x1b[2J\x9bX\x1b[31mRED\x1b]2;pwned\x07 \xc2\x9b\x7f end' '-b escapes ESC, 0x9b, BEL, U+009B and DEL as \xHH'
check '-b: no raw control byte in the output' sh -c '! printf "%s\n" "$1" | LC_ALL=C grep -q "[[:cntrl:]]"' sh "$(printf '%s\n' "$out" | tr -d '\t\n')"
check '-b: no raw 0x9b in the output' sh -c '! printf "%s\n" "$1" | LC_ALL=C grep -q "$(printf "\233")"' sh "$out"
assert_eq "$(printf '%s\n' "$row" | awk -F'\t' '{ print NF }')" 12 '-b: still 12 fields'
assert_eq "$(printf '%s\n' "$out" | grep '^eeeeeeee00000002' | cut -f6)" 'ev\x1b[7mil\x1b[2J@example.com' '-b: escapes in the sender'
finish
