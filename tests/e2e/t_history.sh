#!/bin/sh
# Why an envelope is stuck (issue 16): Enter on a queued envelope shows,
# after smtpctl show envelope, its history in the mail log: when it was
# received, each delivery attempt with the relay and its reply, and the
# connections and errors of the outgoing sessions that tried it; never
# another envelope's session.  A hostile reply is shown escaped.
. "${srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
need_tmux
e2e_init
E2E_LINES=60
E2E_COLS=160
_now=$(e2e_now)
_at() { date -u -d "@$1" '+%b %e %H:%M:%S'; }
ESC=$(printf '\033')
ML=$E2E_DIR/maillog
{
	echo "$(_at $((_now - 3000))) mx smtpd[8350]: 7da64a60030e07c7 smtp envelope evpid=0862d5e211583af9 from=<alice@example.com> to=<bob@example.net>"
	echo "$(_at $((_now - 2000))) mx smtpd[8350]: 00000000000000b1 mta connecting address=smtp://192.0.2.25:25 host=mx.example.net"
	echo "$(_at $((_now - 2000))) mx smtpd[8350]: 00000000000000b2 mta connecting address=smtp://192.0.2.26:25 host=mx.other.example"
	echo "$(_at $((_now - 1999))) mx smtpd[8350]: 00000000000000b2 mta error reason=Connection failed: Connection refused"
	echo "$(_at $((_now - 1990))) mx smtpd[8350]: 00000000000000b1 mta delivery evpid=0862d5e211583af9 from=<alice@example.com> to=<bob@example.net> rcpt=<-> source=\"192.0.2.1\" relay=\"192.0.2.25 (mx.example.net)\" delay=16m50s result=\"TempFail\" stat=\"421 4.7.0 Try again later ${ESC}[2Jgone\""
	echo "$(_at $((_now - 1989))) mx smtpd[8350]: smtp-out: Error on session 00000000000000b1 after 1 message sent: Connection closed unexpectedly"
	echo "$(_at $((_now - 1000))) mx smtpd[8350]: 00000000000000b3 mta delivery evpid=15ef78e2d1245448 from=<p@example.com> to=<victor@[127.0.0.2]> rcpt=<-> source=\"192.0.2.1\" relay=\"127.0.0.2\" delay=10m result=\"TempFail\" stat=\"Network error on destination MXs\""
} >"$ML"
write_conf "maillog $ML"
start_mhtop
wait_for '14 envelopes'
wait_cursor 0862d5e211583af9
keys Enter
check 'the detail: show envelope' on_screen_re '^ \$ .*/smtpctl show envelope 0862d5e211583af9$' 5
check 'then its history in the mail log' \
    on_screen 'In the mail log: its delivery attempts, and the sessions that tried it' 5
check 'received' on_screen_re ' received +evpid 0862d5e211583af9$' 10
check 'the session that tried it: connecting' \
    on_screen_re ' connecting to smtp://192\.0\.2\.25:25 \(mx\.example\.net\); session 00000000000000b1$' 5
check 'the attempt: the relay and its reply, escaped' \
    on_screen_re ' deferred +relay 192\.0\.2\.25 \(mx\.example\.net\): 421 4\.7\.0 Try again later .*\[2Jgone; evpid 0862d5e211583af9$' 5
check 'the session error after it' \
    on_screen_re ' mta error +Connection closed unexpectedly; session 00000000000000b1$' 5
assert_no_screen 'mx.other.example' 'not another session'
assert_no_screen '15ef78e2d1245448' 'not another envelope'
check 'no raw ESC on the screen' sh -c "! tm capture-pane -p -t '$TGT' | grep -q '$ESC'"
keys q
check 'q closes the detail' off_screen 'In the mail log' 5

# an envelope the log says nothing of
keys j
wait_cursor 15ef78e2d1245448
keys j
wait_cursor 3047f32eaba40d19
keys Enter
check 'nothing in the log: said' on_screen '(nothing in the smtpd log)' 10
keys q
finish
