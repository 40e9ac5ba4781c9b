#!/bin/sh
# The health line (issue 16): each service checked its own cheap way (a pid
# file and kill(pid, 0), a process of a name, a local socket), the mail
# log's age and the quarantine's free space, on every pane.  A service
# stopped is said in bold, first; one mhtop cannot check is unknown, not
# down; the mail log silent while smtpd delivers is an alarm.
. "${srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
need_tmux
e2e_init
# every item on one line, long paths and all
E2E_COLS=220
# file times are the system's: this test runs on its clock.  A clock
# moved by libfaketime (tests/timeshift.sh) moves the times stat(2) gives
# but not those touch(1) sets, which no real system does: the moved clock
# stays out of this test (it compares file times with now, never a date)
e2e_unpin
unset LD_PRELOAD FAKETIME

RUN=$E2E_DIR/run
mkdir "$RUN"
# a daemon of a name of its own: the process check finds it by that name
cp "$(command -v sleep)" "$E2E_DIR/bin/e2espamd"
"$E2E_DIR/bin/e2espamd" 600 &
SPAMD=$!
sleep 600 &
AMAVISD=$!
echo "$AMAVISD" >"$RUN/amavisd.pid"
stop_daemons() {
	kill "$SPAMD" "$AMAVISD" 2>/dev/null
	wait "$SPAMD" "$AMAVISD" 2>/dev/null
}
# the bold parts of the health line (the screen's second), one a line
bold_parts() {
	tm capture-pane -p -e -t "$TGT" -S 1 -E 1 2>/dev/null | awk '
	{
		s = $0; bold = 0; out = ""
		while (length(s) > 0) {
			if (match(s, /^\033\[[0-9;]*m/)) {
				n = split(substr(s, 3, RLENGTH - 3), a, ";")
				if (n == 0) a[1] = 0
				for (i = 1; i <= (n ? n : 1); i++) {
					if (a[i] + 0 == 1) bold = 1
					else if (a[i] + 0 == 0 || a[i] + 0 == 22) {
						if (bold && out != "") print out
						bold = 0; out = ""
					}
				}
				s = substr(s, RLENGTH + 1)
				continue
			}
			if (bold) out = out substr(s, 1, 1)
			s = substr(s, 2)
		}
		if (bold && out != "") print out
	}'
}
trap 'stop_daemons; e2e_cleanup' EXIT
trap 'stop_daemons; e2e_cleanup; exit 1' INT TERM HUP

MAILLOG=$E2E_DIR/maillog
: >"$MAILLOG"
touch -d "@$(($(date +%s) - 600))" "$MAILLOG"
printf 'scheduler.delivery.ok=1\nuptime=100\n' >"$STATE/stats"
write_conf "maillog $MAILLOG" \
    "health smtpd socket $RUN/smtpd.sock" \
    "health spamd process e2espamd" \
    "health amavisd pidfile $RUN/amavisd.pid" \
    "health maillog 5m" \
    "health quarantine 1M"
start_mhtop
wait_for '14 envelopes'
# no smtpd.sock in a directory that is there: smtpd is down
check 'the health line: every service, the log, the quarantine' \
    on_screen_re '^smtpd DOWN: no [^ ]*/run/smtpd\.sock  spamd up  amavisd up  maillog 10m[0-9]*s? old  quarantine [0-9.]+[BKMGTP] free$' 5
assert_eq "$(bold_parts)" "smtpd DOWN: no $RUN/smtpd.sock" \
    'a service down in bold, the rest not'

# a daemon that died and left its pid file
kill "$AMAVISD"
wait "$AMAVISD" 2>/dev/null
check 'a stale pid file: amavisd down, said in bold and first' \
    on_screen_re "^smtpd DOWN: no [^ ]*  amavisd DOWN: pid $AMAVISD gone  spamd up  maillog" 8
assert_eq "$(bold_parts | grep -c "^amavisd DOWN: pid $AMAVISD gone$")" 1 \
    'the stale pid file: in bold'
kill "$SPAMD"
wait "$SPAMD" 2>/dev/null
check 'no process of the name: spamd down' \
    on_screen 'spamd DOWN: no e2espamd process' 8

# the same line on every pane
keys 2
check 'the greylist pane shows it too' \
    on_screen_re '^smtpd DOWN: .*spamd DOWN: no e2espamd process' 5
keys 1
wait_for '14 envelopes'

# smtpd delivers, its log has been silent for 10 minutes: an alarm
printf 'scheduler.delivery.ok=4\nuptime=103\n' >"$STATE/stats"
check 'the mail log silent while smtpd worked: an alarm' \
    on_screen_re 'maillog SILENT for 10m[0-9]*s? while smtpd worked' 8
assert_eq "$(bold_parts | grep -c '^maillog SILENT for')" 1 \
    'the silent log: in bold'
# the log grows again
echo "a line" >>"$MAILLOG"
check 'the log written again: the alarm ends' \
    on_screen_re 'maillog [0-9]+s old' 8

# smtpd up by its pid file; the MTA paused: the queue pane says so there
sleep 600 &
SMTPD=$!
echo "$SMTPD" >"$RUN/smtpd.pid"
stop_daemons() {
	kill "$SPAMD" "$AMAVISD" "$SMTPD" 2>/dev/null
	wait "$SPAMD" "$AMAVISD" "$SMTPD" 2>/dev/null
}
# a check mhtop cannot make is unknown, never down
write_conf "maillog $MAILLOG" \
    "health smtpd pidfile $RUN/smtpd.pid" \
    "health spamd none" \
    "health amavisd pidfile /nonexistent-mhtop-e2e/amavisd.pid" \
    "health quarantine 4096T"
start_mhtop
wait_for '14 envelopes'
check 'smtpd up by its pid file' on_screen 'smtpd up  amavisd ?' 5
check 'a pid file in no directory: unknown' \
    on_screen 'amavisd ?: no directory for /nonexistent-mhtop-e2e/amavisd.pid' 5
assert_eq "$(bold_parts | grep -c 'amavisd')" 0 'unknown: not bold'
assert_no_screen 'spamd' 'spamd none: not shown'
check 'the quarantine under its floor: low, in bold, first' \
    on_screen_re '^quarantine LOW: [0-9.]+[BKMGTP] free \(under 4P\)  smtpd up' 5
keys p
check 'pause asks' on_screen 'Pause the MTA' 5
keys y
check 'the MTA paused: on the health line, in bold' \
    on_screen 'smtpd up, MTA PAUSED' 5
assert_eq "$(bold_parts | grep -c '^smtpd up, MTA PAUSED$')" 1 \
    'the paused MTA: in bold'
stop_daemons
finish
