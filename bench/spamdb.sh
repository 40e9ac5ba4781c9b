#!/usr/bin/env bash
# bench/spamdb.sh: the greylist pane on a bad day of a large relay.
#
# Generates a spamdb listing of BENCH_N lines (default 1,000,000: GREY
# tuples from the fixture's shapes with varied addresses and senders) and
# prints, from one run, the table of issue 14:
#   - the runbook's way, `spamdb | grep ADDRESS` (the fake spamdb cats the
#     file), as the baseline;
#   - how long spamdb's writer takes to empty into mhtop's pipe, against
#     into cat, on a quiet machine and with a busy loop on every CPU:
#     spamdb holds spamd's database lock until it has written everything,
#     so mhtop must drain as fast as cat, most of all on a struggling relay;
#     -b (a first read), and the interactive pane's re-reads;
#   - mhtop -b -p grey end to end, and its peak RSS;
#   - parse and table sort alone (bench/bench_spamdb.c against libmhtop.a);
#   - the interactive pane in tmux (200x50): the peak RSS (VmHWM) after the
#     first read and over a re-poll (Ctrl-R), while the old rows are on
#     screen; then the CPU time mhtop spends on a key: a sort change (every
#     column in turn, >) and a filter (/ADDRESS Enter), from
#     /proc/PID/schedstat.
# A benchmark, not a test: it never fails on timings.
# Environment: MHTOP (default build/mhtop, else ./mhtop), BENCH_N,
# BENCH_KEEP (1: keep the work directory).
set -u
if [ -z "${BASH_VERSINFO:-}" ] || [ "${BASH_VERSINFO[0]}" -lt 5 ]; then
	echo "bench/spamdb.sh: needs bash 5 (EPOCHREALTIME)" >&2
	exit 2
fi
# shellcheck source=bench/common.sh
. "$(dirname "$0")/common.sh"
N=${BENCH_N:-1000000}
WORK=$(mktemp -d)
bench_tmux benchspamdb
BUSY=
stop_busy() {
	[ -n "$BUSY" ] && kill $BUSY 2>/dev/null
	wait $BUSY 2>/dev/null
	BUSY=
}
trap 'stop_busy; bench_cleanup' EXIT

echo "# generating $N spamdb lines"
mkdir -p "$WORK/state"
gen_spamdb "$N" >"$WORK/state/db"
bytes=$(wc -c <"$WORK/state/db")
printf 'spamdb %s\npfctl %s\ndoas none\ninterval 3600\n' \
    "$ROOT/tests/fake/spamdb" "$ROOT/tests/fake/pfctl" >"$WORK/conf"
export FAKE_SPAMD_DIR=$WORK/state
cat "$WORK/state/db" >/dev/null		# warm the page cache

median() { sort -n | awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : "nan" }'; }

echo "# runbook: spamdb | grep ADDRESS"
: >"$WORK/grep.ms"
for _ in 1 2 3; do
	t=$(now_us)
	"$ROOT/tests/fake/spamdb" | grep -c '<u4242@' >/dev/null
	since_ms "$t" >>"$WORK/grep.ms"
done
grep_ms=$(median <"$WORK/grep.ms")

# a spamdb that notes when its output is all written (its lock released)
cat >"$WORK/spamdb-timed" <<EOT
#!/usr/bin/env bash
s=\${EPOCHREALTIME/[.,]/}
cat "$WORK/state/db"
e=\${EPOCHREALTIME/[.,]/}
echo \$(( (e - s) / 1000 )) >>"$WORK/writer.ms"
EOT
chmod +x "$WORK/spamdb-timed"
printf 'spamdb %s\ndoas none\ninterval 3600\n' "$WORK/spamdb-timed" \
    >"$WORK/conf-timed"
# alternated, 5 runs each, medians: one run is at the mercy of the scheduler
writer_runs() {
	: >"$WORK/writer.ms"
	for _ in 1 2 3 4 5; do
		"$WORK/spamdb-timed" | cat >/dev/null
		"$MHTOP" -b -p grey -f "$WORK/conf-timed" >/dev/null
	done
	w_cat=$(sed -n 'p;n' "$WORK/writer.ms" | median)
	w_mhtop=$(sed -n 'n;p' "$WORK/writer.ms" | median)
}
echo "# the writer's time: into cat, into mhtop (quiet)"
writer_runs
q_cat=$w_cat q_mhtop=$w_mhtop
ncpu=$(nproc)
echo "# the same with $ncpu busy loops"
for _ in $(seq "$ncpu"); do
	( while :; do :; done ) &
	BUSY="$BUSY $!"
done
writer_runs
l_cat=$w_cat l_mhtop=$w_mhtop
stop_busy

echo "# mhtop -b -p grey"
: >"$WORK/b.ms"
b_rss=0
for _ in 1 2 3; do
	t=$(now_us)
	/usr/bin/time -f '%M' -o "$WORK/rss" "$MHTOP" -b -p grey \
	    -f "$WORK/conf" >"$WORK/out"
	since_ms "$t" >>"$WORK/b.ms"
	r=$(( $(tail -1 "$WORK/rss") / 1024 ))
	[ "$r" -gt "$b_rss" ] && b_rss=$r
done
b_ms=$(median <"$WORK/b.ms")
rows=$(($(wc -l <"$WORK/out") - 1))
[ -n "${BENCH_OUT:-}" ] && cp "$WORK/out" "$BENCH_OUT"

echo "# parse and sort alone"
BS=$BUILD/bench/bench_spamdb
if [ ! -x "$BS" ]; then
	BS=$WORK/bench_spamdb
	# shellcheck disable=SC2046 # pkg-config prints several words on purpose
	cc -O2 -I include -I "$BUILD" \
	    $(pkg-config --cflags ncursesw libevent libpcre2-8 zlib) \
	    bench/bench_spamdb.c "$BUILD/libmhtop.a" \
	    $(pkg-config --libs ncursesw libevent libpcre2-8 zlib) -lm \
	    -o "$BS" || exit 2
fi
: >"$WORK/bs"
for _ in 1 2 3; do
	"$BS" "$WORK/state/db" >>"$WORK/bs"
done
v() { sed -n "s/^$1=//p" "$WORK/bs" | median; }
parse=$(v parse_ms); table=$(v table_ms)

echo "# the interactive pane, tmux 200x50"
TERMNAME=tmux-256color
infocmp "$TERMNAME" >/dev/null 2>&1 || TERMNAME=screen-256color
tm new-session -d -s hold -x 200 -y 50 'sleep 86400' || exit 2
tm set -g status off >/dev/null
tm set -g default-terminal "$TERMNAME" >/dev/null
tm new-session -d -s g -x 200 -y 50 \
    "env LANG=C.UTF-8 FAKE_SPAMD_DIR=$WORK/state $MHTOP -f $WORK/conf -p grey"
pid=$(tm display -p -t g '#{pane_pid}')
cpu_ns() { awk '{ print $1 }' "/proc/$pid/schedstat"; }
hwm_mb() { echo $(( $(awk '$1 == "VmHWM:" { print $2 }' "/proc/$pid/status") / 1024 )); }
# Wait until mhtop has no child and its CPU time stands still for 0.4 s
# (at most 120 s); prints the CPU time it used meanwhile, in ms.
settle() {
	local c0 c last still=0 end
	c0=$1
	last=$(cpu_ns)
	end=$(( $(now_us) + 120000000 ))
	while [ "$(now_us)" -lt "$end" ]; do
		sleep 0.05
		c=$(cpu_ns)
		if [ $(( c - last )) -lt 1000000 ] &&
		    ! pgrep -P "$pid" >/dev/null; then
			still=$((still + 1))
			[ "$still" -ge 8 ] && break
		else
			still=0
		fi
		last=$c
	done
	echo $(( (last - c0) / 1000000 ))
}
hwm1=nan hwm2=nan shown=0
end=$(( $(now_us) + 120000000 ))
while [ "$(now_us)" -lt "$end" ]; do
	tm capture-pane -p -t g >"$WORK/screen" 2>/dev/null || break
	grep -q "spamdb: $N GREY" "$WORK/screen" && { shown=1; break; }
	sleep 0.1
done
if [ "$shown" = 1 ]; then
	first_cpu=$(settle 0)
	hwm1=$(hwm_mb)
	c0=$(cpu_ns)
	tm send-keys -t g C-r
	sleep 0.3
	repoll_cpu=$(settle "$c0")
	hwm2=$(hwm_mb)
	rss2=$(( $(awk '$1 == "VmRSS:" { print $2 }' "/proc/$pid/status") / 1024 ))
	: >"$WORK/sort.ms"
	ncols=8
	for _ in $(seq $ncols); do
		c0=$(cpu_ns)
		tm send-keys -t g '>'
		settle "$c0" >>"$WORK/sort.ms"
	done
	sort_med=$(median <"$WORK/sort.ms")
	sort_max=$(sort -n "$WORK/sort.ms" | tail -1)
	# from SEEN, the default, each > moves one column right, wrapping
	sort_each=$(paste -d: - "$WORK/sort.ms" <<'EOT' | tr '\n' ' '
STATE
EXPIRES
BLOCKED
HELO
FROM
TO
IP
SEEN
EOT
)
	c0=$(cpu_ns)
	tm send-keys -t g / '<u4242@' Enter
	filter_ms=$(settle "$c0")
	tm capture-pane -p -t g >"$WORK/filtered"
	c0=$(cpu_ns)
	tm send-keys -t g Escape
	unfilter_ms=$(settle "$c0")
fi
tm send-keys -t g q
sleep 0.2
tm kill-session -t g 2>/dev/null

# The operator's case: the pane watched live while the relay is busy.  A
# re-read finds the chunks its drain needs made beforehand (as many as the
# last read filled); -b, a first read, faults its pages in as it goes.
# Ctrl-R five times with a busy loop on every CPU, each re-read's writer
# time beside a cat's, alternated.
echo "# the pane's re-reads with $ncpu busy loops"
: >"$WORK/writer.ms"
: >"$WORK/repoll.ms"
: >"$WORK/catbusy.ms"
tm new-session -d -s r -x 200 -y 50 \
    "env LANG=C.UTF-8 $MHTOP -f $WORK/conf-timed -p grey"
pid=$(tm display -p -t r '#{pane_pid}')
end=$(( $(now_us) + 120000000 ))
while [ ! -s "$WORK/writer.ms" ] && [ "$(now_us)" -lt "$end" ]; do
	sleep 0.1
done
settle 0 >/dev/null
for _ in $(seq "$ncpu"); do
	( while :; do :; done ) &
	BUSY="$BUSY $!"
done
for _ in 1 2 3 4 5; do
	n=$(wc -l <"$WORK/writer.ms")
	tm send-keys -t r C-r
	end=$(( $(now_us) + 60000000 ))
	while [ "$(wc -l <"$WORK/writer.ms")" -le "$n" ] &&
	    [ "$(now_us)" -lt "$end" ]; do
		sleep 0.05
	done
	tail -1 "$WORK/writer.ms" >>"$WORK/repoll.ms"
	settle 0 >/dev/null		# the re-read's parse, the screen
	"$WORK/spamdb-timed" | cat >/dev/null
	tail -1 "$WORK/writer.ms" >>"$WORK/catbusy.ms"
done
stop_busy
tm send-keys -t r q
sleep 0.2
tm kill-session -t r 2>/dev/null
r_mhtop=$(median <"$WORK/repoll.ms")
r_cat=$(median <"$WORK/catbusy.ms")

# A writer slower than the parse, as spamdb is, printing each record from
# its database, rather than cat from the page cache: PACE_MB MB/s (an
# example, not spamdb's measured speed).  mhtop then parses what it has
# read between the reads, and the listing need not be held whole.
PACE_MB=${BENCH_PACE_MB:-200}
echo "# a writer at $PACE_MB MB/s: the pane's first read and a re-read"
cat >"$WORK/spamdb-paced" <<EOT
#!/bin/sh
exec python3 -c '
import sys, time
rate = float(sys.argv[1]) * 1e6
src = open(sys.argv[2], "rb")
out = sys.stdout.buffer
t0 = time.monotonic()
n = 0
while True:
    b = src.read(262144)
    if not b:
        break
    out.write(b)
    out.flush()
    n += len(b)
    ahead = n / rate - (time.monotonic() - t0)
    if ahead > 0:
        time.sleep(ahead)
' "$PACE_MB" "$WORK/state/db"
EOT
chmod +x "$WORK/spamdb-paced"
printf 'spamdb %s\ndoas none\ninterval 3600\n' "$WORK/spamdb-paced" \
    >"$WORK/conf-paced"
p_hwm1=nan p_hwm2=nan
if command -v python3 >/dev/null; then
	tm new-session -d -s p -x 200 -y 50 \
	    "env LANG=C.UTF-8 $MHTOP -f $WORK/conf-paced -p grey"
	pid=$(tm display -p -t p '#{pane_pid}')
	end=$(( $(now_us) + 120000000 ))
	while [ "$(now_us)" -lt "$end" ]; do
		tm capture-pane -p -t p >"$WORK/screen" 2>/dev/null || break
		grep -q "spamdb: $N GREY" "$WORK/screen" && break
		sleep 0.1
	done
	settle 0 >/dev/null
	p_hwm1=$(hwm_mb)
	tm send-keys -t p C-r
	sleep 0.3
	settle 0 >/dev/null
	p_hwm2=$(hwm_mb)
	tm send-keys -t p q
	sleep 0.2
	tm kill-session -t p 2>/dev/null
fi

verdict() {	# value, limit: value <= limit
	awk -v x="$1" -v t="$2" 'BEGIN {
		if (x == "nan" || x == "") print "n/a"
		else print (x + 0 <= t + 0) ? "PASS" : "MISS"
	}'
}
ratio() {	# a / b, as "%.2fx"
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a == "nan" || b == "nan" || a == "" || b == "" || b == 0)
			print "n/a"
		else printf "%.2fx", a / b
	}'
}
sum=$(awk -v a="$parse" -v b="$table" 'BEGIN { printf "%.0f", a + b }')

printf '\nmhtop greylist benchmark: %d lines, %d MB, %s, %d CPU(s)\n\n' \
    "$N" $((bytes / 1048576)) "$(uname -sr)" "$ncpu"
printf '%-46s %10s  %-34s %s\n' measure value "compared with" result
printf '%-46s %7s ms\n' "spamdb | grep ADDRESS (runbook, median of 3)" "$grep_ms"
printf '%-46s %7s ms\n' "spamdb's writer into cat, quiet (median of 5)" "$q_cat"
printf '%-46s %7s ms  %-34s %s\n' "spamdb's writer into mhtop, quiet" \
    "$q_mhtop" "$(ratio "$q_mhtop" "$q_cat") cat" \
    "$(awk -v a="$q_mhtop" -v b="$q_cat" 'BEGIN { print (a <= b * 1.1) ? "PASS" : "MISS" }') (<= 1.1x cat)"
printf '%-46s %7s ms\n' "spamdb's writer into cat, $ncpu busy loops" "$l_cat"
printf '%-46s %7s ms  %-34s %s\n' "spamdb's writer into mhtop, $ncpu busy loops" \
    "$l_mhtop" "$(ratio "$l_mhtop" "$l_cat") cat" \
    "$(awk -v a="$l_mhtop" -v b="$l_cat" 'BEGIN { print (a <= b * 1.1) ? "PASS" : "MISS" }') (<= 1.1x cat)"
printf '%-46s %7s ms  %-34s %s\n' "  the same, the pane's re-reads (median of 5)" \
    "$r_mhtop" "$(ratio "$r_mhtop" "$r_cat") cat ($r_cat ms, alternated)" \
    "$(awk -v a="$r_mhtop" -v b="$r_cat" 'BEGIN { print (a <= b * 1.1) ? "PASS" : "MISS" }') (<= 1.1x cat)"
printf '%-46s %7s ms  %-34s %s\n' "mhtop -b -p grey, median of 3 ($rows rows)" \
    "$b_ms" "$(ratio "$b_ms" "$grep_ms") the grep" \
    "$(verdict "$b_ms" 400) (<= 400 ms)"
printf '%-46s %7s MB  %-34s %s\n' "  its peak RSS" "$b_rss" "" \
    "$(verdict "$b_rss" 160) (<= 160 MB)"
printf '%-46s %7s ms  %-34s %s\n' "parse + sort (bench_spamdb, medians of 3)" \
    "$sum" "parse $parse, sort $table; $(ratio "$sum" "$grep_ms") the grep" \
    "$(verdict "$sum" 200) (<= 200 ms)"
printf '%-46s %7s MB  %-34s\n' "interactive: peak RSS after the first read" \
    "$hwm1" "${first_cpu:-nan} ms CPU"
printf '%-46s %7s MB  %-34s %s\n' "  peak RSS over a re-poll (VmHWM)" "$hwm2" \
    "${repoll_cpu:-nan} ms CPU, ${rss2:-nan} MB after" \
    "$(verdict "$hwm2" 200) (<= 200 MB)"
printf '%-46s %7s MB  %-34s\n' "  a writer at $PACE_MB MB/s: after the first read" \
    "$p_hwm1" "(its VmHWM)"
printf '%-46s %7s MB  %-34s %s\n' "  a writer at $PACE_MB MB/s: over a re-poll" \
    "$p_hwm2" "(VmHWM)" "$(verdict "$p_hwm2" 200) (<= 200 MB)"
printf '%-46s %7s ms  %-34s %s\n' "  CPU per sort change (> on each column)" \
    "${sort_max:-nan}" "the largest; median ${sort_med:-nan}" \
    "$(verdict "${sort_max:-nan}" 50) (<= 50 ms)"
printf '%-46s %7s ms  %-34s %s\n' "  CPU for a filter (/<u4242@ Enter)" \
    "${filter_ms:-nan}" "clearing it: ${unfilter_ms:-nan} ms" \
    "$(verdict "${filter_ms:-nan}" 100) (<= 100 ms)"
printf '%-46s %s\n' "  CPU per sort change, by column (ms)" "${sort_each:-nan}"
grep -q 'u4242@' "$WORK/filtered" 2>/dev/null ||
    echo "# the filtered screen does not show u4242@: see BENCH_KEEP=1 $WORK/filtered"
exit 0
