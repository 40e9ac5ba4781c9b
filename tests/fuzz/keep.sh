#!/bin/sh
# Keep what a long fuzzing run found: the inputs of its corpus that add
# coverage beyond the seeds (which run.sh makes from tests/fixtures), as
# libFuzzer's merge picks them, into tests/fuzz/corpus/NAME/.  run.sh reads
# them on every run, CI's short one included.
#
#   tests/fuzz/keep.sh WORK [NAME ...]	(WORK: run.sh's FUZZ_WORK; the
#					 default names: every corpus there)
#
# KEEP_BYTES (default 64 KB) bounds what is kept of one harness's.
set -eu

[ $# -ge 1 ] || { echo "usage: $0 work-directory [name ...]" >&2; exit 2; }
work=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -eq 0 ]; then
	set -- $(ls "$work/corpus")
fi
for t in "$@"; do
	bin=$work/bin/fuzz_$t
	[ -x "$bin" ] && [ -d "$work/corpus/$t" ] ||
	    { echo "keep.sh: no fuzz_$t or corpus in $work" >&2; exit 2; }
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/mhtop-keep.XXXXXX")
	mkdir "$tmp/merged"
	cp "$work/seeds/$t"/* "$tmp/merged/"
	set -- "$work/corpus/$t"
	[ -d "$here/corpus/$t" ] && set -- "$@" "$here/corpus/$t"
	"$bin" -merge=1 -max_len=8192 -rss_limit_mb=2560 "$tmp/merged" "$@" \
	    >"$tmp/log" 2>&1 || { tail -5 "$tmp/log" >&2; exit 1; }
	# the seeds are made anew from the fixtures each run: not kept
	for f in "$work/seeds/$t"/*; do
		rm -f "$tmp/merged/${f##*/}"
	done
	rm -rf "$here/corpus/$t"
	mkdir -p "$here/corpus/$t"
	# a repository is no place for megabytes of them: the smallest ones,
	# up to KEEP_BYTES, cover the most per byte
	all=$(ls "$tmp/merged" | wc -l)
	(cd "$tmp/merged" && ls -Sr) | while read -r f; do
		size=$(wc -c <"$tmp/merged/$f")
		total=$(( $(cat "$tmp/total" 2>/dev/null || echo 0) + size ))
		[ "$total" -le "${KEEP_BYTES:-65536}" ] || break
		echo "$total" >"$tmp/total"
		mv "$tmp/merged/$f" "$here/corpus/$t/"
	done
	echo "$t: $(ls "$here/corpus/$t" | wc -l) of $all inputs kept," \
	    "$(cat "$tmp/total" 2>/dev/null || echo 0) bytes"
	rm -rf "$tmp"
done
