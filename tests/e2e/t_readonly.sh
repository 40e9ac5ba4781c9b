#!/bin/sh
# 13. -r: every action key says "read-only" in the status line and runs
# nothing; d and D do not even ask.
. "${srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
need_tmux
e2e_init
start_mhtop -r
wait_for '14 envelopes' 10
assert_screen '[read-only]' 'the tab line says read-only'
log_mark
for k in p r s d D h H; do
	keys C-l	# a key that changes nothing, to tell the answers apart
	keys "$k"
	if on_screen_re '^read-only mode \(-r\)' 3; then
		ok "-r: $k says read-only"
	else
		fail "-r: $k does not say read-only"
	fi
	assert_no_screen '[y/N]' "-r: $k does not ask anything"
	keys x	# "unknown key": clears the status line for the next one
	on_screen 'unknown key' 3
done
# the message says what would have run
keys d
check '-r: d names the command it did not run' \
    on_screen "read-only mode (-r): did not run: $SMTPCTL remove 0862d5e211583af9" 3
keys x
on_screen 'unknown key' 3
keys Space Space
wait_for '2 tagged'
for k in s d D h H; do
	keys "$k"
	if on_screen_re '^read-only mode \(-r\)' 3; then
		ok "-r with tags: $k says read-only"
	else
		fail "-r with tags: $k does not say read-only"
	fi
	keys x
	on_screen 'unknown key' 3
done
keys '?'
wait_for 'read-only: none of them runs'
keys x
on_screen ENVELOPE 3
wait_polls 1
assert_eq "$(actions_since)" '' '-r: no action reached smtpctl'
check 'the queue is untouched' cmp -s "$QUEUE" "$FIXTURE14"
check 'the MTA is still running' grep -qx 'MTA running' "$STATE/status"
# reading is still allowed: Enter shows the envelope
keys Enter
wait_for 'dispatcher: relay'
keys q
on_screen ENVELOPE 3
keys q
check 'q quits' wait_exit 3
finish
