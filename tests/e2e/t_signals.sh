#!/bin/sh
# 19. SIGTERM, SIGHUP and SIGINT (and Ctrl-C): mhtop exits, the terminal is
# restored (stty: icanon, echo; the alternate screen is left) and the
# smtpctl it was waiting for (and its sleep) is killed.
. "${srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
need_tmux
e2e_init

for sig in TERM HUP INT; do
	rm -f "$STATE/hang"
	start_mhtop
	wait_for '14 envelopes' 10
	# a read that hangs, so that there is a child to kill
	echo "60.$E2E_TOKEN" >"$STATE/hang"
	n=0
	while ! leftovers | grep -q "sleep 60.$E2E_TOKEN" && [ $n -lt 60 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	check "$sig: a hung smtpctl is running" test -n "$(leftovers | grep "sleep 60.$E2E_TOKEN")"
	if ! is_our_mhtop; then
		fail "$sig: cannot find mhtop's pid"
		continue
	fi
	t0=$(now_ms)
	kill -"$sig" "$MHTOP_PID"
	if wait_exit 5; then
		ok "SIG$sig: mhtop exits ($(($(now_ms) - t0)) ms)"
	else
		fail "SIG$sig: mhtop does not exit within 5 s"
		continue
	fi
	case $sig in
	TERM) want=143 ;;
	HUP) want=129 ;;
	INT) want=130 ;;
	esac
	assert_eq "$(exit_status)" "$want" "SIG$sig: exit status 128 + signal"
	check "SIG$sig: terminal restored (stty: icanon echo)" tty_restored
	check "SIG$sig: alternate screen left" test "$(tm display-message -p -t "$TGT" '#{alternate_on}')" = 0
	check "SIG$sig: no smtpctl or sleep left behind" no_leftovers 3
done
rm -f "$STATE/hang"

# Ctrl-C on the keyboard (cbreak mode keeps ISIG): SIGINT
start_mhtop
wait_for '14 envelopes' 10
keys C-c
if wait_exit 5; then ok 'Ctrl-C: mhtop exits'; else fail 'Ctrl-C: mhtop does not exit'; fi
check 'Ctrl-C: terminal restored' tty_restored
check 'Ctrl-C: no child left behind' no_leftovers 3

# a signal while a confirmation prompt is open
start_mhtop
wait_for '14 envelopes' 10
keys d
wait_for_re '^Remove envelope [0-9a-f]{16} \(.+ → .+\)\? \[y/N\]$'
log_mark
is_our_mhtop && kill -TERM "$MHTOP_PID"
check 'SIGTERM at the prompt: exits' wait_exit 5
check 'SIGTERM at the prompt: terminal restored' tty_restored
assert_eq "$(actions_since)" '' 'SIGTERM at the prompt: nothing removed'
check 'the envelope is still queued' in_queue 0862d5e211583af9
finish
