#!/bin/sh
# 18. Batch mode: TSV header and rows; -n 2 -d 0.5 prints two snapshots
# separated by an empty line; exit 1 with a one-line message on failure.
# 20. Configuration errors: exit 1 with FILE:LINE: unknown keyword.
# (No tmux needed.)
. "${srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
e2e_init
TAB=$(printf '\t')

mh() { # run mhtop -b against the fake; stdout in $out, stderr in $err, $rc
	FAKE_SMTPCTL_DIR=$STATE "$MHTOP" "$@" >"$E2E_DIR/out" 2>"$E2E_DIR/err" </dev/null
	rc=$?
	out=$(cat "$E2E_DIR/out")
	err=$(cat "$E2E_DIR/err")
}

mh -b -f "$CONF"
assert_eq "$rc" 0 '-b: exit 0'
assert_eq "$err" '' '-b: nothing on stderr'
assert_eq "$(printf '%s\n' "$out" | head -n 1)" \
    "evpid${TAB}msgid${TAB}type${TAB}state${TAB}flags${TAB}sender${TAB}rcpt${TAB}dest${TAB}ctime${TAB}tries${TAB}delay${TAB}error" \
    '-b: the header line'
assert_eq "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 15 '-b: header + 14 rows'
assert_eq "$(printf '%s\n' "$out" | sed 1d | cut -f1)" "$ROWS14" '-b: rows sorted by ctime, then evpid'
assert_eq "$(printf '%s\n' "$out" | awk -F'\t' '{ print NF }' | sort -u)" 12 '-b: 12 fields on every line'
assert_eq "$(printf '%s\n' "$out" | grep '^0862d5e211583af9')" \
    "0862d5e211583af9${TAB}0862d5e2${TAB}mta${TAB}pending${TAB}${TAB}alice@example.com${TAB}bob@example.net${TAB}bob@example.net${TAB}1795525168${TAB}1${TAB}360${TAB}Network error on destination MXs" \
    '-b: a whole row, raw values'
assert_eq "$(printf '%s\n' "$out" | grep '^41a3e85a8587ab6c' | cut -f6)" '<>' '-b: the null sender is <>'
assert_eq "$(printf '%s\n' "$out" | grep '^8924a15b86f02e24' | cut -f6-8)" \
    "pipe|user@weird.example${TAB}rcpt|with|pipes@example.com${TAB}rcpt|with|pipes@example.com" \
    '-b: local parts with |'
assert_eq "$(printf '%s\n' "$out" | grep '^ecc8a5b7fc7f5b8c' | cut -f4,11,12)" "inflight${TAB}40${TAB}" \
    '-b: inflight row: delay 40, empty error'
assert_eq "$(printf '%s\n' "$out" | grep '^7bb7df62a81a2c06' | cut -f5)" auth '-b: flags'
assert_eq "$(printf '%s\n' "$out" | grep '^8f9f6e4456c53f2d' | cut -f12)" \
    '451 4.7.1 Greylisted | try again later \\\\o/ \\^Actl' '-b: backslashes doubled'
check '-b: ran only show status and show queue' \
    test -z "$(grep -v -e '^show queue$' -e '^show status$' "$LOG")"

# the README's examples work
g=$(FAKE_SMTPCTL_DIR=$STATE "$MHTOP" -b -p queue -f "$CONF" | awk -F'\t' 'NR>1 && $12 ~ /Greylisted/ {print $1}')
assert_eq "$g" 8f9f6e4456c53f2d 'README example: envelope ids of greylisted mail'

# -n 2 -d 0.5
log_mark
t0=$(now_ms)
mh -b -n 2 -d 0.5 -f "$CONF"
t1=$(now_ms)
assert_eq "$rc" 0 '-n 2: exit 0'
assert_eq "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 31 '-n 2: 15 + 1 + 15 lines'
assert_eq "$(printf '%s\n' "$out" | sed -n 16p)" '' '-n 2: line 16 is empty'
assert_eq "$(printf '%s\n' "$out" | sed -n 17p | cut -f1)" evpid '-n 2: line 17 is the second header'
assert_eq "$(printf '%s\n' "$out" | sed -n 1,15p)" "$(printf '%s\n' "$out" | sed -n 17,31p)" '-n 2: two equal snapshots'
assert_eq "$(log_since | grep -c '^show queue$')" 2 '-n 2: two reads'
check "-n 2 -d 0.5: the snapshots are ~0.5 s apart ($((t1 - t0)) ms)" test $((t1 - t0)) -ge 450 -a $((t1 - t0)) -lt 5000

# offline: data was read, exit 0, empty delay
touch "$STATE/notrunning"
mh -b -f "$CONF"
assert_eq "$rc" 0 '-b offline: exit 0'
assert_eq "$(printf '%s\n' "$out" | grep '^0862d5e211583af9' | cut -f4,11)" "offline${TAB}" '-b offline: state offline, empty delay'
rm -f "$STATE/notrunning"

# failure: exit 1, one line on stderr, nothing on stdout
touch "$STATE/notroot"
mh -b -f "$CONF"
assert_eq "$rc" 1 '-b not root: exit 1'
assert_eq "$(printf '%s\n' "$err" | wc -l | tr -d ' ')" 1 '-b not root: one line on stderr'
case $err in
'mhtop: '*'need root privileges'*) ok "-b not root: the message: $err" ;;
*) fail "-b not root: unexpected message: $err" ;;
esac
assert_eq "$out" '' '-b not root: nothing on stdout'
mh -b -n 3 -d 0.1 -f "$CONF"
assert_eq "$rc" 1 '-b -n 3 not root: exit 1 at the first failure'
assert_eq "$(printf '%s\n' "$err" | wc -l | tr -d ' ')" 1 '-b -n 3 not root: one line on stderr'
rm -f "$STATE/notroot"

# a missing smtpctl
printf 'smtpctl %s/nonexistent\ndoas none\n' "$E2E_DIR" >"$E2E_DIR/missing.conf"
mh -b -f "$E2E_DIR/missing.conf"
assert_eq "$rc" 1 '-b, no smtpctl: exit 1'
assert_eq "$(printf '%s\n' "$err" | wc -l | tr -d ' ')" 1 '-b, no smtpctl: one line on stderr'
case $err in
*"$E2E_DIR/nonexistent not found: set its path in mhtop.conf"*)
	ok "-b, no smtpctl: says why and what to do: $err" ;;
*) fail "-b, no smtpctl: unexpected message: $err" ;;
esac

# --- configuration errors (20)
log_mark
printf 'smtpctl %s\nbogus 1\ninterval 1\n' "$SMTPCTL" >"$E2E_DIR/bad.conf"
for mode in -b ''; do
	# shellcheck disable=SC2086 # $mode is one word or none
	mh $mode -f "$E2E_DIR/bad.conf"
	assert_eq "$rc" 1 "unknown keyword ($mode): exit 1"
	assert_eq "$err" "mhtop: $E2E_DIR/bad.conf:2: unknown keyword: bogus" \
	    "unknown keyword ($mode): FILE:LINE: unknown keyword"
done
printf 'interval 0.01\n' >"$E2E_DIR/bad2.conf"
mh -b -f "$E2E_DIR/bad2.conf"
assert_eq "$rc" 1 'interval 0.01: exit 1'
case $err in
"mhtop: $E2E_DIR/bad2.conf:1: interval: "*) ok "interval 0.01: $err" ;;
*) fail "interval 0.01: unexpected message: $err" ;;
esac
printf 'smtpctl relative/smtpctl\n' >"$E2E_DIR/bad3.conf"
mh -b -f "$E2E_DIR/bad3.conf"
assert_eq "$rc" 1 'relative smtpctl path: exit 1'
case $err in
"mhtop: $E2E_DIR/bad3.conf:1: smtpctl: not an absolute path"*) ok "relative smtpctl: $err" ;;
*) fail "relative smtpctl: unexpected message: $err" ;;
esac
mh -b -f "$E2E_DIR/no-such.conf"
assert_eq "$rc" 1 '-f of a missing file: exit 1'
mh -b -d 0 -f "$CONF"
assert_eq "$rc" 1 '-d 0: exit 1'
mh -b -n 0 -f "$CONF"
assert_eq "$rc" 1 '-n 0: exit 1'
mh -b -p nosuch -f "$CONF"
assert_eq "$rc" 1 '-p nosuch: exit 1'
mh -f "$CONF"
assert_eq "$rc" 1 'interactive without a terminal: exit 1'
case $err in
*'not a terminal'*) ok "without a terminal: $err" ;;
*) fail "without a terminal: unexpected message: $err" ;;
esac
check 'the option and config errors ran no smtpctl command' test -z "$(log_since)"

# a reader that stops early is not an error; a full disk is
FAKE_SMTPCTL_DIR=$STATE "$MHTOP" -b -n 3 -d 0.2 -f "$CONF" 2>"$E2E_DIR/err" |
    head -n 1 >/dev/null
assert_eq "$(cat "$E2E_DIR/err")" '' 'mhtop -b | head: nothing on stderr'
if [ -w /dev/full ]; then
	FAKE_SMTPCTL_DIR=$STATE "$MHTOP" -b -f "$CONF" >/dev/full 2>"$E2E_DIR/err"
	assert_eq "$?" 1 'mhtop -b >/dev/full: exit 1'
	case $(cat "$E2E_DIR/err") in
	'mhtop: stdout: No space left on device') ok 'a full disk is reported' ;;
	*) fail "a full disk: unexpected message: $(cat "$E2E_DIR/err")" ;;
	esac
fi
finish
