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
