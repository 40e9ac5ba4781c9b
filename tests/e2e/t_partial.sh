#!/bin/sh
# A queue too big to read at once (issue 16): its groups fill in while
# smtpctl show queue runs, the header saying the counts are partial; the
# group actions wait for the whole counts; at the end of the read the
# counts are the queue's and no longer said to be partial.
. "${srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
need_tmux
FIX=$E2E_SRC/tests/fixtures/opensmtpd/show-queue-10000.txt
e2e_init "$FIX"
ALL=$(wc -l <"$FIX" | tr -d ' ')
# 2,000 envelopes a second: a read of five seconds
echo "2000 1" >"$STATE/trickle"
start_mhtop
keys b
check 'the groups fill in: partial, said in the header' \
    on_screen_re 'PARTIAL: the counts of the first [0-9]+ envelopes read; they grow until the read ends' 8
n1=$(screen | sed -n 's/.*PARTIAL: the counts of the first \([0-9]*\) envelopes.*/\1/p')
check "partial: fewer than the queue's $ALL ($n1)" test "${n1:-0}" -lt "$ALL"
check 'partial: the TOTAL row counts what was read' \
    on_screen_re "^ TOTAL +$n1 " 3
assert_eq "$(attr_lines 1 22 | grep -c 'PARTIAL: the counts')" 1 \
    'partial: in bold'
keys s
check 'a group action waits for the whole counts' \
    on_screen_re 'the queue is still being read \([0-9]+ envelopes so far\): act on its groups when the counts are whole' 3
check 'the counts grow' sh -c '
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30; do
		n=$(tmux -u -L "$0" capture-pane -p -t "$1" | sed -n "s/.*PARTIAL: the counts of the first \([0-9]*\) envelopes.*/\1/p")
		[ -n "$n" ] && [ "$n" -gt "$2" ] && exit 0
		sleep 0.2
	done
	exit 1' "$E2E_SOCK" "$TGT" "$n1"
check 'whole counts: no longer said to be partial' off_screen 'PARTIAL' 15
assert_screen_re "^ TOTAL +$ALL " "the read ended: the whole queue's $ALL"
assert_screen_re "^queue by recipient domain: $ALL envelopes, " \
    'the summary counts them all'
no_s=$(actions_since 0 | grep -c '^schedule' || true)
assert_eq "$no_s" 0 'the refused action ran nothing'
finish
