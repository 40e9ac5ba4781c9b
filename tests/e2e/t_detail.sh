#!/bin/sh
# 10. Enter: the detail view with every field, the whole error and the
# output of `smtpctl show envelope EVPID`; it scrolls; q/Esc close it.
. "${srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
need_tmux
e2e_init
digits=$(awk 'BEGIN { for (i = 0; i < 35; i++) printf "0123456789" }')
LONGERR="550-START-$digits-END"
{
	queue_line dddddddd00000001 1795520000 "$LONGERR"
	cat "$FIXTURE14"
} >"$E2E_DIR/q"
set_queue "$E2E_DIR/q"
start_mhtop
wait_for '15 envelopes' 10
check 'cursor on dddddddd00000001' wait_cursor dddddddd00000001

# the screen with the first column dropped, joined in one line
joined() {
	screen | sed 's/^.//' | tr -d '\n'
}

log_mark
keys Enter
check 'Enter: smtpctl show envelope dddddddd00000001' wait_log 'show envelope dddddddd00000001'
wait_for 'evpid    dddddddd00000001'
# the title: the envelope and who it is from and to
assert_screen_re '^ envelope dddddddd00000001: sender@example\.com → rcpt@example\.net *$' \
    'the title names the envelope, its sender and its recipient'
for f in 'msgid    dddddddd' 'type     mta' 'state    pending' 'flags' \
    'sender   sender@example.com' 'rcpt     rcpt@example.net' \
    'dest     rcpt@example.net' 'ctime    1795520000' 'tries    1' \
    'delay    360' 'family   inet4' 'expire   1795520000' 'lasttry  0'; do
	assert_screen " $f" "detail field: $f"
done
check 'the whole long error is shown (wrapped)' sh -c '
	case $1 in *"error    $2"*) exit 0 ;; esac; exit 1' sh "$(joined)" "$LONGERR"
wait_for "$ $SMTPCTL show envelope dddddddd00000001"
wait_for 'dispatcher: relay'
keys G
wait_for '(no route to a host whose name is in example.net)'
assert_eq "$(actions_since)" 'show envelope dddddddd00000001
show hoststats
show routes' "Enter ran exactly show envelope, then smtpd's hoststats and routes"
keys g
check 'loading finished' off_screen '(loading...)' 5
assert_no_screen 'ENVELOPE ' 'the table is hidden'

# scroll down to the end of smtpctl's answer
keys NPage
check 'PgDn scrolls the detail down to the end of show envelope' on_screen 'dsn-notify: 0' 3
check 'PgDn scrolled the first field away' off_screen 'evpid    dddddddd00000001' 3
keys PPage
check 'PgUp scrolls back' on_screen 'evpid    dddddddd00000001' 3
# Down/Up scroll by one line: the second line moves to the top
top1=$(screen | sed -n 2p)
top2=$(screen | sed -n 3p)
keys Down
check 'Down scrolls one line' line_is 2 "$top2"
keys Up
check 'Up scrolls back one line' line_is 2 "$top1"
keys q
check 'q closes the detail view' on_screen 'ENVELOPE ' 3
check 'q in the detail view does not quit mhtop' test ! -f "$E2E_DIR/exit"
check 'the cursor is still on its row' wait_cursor dddddddd00000001

# the envelope with '|' in its local parts, and the very long recipient
keys G
wait_cursor 7bb7df62a81a2c06
keys Enter
wait_for 'evpid    7bb7df62a81a2c06'
assert_screen 'sender   <>' 'null sender: <> in the detail view'
assert_screen 'family   local' 'family local'
assert_screen 'flags    auth' 'flags auth'
keys Escape
check 'Esc closes the detail view' on_screen 'ENVELOPE ' 3
keys g
wait_cursor dddddddd00000001
check 'cursor on 8924a15b86f02e24' cursor_down_to 8924a15b86f02e24
keys Enter
wait_for 'evpid    8924a15b86f02e24'
assert_screen 'sender   pipe|user@weird.example' 'detail: sender with |'
assert_screen 'rcpt     rcpt|with|pipes@example.com' 'detail: rcpt with |'
assert_screen 'dest     rcpt|with|pipes@example.com' 'detail: dest with |'
keys q
on_screen 'ENVELOPE ' 3
keys k
wait_cursor 82f7113b5a9de746
keys Enter
wait_for 'evpid    82f7113b5a9de746'
long=$(grep '^82f7113b5a9de746|' "$FIXTURE14" | cut -d'|' -f6)
check 'the whole very long recipient is shown (wrapped)' sh -c '
	case $1 in *"rcpt     $2"*) exit 0 ;; esac; exit 1' sh "$(joined)" "$long"
keys q
on_screen 'ENVELOPE ' 3

# show envelope failing (the envelope vanished meanwhile): its error is shown
keys g
wait_cursor dddddddd00000001
keys F
wait_for FROZEN
grep -v '^dddddddd00000001|' "$QUEUE" >"$E2E_DIR/q"
set_queue "$E2E_DIR/q"
keys Enter
wait_for 'evpid    dddddddd00000001'
wait_for '(exit 1)'
wait_for 'smtpctl: fopen: No such file or directory'
keys q F
on_screen 'ENVELOPE ' 3
keys q
check 'q quits' wait_exit 3
finish
