#!/bin/sh
# 5. d on the cursor row asks first; n runs nothing; y removes it.
# 6. Tagged rows: d removes exactly the tagged envelopes; U untags.
# 7. D removes the whole message once (smtpctl remove MSGID).
. "${srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
need_tmux
e2e_init
start_mhtop
wait_for '14 envelopes' 10
check 'cursor on 0862d5e211583af9' wait_cursor 0862d5e211583af9

# --- 5: d, n
log_mark
keys d
# the question names the envelope, its sender and its recipient
wait_for 'Remove envelope 0862d5e211583af9 (alice@example.com → bob@example.net)? [y/N]'
keys n
wait_for 'cancelled: nothing changed'
wait_polls 1
assert_eq "$(actions_since)" '' 'd n: no command run'
assert_screen 0862d5e211583af9 'd n: the row is still there'
check 'd n: the envelope is still queued' in_queue 0862d5e211583af9

# d, Esc also cancels
keys d
wait_for_re '^Remove envelope [0-9a-f]{16} \(.+ → .+\)\? \[y/N\]$'
keys Escape
wait_for 'cancelled: nothing changed'
assert_eq "$(actions_since)" '' 'd Esc: no command run'

# --- 5: d, y
keys d
wait_for_re '^Remove envelope [0-9a-f]{16} \(.+ → .+\)\? \[y/N\]$'
keys y
check 'd y: smtpctl remove 0862d5e211583af9' wait_log 'remove 0862d5e211583af9'
# and so does the outcome, and, once the queue is read again, that the
# cursor's envelope is gone (the cursor is on another one now)
wait_for '1 envelope removed: 0862d5e211583af9'
wait_for '1 envelope removed: 0862d5e211583af9; envelope 0862d5e211583af9 is no longer in the queue'

check '0862d5e211583af9 gone from the table' row_gone 0862d5e211583af9
assert_eq "$(actions_since)" 'remove 0862d5e211583af9' 'd y: exactly one remove, of the cursor row'
check 'd y: gone from the fake queue' test ! -n "$(grep '^0862d5e211583af9|' "$QUEUE")"
wait_for '13 envelopes'
check 'the cursor moved to the next row' wait_cursor 15ef78e2d1245448

# --- 6: tag three rows with space, d, y
keys Space Space Space
wait_for '3 tagged'
check 'tagging moved the cursor down 3 rows' wait_cursor 82f7113b5a9de746
for id in 15ef78e2d1245448 3047f32eaba40d19 41a3e85a8587ab6c; do
	assert_screen_re "^\\*. $id " "row $id marked as tagged"
done
assert_no_screen "*82f7113b5a9de746" 'the cursor row is not tagged'
log_mark
keys d
wait_for 'Remove 3 envelopes 15ef78e2d1245448, 3047f32eaba40d19 and 41a3e85a8587ab6c? [y/N]'
keys y
wait_for '3 envelopes removed: 15ef78e2d1245448, 3047f32eaba40d19 and 41a3e85a8587ab6c'
check '3047f32eaba40d19 gone from the table' row_gone 3047f32eaba40d19
got=$(actions_since | sort)
want='remove 15ef78e2d1245448
remove 3047f32eaba40d19
remove 41a3e85a8587ab6c'
assert_eq "$got" "$want" 'd y on 3 tagged rows: exactly their 3 removes'
for id in 15ef78e2d1245448 3047f32eaba40d19 41a3e85a8587ab6c; do
	check "$id gone from the fake queue" test -z "$(grep "^$id|" "$QUEUE")"
	check "$id gone from the table" row_gone "$id" 1
done
wait_for '10 envelopes'
check '82f7113b5a9de746 (untagged) still queued' in_queue 82f7113b5a9de746
# the tags of removed envelopes must not linger: nothing is tagged any more,
# and the next action applies to the cursor row again
check 'no "tagged" count left in the header after removing the tagged rows' \
    off_screen_re '[0-9]+ tagged' 3
log_mark
keys d
if on_screen_re '^Remove envelope 82f7113b5a9de746 ' 3; then
	ok 'd after removing the tagged rows asks about the cursor row only'
else
	fail 'd after removing the tagged rows does not ask about 1 envelope'
fi
keys n
wait_for 'cancelled: nothing changed'
assert_eq "$(actions_since)" '' 'n: nothing run'
keys U	# in case the tags lingered (bug): start the next part clean
wait_for 'all untagged'

# --- U untags
keys g Space Space
wait_for '2 tagged'
keys U
wait_for 'all untagged'
check 'no tag marks left' off_screen_re '^\*' 3
check 'no tag count in the header' off_screen_re '[0-9]+ tagged' 3
keys d
wait_for_re '^Remove envelope [0-9a-f]{16} \(.+ → .+\)\? \[y/N\]$'
keys n
wait_for 'cancelled: nothing changed'
assert_eq "$(actions_since)" '' 'U then d n: nothing run'
# space on a tagged row untags it
keys g Space
wait_for '1 tagged'
keys g Space
wait_for '0 tagged'
assert_no_screen_re '^\*. 82f7113b5a9de746 ' 'space on a tagged row untags it'

# --- 7: D on an envelope of aca65f00 removes the whole message
keys g
check 'g: cursor on the first row' wait_cursor "$(screen_evpids | head -n 1)"
check 'cursor on aca65f0062f28350' cursor_down_to aca65f0062f28350
log_mark
keys D
wait_for 'Remove message aca65f00 (3 envelopes)? [y/N]'
keys y
wait_for '3 envelopes removed: aca65f00'
assert_eq "$(actions_since)" 'remove aca65f00' 'D y: exactly one "remove aca65f00"'
for id in aca65f001fc08029 aca65f0062f28350 aca65f00a2e33597; do
	check "$id gone from the table" row_gone "$id" 5
	check "$id gone from the fake queue" test -z "$(grep "^$id|" "$QUEUE")"
done
wait_for '7 envelopes'

# --- D on two tagged envelopes of one message runs one remove
{
	cat "$QUEUE"
	queue_line bbbbbbbb00000001 1795525100 'x'
	queue_line bbbbbbbb00000002 1795525100 'y'
	queue_line cccccccc00000001 1795525100 'z'
} >"$E2E_DIR/q"
set_queue "$E2E_DIR/q"
wait_for bbbbbbbb00000002 5
keys g
check 'cursor on bbbbbbbb00000001 (the oldest)' wait_cursor bbbbbbbb00000001
keys Space Space
wait_for '2 tagged'
log_mark
keys D
wait_for 'Remove message bbbbbbbb (2 envelopes)? [y/N]'
keys y
wait_for '2 envelopes removed: bbbbbbbb'
assert_eq "$(actions_since)" 'remove bbbbbbbb' 'D y on 2 tagged envelopes of one message: one remove'
check 'cccccccc00000001 untouched' in_queue cccccccc00000001
keys q
check 'q quits' wait_exit 3
finish
