#!/bin/sh
# A command's garbage is not data, and nothing from outside reaches the
# terminal raw:
#  - smtpctl printing bytes that are no queue (a wrong program at its path):
#    the pane keeps its rows, says STALE and why, with the first bad line
#    escaped; the rows come back when smtpctl does; -b exits 1 and says the
#    same on stderr;
#  - -f /dev/zero fails at once, saying why;
#  - a bidi control (U+202E) in a Subject is escaped in -b output;
#  - (Linux) a hung smtpctl dies when mhtop is killed with SIGKILL.
. "${srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
E2E_COLS=160
need_tmux
e2e_init

# the garbage: a first line with NUL, OSC, BEL and U+202E, then 20000 more
GARBAGE=$E2E_DIR/garbage
{
	printf 'MZ\220\000\003\033]0;pwned\007\342\200\256exe\n'
	awk 'BEGIN { for (i = 0; i < 20000; i++)
		printf "\377\376 garbage \033[2J line %d\n", i }'
} >"$GARBAGE"
FIRST='MZ\x90\x00\x03\x1b]0;pwned\x07\xe2\x80\xaeexe'
WHY="smtpctl show queue: none of its 20001 lines could be parsed (is $SMTPCTL the right program?); the first: $FIRST"

# ---- the pane ------------------------------------------------------------------
start_mhtop
wait_for '14 envelopes' 10
cp "$GARBAGE" "$STATE/garbage"
check 'STALE once smtpctl prints garbage' on_screen 'STALE: the last read failed' 10
check 'the reason: no line could be parsed, how many' \
    on_screen 'none of its 20001 lines could be parsed' 3
check 'the reason: the first bad line, escaped' \
    on_screen '\x90\x00\x03\x1b]0;pwned\x07\xe2\x80\xaeexe' 3
assert_no_screen 'queue empty' 'not an empty queue'
assert_screen '14 envelopes' 'the header still counts the last good rows'
assert_eq "$(screen_evpids | tr '\n' ' ')" "$(printf '%s\n' "$ROWS14" | tr '\n' ' ')" \
    'the last good rows stay, in their place'
title=$(tm display-message -p -t "$TGT" '#{pane_title}')
check "the pane title was not changed by the OSC ($title)" test "$title" != pwned
rm -f "$STATE/garbage"
check 'smtpctl answers again: STALE goes' off_screen 'STALE' 10
check 'and the reason with it' off_screen 'could be parsed' 3
assert_eq "$(screen_evpids | wc -l | tr -d ' ')" 14 'the rows are read again'
keys q
check 'q quits' wait_exit 3

# ---- -b --------------------------------------------------------------------------
cp "$GARBAGE" "$STATE/garbage"
rc=0
FAKE_SMTPCTL_DIR=$STATE "$MHTOP" -b -f "$CONF" >"$E2E_DIR/out" \
    2>"$E2E_DIR/err" </dev/null || rc=$?
assert_eq "$rc" 1 '-b on garbage: status 1'
assert_eq "$(cat "$E2E_DIR/err")" "mhtop: $WHY" \
    '-b on garbage: why on stderr, the first bad line escaped'
check '-b on garbage: no rows on stdout' test ! -s "$E2E_DIR/out"
# one good line among the garbage: rows, and the bad lines are counted
cat "$FIXTURE14" >>"$STATE/garbage"
rc=0
FAKE_SMTPCTL_DIR=$STATE "$MHTOP" -b -f "$CONF" >"$E2E_DIR/out" \
    2>"$E2E_DIR/err" </dev/null || rc=$?
assert_eq "$rc" 0 '-b on garbage with good lines: status 0'
assert_eq "$(sed 1d "$E2E_DIR/out" | wc -l | tr -d ' ')" 14 \
    '-b on garbage with good lines: the good rows'
rm -f "$STATE/garbage"

# ---- the config file ---------------------------------------------------------------
t0=$(now_ms)
rc=0
"$MHTOP" -b -f /dev/zero >"$E2E_DIR/out" 2>"$E2E_DIR/err" </dev/null || rc=$?
t1=$(now_ms)
assert_eq "$rc" 1 '-f /dev/zero: status 1'
assert_eq "$(cat "$E2E_DIR/err")" 'mhtop: /dev/zero: more than 64 KB: not a config file' \
    '-f /dev/zero: says why'
check "-f /dev/zero: at once ($((t1 - t0)) ms)" test $((t1 - t0)) -lt 2000

# ---- a bidi control in a Subject, -b -p verdicts -------------------------------------
NOW=$(e2e_now)
{
	printf '%s mx amavis[7084]: (07084-09) Passed CLEAN {RelayedInbound}, [127.0.0.1] /ESMTP <alice@sender.example> -> <bob@example.org>, (), Message-ID: <bidi@sender.example>, mail_id: BiDiaaaaaaaa, b: Cj7A_OElT, Hits: -1, size: 498, queued_as: 250 2.0.0 7392005a Message accepted for delivery, Subject: "invoice \342\200\256fdp.exe \342\201\246x\342\201\251", From: <alice@sender.example>, helo=, Tests: [ALL_TRUSTED=-1], autolearn=disabled, autolearnscore=0, 175 ms\n' \
	    "$(date -u -d "@$((NOW - 60))" +%Y-%m-%dT%H:%M:%S.000000+00:00 2>/dev/null ||
	    date -u -r "$((NOW - 60))" +%Y-%m-%dT%H:%M:%S.000000+00:00)"
} >"$E2E_DIR/maillog"
write_conf "maillog $E2E_DIR/maillog"
e2e_clock
rc=0
FAKE_SMTPCTL_DIR=$STATE "$MHTOP" -b -p verdicts -f "$CONF" >"$E2E_DIR/out" \
    2>"$E2E_DIR/err" </dev/null || rc=$?
assert_eq "$rc" 0 '-b -p verdicts: status 0'
col=$(head -n 1 "$E2E_DIR/out" | tr '\t' '\n' | grep -nx subject | cut -d: -f1)
assert_eq "$(awk -F '\t' -v c="${col:-0}" '$2 == "07084-09" { print $c }' "$E2E_DIR/out")" \
    'invoice \xe2\x80\xaefdp.exe \xe2\x81\xa6x\xe2\x81\xa9' \
    '-b: U+202E, U+2066 and U+2069 in the Subject escaped as \xHH'
check '-b: no raw bidi control in the output' \
    sh -c '! grep -q "$(printf "\342\200\256")" "$1"' sh "$E2E_DIR/out"

# ---- a hung smtpctl dies with a SIGKILLed mhtop (Linux) ---------------------------
if [ "$(uname -s)" = Linux ]; then
	write_conf
	start_mhtop
	wait_for '14 envelopes' 10
	echo "60.$E2E_TOKEN" >"$STATE/hang"
	log_mark
	check 'the next read hangs' wait_log 'show status' 5
	child=$(ps -A -o pid= -o ppid= | awk -v p="$MHTOP_PID" '$2 == p { print $1 }')
	check "the hung smtpctl is mhtop's child ($child)" test -n "$child"
	check 'it hangs (test sanity)' test -n "$(leftovers | grep "sleep 60.$E2E_TOKEN")"
	kill -KILL "$MHTOP_PID"
	check 'mhtop is gone' wait_exit 3
	gone=1
	for p in $child; do
		_i=0
		while alive "$p" && [ $_i -lt 30 ]; do
			sleep 0.1
			_i=$((_i + 1))
		done
		alive "$p" && gone=0
	done
	check 'the hung smtpctl died with mhtop' test "$gone" = 1
	check 'and so did its sleep' no_leftovers 3
	rm -f "$STATE/hang"
else
	echo "# not Linux: a SIGKILLed mhtop's children run on (see mhtop(1))"
fi
finish
