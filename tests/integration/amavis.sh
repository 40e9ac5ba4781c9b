#!/usr/bin/env bash
# Integration test: mhtop's verdicts pane against a real amavisd-new with
# SpamAssassin (Debian's packages) behind a real OpenSMTPD, all started by
# tests/integration/amavis-lab.sh in private mount and network namespaces
# (their own loopback, /dev/log, /run, /var/spool, /var/lib/amavis) and
# stopped at the end.  smtpd and amavisd log through syslog(3) to a real
# rsyslogd that writes mail.* to one file, the lab's maillog, in rsyslog's
# RFC 3339 format (Debian 12's default; AMAVIS_LOG_FORMAT=bsd for the
# traditional "Mmm dd HH:MM:SS host prog[pid]: " one).
#
#   1. the lab starts: rsyslogd, a sink, amavisd (port 10024), smtpd (port 25,
#      re-injection on 10025 tagged AMAVIS, relays to the sink on 10026)
#   2. three mails through smtpd: clean (2 recipients), GTUBE, a banned
#      invoice.pdf.exe; the maillog gets the three amavis verdicts, smtpd's
#      results for the envelopes sent to amavis and the clean mail's final
#      deliveries to the sink (result="Ok")
#   3. mhtop -b -p verdicts: one row per verdict, the right fields
#   4. TUI in tmux: -p verdicts, / filter on the clean mail's subject, Enter:
#      the detail view shows the client, the verdict and the final delivery
#   6. -p quarantine lists the GTUBE and banned mails; r, y in the pane
#      releases the spam with the real amavisd-release, amavisd logs it;
#      o, an address, y releases the banned one to that address alone
#   5. the lab is stopped, no process of it is left, the host's /dev/log,
#      /run/smtpd.sock, /var/spool/smtpd and /var/lib/amavis are untouched
#
# Steps 3 and 4 are skipped (exit 77 once 1 and 2 passed) while mhtop has no
# verdicts pane ("no such pane", "unknown keyword: maillog").
#
# Needs root, util-linux (unshare, nsenter), tmux and python3; installs
# amavisd-new, spamassassin, rsyslog, opensmtpd, iproute2 (and python3) with
# apt-get when missing, without starting their system services.  Exit 77
# (skip) when not root or when unshare is not permitted, 99 when the set-up
# fails, 1 when a check fails.
#
# Environment: MHTOP (default ./mhtop), srcdir (the top source directory;
# default: two levels up from this script), AMAVIS_LOG_FORMAT=rfc3339|bsd.
# The fixtures tests/fixtures/amavis/lab-*.txt are such maillogs, made with
# "amavis-lab.sh capture FILE".
set -u
umask 022

# ---- what the detail view of the clean mail must show (extended regexps,
# matched against the whole captured screen)
DETAIL_CLIENT='127\.0\.0\.1'
DETAIL_VERDICT='Passed'
DETAIL_CATEGORY='CLEAN'
DETAIL_DELIVERY='delivered|(^|[^[:alnum:]])Ok([^[:alnum:]]|$)'
FILTER_ON=subject	# or mail_id: what is typed after /

here=$(cd "$(dirname "$0")" && pwd)
LAB=$here/amavis-lab.sh
PY=$here/amavis_lab.py
: "${MHTOP:=./mhtop}"
: "${srcdir:=$here/../..}"
export srcdir
LOGFMT=${AMAVIS_LOG_FORMAT:-rfc3339}

npass=0
nfail=0
pass() { echo "PASS: $*"; npass=$((npass + 1)); }
fail() { echo "FAIL: $*"; nfail=$((nfail + 1)); }
note() { echo "  $*"; }
skip() { echo "SKIP: $*"; exit 77; }
hard() { echo "ERROR: $*"; exit 99; }
count() {	# FILE: tally and show the PASS:/FAIL: lines a helper printed
	cat "$1"
	npass=$((npass + $(grep -c '^PASS:' "$1")))
	nfail=$((nfail + $(grep -c '^FAIL:' "$1")))
}

[ "$(id -u)" = 0 ] || skip "needs root (smtpd, amavisd, rsyslogd and private namespaces)"
[ -x "$MHTOP" ] || hard "no mhtop binary at $MHTOP (set MHTOP)"
MHTOP=$(cd "$(dirname "$MHTOP")" && pwd)/$(basename "$MHTOP")
export MHTOP
case $LOGFMT in rfc3339 | bsd) ;; *) hard "AMAVIS_LOG_FORMAT must be rfc3339 or bsd" ;; esac
command -v tmux >/dev/null || hard "tmux is missing (scripts/setup installs it)"
for c in unshare nsenter; do
	command -v "$c" >/dev/null || hard "$c is missing (package util-linux)"
done

T=$(mktemp -d "${TMPDIR:-/tmp}/mhtop-amavis.XXXXXX") || hard "mktemp failed"
chmod 755 "$T"		# amavisd runs as user amavis under $T/lab
LAB_DIR=
E2E_DIR=
cleanup() {
	rc=$?
	trap - EXIT INT TERM HUP
	if [ -n "$E2E_DIR" ]; then e2e_cleanup >/dev/null 2>&1; fi
	if [ -n "$LAB_DIR" ] && [ -d "$LAB_DIR" ]; then
		LAB_KEEP=0 "$LAB" stop >/dev/null 2>&1 ||
		    echo "warning: amavis-lab.sh stop failed" >&2
	fi
	rm -rf "$T"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# a private mount and network namespace with a tmpfs is what the lab needs
mkdir "$T/probe"
unshare -m -n --propagation private sh -c \
    "mount -t tmpfs -o mode=0755 tmpfs '$T/probe'" >/dev/null 2>&1 ||
	skip "unshare -m -n (and mount) not permitted here"

LAB_DIR=$T/lab
export LAB_DIR LAB_LOGFMT=$LOGFMT LAB_KEEP=0
t0=$SECONDS
"$LAB" install > "$T/install.log" 2>&1 || { cat "$T/install.log"; hard "could not install the lab's packages"; }
if [ -s "$T/install.log" ] && ! grep -q 'everything is installed' "$T/install.log"; then
	note "$(tr '\n' ' ' < "$T/install.log")($((SECONDS - t0)) s)"
fi

# what the host has where the lab's programs would write by default
host_state() {
	local p
	for p in /dev/log /run/smtpd.sock /run/smtpd.pid /var/spool/smtpd /var/lib/amavis; do
		if [ -e "$p" ] || [ -L "$p" ]; then
			stat -c '%n %F inode %i mtime %Y' "$p"
		else
			echo "$p absent"
		fi
	done
	if [ -d /var/lib/amavis ]; then
		find /var/lib/amavis -maxdepth 2 -printf '%p %y %i %T@\n' | sort
	fi
}
host_state > "$T/host.before"

# ---- 1. start
versions=$(dpkg-query -W -f '${Package} ${Version}, ' amavisd-new spamassassin opensmtpd rsyslog 2>/dev/null)
t0=$SECONDS
"$LAB" start > "$T/lab-start.log" 2>&1 || { cat "$T/lab-start.log"; hard "the lab did not start"; }
nspid=$(cat "$LAB_DIR/ns.pid")
pass "1. lab started in $((SECONDS - t0)) s: ${versions%, }"

# ---- 2. three mails; the verdicts and deliveries in the maillog
RID=$(python3 -c 'import secrets; print(secrets.token_hex(3))')
SUBJECT="mhtop lab clean $RID"
if "$LAB" send "$RID" > "$T/send.log" 2>&1; then
	pass "2. smtpd on 127.0.0.1:25 accepted the clean, GTUBE and banned mails (subjects end in $RID)"
else
	fail "2. sending the mails"
	sed 's/^/  | /' "$T/send.log"
fi
t1=$SECONDS
python3 "$PY" wait "$LAB_DIR/maillog" "$RID" 90 "$T/state.json" > "$T/wait.log" 2>&1
wrc=$?
sed 's/^\(PASS\|FAIL\): /&2. /' "$T/wait.log" > "$T/wait2.log"
count "$T/wait2.log"
if [ "$wrc" = 0 ]; then
	note "(all there $((SECONDS - t1)) s after sending)"
else
	note "the maillog:"
	grep -v -e 'No decoder for' -e 'No ext program for' "$LAB_DIR/maillog" | tail -40 | cut -c1-300 | sed 's/^/  | /'
	note "lab logs:"
	tail -5 "$LAB_DIR"/*.log 2>/dev/null | sed 's/^/  | /'
	echo "$npass passed, $nfail failed, $SECONDS s"
	exit 1
fi
if [ "$LOGFMT" = rfc3339 ]; then
	frame='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}[+-][0-9]{2}:[0-9]{2} mx (amavis|smtpd)\[[0-9]+\]: '
else
	frame='^[A-Z][a-z]{2} [ 1-3][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} mx (amavis|smtpd)\[[0-9]+\]: '
fi
nlines=$(wc -l < "$LAB_DIR/maillog")
nbad=$(grep -Evc "$frame" "$LAB_DIR/maillog")
if [ "$nbad" = 0 ]; then
	pass "2. all $nlines maillog lines are rsyslog's $LOGFMT framing, 'mx amavis[pid]: ' or 'mx smtpd[pid]: '"
else
	fail "2. $nbad of $nlines maillog lines are not in rsyslog's $LOGFMT framing:"
	grep -Ev "$frame" "$LAB_DIR/maillog" | head -5 | sed 's/^/  | /'
fi
MAIL_ID=$(python3 "$PY" get "$T/state.json" clean.mail_id)

# ---- 5. (run last) stop; nothing of the lab is left; the host is untouched
finish_lab() {
	local ino left p
	ino=$(readlink "/proc/$nspid/ns/mnt")
	LAB_KEEP=0 "$LAB" stop > "$T/stop.log" 2>&1
	LAB_DIR=
	left=
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/ns/mnt" 2>/dev/null)" = "$ino" ] && left="$left ${p#/proc/}"
	done
	if [ -z "$ino" ]; then
		fail "5. the lab's namespace holder ($nspid) was gone before the stop"
	elif [ -z "$left" ]; then
		pass "5. lab stopped: no process left in its namespaces"
	else
		fail "5. processes left in the lab's namespaces:$left"
		cat "$T/stop.log"
	fi
	host_state > "$T/host.after"
	if cmp -s "$T/host.before" "$T/host.after"; then
		pass "5. host: /dev/log, /run/smtpd.sock, /run/smtpd.pid, /var/spool/smtpd, /var/lib/amavis untouched"
	else
		fail "5. host: paths changed"
		diff "$T/host.before" "$T/host.after" | sed 's/^/  /'
	fi
}

# ---- 3. mhtop -b -p verdicts
# the e2e helpers (tmux, screen, keys); their config is replaced by ours:
# the lab's maillog, and smtpctl run in the lab's namespaces
# shellcheck source=../e2e/lib.sh
. "$srcdir/tests/e2e/lib.sh"
# lib.sh's fail prints "not ok": ours again
fail() { echo "FAIL: $*"; nfail=$((nfail + 1)); }
# the real daemons made their data just now: mhtop runs on the system
# clock, in a screen wide enough for the subject beside the route
e2e_unpin
E2E_COLS=160
e2e_init
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
printf '#!/bin/sh\nexec nsenter -t %s -m -- /usr/sbin/smtpctl "$@"\n' "$nspid" > "$T/smtpctl"
chmod 755 "$T/smtpctl"
printf 'maillog %s\nhistory 86400\nsmtpctl %s\ndoas none\ninterval 1\n' \
    "$LAB_DIR/maillog" "$T/smtpctl" > "$CONF"

timeout 60 "$MHTOP" -b -p verdicts -f "$CONF" > "$T/verdicts.tsv" 2> "$T/verdicts.err" < /dev/null
rc=$?
if [ "$rc" != 0 ] && grep -Eqi 'no such pane|unknown (pane|provider)|unknown keyword: (maillog|history)' "$T/verdicts.err"; then
	finish_lab
	echo "SKIP: 3.-4. mhtop has no verdicts pane yet: $(head -1 "$T/verdicts.err")"
	echo "$npass passed, $nfail failed, $SECONDS s"
	[ "$nfail" = 0 ] || exit 1
	exit 77
fi
if [ "$rc" = 0 ] && [ ! -s "$T/verdicts.err" ]; then
	pass "3. mhtop -b -p verdicts exits 0, nothing on stderr"
else
	fail "3. mhtop -b -p verdicts exits $rc, stderr: $(head -5 "$T/verdicts.err")"
fi
python3 "$PY" check-tsv "$T/verdicts.tsv" "$T/state.json" > "$T/tsv.log" 2>&1
sed 's/^\(PASS\|FAIL\): /&3. /' "$T/tsv.log" > "$T/tsv2.log"
count "$T/tsv2.log"
if grep -q '^FAIL:' "$T/tsv.log" || [ ! -s "$T/tsv.log" ]; then
	note "mhtop -b -p verdicts printed:"
	sed 's/^/  | /' "$T/verdicts.tsv"
fi

# ---- 4. TUI: filter on the clean mail, Enter: the joined story
if [ "$FILTER_ON" = mail_id ]; then filter=$MAIL_ID; else filter=$SUBJECT; fi
start_mhtop -p verdicts
# expect WHAT CMD...: PASS/FAIL, with the screen on failure
expect() {
	local what=$1
	shift
	if "$@"; then
		pass "$what"
	else
		fail "$what"
		screen | sed 's/^/  | /'
	fi
}
# the subject shares its column with the envelope: its start is what fits
expect "4. mhtop -p verdicts shows the clean mail's row ('${SUBJECT% *}')" on_screen "${SUBJECT% *}" 20
# (a banned part's file name is kept before the category word BANNED)
expect "4. ... and the SPAM and BANNED rows" \
    eval 'on_screen SPAM 5 && on_screen_re "Blocked (BANNED )?\\(invoice" 5'
keys /
type_text "$filter"
keys Enter
expect "4. / $filter Enter: 1 of 3 rows" on_screen "filter: $filter (1 of 3)" 5
screen > "$T/list.txt"
keys Enter
detail_has() { screen | grep -Eq -- "$1"; }
story() {
	detail_has "$DETAIL_CLIENT" && detail_has "$DETAIL_VERDICT" &&
	    detail_has "$DETAIL_CATEGORY" && detail_has "$DETAIL_DELIVERY"
}
deadline=$((SECONDS + 10))
until story || [ "$SECONDS" -ge "$deadline" ]; do sleep 0.2; done
screen > "$T/detail.txt"
if cmp -s "$T/list.txt" "$T/detail.txt"; then
	fail "4. Enter: the screen did not change (no detail view)"
fi
missed=0
for re in "$DETAIL_CLIENT" "$DETAIL_VERDICT" "$DETAIL_CATEGORY" "$DETAIL_DELIVERY"; do
	if grep -Eq -- "$re" "$T/detail.txt"; then
		pass "4. Enter: the detail view shows /$re/"
	else
		fail "4. Enter: the detail view does not show /$re/"
		missed=1
	fi
done
if [ "$missed" = 1 ]; then
	note "the detail view:"
	sed 's/^/  | /' "$T/detail.txt"
fi
keys q
sleep 0.3
keys q
if wait_exit 5 && [ "$(exit_status)" = 0 ]; then
	pass "4. q, q: mhtop exits 0"
else
	fail "4. q, q: mhtop did not exit 0 (status: $(exit_status))"
	screen | sed 's/^/  | /'
fi

# ---- 6. the quarantine pane: the GTUBE and banned mails are in amavis'
# quarantine; r, y releases the spam through the real amavisd-release, and
# amavisd logs the release and re-sends the message
GTUBE_ID=$(python3 "$PY" get "$T/state.json" gtube.mail_id)
BANNED_ID=$(python3 "$PY" get "$T/state.json" banned.mail_id)
# Debian's script with the lab's socket, run in the lab's namespaces
sed "s|^  \$socketname = '/var/lib/amavis/amavisd.sock';|  \$socketname = '$LAB_DIR/amavis/amavisd.sock';|" \
    /usr/sbin/amavisd-release > "$T/amavisd-release-lab"
printf '#!/bin/sh\nexec nsenter -t %s -m -n -- perl -T %s "$@"\n' "$nspid" \
    "$T/amavisd-release-lab" > "$T/amavisd-release"
chmod 755 "$T/amavisd-release"
printf 'quarantine %s\namavisd-release %s\n' "$LAB_DIR/amavis/virusmails" \
    "$T/amavisd-release" >> "$CONF"
timeout 60 "$MHTOP" -b -p quarantine -f "$CONF" > "$T/quarantine.tsv" 2> "$T/quarantine.err" < /dev/null
rc=$?
TAB=$(printf '\t')
if [ "$rc" = 0 ] && grep -q "${TAB}spam${TAB}$GTUBE_ID${TAB}" "$T/quarantine.tsv" &&
    grep -q "${TAB}banned${TAB}$BANNED_ID${TAB}" "$T/quarantine.tsv"; then
	pass "6. mhtop -b -p quarantine lists the GTUBE ($GTUBE_ID) and the banned ($BANNED_ID) messages"
else
	fail "6. mhtop -b -p quarantine (exit $rc): $(head -3 "$T/quarantine.err")"
	sed 's/^/  | /' "$T/quarantine.tsv"
fi
if grep "${TAB}banned${TAB}$BANNED_ID${TAB}" "$T/quarantine.tsv" | cut -f9 |
    grep -q 'invoice\.pdf\.exe'; then
	pass "6. ... the banned one's reason names invoice.pdf.exe"
else
	fail "6. the banned one's reason: $(grep "$BANNED_ID" "$T/quarantine.tsv" | cut -f9)"
fi
start_mhtop -p quarantine
expect "6. the quarantine pane shows the GTUBE message" on_screen "$GTUBE_ID" 20
keys /
type_text "$GTUBE_ID"
keys Enter
expect "6. / $GTUBE_ID: the one row" on_screen "filter: $GTUBE_ID (1 of" 5
keys r
expect "6. r asks, naming the file" on_screen_re "Release message [^ ]*spam-$GTUBE_ID\\.gz \\(<spammer@spam\\.example> → <[^>]*>, spam [0-9.]+\\)\\? \\[y/N\\]" 5
keys y
expect "6. y: released, as amavisd's reply says" on_screen_re "released to [0-9]+ recipients?, queued as [0-9a-f]+: [^ ]*spam-$GTUBE_ID\\.gz" 30
deadline=$((SECONDS + 30))
until grep -q "Quarantined message release (miscategorized): $GTUBE_ID " "$LAB_DIR/maillog" ||
    [ "$SECONDS" -ge "$deadline" ]; do sleep 0.5; done
if grep -q "Quarantined message release (miscategorized): $GTUBE_ID " "$LAB_DIR/maillog"; then
	pass "6. amavisd logged the release of $GTUBE_ID"
else
	fail "6. amavisd did not log the release of $GTUBE_ID"
	tail -20 "$LAB_DIR/maillog" | cut -c1-300 | sed 's/^/  | /'
fi
# the copy amavisd re-sent: smtpd took it as QID and delivered it to the sink
QID=$(screen | grep -o 'queued as [0-9a-f]*' | head -n 1 | cut -d' ' -f3)
deadline=$((SECONDS + 30))
until grep -q "mta delivery evpid=$QID[0-9a-f]* .*result=\"Ok\"" "$LAB_DIR/maillog" ||
    [ -z "$QID" ] || [ "$SECONDS" -ge "$deadline" ]; do sleep 0.5; done
if [ -n "$QID" ] && grep -q "mta delivery evpid=$QID[0-9a-f]* .*result=\"Ok\"" "$LAB_DIR/maillog"; then
	pass "6. the released copy ($QID) was delivered to the sink"
else
	fail "6. no delivery of the released copy (queued as '$QID')"
	grep -e smtpd "$LAB_DIR/maillog" | tail -8 | cut -c1-300 | sed 's/^/  | /'
fi
# the row says so, from amavis' log line and smtpd's delivery of the copy
expect "6. the row shows the copy delivered" on_screen_re " spam +$GTUBE_ID .* delivered *\$" 15
keys Enter
expect "6. Enter: the details of the released spam" on_screen "what amavis wrote above it:" 5
keys NPage
expect "6. Enter: released, by amavis" on_screen_re "^ +released +[0-9-]+ [0-9:]+ by amavis \\(rel-[A-Za-z0-9_-]+, miscategorized\\) for <" 5
expect "6. Enter: its copy, $QID, delivered" on_screen_re "^ +its copy +smtpd message $QID: delivered" 5
expect "6. Enter: the verdict, from the mail log" on_screen_re "^ +verdict +[0-9-]+ [0-9:]+ Blocked SPAM" 5
keys q
timeout 60 "$MHTOP" -b -p quarantine -f "$CONF" > "$T/quarantine2.tsv" 2>/dev/null < /dev/null
if grep "${TAB}spam${TAB}$GTUBE_ID${TAB}" "$T/quarantine2.tsv" | cut -f10 | grep -qE '^[0-9]+$'; then
	pass "6. -b: the released column has the time of the release"
else
	fail "6. -b: released: '$(grep "$GTUBE_ID" "$T/quarantine2.tsv" | cut -f10)'"
fi
# o: the banned one to another address; amavisd re-sends it there alone
keys /
keys C-u
type_text "$BANNED_ID"
keys Enter
expect "6. / $BANNED_ID: the one row" on_screen "filter: $BANNED_ID (1 of" 5
keys o
expect "6. o asks for the address" on_screen "Release $BANNED_ID to which address?" 5
type_text alt@example.net
keys Enter
# (the banned part's long name may not fit: the address comes before it,
# and the question's end stays on screen)
expect "6. ... and confirms, naming the file and the address" \
    on_screen_re "Release message [^ ]*banned-$BANNED_ID to alt@example\\.net \\(<mallory@sender\\.example> → <erin@example\\.org>, banned application.*\\? \\[y/N\\]" 5
keys y
expect "6. y: released to the address, as amavisd's reply says" \
    on_screen_re "released to alt@example\\.net, queued as [0-9a-f]+: [^ ]*banned-$BANNED_ID" 30
QID=$(screen | grep -o 'alt@example\.net, queued as [0-9a-f]*' | head -n 1 | cut -d' ' -f4)
deadline=$((SECONDS + 30))
until grep -q "mta delivery evpid=$QID[0-9a-f]* .*to=<alt@example\.net> .*result=\"Ok\"" "$LAB_DIR/maillog" ||
    [ -z "$QID" ] || [ "$SECONDS" -ge "$deadline" ]; do sleep 0.5; done
if [ -n "$QID" ] && grep -q "mta delivery evpid=$QID[0-9a-f]* .*to=<alt@example\.net> .*result=\"Ok\"" "$LAB_DIR/maillog" &&
    [ "$(grep -c "smtp envelope evpid=$QID" "$LAB_DIR/maillog")" = 1 ]; then
	pass "6. the banned message ($QID) went to alt@example.net alone, delivered to the sink"
else
	fail "6. no delivery of the banned message to alt@example.net (queued as '$QID')"
	grep -e smtpd "$LAB_DIR/maillog" | tail -8 | cut -c1-300 | sed 's/^/  | /'
fi
keys q
wait_exit 5
e2e_cleanup > "$T/e2e-cleanup.log" 2>&1
E2E_DIR=
if grep -q '^not ok' "$T/e2e-cleanup.log"; then
	fail "4. processes left behind by mhtop:"
	sed 's/^/  | /' "$T/e2e-cleanup.log"
fi

finish_lab

echo "$npass passed, $nfail failed, $SECONDS s"
[ "$nfail" = 0 ]
