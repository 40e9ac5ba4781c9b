#!/usr/bin/env bash
# bench/counters.sh: what the queue pane's counters strip costs (issue 16:
# under 1 % CPU at interval 2).  The strip is `smtpctl show stats`, run
# after every `show queue` while smtpd runs, its lines parsed, and one
# more line drawn.
#
# Two mhtop run side by side for BENCH_SECONDS (60) in a tmux of their
# own, 120x40, `interval 2`, on the same BENCH_N (1,000) envelopes served
# by the fake smtpctl of the end-to-end tests (tests/fake/smtpctl), with
# a busy smtpd's `show stats` (tests/fixtures/opensmtpd/show-stats.txt,
# 37 counters):
#   (a) as it is: show status, show queue, show stats every 2 s;
#   (b) the baseline, the same without the strip: there is no switch to
#       turn the stats read off, so its smtpctl says smtpd "doesn't seem
#       to be running" to `show status` (after running the fake's `show
#       status` all the same) and mhtop, as it does then, reads the queue
#       but never runs `show stats`.
# CPU is utime+stime of mhtop (/proc/PID/stat) plus cutime+cstime, what
# its smtpctl children (sh, cat) used, over the wall time between two
# samples; the strip is (a) minus (b).  As a check, (c) times one `show
# stats` of the same smtpctl, run BENCH_K (200) times in a row, and
# scales it to one every 2 s.  The fake is a shell script: the real
# smtpctl, a C program, uses less per run, so these figures are an upper
# bound.  Needs no root and no smtpd; installs tmux and time with
# apt-get when missing and root.  A benchmark, not a test: it exits 0
# whatever the figures, non-zero only when it cannot run.
# Environment: MHTOP (default build/mhtop, else ./mhtop), BENCH_N,
# BENCH_SECONDS, BENCH_K, BENCH_KEEP=1 (keep the work directory).
set -u
if [ -z "${BASH_VERSINFO:-}" ] || [ "${BASH_VERSINFO[0]}" -lt 5 ]; then
	echo "bench/counters.sh: needs bash 5 (EPOCHREALTIME)" >&2
	exit 2
fi
# shellcheck source=bench/common.sh
. "$(dirname "$0")/common.sh"
N=${BENCH_N:-1000}
SECS=${BENCH_SECONDS:-60}
K=${BENCH_K:-200}
FAKE=$ROOT/tests/fake/smtpctl
STATS=$ROOT/tests/fixtures/opensmtpd/show-stats.txt
if [ ! -x "$FAKE" ] || [ ! -r "$STATS" ]; then
	echo "$0: $FAKE or $STATS missing" >&2
	exit 2
fi
[ -r /proc/self/stat ] || { echo "$0: needs Linux /proc" >&2; exit 2; }
WORK=$(mktemp -d)
bench_tmux benchcounters
if ! command -v tmux >/dev/null || [ ! -x /usr/bin/time ]; then
	echo "$0: needs tmux and /usr/bin/time (Debian: tmux, time)" >&2
	exit 2
fi
CLK_TCK=$(getconf CLK_TCK)

# /proc/PID/stat after the ") ": field 12 utime, 13 stime, 14 cutime,
# 15 cstime (in clock ticks)
ticks() {	# PID: "self children"
	local s
	s=$(cat "/proc/$1/stat" 2>/dev/null) || { echo "-1 -1"; return; }
	s=${s##*) }
	# shellcheck disable=SC2086 # the fields, one word each
	set -- $s
	echo "$((${12} + ${13})) $((${14} + ${15}))"
}
pct() {	# TICKS US: percent of one CPU
	awk -v t="$1" -v us="$2" -v hz="$CLK_TCK" \
	    'BEGIN { printf "%.2f", 100 * t / hz / (us / 1e6) }'
}
q() { printf '%q' "$1"; }

echo "# $N envelopes, show stats from ${STATS#"$ROOT"/}, interval 2, ${SECS} s"
NOW=$(date +%s)
awk -v n="$N" -v seed=7 -v now="$NOW" -f bench/gen_queue.awk |
    LC_ALL=C sort >"$WORK/queue" || exit 2
for r in a b; do
	mkdir "$WORK/st-$r"
	cp "$WORK/queue" "$WORK/st-$r/queue"
	cp "$STATS" "$WORK/st-$r/stats"
	printf 'MDA running\nMTA running\nSMTP running\n' >"$WORK/st-$r/status"
done
# (a): the fake as it is, behind the same one-exec wrapper as (b)
cat >"$WORK/smtpctl-a" <<EOF
#!/bin/sh
FAKE_SMTPCTL_DIR=$(q "$WORK/st-a") exec $(q "$FAKE") "\$@"
EOF
# (b): smtpd "not running" for show status only, after the same work
cat >"$WORK/smtpctl-b" <<EOF
#!/bin/sh
export FAKE_SMTPCTL_DIR=$(q "$WORK/st-b")
if [ "\$*" = "show status" ]; then
	$(q "$FAKE") show status >/dev/null
	echo "smtpctl: smtpd doesn't seem to be running" >&2
	exit 1
fi
exec $(q "$FAKE") "\$@"
EOF
chmod 755 "$WORK/smtpctl-a" "$WORK/smtpctl-b"
for r in a b; do
	printf 'smtpctl %s\ndoas none\ninterval 2\n' "$WORK/smtpctl-$r" >"$WORK/$r.conf"
done

tm new-session -d -s hold -x 120 -y 40 'sleep 86400' || exit 2
for r in a b; do
	tm new-session -d -s "$r" -x 120 -y 40 \
	    "exec env LANG=C.UTF-8 $(q "$MHTOP") -f $(q "$WORK/$r.conf")"
done
pid_a=$(tm display -p -t a '#{pane_pid}')
pid_b=$(tm display -p -t b '#{pane_pid}')
screen() { tm capture-pane -p -t "$1" 2>/dev/null; }
for r in a b; do
	end=$((SECONDS + 30))
	until screen "$r" | grep -q "$N envelopes"; do
		[ "$SECONDS" -lt "$end" ] || { echo "$0: mhtop ($r) never showed $N envelopes" >&2
			screen "$r" >&2; exit 2; }
		sleep 0.2
	done
done
sleep 3		# past the first reads
polls() { grep -c "^show $2\$" "$WORK/st-$1/argv.log"; }
read -r a_s0 a_c0 < <(ticks "$pid_a")
read -r b_s0 b_c0 < <(ticks "$pid_b")
pa0=$(polls a queue) sa0=$(polls a stats) pb0=$(polls b queue) sb0=$(polls b stats)
w0=$(now_us)
sleep "$SECS"
read -r a_s1 a_c1 < <(ticks "$pid_a")
read -r b_s1 b_c1 < <(ticks "$pid_b")
w1=$(now_us)
pa=$(($(polls a queue) - pa0)) sa=$(($(polls a stats) - sa0))
pb=$(($(polls b queue) - pb0)) sb=$(($(polls b stats) - sb0))
line_a=$(screen a | grep -Eo '(counters since smtpd started|last [0-9a-z]+, per min:).*' | head -n 1)
line_b=$(screen b | grep -Ec 'counters since smtpd started|per min:')
tm send-keys -t a q
tm send-keys -t b q
if [ "$a_s1" -lt 0 ] || [ "$b_s1" -lt 0 ]; then
	echo "$0: an mhtop ended during the measurement" >&2
	exit 2
fi
us=$((w1 - w0))
A=$(pct $((a_s1 - a_s0 + a_c1 - a_c0)) "$us")
A_SELF=$(pct $((a_s1 - a_s0)) "$us")
A_KIDS=$(pct $((a_c1 - a_c0)) "$us")
B=$(pct $((b_s1 - b_s0 + b_c1 - b_c0)) "$us")
B_SELF=$(pct $((b_s1 - b_s0)) "$us")
B_KIDS=$(pct $((b_c1 - b_c0)) "$us")
STRIP=$(awk -v a="$A" -v b="$B" 'BEGIN { printf "%.2f", a - b }')

# (c) one show stats, K times
# shellcheck disable=SC2016 # bash -c's own $1 and $2
/usr/bin/time -f '%U %S' -o "$WORK/time.c" \
    bash -c 'for ((i = 0; i < $1; i++)); do "$2" show stats >/dev/null; done' _ \
    "$K" "$WORK/smtpctl-a" || exit 2
read -r cu cs <"$WORK/time.c"
C_MS=$(awk -v u="$cu" -v s="$cs" -v k="$K" 'BEGIN { printf "%.2f", 1000 * (u + s) / k }')
C_PCT=$(awk -v ms="$C_MS" 'BEGIN { printf "%.2f", ms / 2000 * 100 }')

row() { printf '%-58s %9s  %-30s %-7s %s\n' "$@"; }
verdict() { awk -v v="$1" 'BEGIN { print (v + 0 < 1) ? "PASS" : "MISS" }'; }
echo
echo "mhtop counters strip benchmark"
echo "  $(uname -srm), $(nproc) CPU(s), CLK_TCK $CLK_TCK, $(tmux -V)"
echo "  mhtop: $MHTOP"
echo "  $N envelopes, interval 2, measured over $(awk -v us="$us" 'BEGIN { printf "%.1f", us / 1e6 }') s, both at once"
echo
row "measure" "CPU" "compared with" "target" "result"
row "(a) with the strip: mhtop + its smtpctl children" "$A %" "$pa reads, $sa show stats" "" ""
row "    mhtop itself / the children" "$A_SELF %" "children $A_KIDS %" "" ""
row "(b) without: smtpd 'not running', no show stats" "$B %" "$pb reads, $sb show stats" "" ""
row "    mhtop itself / the children" "$B_SELF %" "children $B_KIDS %" "" ""
row "the strip: (a) - (b)" "$STRIP %" "$(awk -v a="$A" -v b="$B" 'BEGIN { if (b > 0) printf "%.2fx the baseline", a / b; else print "baseline 0" }')" "< 1 %" "$(verdict "$STRIP")"
row "(c) one show stats (the fake, $K in a row)" "$C_MS ms" "one every 2 s: $C_PCT %" "< 1 %" "$(verdict "$C_PCT")"
echo
echo "  one clock tick over the run: $(pct 1 "$us") %; (a) and (b) each count whole ticks"
echo "  (a)'s counters line: ${line_a:-NONE}"
[ "$line_b" = 0 ] || echo "  (b) shows a counters line: the baseline is wrong"
[ "$sb" = 0 ] || echo "  (b) ran show stats $sb times: the baseline is wrong"
echo
echo "counters strip: $STRIP % CPU at interval 2 (target < 1 %)"
exit 0
