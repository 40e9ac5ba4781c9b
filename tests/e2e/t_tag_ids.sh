#!/bin/sh
# 9. Tags (and the cursor) remember ids, not screen positions: when the queue
# changes order under them, the action still hits the remembered envelope.
. "${srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
need_tmux
e2e_init
start_mhtop
wait_for '14 envelopes' 10

keys j Space
wait_for '1 tagged'
check 'row 2 (15ef78e2d1245448) tagged' on_screen_re '^\*. 15ef78e2d1245448 ' 3
check 'cursor moved to row 3' wait_cursor 3047f32eaba40d19

# three older envelopes arrive: they sort first, pushing every row down
{
	queue_line 0000000000000e01 1795520001 'new one'
	queue_line 0000000000000e02 1795520002 'new two'
	queue_line 0000000000000e03 1795520003 'new three'
	cat "$QUEUE"
} >"$E2E_DIR/q"
set_queue "$E2E_DIR/q"
wait_for '17 envelopes' 6
first=$(screen_evpids | head -n 3 | tr '\n' ' ')
assert_eq "$first" '0000000000000e01 0000000000000e02 0000000000000e03 ' 'the new rows are on top'
row2=$(screen_evpids | sed -n 2p)
assert_eq "$row2" 0000000000000e02 'screen position 2 now holds another envelope'
check 'the tag stayed on 15ef78e2d1245448' on_screen_re '^\*. 15ef78e2d1245448 ' 3
assert_no_screen_re '^\*. 0000000000000e02 ' 'the row now at position 2 is not tagged'
check 'the cursor stayed on 3047f32eaba40d19' wait_cursor 3047f32eaba40d19

log_mark
keys d
wait_for_re '^Remove envelope [0-9a-f]{16} \(.+ → .+\)\? \[y/N\]$'
keys y
wait_for '1 envelope removed'
assert_eq "$(actions_since)" 'remove 15ef78e2d1245448' 'd y removed the tagged envelope, not what is at its old position'
check '0000000000000e02 still queued' in_queue 0000000000000e02
check '15ef78e2d1245448 gone from the queue' test -z "$(grep '^15ef78e2d1245448|' "$QUEUE")"
check '15ef78e2d1245448 gone from the table' row_gone 15ef78e2d1245448
keys U
wait_for 'all untagged'

# the cursor row, too: move to a row, reorder, d y
check 'cursor still on 3047f32eaba40d19' wait_cursor 3047f32eaba40d19
{
	queue_line 0000000000000e04 1795520004 'new four'
	cat "$QUEUE"
} >"$E2E_DIR/q"
set_queue "$E2E_DIR/q"
wait_for 0000000000000e04 6
check 'cursor still on 3047f32eaba40d19 after the reorder' wait_cursor 3047f32eaba40d19
log_mark
keys d
wait_for_re '^Remove envelope [0-9a-f]{16} \(.+ → .+\)\? \[y/N\]$'
keys y
wait_for '1 envelope removed'
assert_eq "$(actions_since)" 'remove 3047f32eaba40d19' 'd y removed the cursor envelope'

# a tagged row that leaves the queue behind mhtop's back
keys g Space
wait_for '1 tagged'
grep -v '^0000000000000e01|' "$QUEUE" >"$E2E_DIR/q"
set_queue "$E2E_DIR/q"
check '0000000000000e01 gone from the table' row_gone 0000000000000e01 6
check 'a tag of an envelope that left the queue is dropped' off_screen_re '[0-9]+ tagged' 3
keys q
check 'q quits' wait_exit 3
finish
