#!/bin/sh
# 2. Navigation: j/k, arrows, PgDn/PgUp, Home/End, g/G move the cursor (the
# highlighted row, read from capture-pane -e).
. "${srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
need_tmux
e2e_init
start_mhtop
wait_for '14 envelopes' 10

check 'cursor on row 1 at start' wait_cursor 0862d5e211583af9
keys j
check 'j: row 2' wait_cursor 15ef78e2d1245448
keys Down
check 'Down: row 3' wait_cursor 3047f32eaba40d19
keys j j j
check 'j j j: row 6' wait_cursor 8924a15b86f02e24
keys k
check 'k: row 5' wait_cursor 82f7113b5a9de746
keys Up Up
check 'Up Up: row 3' wait_cursor 3047f32eaba40d19
keys G
check 'G: last row' wait_cursor 7bb7df62a81a2c06
keys j Down
check 'j/Down on the last row stay there' wait_cursor 7bb7df62a81a2c06
keys g
check 'g: first row' wait_cursor 0862d5e211583af9
keys k Up
check 'k/Up on the first row stay there' wait_cursor 0862d5e211583af9
keys End
check 'End: last row' wait_cursor 7bb7df62a81a2c06
keys Home
check 'Home: first row' wait_cursor 0862d5e211583af9
keys NPage
check 'PgDn on a short list: last row' wait_cursor 7bb7df62a81a2c06
keys PPage
check 'PgUp on a short list: first row' wait_cursor 0862d5e211583af9
check 'exactly one highlighted row' test "$(reverse_lines | grep -vc ENVELOPE)" -eq 1

# a queue longer than the screen
keys q
wait_exit 3
gen_queue 60 >"$E2E_DIR/q60"
set_queue "$E2E_DIR/q60"
start_mhtop
wait_for '60 envelopes' 10
check 'cursor on row 1' wait_cursor a000000000000001
nshown=$(screen_evpids | wc -l | tr -d ' ')
check "the table fills the screen ($nshown rows)" test "$nshown" -ge 20 -a "$nshown" -le 25

keys NPage
p1=$(gen_index "$(wait_cursor_moves a000000000000001)")
check "PgDn moves about a screen (row 1 -> $p1, $nshown rows shown)" \
    test "$p1" -ge $((nshown - 3)) -a "$p1" -le $((nshown + 1))
check 'after PgDn the cursor row is on screen' test -n "$(cursor_line)"
keys NPage
p2=$(gen_index "$(wait_cursor_moves "$(printf 'a%015x' "$p1")")")
check "PgDn again moves as far again (-> $p2)" test "$p2" -eq $((2 * p1 - 1))
check 'after the second PgDn the screen scrolled (row 1 gone)' off_screen a000000000000001 2
check 'the cursor row is on screen' test -n "$(cursor_line)"
keys PPage
check "PgUp goes back to row $p1" wait_cursor "$(printf 'a%015x' "$p1")"
keys PPage
check 'PgUp goes back to row 1' wait_cursor a000000000000001
check 'row 1 is on screen again' on_screen a000000000000001 2
keys End
check 'End: row 60' wait_cursor a00000000000003c
check 'row 60 on screen' on_screen a00000000000003c 2
check 'row 1 scrolled away' off_screen a000000000000001 2
keys Home
check 'Home: row 1' wait_cursor a000000000000001
keys G
check 'G: row 60' wait_cursor a00000000000003c
keys g
check 'g: row 1' wait_cursor a000000000000001
keys G k k
check 'G k k: row 58' wait_cursor a00000000000003a
# the cursor follows its row across re-polls
wait_polls 1
check 'after a re-poll the cursor is still on row 58' wait_cursor a00000000000003a
# panes: 1 queue, 2 greylist, 3 whitelist, 4 verdicts, 5 quarantine
keys 5
check '5: the quarantine pane, empty and saying so' \
    on_screen "no quarantined messages in $E2E_DIR/quarantine" 5
keys 1
wait_for '60 envelopes' 5
keys x
check 'an unknown key in the queue pane' on_screen 'unknown key' 3
keys 4
check '4: the verdicts pane' on_screen_re '^ . TIME- +VERDICT +HITS' 3
check 'the queue pane'"'"'s message is not shown over the verdicts pane' \
    off_screen 'unknown key' 2
keys 2
check '2: the greylist pane' on_screen 'HELO' 3
keys 1
check '1: back to the queue pane' on_screen ENVELOPE 2
check 'and the cursor stays' wait_cursor a00000000000003a
keys Tab
check 'Tab: the next pane' on_screen 'HELO' 3
keys BTab
check 'Shift-Tab: back to the queue' on_screen ENVELOPE 2
check 'and the cursor still stays' wait_cursor a00000000000003a

# an empty pane: keys that need a row say so, not "unknown key"
set_queue "$FIXTURES/show-queue-empty.txt"
check 'the queue empties' off_screen a00000000000003a 5
for k in a d s Enter; do
	keys x
	on_screen 'unknown key' 3
	keys "$k"
	if on_screen 'no envelope under the cursor' 3; then
		ok "$k on an empty pane says there is no row"
	else
		fail "$k on an empty pane: no \"no envelope\" message"
	fi
done
keys q
check 'q quits' wait_exit 3
finish
