# shellcheck shell=bash
# Sourced by the bench scripts: ROOT (the tree, made the current
# directory), MHTOP (the binary to time, absolute: $MHTOP, else build/mhtop,
# else ./mhtop) and BUILD (its build directory, where libmhtop.a is).
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 2
# scripts/setup builds in build/; a plain ./configure && make in the top
if [ -z "${MHTOP:-}" ]; then
	MHTOP=./mhtop
	[ -x build/mhtop ] && MHTOP=./build/mhtop
fi
case $MHTOP in
/*) ;;
*) MHTOP=$ROOT/${MHTOP#./} ;;
esac
[ -x "$MHTOP" ] || { echo "$0: $MHTOP: not built (run ./scripts/setup)" >&2;
    exit 2; }
# shellcheck disable=SC2034 # used by the scripts that source this
BUILD=$(cd "$(dirname "$MHTOP")" && pwd)

tm() { tmux -L "$BENCH_SOCK" -f /dev/null "$@"; }
# shellcheck disable=SC2317 # run by the EXIT trap
bench_cleanup() {
	[ -n "${BENCH_SOCK:-}" ] && tm kill-server >/dev/null 2>&1
	if [ "${BENCH_KEEP:-0}" = 1 ]; then
		echo "# work directory kept: $WORK" >&2
	else
		rm -rf "$WORK"
	fi
}
# bench_tmux NAME: tm (a tmux server of its own, NAME), the work directory
# $WORK removed at exit (kept with BENCH_KEEP=1), tmux and time installed
# when missing and root, and a clock in microseconds: now_us, since_ms T0.
bench_tmux() {
	BENCH_SOCK=$1
	trap bench_cleanup EXIT
	trap 'exit 130' INT TERM HUP
	for p in tmux:tmux /usr/bin/time:time; do
		command -v "${p%%:*}" >/dev/null 2>&1 && continue
		[ "$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive \
		    apt-get install -y -qq --no-install-recommends "${p#*:}" \
		    >/dev/null
	done
}
now_us() { echo "${EPOCHREALTIME/[.,]/}"; }
since_ms() { echo $(( ($(now_us) - $1) / 1000 )); }
# gen_spamdb N: a spamdb listing of N GREY tuples from the fixture's
# shapes, each with an IP and a sender of its own (bench/spamdb.sh,
# bench/trace.sh)
gen_spamdb() {
	LC_ALL=C awk -F'|' -v n="$1" 'BEGIN { OFS = "|" }
	    /^GREY/ { g[k++] = $0 }
	    END {
		for (i = 0; i < n; i++) {
			split(g[i % k], f, "|")
			f[2] = sprintf("%d.%d.%d.%d", 10 + int(i / 65536) % 200,
			    int(i / 256) % 256, i % 256, 1 + i % 250)
			f[4] = "<u" i "@d" (i % 5000) ".example>"
			s = f[1]
			for (j = 2; j <= 10; j++)
				s = s "|" f[j]
			print s
		}
	    }' "$ROOT/tests/fixtures/spamd/spamdb-small.txt"
}
