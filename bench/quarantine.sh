#!/usr/bin/env bash
# bench/quarantine.sh: the quarantine pane on a big amavis quarantine.
#
# Generates BENCH_N (default 100,000) files in the hashed layout with
# bench/quarantine_gen.c (62 directories, gzipped spam, plain virus,
# banned and bad-header files in the shapes of the captured ones, mtimes
# over 30 days), warms the page cache, and prints from one run:
#   - find DIR -type f | wc -l, and every file through gzip -cdf into
#     grep -c ^Subject: (one pipe: whole files), as baselines, and the
#     per-file way (zgrep -m1 Subject) timed on 1,000 files and scaled;
#   - mhtop -b -p quarantine, end to end: the median of 3 runs, the
#     largest peak RSS, and whether it printed a row for every file;
#   - the pane's reads without curses (bench/bench_quarantine.c against
#     libmhtop.a, as src/poll.c drives them, the table sorted as the
#     screen sorts it): time to the first rows, to every header read, a
#     re-poll with nothing new, a re-poll after 10 files came and 3 went;
#   - the interactive pane in a 200x50 tmux: time to the first frame
#     with rows, until the header counts every file and the read is over
#     (the CPU idle), the peak RSS (VmHWM); then 10 files more and 3
#     fewer, and the time until the header counts them (one interval, 2 s,
#     at most, plus the re-poll).
# Targets (issue 12): first frame < 200 ms, everything < 5 s, a re-poll
# < 100 ms, < 128 MB.  A benchmark, not a test: it never fails on timings.
# Environment: MHTOP (default build/mhtop, else ./mhtop), BENCH_N,
# BENCH_KEEP=1 (keep the work directory), BENCH_CMP (another mhtop: its
# -b output is compared with cmp).
set -u
if [ -z "${BASH_VERSINFO:-}" ] || [ "${BASH_VERSINFO[0]}" -lt 5 ]; then
	echo "bench/quarantine.sh: needs bash 5 (EPOCHREALTIME)" >&2
	exit 2
fi
# shellcheck source=bench/common.sh
. "$(dirname "$0")/common.sh"
N=${BENCH_N:-100000}
WORK=$(mktemp -d)
Q=$WORK/q
bench_tmux benchquar
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null; }

echo "# generating $N quarantine files"
# shellcheck disable=SC2046 # pkg-config prints several words on purpose
cc -O2 bench/quarantine_gen.c $(pkg-config --cflags --libs zlib) \
    -o "$WORK/gen" || exit 2
NOW=$(date +%s)
mkdir "$Q" "$WORK/stage" "$WORK/stage2" || exit 2
"$WORK/gen" "$Q" "$N" 0 "$NOW" 2592000 || exit 2
# the files that come during the re-polls, made aside
"$WORK/gen" "$WORK/stage" 10 "$N" "$NOW" 60 || exit 2
"$WORK/gen" "$WORK/stage2" 10 $((N + 10)) "$NOW" 60 || exit 2
printf 'quarantine %s\n' "$Q" >"$WORK/conf"
bytes=$(du -sb "$Q" | awk '{ print $1 }')
find "$Q" -type f -exec cat {} + >/dev/null	# warm the page cache
sleep 2		# dirscan lists again what changed in the last 2 s

echo "# baselines"
t=$(now_us)
nfiles=$(find "$Q" -type f | wc -l)
find_ms=$(since_ms "$t")
t=$(now_us)
nsubj=$(find "$Q" -type f -exec gzip -cdf {} + | grep -c '^Subject:')
zcat_ms=$(since_ms "$t")
find "$Q" -type f | head -n 1000 >"$WORK/sample"
t=$(now_us)
tr '\n' '\0' <"$WORK/sample" | xargs -0 zgrep -m1 -h '^Subject:' >/dev/null
zgrep_ms=$(( $(since_ms "$t") * nfiles / 1000 ))

echo "# mhtop -b -p quarantine, 3 runs"
: >"$WORK/b.ms"
b_rss=0
for _ in 1 2 3; do
	t=$(now_us)
	/usr/bin/time -f '%M' -o "$WORK/rss" "$MHTOP" -b -p quarantine \
	    -f "$WORK/conf" >"$WORK/b.out" 2>"$WORK/err"
	b_rc=$?
	since_ms "$t" >>"$WORK/b.ms"
	r=$(( $(tail -1 "$WORK/rss") / 1024 ))
	[ "$r" -gt "$b_rss" ] && b_rss=$r
	[ "$b_rc" = 0 ] || break
done
b_ms=$(sort -n "$WORK/b.ms" | sed -n 2p)
b_rows=$(($(wc -l <"$WORK/b.out") - 1))
if [ "$b_rc" != 0 ] || [ -z "$b_ms" ]; then
	echo "# mhtop -b failed (exit $b_rc): $(head -c 300 "$WORK/err")" >&2
	b_ms=nan
fi
cmp_result=
if [ -n "${BENCH_CMP:-}" ]; then
	"$BENCH_CMP" -b -p quarantine -f "$WORK/conf" >"$WORK/cmp.out" \
	    2>"$WORK/cmp.err"
	if cmp -s "$WORK/b.out" "$WORK/cmp.out"; then
		cmp_result="identical to $BENCH_CMP's"
	else
		cmp_result="DIFFERS from $BENCH_CMP's"
	fi
fi

echo "# the first frame, tmux 200x50"
TERMNAME=tmux-256color
infocmp "$TERMNAME" >/dev/null 2>&1 || TERMNAME=screen-256color
tm new-session -d -s hold -x 200 -y 50 'sleep 86400' || exit 2
tm set -g status off >/dev/null
tm set -g remain-on-exit on >/dev/null
tm set -g default-terminal "$TERMNAME" >/dev/null
# the pane notes when it starts: tmux's own start-up is not mhtop's
cat >"$WORK/ff.sh" <<EOF
#!/usr/bin/env bash
echo "\${EPOCHREALTIME/[.,]/}" >"$WORK/ff.start"
exec env LANG=C.UTF-8 "$MHTOP" -f "$WORK/conf" -p quarantine
EOF
chmod +x "$WORK/ff.sh"
tm new-session -d -s ff -x 200 -y 50 "$WORK/ff.sh"
ROW='(spam|virus|banned|bad header) +[A-Za-z0-9_-]{12} '
ff_ms=nan
end=$(( $(now_us) + 60000000 ))
while [ "$(now_us)" -lt "$end" ]; do
	if tm capture-pane -p -t ff >"$WORK/screen" 2>/dev/null &&
	    grep -qE "$ROW" "$WORK/screen"; then
		ff_ms=$(since_ms "$(cat "$WORK/ff.start")")
		cp "$WORK/screen" "$WORK/first-frame.txt"
		break
	fi
	sleep 0.01
done
pid=$(tm display -p -t ff '#{pane_pid}')
# every file counted, then the CPU idle for 300 ms: the headers are read
all_ms=nan hwm=nan
end=$(( $(now_us) + 300000000 ))
while [ "$ff_ms" != nan ] && [ "$(now_us)" -lt "$end" ]; do
	tm capture-pane -p -t ff >"$WORK/screen" 2>/dev/null || break
	if grep -q ": $nfiles messages" "$WORK/screen"; then
		c0=$(cpu_ticks "$pid")
		t=$(now_us)
		sleep 0.3
		if [ "$(cpu_ticks "$pid")" = "$c0" ]; then
			all_ms=$(( (t - $(cat "$WORK/ff.start")) / 1000 ))
			break
		fi
		continue
	fi
	sleep 0.05
done
if [ "$all_ms" != nan ]; then
	hwm=$(( $(awk '$1 == "VmHWM:" { print $2 }' "/proc/$pid/status") / 1024 ))
	# 10 come, 3 go: until the header counts them
	for d in "$WORK/stage2"/*/; do
		for f in "$d"*; do
			[ -e "$f" ] && mv "$f" "$Q/$(basename "$d")/"
		done
	done
	find "$Q" -type f | head -n 3 | xargs rm -f
	want=$((nfiles + 10 - 3))
	t=$(now_us)
	new_ms=nan
	end=$(( $(now_us) + 30000000 ))
	while [ "$(now_us)" -lt "$end" ]; do
		tm capture-pane -p -t ff >"$WORK/screen" 2>/dev/null || break
		if grep -q ": $want messages" "$WORK/screen"; then
			new_ms=$(since_ms "$t")
			break
		fi
		sleep 0.01
	done
	# idle: the CPU of 5 re-polls with nothing new (interval 2 s)
	sleep 3
	c0=$(cpu_ticks "$pid")
	sleep 10
	idle_ms=$(( ($(cpu_ticks "$pid") - c0) * 1000 / $(getconf CLK_TCK) / 5 ))
	hwm=$(( $(awk '$1 == "VmHWM:" { print $2 }' "/proc/$pid/status") / 1024 ))
fi
tm send-keys -t ff q
sleep 0.2
tm kill-session -t ff 2>/dev/null

echo "# the pane's reads alone (bench_quarantine)"
# shellcheck disable=SC2046 # pkg-config prints several words on purpose
if cc -O2 -I include -I "$BUILD" $(pkg-config --cflags ncursesw libevent libpcre2-8 zlib) \
    bench/bench_quarantine.c "$BUILD/libmhtop.a" \
    $(pkg-config --libs ncursesw libevent libpcre2-8 zlib) -lm \
    -o "$WORK/bench_quarantine" 2>"$WORK/cc.err"; then
	"$WORK/bench_quarantine" "$Q" "$WORK/stage" >"$WORK/bq"
else
	echo "# bench_quarantine does not compile: $(head -c 300 "$WORK/cc.err")" >&2
	: >"$WORK/bq"
fi
v() { x=$(sed -n "s/^$1=//p" "$WORK/bq"); echo "${x:-nan}"; }

verdict() {	# value, limit: value < limit
	awk -v x="$1" -v t="$2" 'BEGIN {
		if (x == "nan" || x == "") print "n/a"
		else print (x + 0 < t + 0) ? "PASS" : "FAIL"
	}'
}
ratio() {	# a / b, as "%.1fx"
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a == "nan" || b == "nan" || b == 0) print "n/a"
		else printf "%.1fx", a / b
	}'
}

printf '\nmhtop quarantine benchmark: %d files (%d MB, hashed, gz spam), %s\n\n' \
    "$nfiles" $((bytes / 1048576)) "$(uname -sr), $(nproc) CPU(s), page cache warm"
printf '%-46s %10s  %-30s %s\n' measure value "compared with" target
printf '%-46s %7s ms\n' "find DIR -type f | wc -l" "$find_ms"
printf '%-46s %7s ms  %-30s\n' "gzip -cdf every file | grep -c ^Subject:" \
    "$zcat_ms" "$nsubj Subject lines"
printf '%-46s %7s ms  %-30s\n' "zgrep -m1 Subject per file (1000, scaled)" \
    "$zgrep_ms" ""
printf '%-46s %7s ms  %-30s %s\n' "mhtop -b -p quarantine ($b_rows rows)" \
    "$b_ms" "$(ratio "$b_ms" "$zcat_ms") the gzip pipe" \
    "$(verdict "$b_ms" 5000) (< 5000 ms)"
printf '%-46s %10s  %-30s %s\n' "  a row for every file" "$b_rows" \
    "$nfiles files" "$([ "$b_rows" = "$nfiles" ] && echo PASS || echo FAIL)"
[ -n "$cmp_result" ] && printf '%-46s %10s  %s\n' "  its output" "" "$cmp_result"
printf '%-46s %7s MB  %-30s %s\n' "  its peak RSS" "$b_rss" "" \
    "$(verdict "$b_rss" 128) (< 128 MB)"
printf '%-46s %7s ms  %-30s %s\n' "reads alone: the first rows" "$(v first_ms)" \
    "" "$(verdict "$(v first_ms)" 200) (< 200 ms)"
printf '%-46s %7s ms  %-30s %s\n' "  every header read" "$(v all_ms)" \
    "$(ratio "$(v all_ms)" "$zcat_ms") the gzip pipe" \
    "$(verdict "$(v all_ms)" 5000) (< 5000 ms)"
printf '%-46s %7s ms  %-30s %s\n' "  re-poll, nothing new" "$(v idle_ms)" \
    "$(ratio "$(v idle_ms)" "$find_ms") the find" \
    "$(verdict "$(v idle_ms)" 100) (< 100 ms)"
printf '%-46s %7s ms  %-30s %s\n' "  re-poll, 10 new and 3 gone" \
    "$(v change_ms)" "$(v rows_after) rows after" \
    "$(verdict "$(v change_ms)" 100) (< 100 ms)"
printf '%-46s %7s ms  %-30s\n' "    of which poll_finish" "$(v change_rows_ms)" \
    "the rows of the files changed"
printf '%-46s %7s ms  %-30s\n' "    of which the table and summary" \
    "$(awk -v a="$(v change_finish_ms)" -v b="$(v change_rows_ms)" \
    'BEGIN { if (a == "nan" || b == "nan") print "nan"; else printf "%.1f", a - b }')" \
    "the screen's sort of every row"
printf '%-46s %7s MB\n' "  peak RSS" "$(( $(v rss_peak_kb | sed 's/nan/0/') / 1024 ))"
printf '%-46s %7s ms  %-30s %s\n' "interactive: first frame, tmux 200x50" \
    "$ff_ms" "" "$(verdict "$ff_ms" 200) (< 200 ms)"
printf '%-46s %7s ms  %-30s %s\n' "  every file counted, the read over" \
    "$all_ms" "$(ratio "$all_ms" "${b_ms}") -b" \
    "$(verdict "$all_ms" 5000) (< 5000 ms)"
printf '%-46s %7s ms  %-30s %s\n' "  10 new, 3 gone: counted after" \
    "${new_ms:-nan}" "interval 2 s + the re-poll" \
    "$(verdict "${new_ms:-nan}" 2100) (< 2100 ms)"
printf '%-46s %7s ms  %-30s %s\n' "  CPU of a re-poll, nothing new" \
    "${idle_ms:-nan}" "the mean of 5" \
    "$(verdict "${idle_ms:-nan}" 100) (< 100 ms)"
printf '%-46s %7s MB  %-30s %s\n' "  peak RSS (VmHWM)" "$hwm" "" \
    "$(verdict "$hwm" 128) (< 128 MB)"
exit 0
