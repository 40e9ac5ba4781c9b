#!/bin/sh
# 1. Startup: the fixture's rows, the header, the null sender, odd addresses.
# 20. q quits with status 0 and restores the terminal.
. "${srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
# whole cells: wide enough that no address is cut
E2E_COLS=160
need_tmux
e2e_init
start_mhtop

wait_for 'smtpd: MTA running  MDA running  SMTP running' 10
# the states add up (13 + 1); no flags or bounces to speak of
wait_for_re '^14 envelopes: 13 pending, 1 inflight  oldest [0-9]+s$'
wait_for_re '^data [0-9]{2}:[0-9]{2}:[0-9]{2} \([0-9]+s old\)'
assert_screen 'ENVELOPE' 'column header shown'
for col in AGE NEXT TRIES TYPE STATE 'SENDER → RECIPIENT' ERROR; do
	assert_screen "$col" "column $col shown"
done
assert_eq "$(screen_evpids)" "$ROWS14" 'all 14 envelopes shown, oldest first'
assert_screen '<> → postmaster@example.net' 'null sender shown as <>'
assert_screen '<> → trent@example.com' 'null sender of the local envelope shown as <>'
assert_screen '8924a15b86f02e24 ' 'the envelope with | in its local parts is listed'
# (only text well inside the columns: a cell that does not fit is cut)
assert_screen 'pipe|user@weird.example → rcpt' \
    'local part with | shown whole: pipe|user@weird.example'
assert_screen "walter@example.com → o'neil@" 'quote in a local part'
assert_screen 'UPPER.Case@Example.COM → Mixed' 'case of addresses kept'
assert_screen_re 'ecc8a5b7fc7f5b8c .* run 40s +0 mta +inflight +ivan@example.com' \
    'inflight row: NEXT "run 40s", STATE inflight'
assert_screen_re '3047f32eaba40d19 .* 0s +2 mda +pending +mallory@example.com → nobody@te.* "lab mda tempfail"' \
    'mda row with its error'
# (the enhanced status code is the first to go when the column is short)
assert_screen_re '451 (4\.7\.1 )?Greylisted \| try again' 'error with | shown'
assert_screen '? for help, q to quit' 'status line hint'
check 'cursor starts on the first row' wait_cursor 0862d5e211583af9
check 'argv.log: show status was run' grep -qx 'show status' "$LOG"
check 'argv.log: show queue was run' grep -qx 'show queue' "$LOG"
check 'argv.log: show stats was run' grep -qx 'show stats' "$LOG"
check 'argv.log: nothing but polls' test -z "$(grep -v -e '^show queue$' -e '^show status$' -e '^show stats$' "$LOG")"

# q quits at once, with status 0, and gives the terminal back
t0=$(now_ms)
keys q
check 'q quits' wait_exit 3
assert_eq "$(exit_status)" 0 'exit status 0 after q'
t1=$(now_ms)
check "q quits within 2 s ($((t1 - t0)) ms)" test $((t1 - t0)) -lt 2000
check 'terminal restored (icanon echo) after q' tty_restored
check 'alternate screen left after q' test "$(tm display-message -p -t "$TGT" '#{alternate_on}')" = 0
check 'no child process left after q' no_leftovers

# -n 3 in interactive mode: quit by itself after 3 refreshes
log_mark
start_mhtop -n 3
if wait_exit 10; then ok '-n 3: mhtop quits by itself'; else fail '-n 3: mhtop does not quit'; fi
assert_eq "$(exit_status)" 0 '-n 3: exit status 0'
assert_eq "$(log_since | grep -c '^show queue$')" 3 '-n 3: after exactly 3 reads'
check '-n 3: terminal restored' tty_restored
finish
