#!/bin/sh
# The README's first command: mhtop --demo shows a live smarthost in every
# pane.  The demo is "now", so this is the one test that runs on the system
# clock: under tests/timeshift.sh it opens on New Year's Day, with its hour
# of history in the old year.
. "${srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
need_tmux
e2e_init
e2e_unpin

# seconds of the day of HH:MM:SS
secs() {
	echo "$1" | awk -F: '{ print $1 * 3600 + $2 * 60 + $3 }'
}

# how far THEN (HH:MM:SS) is before NOW (HH:MM:SS), across midnight
before() {
	echo $((($(secs "$2") - $(secs "$1") + 86400) % 86400))
}

# the tab line's clock, and the time of the first/last verdict row
clock() {
	screen | head -n 1 | grep -oE '[0-9]{2}:[0-9]{2}:[0-9]{2}$'
}
# a verdict row: of today "HH:MM:SS", of another day "Mmm dd HH:MM"
VROW='^ . ([0-9]{2}:[0-9]{2}:[0-9]{2}|[A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}) +(Passed|Blocked) '
row_time() { # first|last, as HH:MM:SS
	screen | grep -E "$VROW" |
	    if [ "$1" = first ]; then head -n 1; else tail -n 1; fi |
	    awk '$1 ~ /^[+*]?[A-Z]?$/ { $1 = ""; $0 = $0 }
	    $1 ~ /:/ { print $1; next } { print $3 ":00" }'
}

# the demo's files go to a directory of its own, here under the test's
export TMPDIR="$E2E_DIR/tmp"
mkdir "$TMPDIR"
demo_dirs() {
	find "$TMPDIR" -maxdepth 1 -name 'mhtop-demo.*' | sort
}

start_mhtop --demo
wait_for_re '^mhtop \[demo\]' 10
wait_for_re '^[0-9]+ envelopes: [0-9]+ pending' 10
check 'the queue has envelopes' test "$(screen_evpids | wc -l)" -ge 5
keys 2
wait_for_re 'spamdb: [1-9][0-9]* GREY  [0-9]+ WHITE' 10
keys 3
wait_for_re 'spamdb: [0-9]+ GREY  [1-9][0-9]* WHITE' 10
# the quarantine amavis wrote for the blocked ones, every type
keys 5
check 'the demo has a quarantine' \
    on_screen_re '^quarantine: [1-9][0-9]* messages, .*: spam [1-9]' 10
tm resize-window -t e2e -x 250 -y 30
check '... with viruses, banned and bad headers' \
    on_screen_re 'virus [1-9][0-9]* .*banned [1-9][0-9]* .*bad header [1-9]' 3
tm resize-window -t e2e -x 120 -y 30
# tmux sends the SIGWINCH of a resize a moment later: until mhtop has
# drawn for 120 columns, its clock is not at the end of the first line
wait_for_re '^mhtop \[demo\] .* [0-9]{2}:[0-9]{2}:[0-9]{2}$' 5
check '... its rows' on_screen_re '^ +[0-9hms]+ (spam|virus|banned|bad header) +[A-Za-z0-9_-]{12} ' 3
keys 4
wait_for_re 'maillog: following .*/maillog  [0-9]+ verdicts' 15
n=$(screen | sed -n 's/.*maillog: following .*  \([0-9]*\) verdicts.*/\1/p')
check "an hour of history read ($n verdicts)" test "${n:-0}" -ge 100
assert_no_screen 'unparsable' 'every line of the demo log parsed'
ESC=$(printf '\033')
check 'colour: the verdicts have their class colours' \
    sh -c "tmux -u -L '$E2E_SOCK' capture-pane -p -e -t '$TGT' | grep -q '$ESC\\[[0-9;]*3[1-3]m'"

# newest first, and the newest is about now: a year guessed wrong for the
# stamps of "Mmm dd" would put yesterday's verdicts on top
now=$(clock)
first=$(row_time first)
d=$(before "$first" "$now")
check "the top verdict ($first) is the newest, the clock reads $now" \
    test "$d" -le 180
# the oldest are the verdicts of the mail still queued, days old: a date
keys G
check 'the oldest verdict is days old' \
    on_screen_re '^ . [A-Z][a-z]{2} [ 0-3][0-9] .*(Passed|Blocked) ' 3

# two demos at once: each its own log; the second leaves nothing behind
dir=$(demo_dirs)
assert_eq "$(printf '%s\n' "$dir" | grep -c .)" 1 'one demo, one directory'
check 'the header names the log in it' on_screen "following $dir/maillog" 3
n=$(screen | sed -n 's/.*maillog: following .*  \([0-9]*\) verdicts.*/\1/p')
"$MHTOP" --demo -b -p verdicts >"$E2E_DIR/second.tsv" 2>"$E2E_DIR/second.err"
check 'a second demo (-b) has verdicts of its own' test "$(wc -l <"$E2E_DIR/second.tsv")" -gt 100
check 'and says nothing on stderr' test ! -s "$E2E_DIR/second.err"
assert_eq "$(demo_dirs)" "$dir" 'the second demo removed its directory; the first one is there'
sleep 2
m=$(screen | sed -n 's/.*maillog: following .*  \([0-9]*\) verdicts.*/\1/p')
check "the first demo's log was not truncated ($n, then $m verdicts)" test "${m:-0}" -ge "$n"
keys q
check 'q quits' wait_exit 3
assert_eq "$(exit_status)" 0 'exit status 0'
assert_eq "$(demo_dirs)" '' 'q removed the demo directory'

# NO_COLOR (no-color.org): no colour, the same words
NO_COLOR=1
export NO_COLOR
start_mhtop --demo
wait_for_re '^mhtop \[demo\]' 10
keys 4
wait_for_re 'maillog: following .*/maillog  [0-9]+ verdicts' 15
check 'NO_COLOR: rows of verdicts' on_screen_re "$VROW" 3
if screen_e | grep -q "$ESC\[[0-9;]*3[0-7]m"; then
	fail 'NO_COLOR: a colour on the screen'
else
	ok 'NO_COLOR: no colour on the screen'
fi
check 'NO_COLOR: the cursor row is still reverse video' \
    test -n "$(reverse_lines | grep -E "$VROW")"
keys q
check 'q quits' wait_exit 3
unset NO_COLOR

# one smarthost: the queue's mail is the mail of the log.  The oldest
# envelope is one smtpd has retried for days; it expires 4 days after its
# ctime, a goes to amavis' verdict on it, and Q comes back.
e2e_pin "$E2E_QUEUE_NOW"
start_mhtop --demo
wait_for_re '^[0-9]+ envelopes: [0-9]+ pending' 10
keys Home
evp=$(cursor_evpid)
msgid=$(echo "$evp" | cut -c1-8)
check "the cursor is on an envelope ($evp)" test -n "$msgid"
keys Enter
wait_for "envelope $evp:" 3
on_screen 'esc-class: ' 5
field() { # NAME: a field of the detail view
	screen | awk -v n="$1" '$1 == n { print $2; exit }'
}
ctime=$(field ctime)
from=$(field sender)
to=$(field rcpt)
check "it was tried again ($(field tries) tries)" test "$(field tries)" -gt 0
expiry=$((ctime + 4 * 86400))
date=$(date -u -d "@$expiry" '+%Y-%m-%d %H:%M:%S' 2>/dev/null ||
    date -u -r "$expiry" '+%Y-%m-%d %H:%M:%S')
assert_screen_re "^ expire +[0-9]+  \\(in [0-9dhms]+, $date: " \
    "it expires 4 days after its ctime, on $date"
keys q
wait_for 'ENVELOPE' 3
keys a
check "a: the verdicts pane, at msgid $msgid" on_screen_re "^msgid $msgid\$" 10
check 'a: the verdicts pane is shown' on_screen 'maillog: following' 3
keys Enter
wait_for 'verdict: ' 3
check "the verdict passed msgid $msgid on" \
    on_screen_re "^ queued_as +250 2\\.0\\.0 $msgid " 3
assert_eq "$(field from | tr A-Z a-z)" "$(echo "$from" | tr A-Z a-z)" \
    'the verdict has the sender of the envelope'
if screen | awk '$1 == "to"' | grep -qiF -- "$to"; then
	ok "the verdict names the recipient ($to)"
else
	fail "the verdict does not name the recipient ($to)"
fi
keys q
wait_for 'SENDER → RECIPIENT' 3
keys Q
check 'Q: back in the queue pane' on_screen 'ENVELOPE' 10
got=$(cursor_evpid)
assert_eq "$(echo "$got" | cut -c1-8)" "$msgid" \
    "Q: the cursor is on an envelope of msgid $msgid ($got)"
keys q
check 'q quits' wait_exit 3
e2e_unpin

# T: sales@example.org crosses every pane of the demo, spamd's log too
start_mhtop --demo
wait_for_re '^mhtop \[demo\]' 10
keys T C-u
type_text 'sales@example.org'
keys Enter
check 'T: the answer' on_screen_re '^sales@example.org: ' 10
# the answer wraps over lines: look for each part in all of it
answer_has() {
	_i=0
	while [ $_i -lt 50 ]; do
		screen | sed 's/ *$//' | tr '\n' ' ' | grep -qE -- "$1" && return 0
		sleep 0.2
		_i=$((_i + 1))
	done
	return 1
}
for what in 'tuples? greylisted from' 'queued' \
    'last verdict' 'quarantined' 'spamd logged [0-9]+ greylisted attempt'; do
	check "T: the answer says $what" answer_has "$what"
done
keys /
type_text 'spamdlog'
keys Enter
check 'T: the spamd log' on_screen_re ' spamdlog +GREY ' 10
keys q
check 'q quits' wait_exit 3
assert_eq "$(exit_status)" 0 'q with a trace open: exit status 0'
assert_eq "$(demo_dirs)" '' 'q with a trace open removed the demo directory'

# killed with SIGTERM: gone too
start_mhtop --demo
wait_for_re '^mhtop \[demo\]' 10
check 'a new directory' test -n "$(demo_dirs)"
kill -TERM "$MHTOP_PID"
check 'SIGTERM ends it' wait_exit 3
assert_eq "$(demo_dirs)" '' 'SIGTERM removed the demo directory'
finish
