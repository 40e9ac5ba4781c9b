#!/bin/sh
# 14. A hung smtpctl: STALE with the time of the last good data within ~10 s,
# keys keep working, q quits at once and no smtpctl/sleep is left behind.
# Then a slow read that ends: STALE goes away, and the next read waits 9
# times the duration of the slow one.
. "${srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
need_tmux
e2e_init
start_mhtop
wait_for '14 envelopes' 10
check 'polling runs' wait_polls 1 5

data_time() { # the HH:MM:SS of "data HH:MM:SS" in the header
	screen | sed -n 's/^\(FROZEN  *\)\{0,1\}data \([0-9][0-9]:[0-9][0-9]:[0-9][0-9]\) .*/\2/p' | head -n 1
}

# freeze, so that the last good read is known, then hang smtpctl and thaw
keys F
wait_for FROZEN
check 'no smtpctl running' no_leftovers 3
good=$(data_time)
check "the header shows the data time ($good)" test -n "$good"
echo "60.$E2E_TOKEN" >"$STATE/hang"
log_mark
t0=$(now_ms)
keys F
wait_for resumed
check 'the read started (and hangs)' wait_log 'show status' 3
if on_screen 'STALE' 10; then
	ok "STALE within 10 s ($(($(now_ms) - t0)) ms)"
else
	fail 'no STALE within 10 s of the hang'
fi
wait_for_re "STALE: .* showing data from $good \\([0-9]+s old\\)"
check 'the hung smtpctl is still running (test sanity)' \
    test -n "$(leftovers | grep "sleep 60.$E2E_TOKEN")"
assert_screen 0862d5e211583af9 'the old rows stay on screen'

# keys still work
keys j
check 'j moves while a read hangs' wait_cursor 15ef78e2d1245448
keys k
check 'k moves while a read hangs' wait_cursor 0862d5e211583af9
keys '?'
check '? opens the help while a read hangs' on_screen 'Keys of the queue pane' 3
keys x
check 'x closes it' on_screen 'ENVELOPE' 3
keys /
type_text greylist
keys Enter
check 'the filter works while a read hangs' on_screen 'filter: greylist (1 of 14)' 3
keys Escape
on_screen 'filter cleared' 3

# q quits promptly and kills the hung smtpctl (and its sleep)
t0=$(now_ms)
keys q
if wait_exit 5; then
	t1=$(now_ms)
	check "q quits in < 2 s while a read hangs ($((t1 - t0)) ms)" test $((t1 - t0)) -lt 2000
else
	fail 'q does not quit within 5 s while a read hangs'
fi
assert_eq "$(exit_status)" 0 'exit status 0'
check 'terminal restored' tty_restored
check 'no smtpctl or sleep left behind after q' no_leftovers 2

# --- a slow read that ends: STALE, then fresh data; the next read waits
rm -f "$STATE/hang"
start_mhtop
wait_for '14 envelopes' 10
check 'polling runs' wait_polls 1 5
echo 7 >"$STATE/hang"
check 'a slow read shows its progress' on_screen_re 'reading\.\.\. [0-9]+ envelopes \([0-9]+s\)' 4
check 'STALE within 10 s' on_screen STALE 10
rm -f "$STATE/hang"
check 'when the slow read ends, STALE goes away' off_screen STALE 8
wait_for_re '^data [0-9:]{8} \([0-9]s old\)'
n0=$(log_count 'show queue')
# time passing is the point here: 3 intervals of 1 s, but the last read took
# 7 s, so the next may not start before 63 s
sleep 3
assert_eq "$(log_count 'show queue')" "$n0" 'no read sooner than 9 x the last duration'
# the header says when the next read is and why it waits
assert_screen_re 'next read in [0-9ms]+ \(the last took [0-9]+s; Ctrl-R reads now\)' \
    'the header says when the next read is due, and why so late'
# an action still re-reads at once
log_mark
keys r
wait_for 'Resume the MTA: the queue is delivered? [y/N]'
keys y
wait_for 'command failed'
check 'an action re-reads at once' wait_polls 1 3
# and so does Ctrl-R, the "read now" key
log_mark
keys C-r
wait_for 'reading now' 3
check 'Ctrl-R reads at once' wait_polls 1 3
keys q
check 'q quits' wait_exit 3

# --- a read that never answers: killed after 30 s, said so in those words,
# and the next one is tried within a minute, not 9 x 30 s later
start_mhtop
wait_for '14 envelopes' 10
echo "300.$E2E_TOKEN" >"$STATE/hang"
log_mark
keys C-r
wait_for_re 'smtpctl show status: no answer for 30 s, killed' 40
assert_no_screen 'exit 143' 'not "exit 143": mhtop killed it and says so'
assert_screen_re 'next read in ([1-5]?[0-9]s|1m00s) \(the last was killed after 3[0-9]s' \
    'the next read within a minute of a killed one'
assert_eq "$(log_since | grep -c '^show queue$')" 0 \
    'show queue is not tried after show status hung'
check 'no smtpctl left behind' no_leftovers 3
rm -f "$STATE/hang"
keys C-r
check 'Ctrl-R: fresh data' off_screen 'STALE' 5
keys q
check 'q quits' wait_exit 3
finish
