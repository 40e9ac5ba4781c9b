#!/bin/sh
# 12. F freezes: FROZEN in the header, no `show queue` for several intervals,
# the data ages; F again resumes polling at once.
. "${srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
need_tmux
e2e_init
start_mhtop
wait_for '14 envelopes' 10
check 'polling runs (interval 1)' wait_polls 2 6

keys F
wait_for FROZEN
wait_for 'frozen: no reads of the queue pane until F (the other panes still read)'
# a read already under way may still finish: wait until no fake runs
check 'no smtpctl running' no_leftovers 3
n0=$(log_count 'show queue')
# the queue changes meanwhile: the display must not follow
grep -v '^0862d5e211583af9|' "$QUEUE" >"$E2E_DIR/q"
set_queue "$E2E_DIR/q"
# the assertion is about time passing: 4 intervals of 1 s
sleep 4
assert_eq "$(log_count 'show queue')" "$n0" 'no show queue while frozen (4 s, interval 1)'
assert_screen FROZEN 'still FROZEN'
check 'the data ages while frozen' on_screen_re '^FROZEN +data [0-9:]+ \(([4-9]|[1-9][0-9])s old\)' 2
assert_screen 0862d5e211583af9 'frozen: an envelope removed meanwhile stays on screen'
assert_screen '14 envelopes' 'frozen: the counts stay'

keys F
wait_for 'resumed: the queue pane reads again'
check 'F again: a read starts at once' wait_polls 1 2
check 'FROZEN gone' off_screen FROZEN 3
check 'the display follows the queue again' off_screen 0862d5e211583af9 3
wait_for '13 envelopes'
check 'polling goes on (interval 1)' wait_polls 2 6
keys q
check 'q quits' wait_exit 3
finish
