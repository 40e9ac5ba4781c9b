#!/usr/bin/env bash
# Integration test: mhtop against a real OpenSMTPD (Debian's opensmtpd
# package), started by tests/integration/opensmtpd-lab.sh on 127.0.0.1 in a
# private mount namespace, so the host's /var/spool/smtpd,
# /run/smtpd.sock and /etc/resolv.conf are never touched.  Nothing leaves
# 127.0.0.0/8: the lab relays to 127.0.0.1:9, to fake next hops and to a
# refused port, and asks a fake DNS server, so every message stays queued
# but the one sent to the fake that accepts (step 7).
#
#   1. inject 25 messages (28 envelopes), wait until the queue settles
#   2. mhtop -b lists exactly the envelopes (and fields) of "show queue"
#   3. TUI in tmux: / EVPID Enter, d, y removes that one envelope
#   4. TUI: p pauses the MTA, r resumes it (smtpctl and mhtop's header agree)
#   5. TUI: D removes every envelope of a message with 3 recipients
#   6. the queue's shape (issue 16): 40 more messages to 3 failing domains,
#      slow.test 20 (a 451 with a new reference each time), refused.test 12
#      (connection refused) and nomx.test 8 (no MX): -b -p shape and
#      -b -p errors count them and what steps 1-5 left, b in the TUI shows
#      them with the TOTAL row, s y on slow.test schedules its 20 envelopes
#      and only those are tried again
#   7. one message delivered (sink.test, a fake next hop that accepts):
#      show stats' scheduler.delivery.ok goes up by one, and so does the
#      counters line of a fresh mhtop ("delivered N"), then, once its two
#      reads are 20 s apart, its delivered rate is above 0
#   8. smtpd stopped, spool kept: mhtop -b and the TUI read it offline
#
# Needs root, util-linux (unshare, nsenter), tmux and python3; installs
# opensmtpd (and python3) with apt-get when missing, without starting the
# system service.  Exit 77 (skip) when not root or when unshare is not
# permitted, 99 when the set-up fails, 1 when a check fails.
#
# Environment: MHTOP (default ./mhtop, relative to the current directory).
# The lab and the helper are found next to this script.
set -u
umask 022

here=$(cd "$(dirname "$0")" && pwd)
LAB=$here/opensmtpd-lab.sh
CHECK=$here/queue_check.py
: "${MHTOP:=./mhtop}"
NMSG=25
NVARIED=10		# the lab's first 10 messages have 13 recipients
EXPECT=$((NMSG - NVARIED + 13))
SMTPCTL=/usr/sbin/smtpctl
SMTPD=/usr/sbin/smtpd

npass=0
nfail=0
pass() { echo "PASS: $*"; npass=$((npass + 1)); }
fail() { echo "FAIL: $*"; nfail=$((nfail + 1)); }
note() { echo "  $*"; }
skip() { echo "SKIP: $*"; exit 77; }
hard() { echo "ERROR: $*"; exit 99; }

[ "$(id -u)" = 0 ] || skip "needs root (smtpd, smtpctl and a private mount namespace)"
[ -x "$MHTOP" ] || hard "no mhtop binary at $MHTOP (set MHTOP)"
MHTOP=$(cd "$(dirname "$MHTOP")" && pwd)/$(basename "$MHTOP")
command -v tmux >/dev/null || hard "tmux is missing (scripts/setup installs it)"
for c in unshare nsenter; do
	command -v "$c" >/dev/null || hard "$c is missing (package util-linux)"
done

T=$(mktemp -d "${TMPDIR:-/tmp}/mhtop-opensmtpd.XXXXXX") || hard "mktemp failed"
TMUX_SOCK=mhtop-opensmtpd-$$
unset TMUX
LAB_DIR=
cleanup() {
	rc=$?
	trap - EXIT INT TERM HUP
	LC_ALL=C.UTF-8 tmux -L "$TMUX_SOCK" kill-server >/dev/null 2>&1
	# tmux 3.3 leaves the socket file behind
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$TMUX_SOCK"
	if [ -n "$LAB_DIR" ] && [ -d "$LAB_DIR" ]; then
		if [ "$rc" != 0 ] && [ -s "$LAB_DIR/smtpd.log" ]; then
			echo "  smtpd's log, the last 30 lines (smtpd $(LAB_DIR=$LAB_DIR "$LAB" status 2>&1 | head -n 1)):"
			tail -n 30 "$LAB_DIR/smtpd.log" | cut -c 1-300 | sed 's/^/  | /'
		fi
		LAB_KEEP=0 "$LAB" stop >/dev/null 2>&1 ||
		    echo "warning: opensmtpd-lab.sh stop failed" >&2
	fi
	rm -rf "$T"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# mount -t tmpfs in a private mount namespace is what the lab needs
mkdir "$T/probe"
unshare -m --propagation private sh -c \
    "mount -t tmpfs -o mode=0755 tmpfs '$T/probe'" >/dev/null 2>&1 ||
	skip "unshare -m (and mount) not permitted here"

if [ ! -x "$SMTPD" ] || [ ! -x "$SMTPCTL" ] || ! command -v python3 >/dev/null; then
	echo "installing opensmtpd with opensmtpd-lab.sh install"
	"$LAB" install || hard "could not install opensmtpd"
fi
command -v python3 >/dev/null || hard "python3 is missing"

# what the host has at smtpd's compiled-in paths; it must not change
host_state() {
	local p
	for p in /var/spool/smtpd /run/smtpd.sock /run/smtpd.pid /etc/resolv.conf; do
		if [ -e "$p" ] || [ -L "$p" ]; then
			stat -c '%n %F inode %i' "$p"
		else
			echo "$p absent"
		fi
	done
	cksum < /etc/resolv.conf 2>&1
}
host_state > "$T/host.before"

# a port P with 127.0.0.1:P, 127.0.0.2:P+1 ... 127.0.0.7:P+6 free, and UDP
# port 53 of the lab's DNS address (opensmtpd-lab.sh's LAB_DNS)
LAB_PORT=$(python3 "$here/free_port.py") || hard "no free port found"

LAB_DIR=$T/lab
export LAB_DIR LAB_PORT LAB_ISOLATE=1 LAB_SPOOL=disk LAB_FAKES=1 LAB_KEEP=0
unset LAB_SMTPD_FLAGS
ctl() { timeout 30 "$LAB_DIR/smtpctl" "$@"; }

# ---- tmux helpers
tm() { LC_ALL=C.UTF-8 tmux -L "$TMUX_SOCK" -f /dev/null "$@"; }
SES=
NSES=0
start_tui() {	# CONF: mhtop -f CONF in a new 120x30 session
	# the new session is made before the old one is killed: the server
	# would exit with its last session, and a new server started at once
	# on the same socket can lose the race ("server exited unexpectedly")
	local old=$SES
	NSES=$((NSES + 1))
	SES=mh$NSES
	tm new-session -d -s "$SES" -x 120 -y 30 \
	    "env LANG=C.UTF-8 LC_ALL=C.UTF-8 '$MHTOP' -f '$1'; echo \"mhtop exited \$?\"; sleep 600" ||
		fail "tmux new-session failed"
	if [ -n "$old" ]; then tm kill-session -t "$old" >/dev/null 2>&1; fi
}
scr() { tm capture-pane -p -t "$SES" 2>/dev/null; }
line() { tm capture-pane -p -t "$SES" -S "$1" -E "$1" 2>/dev/null; }
on_screen() { scr | grep -qF -- "$1"; }
on_line() { line "$1" | grep -qF -- "$2"; }
keys() { tm send-keys -t "$SES" "$@"; }
text() { tm send-keys -t "$SES" -l -- "$1"; }
# wait_until SECONDS CMD...: true once CMD succeeds
wait_until() {
	local end=$((SECONDS + $1))
	shift
	while :; do
		"$@" && return 0
		[ "$SECONDS" -ge "$end" ] && return 1
		sleep 0.1
	done
}
dump() {
	echo "  screen:"
	scr | sed 's/^/  | /'
}
# expect SECONDS "what" CMD...: PASS/FAIL with the screen on failure
expect() {
	local t=$1 what=$2
	shift 2
	if wait_until "$t" "$@"; then
		pass "$what"
		return 0
	fi
	fail "$what"
	dump
	return 1
}
STATUS=29	# the status line (30 lines, 0-based)
HEALTH=1	# "smtpd up": the lab's smtpd by its process
HEADER=2	# "smtpd: MTA running  MDA running  SMTP running"
COUNTS=3	# "N envelopes: ..."
# the health line: smtpd's pid file and socket are in the lab's namespace,
# its process is not; nothing else of the host's
HEALTH_CONF='health smtpd process smtpd
health spamd none
health amavisd none
health maillog none
health quarantine none'
sq() { ctl show queue > "$1"; }
ctl_says() {	# PATTERN ARGS...: smtpctl ARGS prints a line PATTERN
	local pat=$1
	shift
	ctl "$@" 2>&1 | grep -qx -- "$pat"
}

# ---- start
echo "lab: $LAB_DIR, port $LAB_PORT, mhtop: $MHTOP"
"$LAB" start > "$T/lab-start.log" 2>&1 || { cat "$T/lab-start.log"; hard "the lab smtpd did not start"; }
pass "lab smtpd started ($(ctl show status 2>&1 | tr '\n' ' '))"

printf 'smtpctl %s\ndoas none\ninterval 1\n%s\n' "$LAB_DIR/smtpctl" \
    "$HEALTH_CONF" > "$T/mhtop.conf"

# ---- 1. inject, wait until the queue settles
"$LAB" inject "$NMSG" > "$T/inject.log" 2>&1 ||
	{ cat "$T/inject.log"; hard "inject $NMSG failed"; }
t0=$SECONDS
settled() { sq "$T/sq" && python3 "$CHECK" settled "$T/sq" "$EXPECT"; }
# right after the injection the mta envelopes are inflight (smtpd disables
# the route to 127.0.0.1 for 15 s after the first refusal): wait until
# they are pending again, so that what is removed later is gone from disk
if wait_until 45 settled; then
	pass "1. injected $NMSG messages: $EXPECT envelopes, settled after $((SECONDS - t0)) s"
else
	n=$(python3 "$CHECK" count "$T/sq")
	if [ "$n" = "$EXPECT" ]; then
		pass "1. injected $NMSG messages: $EXPECT envelopes"
		note "(some mta envelopes are still inflight after 45 s)"
	else
		fail "1. injected $NMSG messages: show queue has $n envelopes, want $EXPECT"
		sed 's/^/  | /' "$T/sq"
	fi
fi

# ---- 2. mhtop -b lists exactly what smtpctl show queue lists
if ctl_says 'command succeeded' pause mta; then
	pass "2. smtpctl pause mta (the queue stays put)"
else
	fail "2. smtpctl pause mta"
fi
sq "$T/sq1"
LC_ALL=C.UTF-8 timeout 30 "$MHTOP" -b -f "$T/mhtop.conf" > "$T/mh" 2> "$T/mh.err"
rc=$?
sq "$T/sq2"
if [ "$rc" = 0 ] && [ ! -s "$T/mh.err" ]; then
	pass "2. mhtop -b exits 0, nothing on stderr"
else
	fail "2. mhtop -b exits $rc, stderr: $(cat "$T/mh.err")"
fi
# the envelopes in both reads must be in mhtop's, and mhtop's in one of the
# reads (with the MTA paused the two reads are the same)
n=$(python3 "$CHECK" count "$T/sq2")
if python3 "$CHECK" compare "$T/sq1" "$T/mh" "$T/sq2" > "$T/cmp"; then
	pass "2. mhtop -b lists exactly the $n envelope ids of show queue, same fields"
else
	fail "2. mhtop -b differs from show queue"
	cat "$T/cmp"
fi

# ---- 3. TUI: filter on one envelope, d, y
start_tui "$T/mhtop.conf"
expect 10 "3. TUI shows the rows, header says MTA PAUSED, $n envelopes" \
    eval "on_line $HEADER 'smtpd: MTA PAUSED' && on_line $COUNTS '$n envelopes:'"
ev=$(python3 "$CHECK" pick-single "$T/sq2") || { fail "3. no single-envelope message to remove"; ev=; }
if [ -n "$ev" ]; then
	keys /
	text "$ev"
	keys Enter
	expect 5 "3. / $ev Enter: 1 of $n rows" on_screen "filter: $ev (1 of $n)"
	keys d
	expect 5 "3. d asks 'Remove envelope $ev (...)? [y/N]'" \
	    eval "on_line $STATUS 'Remove envelope $ev (' && on_line $STATUS ')? [y/N]'"
	keys y
	expect 10 "3. y: status line says '1 envelope removed: $ev'" \
	    on_line $STATUS "1 envelope removed: $ev"
	sq "$T/sq3"
	if grep -q "^$ev|" "$T/sq3"; then
		fail "3. smtpctl show queue still lists $ev"
	elif [ "$(python3 "$CHECK" count "$T/sq3")" != $((n - 1)) ]; then
		fail "3. show queue has $(python3 "$CHECK" count "$T/sq3") envelopes, want $((n - 1))"
	else
		pass "3. smtpctl show queue no longer lists $ev ($((n - 1)) left)"
	fi
	expect 5 "3. the pane is read again: $((n - 1)) envelopes, the filter matches nothing" \
	    eval "on_line $COUNTS '$((n - 1)) envelopes:' && on_screen '(no rows match the filter)'"
	keys Escape
	expect 5 "3. Esc clears the filter" on_line $STATUS "filter cleared"
fi

# ---- 4. TUI: p pauses the MTA, r resumes it
if ctl_says 'command succeeded' resume mta; then
	pass "4. smtpctl resume mta (paused in step 2)"
else
	fail "4. smtpctl resume mta"
fi
expect 5 "4. header says MTA running" on_line $HEADER "smtpd: MTA running"
expect 10 "4. the health line: the lab's smtpd up" on_line $HEALTH "smtpd up"
keys p
expect 5 "4. p asks first" on_line $STATUS "Pause the MTA: no mail leaves the relay until r? [y/N]"
keys y
expect 5 "4. p y: status line says 'smtpctl pause mta: command succeeded'" \
    on_line $STATUS "smtpctl pause mta: command succeeded"
expect 5 "4. p: smtpctl show status says 'MTA paused'" ctl_says 'MTA paused' show status
expect 5 "4. p: header says MTA PAUSED" on_line $HEADER "smtpd: MTA PAUSED"
expect 5 "4. p: the health line says so too" on_line $HEALTH "smtpd up, MTA PAUSED"
keys r
expect 5 "4. r asks first" on_line $STATUS "Resume the MTA: the queue is delivered? [y/N]"
keys y
expect 5 "4. r: smtpctl show status says 'MTA running'" ctl_says 'MTA running' show status
expect 5 "4. r: header says MTA running" on_line $HEADER "smtpd: MTA running"

# ---- 5. TUI: D removes every envelope of a multi-recipient message
sq "$T/sq4"
n=$(python3 "$CHECK" count "$T/sq4")
if read -r ev msgid cnt < <(python3 "$CHECK" pick-multi "$T/sq4"); then
	keys /
	text "$ev"
	keys Enter
	expect 5 "5. / $ev Enter: 1 of $n rows" on_screen "filter: $ev (1 of $n)"
	keys D
	expect 5 "5. D asks 'Remove message $msgid ($cnt envelopes)? [y/N]'" \
	    on_line $STATUS "Remove message $msgid ($cnt envelopes)? [y/N]"
	keys y
	expect 10 "5. y: status line says '$cnt envelopes removed: $msgid'" \
	    on_line $STATUS "$cnt envelopes removed: $msgid"
	sq "$T/sq5"
	if grep -q "^$msgid" "$T/sq5"; then
		fail "5. smtpctl show queue still lists envelopes of message $msgid:"
		grep "^$msgid" "$T/sq5" | sed 's/^/  | /'
	elif [ "$(python3 "$CHECK" count "$T/sq5")" != $((n - cnt)) ]; then
		fail "5. show queue has $(python3 "$CHECK" count "$T/sq5") envelopes, want $((n - cnt))"
	else
		pass "5. smtpctl show queue lists none of the $cnt envelopes of $msgid ($((n - cnt)) left)"
	fi
	expect 5 "5. the pane is read again: $((n - cnt)) envelopes" \
	    on_line $COUNTS "$((n - cnt)) envelopes:"
	keys Escape
	expect 5 "5. Esc clears the filter" on_line $STATUS "filter cleared"
else
	fail "5. no message with several pending envelopes in show queue"
	sed 's/^/  | /' "$T/sq4"
fi
keys q
expect 5 "q quits mhtop with exit 0" on_screen "mhtop exited 0"

# ---- 6. the queue's shape: 40 messages to 3 failing domains
sq "$T/sq6a"
left=$(python3 "$CHECK" count "$T/sq6a")
SHAPE="slow.test=20 refused.test=12 nomx.test=8"
SHAPE_ERRORS=("slow.test=20=451 4.7.1 Too many messages, slow down (ref ID)"
    "refused.test=12=Network error on destination MXs"
    "nomx.test=8=No MX found for domain")
: > "$T/inject6.log"
for sd in $SHAPE; do
	"$LAB" inject "${sd#*=}" "${sd%=*}" >> "$T/inject6.log" 2>&1 ||
		{ cat "$T/inject6.log"; hard "inject ${sd#*=} ${sd%=*} failed"; }
done
n6=$((left + 40))
t0=$SECONDS
settled6() {
	sq "$T/sq6" && python3 "$CHECK" settled-domains "$T/sq6" "$n6" \
	    slow.test refused.test nomx.test
}
# refused.test waits out the 15 s for which smtpd disables a refusing route
if wait_until 60 settled6; then
	pass "6. 40 messages to slow.test, refused.test, nomx.test, $left left from steps 1-5: $n6 envelopes, all tried, settled after $((SECONDS - t0)) s"
else
	fail "6. the 40 envelopes did not settle (pending, tried, with an error) in 60 s; $left left from steps 1-5"
	sed 's/^/  | /' "$T/sq6"
fi
sq "$T/sq6b"
LC_ALL=C.UTF-8 timeout 30 "$MHTOP" -b -p shape -f "$T/mhtop.conf" > "$T/shape" 2> "$T/shape.err"
rc=$?
sq "$T/sq6c"
nlines=$(wc -l < "$T/sq6c")
if [ "$rc" = 0 ] && [ ! -s "$T/shape.err" ]; then
	pass "6. mhtop -b -p shape exits 0, nothing on stderr"
else
	fail "6. mhtop -b -p shape exits $rc, stderr: $(cat "$T/shape.err")"
fi
# shellcheck disable=SC2086 # the domain=count words
if python3 "$CHECK" shape "$T/sq6b" "$T/shape" "$T/sq6c" $SHAPE > "$T/shape.cmp" &&
    [ "$(awk -F'\t' 'NR > 1 { s += $2 } END { print s }' "$T/shape")" = "$nlines" ]; then
	pass "6. -b -p shape: one row per domain of show queue, slow.test 20, refused.test 12, nomx.test 8 (all under 5m), the totals add up to its $nlines lines"
	note "$(tail -n 1 "$T/shape.cmp")"
else
	fail "6. -b -p shape differs from show queue ($nlines lines)"
	cat "$T/shape.cmp"
	sed 's/^/  | /' "$T/shape"
fi
LC_ALL=C.UTF-8 timeout 30 "$MHTOP" -b -p errors -f "$T/mhtop.conf" > "$T/errors" 2> "$T/errors.err"
rc=$?
sq "$T/sq6d"
if [ "$rc" = 0 ] && [ ! -s "$T/errors.err" ] &&
    python3 "$CHECK" errors "$T/sq6d" "$T/errors" "${SHAPE_ERRORS[@]}" > "$T/errors.cmp"; then
	pass "6. -b -p errors: the 3 domains' errors, each its own row with the right count, the counts add up to show queue's"
	sed 's/^/  /' "$T/errors.cmp"
else
	fail "6. -b -p errors (exit $rc, stderr: $(cat "$T/errors.err"))"
	cat "$T/errors.cmp"
	sed 's/^/  | /' "$T/errors"
fi

start_tui "$T/mhtop.conf"
expect 10 "6. TUI: $n6 envelopes" on_line $COUNTS "$n6 envelopes:"
keys b
expect 5 "6. b: the queue by recipient domain, $n6 envelopes" \
    on_screen "queue by recipient domain: $n6 envelopes, "
shape_row() {	# DOMAIN N M: the row of DOMAIN says N in all and M under 5m
	scr | grep -Eq "^ ${1//./\\.} +$2 +$3 "
}
expect 5 "6. b: the TOTAL row counts the $n6 envelopes" shape_row TOTAL "$n6" "$n6"
for sd in $SHAPE; do
	expect 5 "6. b: ${sd%=*}: ${sd#*=} envelopes, all under 5 minutes" \
	    shape_row "${sd%=*}" "${sd#*=}" "${sd#*=}"
done
first4=$(scr | awk '/^ DOMAIN/ { on = 1; next } on && NF { print $1 }' | head -n 4 | tr '\n' ' ')
if [ "$first4" = "TOTAL slow.test refused.test nomx.test " ]; then
	pass "6. b: TOTAL, then slow.test, refused.test, nomx.test (the most first)"
else
	fail "6. b: the first rows are $first4"
	dump
fi
# s on slow.test (the row below TOTAL): its 20 envelopes, and only those
sq "$T/sq6e"
keys g j s
expect 5 "6. s on slow.test asks 'Schedule 20 envelopes of slow.test? [y/N]'" \
    on_line $STATUS "Schedule 20 envelopes of slow.test? [y/N]"
keys y
expect 10 "6. y: status line says '20 envelopes scheduled: slow.test'" \
    on_line $STATUS "20 envelopes scheduled: slow.test"
t0=$SECONDS
scheduled() {
	sq "$T/sq6f" && python3 "$CHECK" scheduled "$T/sq6e" "$T/sq6f" slow.test
}
if wait_until 30 scheduled; then
	pass "6. show queue: slow.test's 20 envelopes tried once more (retry + 1) after $((SECONDS - t0)) s, every other mta envelope as it was"
	python3 "$CHECK" scheduled "$T/sq6e" "$T/sq6f" slow.test verbose | sed 's/^/  /'
else
	fail "6. show queue after s y on slow.test:"
	python3 "$CHECK" scheduled "$T/sq6e" "$T/sq6f" slow.test verbose
fi

# ---- 7. a delivery: show stats and the counters line move
stat_ok() { ctl show stats > "$T/stats" && python3 "$CHECK" stat "$T/stats" scheduler.delivery.ok; }
ok0=$(stat_ok)
start_tui "$T/mhtop.conf"
expect 10 "7. a fresh mhtop: 'counters since smtpd started ...: delivered $ok0, '" \
    eval "on_screen 'counters since smtpd started ' && on_screen ': delivered $ok0, tempfail '"
"$LAB" inject 1 sink.test > "$T/inject7.log" 2>&1 ||
	{ cat "$T/inject7.log"; hard "inject 1 sink.test failed"; }
delivered() { [ "$(stat_ok)" = $((ok0 + 1)) ]; }
expect 15 "7. show stats: scheduler.delivery.ok $ok0 -> $((ok0 + 1))" delivered
if grep -q ' mta delivery evpid=[0-9a-f]\{16\} from=<sender0@src.example> to=<rcpt0@sink.test> .* result="Ok" stat="250 2.0.0 Ok: queued as ' \
    "$LAB_DIR/smtpd.log" && ! ctl show queue | grep -q '@sink\.test|'; then
	pass "7. smtpd logged the delivery to the sink (result=\"Ok\"), show queue has no sink.test envelope"
else
	fail "7. no result=\"Ok\" delivery of rcpt0@sink.test in smtpd's log, or still queued"
	grep 'sink.test' "$LAB_DIR/smtpd.log" | sed 's/^/  | /'
fi
expect 10 "7. the counters line says 'delivered $((ok0 + 1)), '" \
    on_screen ": delivered $((ok0 + 1)), tempfail "
rate_up() {	# "per min: Q queued  D delivered": D > 0
	scr | grep -Eo 'per min: [0-9.]+ queued +[0-9.]+ delivered' |
	    awk '{ ok = $5 > 0 } END { exit !ok }'
}
expect 30 "7. two reads 20 s apart: 'per min: ... X delivered', X above 0" rate_up
note "$(scr | grep -Eo 'last [0-9a-z]+, per min: .* delivered' | head -n 1)"
keys q
expect 5 "7. q quits mhtop with exit 0" on_screen "mhtop exited 0"

# ---- 7b. mhtop ended while smtpctl reads a big queue: smtpd lives on
# smtpctl killed while smtpd sends it a listing leaves smtpd unread data,
# and smtpd 6.8's control process exits on the reset: smtpd stops.  mhtop
# must never kill a command that is talking to smtpd (proc.c).
"$LAB" inject 4000 slow.test > "$T/inject7b.log" 2>&1 ||
	{ cat "$T/inject7b.log"; hard "inject 4000 slow.test failed"; }
big() { [ "$(ctl show queue | wc -l)" -ge 4000 ]; }
wait_until 60 big || hard "4000 more envelopes were not queued"
printf 'smtpctl %s\ndoas none\ninterval 0.3\n%s\n' "$LAB_DIR/smtpctl" \
    "$HEALTH_CONF" > "$T/fast.conf"
alive=1
# a session of its own keeps the tmux server up while mhtop's are killed
tm new-session -d -s keep "sleep 600" || fail "tmux new-session failed"
for i in 1 2 3 4 5 6 7 8 9 10; do
	start_tui "$T/fast.conf"
	sleep "1.$((i * 15 % 10))"
	if [ $((i % 2)) = 0 ]; then
		keys q	# the screen ends, its reads end first
		wait_until 12 on_screen "mhtop exited" || fail "7b. q: mhtop did not exit"
	else
		tm kill-session -t "$SES" >/dev/null 2>&1	# SIGHUP
		SES=
		sleep 0.5
	fi
	if ! ctl show status > /dev/null 2>&1; then
		alive=0
		fail "7b. round $i: smtpd stopped after mhtop ended mid-read"
		tail -n 5 "$LAB_DIR/smtpd.log" | sed 's/^/  | /'
		break
	fi
done
[ "$alive" = 1 ] && pass "7b. mhtop quit or hung up 10 times while reading $(ctl show queue | wc -l) envelopes every 0.3 s: smtpd still runs"
[ "$alive" = 1 ] || hard "smtpd is gone: the offline step cannot run"
tm kill-session -t keep >/dev/null 2>&1

# ---- 8. smtpd stopped, spool kept: the queue is read offline
sq "$T/sq-before-stop"
if LAB_KEEP=1 "$LAB" stop > "$T/stop.log" 2>&1 && [ -d "$LAB_DIR/spool/smtpd/queue" ]; then
	pass "8. smtpd stopped, spool kept"
else
	fail "8. LAB_KEEP=1 opensmtpd-lab.sh stop: $(cat "$T/stop.log")"
fi
cat > "$T/smtpctl-offline" <<EOF
#!/bin/sh
# the real smtpctl in a private mount namespace where /var/spool is the
# kept lab spool and /run is empty: "show status" says smtpd is not running,
# "show queue" reads the spool (runstate "offline")
LAB_DIR='$LAB_DIR' exec '$LAB' ctl-offline "\$@"
EOF
chmod 755 "$T/smtpctl-offline"
printf 'smtpctl %s\ndoas none\ninterval 1\n%s\n' "$T/smtpctl-offline" \
    "$HEALTH_CONF" > "$T/offline.conf"
if timeout 30 "$T/smtpctl-offline" show status > "$T/off-status" 2>&1; then
	fail "8. smtpctl show status succeeds with smtpd stopped: $(cat "$T/off-status")"
elif grep -q "doesn't seem to be running" "$T/off-status"; then
	pass "8. offline smtpctl: show status says smtpd doesn't seem to be running"
else
	fail "8. offline smtpctl show status: $(cat "$T/off-status")"
fi
timeout 30 "$T/smtpctl-offline" show queue > "$T/off1" 2> "$T/off1.err"
LC_ALL=C.UTF-8 timeout 30 "$MHTOP" -b -f "$T/offline.conf" > "$T/offmh" 2> "$T/offmh.err"
rc=$?
timeout 30 "$T/smtpctl-offline" show queue > "$T/off2" 2> "$T/off2.err"
n=$(python3 "$CHECK" count "$T/sq-before-stop")
if [ "$rc" = 0 ] && [ ! -s "$T/offmh.err" ]; then
	pass "8. offline: mhtop -b exits 0, nothing on stderr"
else
	fail "8. offline: mhtop -b exits $rc, stderr: $(cat "$T/offmh.err")"
fi
python3 "$CHECK" ids "$T/sq-before-stop" > "$T/ids.before"
tail -n +2 "$T/offmh" | cut -f1 | sort > "$T/ids.off"
if python3 "$CHECK" compare "$T/off1" "$T/offmh" "$T/off2" offline > "$T/cmp.off" &&
    cmp -s "$T/ids.before" "$T/ids.off"; then
	pass "8. offline: mhtop -b lists the $n envelopes smtpd had, all offline, same fields as show queue"
else
	fail "8. offline: mhtop -b differs (from the queue before the stop, or from offline show queue)"
	cat "$T/cmp.off"
	diff "$T/ids.before" "$T/ids.off" | sed 's/^/  /'
fi
start_tui "$T/offline.conf"
expect 10 "8. offline TUI: header says smtpd NOT RUNNING" \
    on_line $HEADER "smtpd: NOT RUNNING (queue read offline from the spool)"
if pgrep -x smtpd >/dev/null 2>&1; then
	note "8. another smtpd runs on this host: the health line's DOWN not checked"
else
	expect 10 "8. offline TUI: the health line says smtpd is down" \
	    on_line $HEALTH "smtpd DOWN: no smtpd process"
fi
expect 5 "8. offline TUI: $n envelopes, $n offline" \
    on_line $COUNTS "$n envelopes: 0 pending, 0 inflight, $n offline"
keys q
expect 5 "8. offline TUI: q quits with exit 0" on_screen "mhtop exited 0"
tm kill-server >/dev/null 2>&1

# ---- the host's smtpd paths are as they were
LAB_KEEP=0 "$LAB" stop > /dev/null 2>&1
LAB_DIR=
host_state > "$T/host.after"
if cmp -s "$T/host.before" "$T/host.after"; then
	pass "host: /var/spool/smtpd, /run/smtpd.sock, /run/smtpd.pid, /etc/resolv.conf untouched"
else
	fail "host: smtpd paths changed"
	diff "$T/host.before" "$T/host.after" | sed 's/^/  /'
fi

echo "$npass passed, $nfail failed, $SECONDS s"
[ "$nfail" = 0 ]
