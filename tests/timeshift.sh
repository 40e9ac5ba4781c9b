#!/bin/sh
# The unit and end-to-end tests with the system clock moved by libfaketime:
# 400 days ahead, then to just after next New Year's midnight.  The tests
# pin mhtop's clock to their fixtures' time (MHTOP_NOW, tests/e2e/lib.sh,
# tests/unit/unit.h), so none may depend on the date it runs on; a test that
# reads the system clock where it should not fails here, not a week after
# it lands.
#	tests/timeshift.sh [-a] [BUILD-DIR]
# -a: the whole suite, the fakes' self-tests and the real daemons too.
set -eu
others='$(E2E_TESTS)'
if [ "${1:-}" = -a ]; then
	others='$(FAKE_TESTS) $(INTEGRATION_TESTS) $(E2E_TESTS)'
	shift
fi
build=${1:-build}
lib=
for d in /usr/lib/*/faketime /usr/lib/faketime /usr/local/lib/faketime; do
	if [ -f "$d/libfaketime.so.1" ]; then
		lib=$d/libfaketime.so.1
		break
	fi
done
if [ -z "$lib" ]; then
	echo "timeshift: no libfaketime.so.1 (Debian package faketime)" >&2
	exit 1
fi

# 00:02 UTC on 1 January: "yesterday" is last year
next=$(($(date -u +%Y) + 1))
jan=$(($(date -u -d "$next-01-01 00:02:00" +%s) - $(date +%s)))

# The unit tests set file times themselves (utimes), which libfaketime
# does not move, so stat(2) must not move them either.  The other tests
# let the files get the time of their writing, moved like the clock.
for shift in +400d "+$jan"; do
	printf '\n---- the clock moved %s: %s\n' "$shift" \
	    "$(LD_PRELOAD=$lib FAKETIME=$shift date -u '+%Y-%m-%d %H:%M:%S UTC')"
	LD_PRELOAD=$lib FAKETIME=$shift NO_FAKE_STAT=1 \
	    make -C "$build" check TESTS='$(UNIT_TESTS)'
	LD_PRELOAD=$lib FAKETIME=$shift make -C "$build" check TESTS="$others"
done
