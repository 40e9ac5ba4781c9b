#!/usr/bin/env bash
# bench/trace.sh: the trace (T, -b -p trace) on a big relay's data held in
# memory: the 1,000,000-tuple greylist of bench/spamdb.sh and the mail log
# of bench/maillog.sh (BENCH_MB, default 1024: the verdicts' store keeps
# its last 200,000 verdicts), loaded together by bench/bench_trace.c.
# Prints, from one run:
#   - the runbook's way, grep -c over the listing and over the log, for
#     each address traced, as the baseline;
#   - the trace from memory, as T runs it on every read of a pane: the
#     median of 5, the rows found and the events made of them (the screen
#     shows the newest 20,000), and the memory it takes beyond what the
#     panes hold;
# for an address in the log (bob@example.org), a sender in the greylist
# (u4242@d4242.example), a domain with many rows (example.org) and an IP;
# then the cost of the marks beside a 100,000-envelope queue: the sets a
# pane rebuilds when another one reads again, and a screen's marks.
# Targets (issue 15): under 200 ms once loaded, no more than 10% extra
# memory.  A benchmark, not a test: it never fails on timings.
# Environment: MHTOP (build/mhtop: its directory has bench_trace), BENCH_N,
# BENCH_MB, BENCH_KEEP.
set -u
if [ -z "${BASH_VERSINFO:-}" ] || [ "${BASH_VERSINFO[0]}" -lt 5 ]; then
	echo "bench/trace.sh: needs bash 5 (EPOCHREALTIME)" >&2
	exit 2
fi
# shellcheck source=bench/common.sh
. "$(dirname "$0")/common.sh"
N=${BENCH_N:-1000000}
MB=${BENCH_MB:-1024}
SPAN=72000
WORK=$(mktemp -d)
if [ "${BENCH_KEEP:-0}" = 1 ]; then
	trap 'echo "# kept: $WORK" >&2' EXIT
else
	trap 'rm -rf "$WORK"' EXIT
fi
NOW=$(date +%s)

echo "# generating $N spamdb lines and a $MB MB mail log"
gen_spamdb "$N" >"$WORK/db"
BT=$BUILD/bench/bench_trace
MG=$BUILD/bench/maillog_gen
if [ ! -x "$BT" ] || [ ! -x "$MG" ]; then
	echo "$0: $BT or $MG not built (make check builds them)" >&2
	exit 2
fi
"$MG" tests/fixtures/amavis/maillog-mixed.txt "$MB" "$NOW" "$SPAN" \
    >"$WORK/maillog" || exit 2
cat "$WORK/db" "$WORK/maillog" >/dev/null	# warm the page cache

set -- bob@example.org u4242@d4242.example example.org 10.0.16.17
echo "# grep -c, the runbook's way"
: >"$WORK/grep"
for a in "$@"; do
	t=$(now_us)
	grep -c -F "$a" "$WORK/db" >/dev/null
	grep -c -F "$a" "$WORK/maillog" >/dev/null
	echo "$a $(since_ms "$t")" >>"$WORK/grep"
done

echo "# the trace from memory"
"$BT" "$WORK/db" "$WORK/maillog" "$NOW" "$@" >"$WORK/bt" || exit 1
v() { sed -n "s/^$1=//p" "$WORK/bt"; }
panes_kb=$(v panes_kb)

echo
printf 'mhtop trace benchmark: %s tuples, %s MB mail log (%s verdicts kept), %s, %s CPU(s)\n\n' \
    "$(v grey)" "$MB" "$(v verdicts)" "$(uname -sr)" "$(nproc 2>/dev/null || echo '?')"
printf 'loading both (not timed in the trace): %s ms, the panes hold %s MB\n\n' \
    "$(v load_ms)" $((panes_kb / 1024))
printf '%-22s %9s %8s %9s %10s %7s  %s\n' "trace of" found shown "trace ms" "grep -c ms" "memory" result
for a in "$@"; do
	line=$(grep "^trace $a:" "$WORK/bt" | head -n 1)
	ev=$(echo "$line" | sed -n 's/.*events=\([0-9]*\).*/\1/p')
	med=$(echo "$line" | sed -n 's/.*median_ms=\([0-9.]*\).*/\1/p')
	extra=$(echo "$line" | sed -n 's/.*extra_kb=\(-\{0,1\}[0-9]*\).*/\1/p')
	g=$(awk -v a="$a" '$1 == a { print $2 }' "$WORK/grep")
	found=$(echo "$line" | sed -n 's/.*found=\([0-9]*\).*/\1/p')
	pct=$(awk -v e="$extra" -v p="$panes_kb" 'BEGIN { x = 0; if (p > 0) x = 100 * e / p; printf "%.1f", x }')
	res=$(awk -v m="$med" -v p="$pct" 'BEGIN { if (m <= 200 && p <= 10) print "PASS"; else print "MISS" }')
	printf '%-22s %9s %8s %9s %10s %6s%%  %s (<= 200 ms, <= 10%% more)\n' "$a" "$found" "$ev" "$med" "$g" "$pct" "$res"
done

# the marks (issue 15) on the same verdicts, beside a queue of 100,000
# envelopes: the sets rebuilt when another pane reads again, against the
# parse of the queue they are made for (its "smtpctl show queue" read)
mk() { grep '^marks:' "$WORK/bt" | sed -n "s/.* $1=\([0-9.\/]*\).*/\1/p"; }
echo
printf 'marks: %s queued envelopes, %s verdicts\n' "$(mk queue)" "$(v verdicts)"
printf '  the queue pane'"'"'s set of the verdicts'"'"' msgids, rebuilt: %s ms\n' "$(mk queue_set_ms)"
printf '  the verdicts pane'"'"'s sets, after a queue read: %s ms\n' "$(mk verdicts_sets_ms)"
printf '  the marks of a screen of 50 verdicts: %s us (%s rows marked)\n' \
    "$(mk screen_us)" "$(mk verdicts_marked)"
