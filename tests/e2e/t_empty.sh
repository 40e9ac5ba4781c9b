#!/bin/sh
# An empty pane says why it is empty, where its rows would be: what was
# read and where, never a bare "(empty)" that looks like a quiet relay.
#  - queue: smtpctl show queue listed no envelopes;
#  - greylist, whitelist: spamdb listed no records, pfctl no addresses;
#  - verdicts: a log without verdicts (the history it looked back over);
#    with f, none of that kind among the verdicts read; a missing log; a
#    log that cannot be read; a log with only per-recipient lines (an
#    empty $log_templ), its unparsable verdict line counted, on stderr too
#    with -b;
#  - a filter that hides every row still says so.
. "${srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
need_tmux
e2e_init
spamd_init
: >"$DB"
: >"$TABLE"
set_queue /dev/null
ML=$E2E_DIR/maillog
# BSD time stamps, on the pinned clock: a minute before it, in UTC
echo 'Nov 18 11:05:40 mx smtpd[7]: 0123456789abcdef smtp connected address=192.0.2.7 host=h.example' >"$ML"
spamd_conf "maillog $ML" "history 1d"

start_mhtop -d 1
wait_for 'queue empty: smtpctl show queue listed no envelopes' 10
assert_no_screen '(empty)' 'the queue pane: not a bare "(empty)"'
keys 2
wait_for 'greylist empty: spamdb listed no GREY tuples' 5
keys 3
wait_for 'whitelist empty: spamdb listed no WHITE, TRAPPED or SPAMTRAP records, and pfctl no addresses in table <spamd-white>' 5
keys 4
wait_for "no amavis verdicts in $ML in the last 24 h (history 24h)" 10
assert_no_screen '(empty)' 'the verdicts pane: not a bare "(empty)"'

# a clean verdict: f (blocked) hides it, and says so
echo 'Nov 18 11:06:00 mx amavis[1]: (00001-01) Passed CLEAN {RelayedInbound}, [127.0.0.1] [192.0.2.7] <a@sender.example> -> <b@example.org>, mail_id: M1, Hits: 1.3, size: 476, 81 ms' >>"$ML"
wait_for 'Passed CLEAN' 5
assert_no_screen 'no amavis verdicts' 'a verdict: the reason is gone'
keys f
wait_for 'no blocked verdicts among the 1 read (f shows all)' 5
keys f f f
wait_for 'Passed CLEAN' 5
keys / z z z Enter
wait_for '(no rows match the filter)' 3
keys Escape
wait_for 'Passed CLEAN' 3
keys q
check 'q quits' wait_exit 3

# the log is not there (yet)
spamd_conf "maillog $E2E_DIR/late/maillog" "history 1d"
start_mhtop -d 1 -p verdicts
wait_for "no verdicts: waiting for $E2E_DIR/late/maillog: No such file or directory (maillog in mhtop.conf)" 10
keys q
check 'q quits' wait_exit 3

# the log cannot be read: a directory
spamd_conf "maillog $E2E_DIR" "history 1d"
start_mhtop -d 1 -p verdicts
wait_for "no verdicts: $E2E_DIR: not a regular file" 10
keys q
check 'q quits' wait_exit 3
# amavis logs only per-recipient lines ($log_templ empty), as eBox did
# (tests/fixtures/amavis/wild/zentyal-loghelper-test.log), and one
# verdict-looking line that does not parse
ML=$E2E_DIR/recip-maillog
{
	echo 'Nov 18 11:05:40 intrepid amavis[11173]: (11173-01) Passed SPAM, <spam@zentyal.org> -> <macaco@monos.org>, Hits: 4.637, tag=0, tag2=2, kill=2, queued_as: 7D978307BD, L/Y/Y/Y'
	echo 'Nov 18 11:05:50 intrepid amavis[11802]: (11802-02) Blocked SPAM, <spam@zentyal.org> -> <macaco@monos.org>, Hits: 4.736, tag=0, tag2=2, kill=2, L/Y/Y/Y'
	echo 'Nov 18 11:05:55 intrepid amavis[11803]: (11803-01) Passed CLEAN, no sender here'
} >"$ML"
spamd_conf "maillog $ML" "history 1d"
start_mhtop -d 1 -p verdicts
wait_for 'no verdicts: only per-recipient amavis lines (2), the main log entry is off ($log_templ empty in amavisd.conf?)' 10
wait_for '1 unparsable line' 3
keys q
check 'q quits' wait_exit 3
err=$(spamd_env "$MHTOP" -b -p verdicts -f "$CONF" 2>&1 >/dev/null </dev/null)
assert_eq "$err" 'mhtop: verdicts: 1 unparsable line' '-b: the unparsable line counted on stderr'
finish
