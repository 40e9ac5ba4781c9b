#!/bin/sh
# A release in --demo is what amavis and smtpd would log of it: r and y on
# a quarantined message, and the demo's mail log gets amavis' "Quarantined
# message release" line, then smtpd's session from 127.0.0.1 with the
# message the reply named ("queued as MSGID"), its envelopes, and their
# delivery.  The simulated admin's own releases are in its history.
. "${srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
E2E_COLS=200
need_tmux
e2e_init

export TMPDIR="$E2E_DIR/tmp"
mkdir "$TMPDIR"

# in_log ERE [TIMEOUT=5]: true once a line of the demo's log matches
in_log() {
	_deadline=$(($(now_ms) + ${2:-5} * 1000))
	while :; do
		grep -qE -- "$1" "$LOG" && return 0
		[ "$(now_ms)" -ge "$_deadline" ] && return 1
		sleep 0.1
	done
}

start_mhtop --demo
wait_for_re '^mhtop \[demo\]' 10
LOG=$(find "$TMPDIR" -maxdepth 2 -name maillog | head -n 1)
check "the demo's log ($LOG)" test -s "$LOG"
n=$(grep -c ' Quarantined message release (miscategorized): ' "$LOG")
check "the admin released some in the hour of history ($n)" test "$n" -ge 3

keys 5
check 'the demo quarantine' on_screen_re '^quarantine: [1-9][0-9]* messages' 10
# not the newest: its verdict may still be on its way to the log
keys j j
sleep 0.5
id=$(reverse_lines | grep -v 'QUARANTINE ID' | grep -oE ' [A-Za-z0-9_-]{12} ' | head -n 1 | tr -d ' ')
check "the cursor row's quarantine id ($id)" test -n "$id"
keys r
check 'r asks' on_screen '[y/N]' 3
keys y
check 'y: released, as amavisd answered' \
    on_screen_re "released to [0-9]+ recipients?, queued as [0-9a-f]{8}: [a-z]+-$id" 5
out=$(screen | grep -oE 'released to [0-9]+ recipients?, queued as [0-9a-f]{8}' | head -n 1)
nrcpt=$(echo "$out" | awk '{ print $3 }')
msgid=$(echo "$out" | awk '{ print $NF }')

check "amavis logged the release of $id" \
    in_log "amavis\\[[0-9]+\\]: \\(rel-[A-Za-z0-9_-]{12}\\) Quarantined message release \\(miscategorized\\): $id <[^ ]*> -> <" 5
check "smtpd logged the copy, msgid $msgid, to $nrcpt recipient(s)" \
    in_log " smtp message msgid=$msgid size=[0-9]+ nrcpt=$nrcpt proto=ESMTP\$" 5
assert_eq "$(grep -c " smtp envelope evpid=$msgid[0-9a-f]\{8\} " "$LOG")" "$nrcpt" \
    'one envelope a recipient'
sess=$(grep " smtp message msgid=$msgid " "$LOG" | awk '{ print $6 }')
check "the copy came from amavis on 127.0.0.1 (session $sess)" \
    grep -q " $sess smtp connected address=127.0.0.1 host=localhost\$" "$LOG"
rel=$(grep -n "Quarantined message release (miscategorized): $id <" "$LOG" | tail -n 1 | cut -d: -f1)
con=$(grep -n " $sess smtp connected " "$LOG" | cut -d: -f1)
check "after the release line (line $rel, then $con)" test "$con" -gt "$rel"
check "smtpd tried to deliver it (mta delivery evpid=$msgid...)" \
    in_log " mta delivery evpid=$msgid[0-9a-f]{8} .* result=\"(Ok|TempFail|PermFail)\"" 15

keys q
check 'q quits' wait_exit 3
finish
