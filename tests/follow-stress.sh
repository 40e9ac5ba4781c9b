#!/bin/sh
# The log follower against the random writer of tests/unit/test_logfollow.c
# for many rounds (1000 unless told), each seeded (SEED, SEED + 1, ...) and
# so repeatable: rotations 0 to 3 per step with the daemon's HUP late,
# gzip, copytruncate, "> maillog".  Prints Check's count and the figures;
# a failure names its seed, to run again alone with MHTOP_FOLLOW_TRACE=1.
#	tests/follow-stress.sh [ROUNDS [SEED [BUILD-DIR]]]
set -eu
rounds=${1:-1000}
seed=${2:-1}
build=${3:-build}
make -C "$build" tests/unit/test_logfollow >/dev/null
# one process, so that the figures add up over the rounds
CK_FORK=no CK_RUN_CASE=writer MHTOP_FOLLOW_ROUNDS=$rounds \
    MHTOP_FOLLOW_SEED=$seed "$build/tests/unit/test_logfollow"
