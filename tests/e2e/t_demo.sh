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
row_time() { # first|last
	screen | grep -E '^ [0-9]{2}:[0-9]{2}:[0-9]{2}  (Passed|Blocked) ' |
	    if [ "$1" = first ]; then head -n 1; else tail -n 1; fi |
	    awk '{ print $1 }'
}

start_mhtop --demo
wait_for_re '^mhtop \[demo\]' 10
wait_for_re '^[0-9]+ envelopes: [0-9]+ pending' 10
check 'the queue has envelopes' test "$(screen_evpids | wc -l)" -ge 5
keys 2
wait_for_re 'spamdb: [1-9][0-9]* GREY  [0-9]+ WHITE' 10
keys 3
wait_for_re 'spamdb: [0-9]+ GREY  [1-9][0-9]* WHITE' 10
keys 4
wait_for_re 'maillog: following .*/maillog  [0-9]+ verdicts' 15
n=$(screen | sed -n 's/.*maillog: following .*  \([0-9]*\) verdicts.*/\1/p')
check "an hour of history read ($n verdicts)" test "${n:-0}" -ge 100
assert_no_screen 'unparsable' 'every line of the demo log parsed'

# newest first, and the newest is about now: a year guessed wrong for the
# stamps of "Mmm dd" would put yesterday's verdicts on top
now=$(clock)
first=$(row_time first)
d=$(before "$first" "$now")
check "the top verdict ($first) is the newest, the clock reads $now" \
    test "$d" -le 180
keys G
on_screen_re '^ [0-9:]{8}  (Passed|Blocked) ' 3
last=$(row_time last)
d=$(before "$last" "$(clock)")
check "the last verdict ($last) is about an hour old" test "$d" -ge 3000
keys q
check 'q quits' wait_exit 3
assert_eq "$(exit_status)" 0 'exit status 0'
finish
