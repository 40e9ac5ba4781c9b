#!/bin/sh
# The queue pane's counters strip (issue 16): smtpctl show stats read
# with every queue read; the counters since smtpd started until there are
# rates; a show stats that answers garbage is said in the header, the
# rows still shown; the strip follows what smtpd counts.
. "${srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
need_tmux
e2e_init
start_mhtop
wait_for '14 envelopes'
check 'the strip: counters since smtpd started' \
    on_screen_re '^counters since smtpd started [0-9smh]+ ago: delivered 0, tempfail 0, permfail 0, bounces 0; rates after 20 s' 5
check 'show stats runs with the queue' wait_log 'show stats' 5

# a show stats that is no show stats
printf 'this is not show stats\n' >"$STATE/stats"
check 'garbage: said in the header' \
    on_screen 'counters: smtpctl show stats: no key=value line' 5
assert_eq "$(attr_lines 1 22 | grep -c 'counters: smtpctl show stats: no key=value line')" 1 \
    'garbage: the line in bold' 
assert_screen '14 envelopes' 'the envelopes still shown'

# smtpd's counters, as smtpd 6.8 printed them
cp "$E2E_SRC/tests/fixtures/opensmtpd/show-stats.txt" "$STATE/stats"
check 'the counters of show stats' \
    on_screen 'counters since smtpd started 43s ago: delivered 1, tempfail 14, permfail 1, bounces 1' 5

# the counters moving: two reads 20 s apart give rates per minute (zero
# at first: the counters have not moved yet)
printf 'scheduler.delivery.ok=10\nscheduler.envelope=14\nuptime=100\n' >"$STATE/stats"
start_mhtop
check 'a fresh start: the counters since smtpd started' \
    on_screen 'counters since smtpd started 1m40s ago: delivered 10, tempfail 0' 5
sleep 21
printf 'scheduler.delivery.ok=31\nscheduler.delivery.tempfail=7\nscheduler.envelope=14\nuptime=121\n' >"$STATE/stats"
check 'then rates: delivered and tempfailed per minute' \
    on_screen_re '^last [0-9]+s, per min: [0-9.]+ queued  [1-9][0-9]*\.[0-9] delivered  [0-9.]+ tempfail  0\.0 permfail  0\.0 bounces   queue .+  tempfails .+$' 8
rates=$(screen | sed -n 's/^last \([0-9]*\)s, per min: \([0-9.]*\) queued  \([0-9.]*\) delivered  \([0-9.]*\) tempfail.*/\1 \2 \3 \4/p')
# 21 delivered and 7 tempfailed in that span, give or take the second
# between two reads; 21 envelopes left, none came: queued as delivered
check "the rates are the counters' moves ($rates)" awk -v r="$rates" 'BEGIN {
	split(r, a, " ")
	exit !(a[1] >= 20 && a[3] >= 21 * 60 / (a[1] + 1) - 0.05 &&
	    a[3] <= 21 * 60 / (a[1] - 1) + 0.05 &&
	    a[4] >= 7 * 60 / (a[1] + 1) - 0.05 &&
	    a[4] <= 7 * 60 / (a[1] - 1) + 0.05 && a[2] == a[3])
}'
finish
