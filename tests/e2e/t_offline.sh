#!/bin/sh
# 17. smtpd not running: NOT RUNNING in the header, the queue read offline.
# smtpctl not allowed (not root): "need root privileges" with the doas.conf
# hint, in the header and in the status line.
. "${srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
need_tmux
e2e_init
user=$(id -un)
# the narrowest rule that allows the command: doas matches args exactly
HINT="[doas.conf: permit nopass $user as root cmd $SMTPCTL args"

# --- not running from the start
touch "$STATE/notrunning"
start_mhtop
wait_for 'smtpd: NOT RUNNING (queue read offline from the spool)' 10
wait_for '14 envelopes: 0 pending, 0 inflight, 14 offline'
# the clock is pinned half a minute after the capture: the ages are seconds
check 'every row is offline, NEXT "-"' test "$(screen | grep -cE '^ . [0-9a-f]{16} +[1-5][0-9]s +- +[0-9]+ +[a-z]+ +offline ')" -eq 14
assert_no_screen 'STALE' 'offline data is good data: not STALE'
log_mark
keys p
wait_for 'Pause the MTA: no mail leaves the relay until r? [y/N]'
keys y
wait_for "pause mta: exit 1: smtpctl: smtpd doesn't seem to be running"
assert_eq "$(actions_since)" 'pause mta' 'p still ran pause mta'
keys d
wait_for_re '^Remove envelope [0-9a-f]{16} \(.+ → .+\)\? \[y/N\]$'
keys y
wait_for "remove 0862d5e211583af9: exit 1: smtpctl: smtpd doesn't seem to be running"
check 'the envelope is still there' in_queue 0862d5e211583af9
# smtpd comes back
rm -f "$STATE/notrunning"
wait_for 'smtpd: MTA running  MDA running  SMTP running' 5
wait_for '14 envelopes: 13 pending, 1 inflight  oldest'
# and stops again while we watch
touch "$STATE/notrunning"
wait_for 'smtpd: NOT RUNNING' 5
wait_for '14 offline'
keys q
check 'q quits' wait_exit 3

# --- a host where smtpd never ran: no spool; the pane says what to do
touch "$STATE/nospool"
start_mhtop
check 'no spool: the header says what to check' \
    on_screen 'smtpctl show queue: exit 1: no smtpd spool (/var/spool/smtpd/queue): is OpenSMTPD installed and started?' 10
# a long reason wraps between words
check 'no spool: ... and what to try, wrapped at a space' on_screen_re '^--demo$' 3
assert_screen 'STALE' 'no spool: the pane is not a quiet relay'
assert_no_screen 'queue empty' 'no spool: not "queue empty"'
keys q
check 'q quits' wait_exit 3
rm -f "$STATE/nospool" "$STATE/notrunning"

# --- not root from the start
touch "$STATE/notroot"
start_mhtop
wait_for 'need root privileges' 10
wait_for 'STALE'
check 'the header shows the doas.conf hint (120 columns)' on_screen 'doas.conf' 2
assert_no_screen '0862d5e211583af9' 'no rows: nothing could be read'
# the hint itself, on a screen wide enough for the whole line
tm resize-window -t e2e -x 250 -y 30
check 'the header names the doas.conf rule to add (250 columns)' \
    on_screen_re "need root privileges \\$HINT show (status|queue)\\]" 3
tm resize-window -t e2e -x 120 -y 30
# root again: the data comes
rm -f "$STATE/notroot"
wait_for '14 envelopes' 5
check 'STALE gone once the read works' off_screen STALE 3
# lose root while running: old data stays, STALE, and actions fail with the hint
touch "$STATE/notroot"
wait_for 'STALE' 5
assert_screen 0862d5e211583af9 'the last good rows stay'
assert_screen 'smtpd: MTA running' 'the last good status stays'
log_mark
keys p
wait_for 'Pause the MTA: no mail leaves the relay until r? [y/N]'
keys y
check 'p: the status line shows need root privileges' on_screen_re '^.*pause mta: exit 1: smtpctl: need root privileges' 5
check 'p: the status line shows the doas.conf hint (120 columns)' on_screen 'doas.conf' 2
tm resize-window -t e2e -x 250 -y 30
check 'p: the status line names the doas.conf rule to add (250 columns)' \
    on_screen "pause mta: exit 1: smtpctl: need root privileges $HINT pause mta]" 3
tm resize-window -t e2e -x 120 -y 30
keys Enter
check 'Enter: show envelope fails with the hint' on_screen 'smtpctl: need root privileges' 5
check 'Enter: exit status shown' on_screen '(exit 1)' 2
# README: "Without it, Enter, s, d, D, h and H fail, and mhtop shows the doas
# error with a hint naming the doas.conf rule to add."
check 'Enter: the doas.conf hint is shown in the detail view' on_screen 'doas.conf' 2
keys q
keys q
check 'q quits' wait_exit 3
finish
