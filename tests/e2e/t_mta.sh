#!/bin/sh
# 4. p pauses the MTA, r resumes it, each after asking (n runs nothing, and
# "confirm removals" in the config does not ask); the outcome is in the
# status line, the header follows after the re-poll; a failing command
# shows its exit status.
. "${srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
need_tmux
e2e_init
start_mhtop
wait_for 'smtpd: MTA running  MDA running  SMTP running' 10
wait_for '14 envelopes'

log_mark
keys p
wait_for 'Pause the MTA: no mail leaves the relay until r? [y/N]'
keys n
wait_for 'cancelled: nothing changed'
wait_polls 1
assert_eq "$(actions_since)" '' 'p n: nothing run'
keys p
wait_for 'Pause the MTA: no mail leaves the relay until r? [y/N]'
keys y
check 'p: smtpctl pause mta run' wait_log 'pause mta'
wait_for 'command succeeded'
wait_for 'smtpd: MTA PAUSED  MDA running  SMTP running'
assert_eq "$(actions_since)" 'pause mta' 'p y ran exactly "pause mta", once'
check 'the fake says MTA paused' grep -qx 'MTA paused' "$STATE/status"
check 'the status line shows the answer and what it answered' \
    test "$(status_line)" = 'smtpctl pause mta: command succeeded'

# pausing again fails: smtpctl says "command failed" and exits 1
log_mark
keys p
wait_for 'Pause the MTA: no mail leaves the relay until r? [y/N]'
keys y
check 'p again: pause mta run again' wait_log 'pause mta' 5
wait_for_re 'pause mta: exit 1: command failed'
assert_eq "$(actions_since)" 'pause mta' 'p ran "pause mta" once more'
assert_screen 'smtpd: MTA PAUSED' 'still paused'

log_mark
keys r
wait_for 'Resume the MTA: the queue is delivered? [y/N]'
keys y
wait_for 'smtpd: MTA running  MDA running  SMTP running'
assert_eq "$(status_line)" 'smtpctl resume mta: command succeeded' 'r: status line shows the answer'
assert_eq "$(actions_since)" 'resume mta' 'r ran exactly "resume mta"'
check 'the fake says MTA running' grep -qx 'MTA running' "$STATE/status"

# an action re-reads the pane at once (not after the interval): -d 30;
# "confirm removals": p does not ask
keys q
wait_exit 3
write_conf 'confirm removals'
start_mhtop -d 30
wait_for 'smtpd: MTA running' 10
log_mark
keys p
check 'with interval 30 the header still shows PAUSED within 3 s' \
    on_screen 'smtpd: MTA PAUSED' 3
check 'a poll followed the action' test "$(log_since | grep -c '^show queue$')" -ge 1
keys q
check 'q quits' wait_exit 3
finish
