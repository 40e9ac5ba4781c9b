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
# smtpd's last result by domain, and its routes (smtpd 7's formats)
{
	echo "example.net|$((_now - 1990))|421 4.7.0 Try again later | closing ${ESC}[2J"
	echo "mail.example.net.evil|$((_now - 100))|550 not this one"
	echo "example.com|$((_now - 50))|250 2.0.0 Ok"
} >"$STATE/show-hoststats"
{
	echo "1. [] <-> 192.0.2.25 (mx.example.net) ---- nconn=0 nerror=1 penalty=0 timeout=-"
	echo "2. [] <-> 192.0.2.26 (mx.other.example) N--- nconn=1 nerror=0 penalty=0 timeout=-"
	echo "3. [] <-> 192.0.2.27 (badexample.net) ---- nconn=0 nerror=0 penalty=0 timeout=-"
} >"$STATE/show-routes"
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
check "smtpd's last result for its domain, in words" \
    on_screen_re "^ smtpd's last result for example\.net, 33m1[0-9]s ago \(2026-11-24 12:26:50\): 421 4\.7\.0 Try again later \| closing .*\[2J\$" 5
assert_no_screen 'not this one' 'not a longer name that ends like it'
assert_no_screen '250 2.0.0 Ok' "not another domain's"
check 'its routes to hosts of the domain' \
    on_screen_re '^ 1\. \[\] <-> 192\.0\.2\.25 \(mx\.example\.net\) ---- nconn=0 nerror=1' 5
assert_no_screen 'badexample.net' "not a host whose name only ends like it"
assert_no_screen '192.0.2.26' "not another domain's route"
assert_eq "$(actions_since 0 | grep -c '^show \(hoststats\|routes\)$')" 2 \
    'show hoststats and show routes ran once each'
check 'no raw ESC on the screen' sh -c "! tm capture-pane -p -t '$TGT' | grep -q '$ESC'"
keys q
check 'q closes the detail' off_screen 'In the mail log' 5

# an envelope the log says nothing of
keys j
wait_cursor 15ef78e2d1245448
keys j
wait_cursor 3047f32eaba40d19
log_mark
keys Enter
check 'nothing in the log: said' on_screen '(nothing in the smtpd log)' 10
check 'a local delivery: show envelope' on_screen 'show envelope 3047f32eaba40d19' 5
assert_eq "$(actions_since | grep -c '^show \(hoststats\|routes\)$')" 0 \
    'a local delivery: no relay, no hoststats or routes'
keys q
wait_gone 'In the mail log'
# an envelope for a domain smtpd has no line or route for
keys /
type_text erin
keys Enter
wait_cursor aca65f001fc08029
keys Enter
check 'no hoststats line for its domain: said' \
    on_screen '(no line for example.org)' 5
keys G
check 'no route: said' \
    on_screen '(no route to a host whose name is in example.org)' 5
keys q
wait_gone 'In the mail log'
keys Escape

# smtpd stopped: the spool says nothing of hoststats or routes
touch "$STATE/notrunning"
wait_for 'NOT RUNNING'
log_mark
keys g
wait_cursor 0862d5e211583af9
keys Enter
check 'offline: show envelope' on_screen 'show envelope 0862d5e211583af9' 5
check 'offline: the history still' on_screen 'In the mail log' 5
assert_eq "$(actions_since | grep -c '^show \(hoststats\|routes\)$')" 0 \
    'offline: no show hoststats or routes'
keys q
finish
