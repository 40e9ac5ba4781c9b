#!/usr/bin/env bash
# Benchmark mhtop on a large OpenSMTPD queue (a benchmark, not a test: it
# prints PASS/MISS per target but exits 0 whatever the timings; it exits
# non-zero only when it cannot run at all).
#
#   bench/queue.sh
#
# Environment:
#   MHTOP               the binary (default build/mhtop, else ./mhtop, relative to the repo
#                       root); libmhtop.a and config.h are taken from its
#                       directory (MHTOP_LIB overrides the library)
#   BENCH_N             envelopes in the big queue (100000)
#   BENCH_QUEUE         a `show queue` file to use instead of generating one
#   BENCH_REPEAT        runs of each timed command, median taken (5)
#   BENCH_KEYS          j keys sent to the interactive mhtop (2000)
#   BENCH_IDLE_N        envelopes in the idle test (1000)
#   BENCH_IDLE_SECONDS  length of the idle measurement (20)
#   BENCH_KEEP=1        keep the work directory (queue files, logs)
#
# It builds nothing but bench/bench_parse.c, against the project's
# libmhtop.a.  Needs bash >= 5, awk, cc, pkg-config (all there when mhtop
# was built) and the Debian packages tmux and time, which it installs with
# apt-get when they are missing.  The queue is made by bench/gen_queue.awk
# and served by the fake smtpctl of the end-to-end tests
# (tests/fake/smtpctl), so no smtpd is needed.
#
# Measures, in one run, with baselines taken in the same run:
#  (a) cat of the queue file, and the fake smtpctl answering
#      `show status` + `show queue` (what mhtop spawns), as baselines;
#  (b) mhtop -b on the fake (spawn + read + parse + sort + TSV print), and
#      the parse + sort + table part alone (bench/bench_parse.c);
#  (c) the first frame: `mhtop -n 1` in a 120x40 tmux pane, start to exit;
#  (d) CPU per key at 100k rows (j one key at a time, with G/g/PgDn/PgUp
#      mixed in), from utime+stime in /proc/PID/stat, and the interactive
#      RSS (VmRSS, VmHWM) at 100k rows, before and after a re-poll;
#  (e) CPU while idle, 1,000 envelopes, interval 2.

set -u

if [ -z "${BASH_VERSINFO:-}" ] || [ "${BASH_VERSINFO[0]}" -lt 5 ]; then
	echo "bench/queue.sh: needs bash 5 (EPOCHREALTIME)" >&2
	exit 2
fi

# shellcheck source=bench/common.sh
. "$(dirname "$0")/common.sh"
LIB=${MHTOP_LIB:-$BUILD/libmhtop.a}
FAKE=$ROOT/tests/fake/smtpctl
N=${BENCH_N:-100000}
REPEAT=${BENCH_REPEAT:-5}
NKEYS=${BENCH_KEYS:-2000}
IDLE_N=${BENCH_IDLE_N:-1000}
IDLE_S=${BENCH_IDLE_SECONDS:-20}
COLS=120
ROWS=40

die() {
	echo "bench/queue.sh: $*" >&2
	exit 2
}
note() {
	echo "# $*" >&2
}

[ -x "$FAKE" ] || die "$FAKE: missing"
[ -r /proc/self/stat ] || die "needs Linux /proc"

# ---- packages -------------------------------------------------------------
SUDO=
if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
fi
APT_UPDATED=
ensure() { # $1 = file or command, $2 = Debian package
	if [ -x "$1" ] || command -v "$1" >/dev/null 2>&1; then
		return 0
	fi
	note "installing $2"
	if [ -z "$APT_UPDATED" ]; then
		$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq ||
		    die "apt-get update failed"
		APT_UPDATED=1
	fi
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends "$2" >/dev/null || die "cannot install $2"
}
ensure tmux tmux
ensure /usr/bin/time time
ensure awk mawk
command -v cc >/dev/null 2>&1 || die "cc missing (install build-essential)"
command -v pkg-config >/dev/null 2>&1 || die "pkg-config missing"

CLK_TCK=$(getconf CLK_TCK)

# ---- work directory, tmux server, cleanup ----------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mhtop-bench.XXXXXX") || die "mktemp failed"
SOCK=mhtop-bench-$$
tm() {
	tmux -L "$SOCK" -f /dev/null "$@"
}
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
	tm kill-server >/dev/null 2>&1
	if [ "${BENCH_KEEP:-}" = 1 ]; then
		note "work directory kept: $WORK"
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# ---- helpers ----------------------------------------------------------------
now_us() {
	local t=$EPOCHREALTIME
	echo "${t/[.,]/}"
}
median() { # numbers on stdin
	sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "nan"; exit }
		if (NR % 2) print v[(NR + 1) / 2]
		else print (v[NR / 2] + v[NR / 2 + 1]) / 2
	}'
}
calc() { # awk expression
	awk "BEGIN { print $* }"
}
ticks() { # utime + stime of a process, in clock ticks
	local s
	s=$(cat "/proc/$1/stat" 2>/dev/null) || {
		echo -1
		return
	}
	s=${s##*) }
	# shellcheck disable=SC2086
	set -- $s
	echo $((${12} + ${13}))
}
child_ticks() { # cutime + cstime (reaped children)
	local s
	s=$(cat "/proc/$1/stat" 2>/dev/null) || {
		echo -1
		return
	}
	s=${s##*) }
	# shellcheck disable=SC2086
	set -- $s
	echo $((${14} + ${15}))
}
wakeups() { # voluntary context switches: mhtop sleeps in epoll_wait
	# between two events, so one a key when keys are not coalesced
	awk '$1 == "voluntary_ctxt_switches:" { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0
}
status_kb() { # $1 = pid, $2 = VmRSS | VmHWM
	awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status" 2>/dev/null
}
screen() {
	tm capture-pane -p -t "$1" 2>/dev/null
}
wait_screen() { # session, fixed string, timeout s
	local end=$(($(now_us) + $3 * 1000000))
	while [ "$(now_us)" -lt "$end" ]; do
		if screen "$1" | grep -qF -- "$2"; then
			return 0
		fi
		sleep 0.05
	done
	return 1
}
wait_idle() { # pid: until it used <= 1 tick in 1 s (the 1 s clock redraw)
	local a b n=0 end=$(($(now_us) + 120000000))
	a=$(ticks "$1")
	while [ "$(now_us)" -lt "$end" ]; do
		sleep 0.25
		b=$(ticks "$1")
		if [ "$b" -lt 0 ]; then
			return 1
		fi
		if [ $((b - a)) -le 1 ]; then
			n=$((n + 1))
			if [ "$n" -ge 4 ]; then
				return 0
			fi
		else
			n=0
			a=$b
		fi
	done
	return 1
}
count_queue_polls() { # state dir
	grep -c '^show queue$' "$1/argv.log" 2>/dev/null || echo 0
}
make_state() { # dir, queue file
	mkdir -p "$1"
	cp "$2" "$1/queue"
	printf 'MDA running\nMTA running\nSMTP running\n' >"$1/status"
}
make_conf() { # file, interval
	printf 'smtpctl %s\ndoas none\ninterval %s\n' "$FAKE" "$2" >"$1"
}
q() {
	printf '%q' "$1"
}

# ---- the queues ---------------------------------------------------------------
NOW=$(date +%s)
QIDLE=$WORK/queue-$IDLE_N.txt
if [ -n "${BENCH_QUEUE:-}" ]; then
	[ -r "$BENCH_QUEUE" ] || die "$BENCH_QUEUE: cannot read"
	N=$(wc -l <"$BENCH_QUEUE")
	QBIG=$WORK/queue-$N.txt
	cp "$BENCH_QUEUE" "$QBIG"
	note "using $BENCH_QUEUE: $N envelopes"
else
	QBIG=$WORK/queue-$N.txt
	note "generating $N envelopes"
	awk -v n="$N" -v seed=42 -v now="$NOW" -f bench/gen_queue.awk |
	    LC_ALL=C sort >"$QBIG" || die "generator failed"
fi
awk -v n="$IDLE_N" -v seed=7 -v now="$NOW" -f bench/gen_queue.awk |
    LC_ALL=C sort >"$QIDLE" || die "generator failed"
BYTES=$(wc -c <"$QBIG")
LINES=$(wc -l <"$QBIG")
[ "$LINES" -eq "$N" ] || die "generator made $LINES lines, not $N"

make_state "$WORK/st-big" "$QBIG"
make_state "$WORK/st-keys" "$QBIG"
make_state "$WORK/st-idle" "$QIDLE"
CONF_BIG=$WORK/big.conf
CONF_KEYS=$WORK/keys.conf
CONF_IDLE=$WORK/idle.conf
make_conf "$CONF_BIG" 2
make_conf "$CONF_KEYS" 3600
make_conf "$CONF_IDLE" 2

# ---- (a) baselines -----------------------------------------------------------
timed() { # label, command...: wall us (median of REPEAT) and max RSS KiB
	local label=$1 i t0 t1 walls=() rss=0 r
	shift
	for ((i = 0; i < REPEAT; i++)); do
		t0=$(now_us)
		/usr/bin/time -f '%M' -o "$WORK/time.out" "$@" >/dev/null \
		    2>"$WORK/$label.err"
		r=$?
		t1=$(now_us)
		[ "$r" -eq 0 ] || {
			note "$label: exit $r: $(head -c 300 "$WORK/$label.err")"
			echo "nan nan"
			return
		}
		walls+=($((t1 - t0)))
		r=$(tail -n 1 "$WORK/time.out")
		[ "$r" -gt "$rss" ] 2>/dev/null && rss=$r
	done
	echo "$(printf '%s\n' "${walls[@]}" | median) $rss"
}

note "(a) baselines"
cat "$QBIG" >/dev/null		# warm the page cache
read -r CAT_US _ < <(timed cat cat "$QBIG")
# shellcheck disable=SC2317 # run by bash -c
fake_both() {
	"$FAKE" show status && "$FAKE" show queue
}
export -f fake_both
export FAKE
export FAKE_SMTPCTL_DIR=$WORK/st-big
read -r FAKE_US _ < <(timed fake bash -c fake_both)

# ---- (b) mhtop -b and the parse path ---------------------------------------
note "(b) mhtop -b"
BROWS=$("$MHTOP" -b -f "$CONF_BIG" | wc -l)
read -r B_US B_RSS < <(timed mhtop-b "$MHTOP" -b -f "$CONF_BIG")
unset FAKE_SMTPCTL_DIR

note "(b) bench_parse"
BP=$WORK/bench_parse
PARSE_OK=
# shellcheck disable=SC2046
if cc -O2 -I include -I "$BUILD" $(pkg-config --cflags ncursesw libevent libpcre2-8 zlib) \
    bench/bench_parse.c "$LIB" \
    $(pkg-config --libs ncursesw libevent libpcre2-8 zlib) -lm -o "$BP" \
    2>"$WORK/bench_parse.cc.err"; then
	if "$BP" "$QBIG" "$REPEAT" >"$WORK/bench_parse.out" 2>&1; then
		PARSE_OK=1
	else
		note "bench_parse failed: $(head -c 300 "$WORK/bench_parse.out")"
	fi
else
	note "bench_parse does not compile: $(head -c 600 "$WORK/bench_parse.cc.err")"
fi
bp() { # key
	if [ -n "$PARSE_OK" ]; then
		awk -F= -v k="$1" '$1 == k { print $2 }' "$WORK/bench_parse.out"
	else
		echo nan
	fi
}

# ---- tmux ---------------------------------------------------------------------
TERMNAME=tmux-256color
infocmp "$TERMNAME" >/dev/null 2>&1 || TERMNAME=screen-256color
tm new-session -d -s hold -x "$COLS" -y "$ROWS" 'sleep 86400' ||
    die "tmux does not start"
tm set -g status off
tm set -g remain-on-exit on
tm set -g default-terminal "$TERMNAME"
tm set -g -w alternate-screen off
tm set -g history-limit 0

# ---- (c) first frame ------------------------------------------------------------
note "(c) first frame in tmux ${COLS}x$ROWS"
FF_US=()
FF_SHOWN=0
for ((i = 0; i < REPEAT; i++)); do
	out=$WORK/ff.$i
	cat >"$WORK/ff.sh" <<EOF
#!/bin/bash
export FAKE_SMTPCTL_DIR=$(q "$WORK/st-big") LANG=C.UTF-8
s=\$EPOCHREALTIME
$(q "$MHTOP") -n 1 -f $(q "$CONF_BIG")
r=\$?
e=\$EPOCHREALTIME
echo "\${s/[.,]/} \${e/[.,]/} \$r" >$(q "$out")
EOF
	chmod +x "$WORK/ff.sh"
	tm new-session -d -s "ff$i" -x "$COLS" -y "$ROWS" "$WORK/ff.sh"
	end=$(($(now_us) + 120000000))
	while [ ! -s "$out" ] && [ "$(now_us)" -lt "$end" ]; do
		sleep 0.02
	done
	if read -r s e r <"$out" 2>/dev/null && [ "$r" = 0 ]; then
		FF_US+=($((e - s)))
		if screen "ff$i" | grep -qF "$N envelopes"; then
			FF_SHOWN=$((FF_SHOWN + 1))
		fi
	else
		note "first frame run $i failed"
	fi
	[ "$i" -eq 0 ] && screen "ff$i" >"$WORK/first-frame.txt"
	tm kill-session -t "ff$i" 2>/dev/null
done
if [ "${#FF_US[@]}" -gt 0 ]; then
	FF_MED=$(printf '%s\n' "${FF_US[@]}" | median)
else
	FF_MED=nan
fi

# ---- (d) keys at 100k rows, interactive RSS -------------------------------------
note "(d) keys at $N rows"
tm new-session -d -s keys -x "$COLS" -y "$ROWS" \
    "exec env FAKE_SMTPCTL_DIR=$(q "$WORK/st-keys") LANG=C.UTF-8 $(q "$MHTOP") -f $(q "$CONF_KEYS")"
KPID=$(tm display -p -t keys '#{pane_pid}')
KEY_MS=nan KEY_RAW_MS=nan RSS_STEADY=nan HWM_LOAD=nan RSS_AFTER=nan HWM_PEAK=nan
KEYS_SENT=0 LOAD_S=nan REPOLL_OK='' WAKEUPS=nan
if [ "$(cat "/proc/$KPID/comm" 2>/dev/null)" != mhtop ]; then
	note "interactive mhtop did not start"
else
	t0=$(now_us)
	if wait_screen keys "$N envelopes" 120; then
		LOAD_S=$(calc "($(now_us) - $t0) / 1e6")
		wait_idle "$KPID"
		RSS_STEADY=$(status_kb "$KPID" VmRSS)
		HWM_LOAD=$(status_kb "$KPID" VmHWM)
		screen keys >"$WORK/keys-before.txt"
		# the idle rate (1 s clock redraw) to subtract
		i0=$(ticks "$KPID")
		w0=$(now_us)
		sleep 3
		i1=$(ticks "$KPID")
		w1=$(now_us)
		IDLE_RATE=$(calc "($i1 - $i0) / (($w1 - $w0) / 1e6)")

		c0=$(ticks "$KPID")
		s0=$(wakeups "$KPID")
		w0=$(now_us)
		for ((k = 1; k <= NKEYS; k++)); do
			tm send-keys -t keys j
			KEYS_SENT=$((KEYS_SENT + 1))
			if [ $((k % 250)) -eq 0 ]; then
				for key in G g NPage NPage NPage PPage End Home; do
					tm send-keys -t keys "$key"
					KEYS_SENT=$((KEYS_SENT + 1))
				done
			fi
		done
		wait_idle "$KPID"
		c1=$(ticks "$KPID")
		s1=$(wakeups "$KPID")
		WAKEUPS=$((s1 - s0))
		w1=$(now_us)
		screen keys >"$WORK/keys-after.txt"
		KEY_RAW_MS=$(calc "($c1 - $c0) * 1000 / $CLK_TCK / $KEYS_SENT")
		KEY_MS=$(calc "(($c1 - $c0) - $IDLE_RATE * ($w1 - $w0) / 1e6) * 1000 / $CLK_TCK / $KEYS_SENT")
		KEY_WALL_S=$(calc "($w1 - $w0) / 1e6")

		# a re-poll: F freezes, F again polls at once; old and new rows
		# coexist while the new ones are read
		n0=$(count_queue_polls "$WORK/st-keys")
		old=$(screen keys | grep -o 'data [0-9:]*' | head -n 1)
		tm send-keys -t keys F
		sleep 0.3
		tm send-keys -t keys F
		end=$(($(now_us) + 120000000))
		while [ "$(now_us)" -lt "$end" ]; do
			cur=$(screen keys | grep -o 'data [0-9:]*' | head -n 1)
			if [ "$(count_queue_polls "$WORK/st-keys")" -gt "$n0" ] &&
			    [ -n "$cur" ] && [ "$cur" != "$old" ]; then
				REPOLL_OK=1
				break
			fi
			sleep 0.05
		done
		wait_idle "$KPID"
		RSS_AFTER=$(status_kb "$KPID" VmRSS)
		HWM_PEAK=$(status_kb "$KPID" VmHWM)
		[ -n "$REPOLL_OK" ] || note "the re-poll was not seen"
	else
		note "the $N rows never showed"
		screen keys >"$WORK/keys-fail.txt"
	fi
	tm send-keys -t keys q
fi
sleep 0.2
tm kill-session -t keys 2>/dev/null

# ---- (e) idle -------------------------------------------------------------------
note "(e) idle CPU, $IDLE_N envelopes, interval 2, ${IDLE_S}s"
tm new-session -d -s idle -x "$COLS" -y "$ROWS" \
    "exec env FAKE_SMTPCTL_DIR=$(q "$WORK/st-idle") LANG=C.UTF-8 $(q "$MHTOP") -f $(q "$CONF_IDLE")"
IPID=$(tm display -p -t idle '#{pane_pid}')
IDLE_PCT=nan CHILD_PCT=nan IDLE_POLLS=nan
if wait_screen idle "$IDLE_N envelopes" 60; then
	sleep 3
	c0=$(ticks "$IPID")
	h0=$(child_ticks "$IPID")
	p0=$(count_queue_polls "$WORK/st-idle")
	w0=$(now_us)
	sleep "$IDLE_S"
	c1=$(ticks "$IPID")
	h1=$(child_ticks "$IPID")
	p1=$(count_queue_polls "$WORK/st-idle")
	w1=$(now_us)
	IDLE_PCT=$(calc "($c1 - $c0) / $CLK_TCK / (($w1 - $w0) / 1e6) * 100")
	CHILD_PCT=$(calc "($h1 - $h0) / $CLK_TCK / (($w1 - $w0) / 1e6) * 100")
	IDLE_POLLS=$((p1 - p0))
	IDLE_RSS=$(status_kb "$IPID" VmHWM)
else
	note "the idle mhtop never showed its rows"
fi
tm send-keys -t idle q
sleep 0.2
tm kill-session -t idle 2>/dev/null

# ---- report ------------------------------------------------------------------------
ms() { # us -> ms
	awk -v v="$1" 'BEGIN { if (v == "nan") print "n/a"; else printf "%.1f ms", v / 1000 }'
}
mb() { # KiB -> MB
	awk -v v="$1" 'BEGIN { if (v == "" || v == "nan") print "n/a"; else printf "%.1f MB", v / 1024 }'
}
ratio() { # a / b
	awk -v a="$1" -v b="$2" 'BEGIN { if (a == "nan" || b == "nan" || b == 0) print "n/a"; else printf "%.1fx", a / b }'
}
verdict() { # value, limit (value < limit)
	awk -v v="$1" -v l="$2" 'BEGIN {
		if (v == "" || v == "nan") print "n/a"
		else print (v + 0 < l + 0) ? "PASS" : "MISS"
	}'
}
row() { # label value compare target verdict
	printf '%-52s %12s  %-26s %-9s %s\n' "$1" "$2" "$3" "$4" "$5"
}

TOTAL_MS=$(bp total_ms)
PEAK_KB=$(bp rss_peak_kb)
FILE_KB=$(bp rss_file_kb)
ROWSET_KB=$(calc "$PEAK_KB - $FILE_KB" 2>/dev/null)
[ -n "$PARSE_OK" ] || ROWSET_KB=nan
B_MS=$(calc "$B_US / 1000")
[ "$B_US" = nan ] && B_MS=nan
PARSE_SHARE=$(awk -v p="$TOTAL_MS" -v b="$B_MS" 'BEGIN { if (p == "nan" || b == "nan" || b == 0) print "n/a"; else printf "%.0f%% of -b", 100 * p / b }')

echo
echo "mhtop queue benchmark"
echo "  $(uname -srm), $(nproc) CPU(s), CLK_TCK $CLK_TCK, $(tmux -V), TERM $TERMNAME"
echo "  mhtop: $MHTOP"
echo "  queue: $N envelopes, $(mb $((BYTES / 1024))), $((BYTES / N)) bytes/line; medians of $REPEAT runs"
echo
row "measure" "value" "compared with" "target" "result"
row "(a) cat FILE >/dev/null" "$(ms "$CAT_US")" "" "" ""
row "(a) fake smtpctl show status + show queue" "$(ms "$FAKE_US")" "$(ratio "$FAKE_US" "$CAT_US") cat" "" ""
row "(b) mhtop -b (spawn+read+parse+sort+TSV)" "$(ms "$B_US")" "$(ratio "$B_US" "$CAT_US") cat, $(ratio "$B_US" "$FAKE_US") fake" "" ""
row "    rows printed (header included)" "$BROWS" "$((N + 1)) expected" "" "$([ "$BROWS" -eq $((N + 1)) ] && echo ok || echo WRONG)"
row "    peak RSS of mhtop -b" "$(mb "$B_RSS")" "" "< 64 MB" "$(verdict "$B_RSS" 65536)"
row "(b) parse+sort+table_set_rows (bench_parse)" "$(bp total_ms) ms" "$PARSE_SHARE" "< 150 ms" "$(verdict "$TOTAL_MS" 150)"
row "    queue_parse_line x $N" "$(bp parse_ms) ms" "" "" ""
row "    queue_sort" "$(bp sort_ms) ms" "" "" ""
row "    table_set_rows (filter+sort+cursor)" "$(bp table_ms) ms" "" "" ""
row "    unparsed lines" "$(bp bad)" "0 expected" "" "$([ "$(bp bad)" = 0 ] && echo ok || echo WRONG)"
row "    peak RSS of bench_parse" "$(mb "$PEAK_KB")" "file buffer $(mb "$FILE_KB")" "< 64 MB" "$(verdict "$PEAK_KB" 65536)"
row "    of which the row set and table" "$(mb "$ROWSET_KB")" "arena $(mb "$(bp arena_kb)")" "" ""
row "    key-driven: filter /greylist" "$(bp filter_sub_ms) ms" "$(bp filter_sub_rows) rows match" "" ""
row "    key-driven: filter ~Greylisted|timed out" "$(bp filter_re_ms) ms" "$(bp filter_re_rows) rows match" "" ""
row "    key-driven: Esc (clear filter)" "$(bp filter_clear_ms) ms" "" "" ""
row "    key-driven: > (next sort column)" "$(bp sortcol_ms) ms" "" "" ""
row "    -b's TSV print of the rows (batch_print)" "$(bp tsv_ms) ms" "to /dev/null" "" ""
row "    -J's JSON lines of the rows (batch_print_json)" "$(bp json_ms) ms" \
    "$(awk -v a="$(bp json_ms)" -v b="$(bp tsv_ms)" 'BEGIN { if (b > 0) printf "%.2fx the TSV", a / b }')" "" ""
for v in shape senders errors; do
	row "    b: the queue by $v ($(bp view_${v}_rows) rows)" "$(bp view_${v}_ms) ms" \
	    "$(awk -v a="$(bp view_${v}_ms)" -v b="$(bp parse_ms)" 'BEGIN { if (b > 0) printf "%.2fx the parse", a / b }')" \
	    "< 100 ms" "$(awk -v a="$(bp view_${v}_ms)" 'BEGIN { print (a + 0 < 100) ? "PASS" : "MISS" }')"
done
row "(c) first frame: mhtop -n 1 in tmux ${COLS}x$ROWS" "$(ms "$FF_MED")" "$(ratio "$FF_MED" "$B_US") -b" "" ""
row "    runs whose last frame showed $N envelopes" "$FF_SHOWN/${#FF_US[@]}" "" "" ""
row "(d) CPU per key at $N rows, idle subtracted" "$(awk -v v="$KEY_MS" 'BEGIN { if (v == "nan") print "n/a"; else printf "%.3f ms", v }')" "$KEYS_SENT keys, one at a time" "< 5 ms" "$(verdict "$KEY_MS" 5)"
row "    CPU per key, raw" "$(awk -v v="$KEY_RAW_MS" 'BEGIN { if (v == "nan") print "n/a"; else printf "%.3f ms", v }')" "over ${KEY_WALL_S:-?} s of sending" "" ""
row "    wakeups (voluntary context switches)" "$WAKEUPS" "~ keys if none coalesced" "" ""
row "    time to show $N rows after start" "$(awk -v v="$LOAD_S" 'BEGIN { if (v == "nan") print "n/a"; else printf "%.2f s", v }')" "" "" ""
row "    RSS at $N rows, steady (VmRSS)" "$(mb "$RSS_STEADY")" "" "< 64 MB" "$(verdict "$RSS_STEADY" 65536)"
row "    RSS peak after the first load (VmHWM)" "$(mb "$HWM_LOAD")" "" "< 64 MB" "$(verdict "$HWM_LOAD" 65536)"
row "    RSS after a re-poll (VmRSS)" "$(mb "$RSS_AFTER")" "${REPOLL_OK:+re-poll seen}" "< 64 MB" "$(verdict "$RSS_AFTER" 65536)"
row "    RSS peak with a re-poll (VmHWM, 2 row sets)" "$(mb "$HWM_PEAK")" "" "< 64 MB" "$(verdict "$HWM_PEAK" 65536)"
row "(e) idle CPU, $IDLE_N envelopes, interval 2" "$(awk -v v="$IDLE_PCT" 'BEGIN { if (v == "nan") print "n/a"; else printf "%.2f %%", v }')" "${IDLE_POLLS} polls in ${IDLE_S} s" "< 1 %" "$(verdict "$IDLE_PCT" 1)"
row "    the fake smtpctl children (sh, cat)" "$(awk -v v="$CHILD_PCT" 'BEGIN { if (v == "nan") print "n/a"; else printf "%.2f %%", v }')" "not mhtop's" "" ""
row "    peak RSS at $IDLE_N envelopes (VmHWM)" "$(mb "${IDLE_RSS:-nan}")" "" "" ""
echo
exit 0
