#!/usr/bin/env bash
# bench/degenerate.sh: inputs built to be slow, beside normal ones (issue 13).
#
# Mail logs of BENCH_MB megabytes each (default 64), their times within
# the last 2 hours:
#   - normal: bench/maillog_gen.c, as bench/maillog.sh makes it;
#   - a normal log of half the size, concatenated twice: against the normal;
#   - one verdict line again and again, each time with another log id:
#     each a row of its own, the baseline of the two below;
#   - that line over and over (a generated test log): one row;
#   - verdicts that share a row key (second, log id, outcome, address) and
#     differ in their size: each a row of its own.
# mhtop -b -p verdicts on each (killed after BENCH_TIMEOUT s, default 120),
# and its time against its baseline's; then how long mhtop takes to exit
# on a SIGTERM sent 0.3 s into reading the shared-key log (it must serve
# signals and keys within 100 ms, whatever it reads).
# Then spamdb listings of BENCH_N tuples each (default 100,000), every
# sender's domain a different one: normal domains, and domains built by
# bench/collide_gen.c to share one bucket of the tables' old hash (FNV-1a,
# its low bits): mhtop -b -p grey on each, and the ratio.
# The same inputs cost the same: every ratio near 1.  A benchmark, not a
# test: it never fails on timings.  MHTOP=an older build gives its figures.
# Environment: MHTOP (default build/mhtop, else ./mhtop), BENCH_MB, BENCH_N,
# BENCH_TIMEOUT, BENCH_KEEP.
set -u
# shellcheck source=bench/common.sh
. "$(dirname "$0")/common.sh"
MB=${BENCH_MB:-64}
N=${BENCH_N:-100000}
LIMIT=${BENCH_TIMEOUT:-120}
WORK=$(mktemp -d)
[ "${BENCH_KEEP:-0}" = 1 ] || trap 'rm -rf "$WORK"' EXIT
[ -x /usr/bin/time ] || { [ "$(id -u)" = 0 ] &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }

ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
# run_b NAME PANE CONF: mhtop -b on it, killed after LIMIT s; sets
# MS[NAME] (">N" when killed), ROWS[NAME], RSS[NAME]
declare -A MS ROWS RSS
run_b() {
	local t rc b_ms b_rows
	t=$(date +%s%N)
	/usr/bin/time -f '%M' -o "$WORK/$1.rss" timeout -s KILL "$LIMIT" \
	    "$MHTOP" -b -p "$2" -f "$3" >"$WORK/$1.out" 2>"$WORK/$1.err"
	rc=$?
	b_ms=$(ms "$t")
	b_rows=$(($(wc -l <"$WORK/$1.out") - 1))
	RSS[$1]=$(( $(grep -E '^[0-9]+$' "$WORK/$1.rss" | tail -1) / 1024 ))
	if [ "$rc" = 137 ] || [ "$rc" = 124 ]; then
		b_ms=">$((LIMIT * 1000))"
		b_rows="-"
	elif [ "$rc" != 0 ]; then
		echo "# $1: mhtop exit $rc: $(head -c 300 "$WORK/$1.err")" >&2
		b_ms=nan
	fi
	MS[$1]=$b_ms
	ROWS[$1]=$b_rows
}
ratio() {	# a / b, as "%.2fx"
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a ~ /^>/) { printf "%s", ">"; a = substr(a, 2) }
		if (a == "nan" || b == "nan" || b == 0) print "n/a"
		else printf "%.2fx\n", a / b
	}'
}

echo "# mail logs of $MB MB"
cc -O2 bench/maillog_gen.c -o "$WORK/maillog_gen" || exit 2
cc -O2 bench/collide_gen.c -o "$WORK/collide_gen" || exit 2
now=$(date +%s)
"$WORK/maillog_gen" tests/fixtures/amavis/maillog-mixed.txt "$MB" "$now" 7200 \
    >"$WORK/normal.log" || exit 2
"$WORK/maillog_gen" tests/fixtures/amavis/maillog-mixed.txt $((MB / 2)) \
    "$now" 7200 >"$WORK/half.log" || exit 2
cat "$WORK/half.log" "$WORK/half.log" >"$WORK/twice.log"
rm -f "$WORK/half.log"
stamp=$(LC_ALL=C date -d "@$((now - 3600))" '+%b %e %H:%M:%S')
verdict_line() {	# SIZE-FORMAT: the line, its size field as given
	printf '%s mx amavis[6652]: (06652-01) Passed CLEAN {RelayedInbound}, [127.0.0.1]:41234 [192.0.2.7] <a@example.com> -> <b@example.org>, Queue-ID: 2ae20678, mail_id: AAAAAAAAAAAA, Hits: 1.3, size: %s, 81 ms' \
	    "$stamp" "$1"
}
lines=$(( MB * 1048576 / ($(verdict_line 4761234 | wc -c) + 1) ))
verdict_line 476 | sed 's/(06652-01)/(%05d-%02d)/' >"$WORK/distinct.fmt"
LC_ALL=C awk -v l="$(cat "$WORK/distinct.fmt")" -v n="$lines" \
    'BEGIN { for (i = 0; i < n; i++) printf l "\n", i % 100000, i / 100000 }' \
    >"$WORK/distinct.log"
LC_ALL=C awk -v l="$(verdict_line 476)" -v n="$lines" \
    'BEGIN { for (i = 0; i < n; i++) print l }' >"$WORK/repeat.log"
LC_ALL=C awk -v l="$(verdict_line %d)" -v n="$lines" \
    'BEGIN { for (i = 0; i < n; i++) printf l "\n", 4000000 + i }' \
    >"$WORK/samekey.log"
for f in normal twice distinct repeat samekey; do
	printf 'maillog %s\nhistory 1d\n' "$WORK/$f.log" >"$WORK/$f.conf"
	cat "$WORK/$f.log" >/dev/null		# the page cache warm
done

for f in normal twice distinct repeat samekey; do
	echo "# mhtop -b -p verdicts: $f"
	run_b "$f" verdicts "$WORK/$f.conf"
done

echo "# SIGTERM 0.3 s into the shared-key log"
"$MHTOP" -b -p verdicts -f "$WORK/samekey.conf" >/dev/null 2>&1 &
pid=$!
sleep 0.3
t=$(date +%s%N)
kill -TERM "$pid" 2>/dev/null
term_ms=
for _ in $(seq 1000); do
	kill -0 "$pid" 2>/dev/null || { term_ms=$(ms "$t"); break; }
	sleep 0.01
done
if [ -z "$term_ms" ]; then
	term_ms=">10000"
	kill -KILL "$pid" 2>/dev/null
fi
wait "$pid" 2>/dev/null
term_rc=$?

echo "# spamdb listings of $N tuples"
"$WORK/collide_gen" "$N" 22 >"$WORK/domains" 2>"$WORK/collide.txt" || exit 2
dlen=$(head -1 "$WORK/domains" | tr -d '\n' | wc -c)
spamdb_of() {	# DOMAINS-FILE: GREY tuples, a sender in each domain
	LC_ALL=C awk -F'|' -v dom="$1" 'BEGIN { OFS = "|" }
	    FNR == NR && /^GREY/ { g[k++] = $0; next }
	    FNR != NR {
		split(g[i % k], f, "|")
		f[2] = sprintf("%d.%d.%d.%d", 10 + int(i / 65536) % 200,
		    int(i / 256) % 256, i % 256, 1 + i % 250)
		f[4] = "<u" i "@" $0 ">"
		s = f[1]
		for (j = 2; j <= 10; j++)
			s = s "|" f[j]
		print s
		i++
	    }' tests/fixtures/spamd/spamdb-small.txt "$1"
}
# the normal domains as long as the colliding ones
LC_ALL=C awk -v n="$N" -v w=$((dlen - 8)) \
    'BEGIN { for (i = 0; i < n; i++) printf "%0*d.example\n", w, i * 7919 }' \
    >"$WORK/normal.domains"
for f in normal collide; do
	mkdir -p "$WORK/$f.state"
	if [ "$f" = normal ]; then
		spamdb_of "$WORK/normal.domains" >"$WORK/$f.state/db"
	else
		spamdb_of "$WORK/domains" >"$WORK/$f.state/db"
	fi
	printf 'spamdb %s\npfctl %s\ndoas none\ninterval 3600\n' \
	    "$ROOT/tests/fake/spamdb" "$ROOT/tests/fake/pfctl" >"$WORK/$f.gconf"
	echo "# mhtop -b -p grey: $f"
	FAKE_SPAMD_DIR=$WORK/$f.state run_b "grey-$f" grey "$WORK/$f.gconf"
done

printf '\nmhtop on degenerate inputs: logs of %d MB, spamdb of %d tuples, %s\n' \
    "$MB" "$N" "$(uname -sr), $(nproc) CPU(s)"
printf '%s\n\n' "$(cat "$WORK/collide.txt")"
printf '%-44s %12s  %-10s %s\n' measure value rows ratio
row() { printf '%-44s %9s ms  %-10s %s\n' "$1" "$2" "$3" "$4"; }
row "mhtop -b -p verdicts: normal log" "${MS[normal]}" "${ROWS[normal]}" ""
row "  half of it, concatenated twice" "${MS[twice]}" "${ROWS[twice]}" \
    "$(ratio "${MS[twice]}" "${MS[normal]}")"
row "one line, another log id each ($lines)" "${MS[distinct]}" \
    "${ROWS[distinct]}" ""
row "  one line repeated ($lines lines)" "${MS[repeat]}" "${ROWS[repeat]}" \
    "$(ratio "${MS[repeat]}" "${MS[distinct]}")"
row "  verdicts sharing one key ($lines lines)" "${MS[samekey]}" \
    "${ROWS[samekey]}" "$(ratio "${MS[samekey]}" "${MS[distinct]}")"
printf '%-44s %9s MB  %s\n' "  peak RSS: normal; twice, ids, repeated, key" \
    "${RSS[normal]}" "${RSS[twice]}, ${RSS[distinct]}, ${RSS[repeat]}, ${RSS[samekey]} MB"
row "SIGTERM 0.3 s into the shared-key log" "$term_ms" "exit $term_rc" \
    "$(awk -v t="$term_ms" -v rc="$term_rc" 'BEGIN {
	if (rc == 0) print "n/a (read before it: a bigger BENCH_MB)"
	else if (t ~ /^>/) print "MISS"
	else print (t + 0 < 100) ? "PASS" : "MISS" }') (< 100 ms)"
row "mhtop -b -p grey: normal domains" "${MS[grey-normal]}" "${ROWS[grey-normal]}" ""
row "  domains colliding under the old hash" "${MS[grey-collide]}" \
    "${ROWS[grey-collide]}" "$(ratio "${MS[grey-collide]}" "${MS[grey-normal]}")"
exit 0
