#!/bin/sh
# 15. Resizing the terminal redraws at the new size without garbage; back at
# 120x30 every column is there again.
. "${srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
need_tmux
e2e_init
start_mhtop
wait_for '14 envelopes' 10
keys G
check 'cursor on the last row' wait_cursor 7bb7df62a81a2c06

# the screen with the clock and every duration masked: ages tick each
# second, and a read may come between two captures
masked() {
	screen | sed -E -e 's/[0-9][0-9]:[0-9][0-9]:[0-9][0-9]/HH:MM:SS/g' \
	    -e 's/\b[0-9]+[dhms]([0-9]+[hms])?\b/DUR/g'
}

pane_size() {
	tm display-message -p -t "$TGT" '#{pane_width}x#{pane_height}'
}

tm resize-window -t e2e -x 40 -y 10
check 'the pane is 40x10' test "$(pane_size)" = 40x10
check 'redrawn at 40 columns' on_screen_re '^14 envelopes: 13 pending, 1 inflight  ol$' 3
# the tab line may be cut, but the clock must not be written over a tab name
# (seen: "mhtop  1:queue  2:greylist  3:wh14:39:33")
tabs=$(screen | head -n 1)
if printf '%s\n' "$tabs" | grep -qE '^mhtop( +[1-5]:[a-z]+)*( +[1-5]:?[a-z]*)?( +[0-9]{2}:[0-9]{2}:[0-9]{2})?$'; then
	ok "the tab line is clean at 40 columns: $tabs"
else
	fail "the tab line is mangled at 40 columns: [$tabs]"
fi
# the last line is the status line, the first the tab line
small=$(masked)
assert_eq "$(printf '%s\n' "$small" | wc -l | tr -d ' ')" 10 '10 lines'
check 'the tab line is on top' sh -c 'printf "%s\n" "$1" | head -n 1 | grep -q "^mhtop "' sh "$small"
check 'the header is there' on_screen 'smtpd: MTA running' 2
# at 40 columns the queue keeps the age and whom the envelope is for
check 'the column titles are there' on_screen_re '^ +AGE SENDER → RECIPIENT$' 2
check 'the status line is at the bottom' sh -c 'printf "%s\n" "$1" | tail -n 1 | grep -q "for help"' sh "$small"
check 'the cursor row is the recipient of 7bb7df62a81a2c06' wait_cursor_text '<> → trent@example.com'
# characters, not bytes: the arrow is one column (the screen itself: the
# masked one writes a short "0s" as a longer DUR)
check 'no line wider than 40 columns' sh -c 'printf "%s\n" "$1" | while IFS= read -r l; do
	[ "$(printf "%s" "$l" | LC_ALL=C.UTF-8 wc -m)" -le 40 ] || exit 1; done' sh "$(screen)"
# garbage = anything a full redraw would not draw: compare with Ctrl-L
# (x after it changes the status line: once that shows, the redraw is done)
redraw() {
	keys U
	on_screen 'all untagged' 3
	keys C-l x
	on_screen 'unknown key' 3
	masked | sed '$d'
}
after=$(redraw)
if [ "$(printf '%s\n' "$small" | sed '$d')" = "$after" ]; then
	ok 'the resized screen is what a full redraw (Ctrl-L) draws'
else
	fail 'the resized screen differs from a full redraw'
	printf '%s\n' "$small" >"$E2E_DIR/a"
	printf '%s\n' "$after" >"$E2E_DIR/b"
	diff "$E2E_DIR/a" "$E2E_DIR/b" | sed 's/^/# /'
fi
# and with a fresh mhtop started at 40x10 (same data, same cursor)
rows40=$(printf '%s\n' "$small" | grep -c ' → ')
check "rows drawn in the 10-line screen ($rows40)" test "$rows40" -ge 3

# a narrow, tall screen and a wide, short one
tm resize-window -t e2e -x 30 -y 40
check 'at 30x40 all 14 rows are shown' on_screen 'bob@example.net' 3
assert_eq "$(screen | grep -c '→ ')" 15 'at 30x40: 14 rows and the title'
check 'at 30x40 the cursor row is visible' wait_cursor_text 'trent@example.com'
tm resize-window -t e2e -x 200 -y 8
check 'at 200x8 the cursor row is visible' wait_cursor 7bb7df62a81a2c06
check 'at 200x8 the clock is at the right edge' on_screen_re '^mhtop .*5:quarantine {100,}[0-9]{2}:[0-9]{2}:[0-9]{2}$' 3
# tiny: must not crash
tm resize-window -t e2e -x 10 -y 3
check 'the pane is 10x3' test "$(pane_size)" = 10x3

tm resize-window -t e2e -x 120 -y 30
check 'the pane is 120x30 again' test "$(pane_size)" = 120x30
check 'mhtop survived 10x3' test ! -f "$E2E_DIR/exit"
check 'back at 120x30: all columns' on_screen_re 'ENVELOPE +AGE +NEXT TRIES TYPE +STATE +SENDER → RECIPIENT +ERROR' 3
check 'all 14 rows again' on_screen 0862d5e211583af9 3
assert_eq "$(screen_evpids | wc -l | tr -d ' ')" 14 '14 rows on screen'
check 'the cursor row is still the last row' wait_cursor 7bb7df62a81a2c06
big=$(masked | sed '$d')
assert_eq "$(redraw)" "$big" 'back at 120x30: the screen is what a full redraw draws'
keys q
check 'q quits' wait_exit 3
assert_eq "$(exit_status)" 0 'exit status 0'
finish
