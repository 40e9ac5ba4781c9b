#!/bin/sh
# The trace in batch mode, -b -p trace -a TEXT (issue 15): bob@example.org
# followed through the greylist and the whitelist (the fake spamdb and
# pfctl), the queue (the fake smtpctl), the verdicts (a mail log) and the
# quarantine (the captured one):
#  - every source's rows, oldest first, as TSV with the sources named; an
#    address's own rows only (Bob@ is another mailbox), the whitelist
#    record of the IP its tuple came from;
#  - a domain takes its subdomains and the HELOs under it; an IP in any
#    spelling; hostile text stays escaped;
#  - what is typed is checked: exit 1, a sentence, nothing on stdout;
#  - a source that cannot be read is named on stderr, the rest printed;
#    nothing readable at all: exit 1.
# (No tmux needed.)
. "${srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
e2e_init
trace_init
NOW=$TRACE_NOW
T=$(printf '\t')
ESC=$(printf '\033')

trace() { # -a TEXT [more options]: stdout in $out, stderr in $err, $rc
	spamd_env "$MHTOP" -f "$CONF" -b -p trace "$@" >"$E2E_DIR/out" \
	    2>"$E2E_DIR/err" </dev/null
	rc=$?
	out=$(cat "$E2E_DIR/out")
	err=$(cat "$E2E_DIR/err")
}
rows_of() { # SOURCE: the rows of that source
	printf '%s\n' "$out" | awk -F'\t' -v s="$1" 'NR > 1 && $2 == s'
}

trace -a bob@example.org
assert_eq "$rc" 0 'an address: exit 0'
assert_eq "$err" '' 'an address: nothing on stderr'
assert_eq "$(printf '%s\n' "$out" | head -n 1)" \
    "time${T}source${T}kind${T}ip${T}sender${T}recipient${T}detail" 'the header line'
assert_eq "$(rows_of grey | cut -f3,4)" "greylisted${T}192.0.2.77
greylisted${T}192.0.2.79" "the greylist: bob's two tuples, not Bob@'s"
check 'the passed tuple says so' sh -c "printf '%s\n' \"\$0\" | grep -q '^$((NOW - 3000))${T}grey${T}greylisted${T}192.0.2.77${T}<alice@sender.example>${T}<bob@example.org>${T}passed at '" "$out"
assert_eq "$(rows_of white | cut -f3,4,6)" "WHITE${T}192.0.2.77${T}" \
    'the whitelist: the record of the IP the tuple came from'
check 'the whitelist record: in the pf table' sh -c "printf '%s\n' \"\$0\" | grep -q 'in pf table <spamd-white>: yes'" "$(rows_of white)"
assert_eq "$(rows_of queue | cut -f3,5,6)" \
    "queued${T}alice@sender.example${T}bob@example.org" 'the queue: the envelope'
check 'the queue: its evpid and error' sh -c "printf '%s\n' \"\$0\" | grep -q 'evpid 1a2b3c4d5e6f7a8b; 421 4.7.0 Try again later'" "$(rows_of queue)"
assert_eq "$(rows_of verdicts | cut -f1,3,4)" "$((NOW - 1100))${T}verdict${T}192.0.2.77" \
    'the verdicts: the one verdict, with its client'
assert_eq "$(rows_of quarantine | wc -l | tr -d ' ')" "$QFILES" \
    "the quarantine: its $QFILES messages for bob"
# smtpd's lines of the mail log: what it received from where, what it
# refused, what became of the envelope
assert_eq "$(rows_of smtpd | cut -f3,4,5,6)" "received${T}192.0.2.77${T}alice@sender.example${T}bob@example.org
refused${T}198.51.100.9${T}${T}bob@example.org
deferred${T}${T}alice@sender.example${T}bob@example.org" \
    "smtpd: received from the tuple's IP, refused to another, deferred"
assert_eq "$(rows_of smtpd | sed -n 2p | cut -f7)" \
    'RCPT TO:<bob@example.org>: 550 5.7.1 Delivery not authorized, message refused' \
    'smtpd: the refused command and its reply'
assert_eq "$(rows_of smtpd | sed -n 3p | cut -f7)" \
    'relay 203.0.113.25 (mx.example.org): 421 4.7.0 Try again later; evpid 1a2b3c4d5e6f7a8b' \
    'smtpd: the relay tried and its reply'
assert_eq "$(rows_of white | cut -f4 | sort | tr '\n' ' ')" '192.0.2.77 ' \
    'the refusing client is not whitelisted: no record followed for it'
assert_eq "$(printf '%s\n' "$out" | sed 1d | cut -f1 | sort -n | tr '\n' ' ')" \
    "$(printf '%s\n' "$out" | sed 1d | cut -f1 | tr '\n' ' ')" 'oldest first'
assert_eq "$(printf '%s\n' "$out" | awk -F'\t' '{ print NF }' | sort -u)" 7 \
    '7 fields on every line'
check 'no raw ESC reaches stdout' sh -c "! grep -q '$ESC' '$E2E_DIR/out'"
check 'the hostile HELO escaped' grep -qF 'helo \x1b[2Jevil' "$E2E_DIR/out"

# spamd's log: the connection of an IP, its (GREY) attempt, how long
# it was held; a blacklisted sender's (BLACK) attempt and the From: header
# of its message, which is all that names the domain
trace -a 203.0.113.231
assert_eq "$(rows_of spamdlog | cut -f3,4)" "connected${T}203.0.113.231
GREY${T}203.0.113.231
disconnected${T}203.0.113.231" "spamd's log: an IP's connection, attempt, end"
assert_eq "$(rows_of spamdlog | sed -n 3p | cut -f7)" 'disconnected after 15 s' \
    "spamd's log: how long it was held"
assert_eq "$(rows_of grey | cut -f4)" 203.0.113.231 "spamd's log: beside the IP's tuple"
trace -a quick-loans-247.example
assert_eq "$(rows_of spamdlog | cut -f3)" 'BLACK
header' "spamd's log: a blacklisted domain's attempt and From: header"
check "spamd's log: the header line says only it names the domain" sh -c "printf '%s\n' \"\$0\" | grep -q 'only the From: header names it'" "$(rows_of spamdlog | sed -n 2p)"
assert_eq "$(rows_of white | cut -f3,4)" "TRAPPED${T}198.51.100.3" \
    "spamd's log: the trap of the IP the attempt came from"
spamd_conf "quarantine $Q" "maillog $ML" "spamdlog $E2E_DIR/nodaemon"
trace -a bob@example.org
case $err in
"mhtop: trace: no spamd log seen: spamd log $E2E_DIR/nodaemon: "*) ok "a missing spamd log: $err" ;;
*) fail "a missing spamd log: unexpected message: $err" ;;
esac
spamd_conf "quarantine $Q" "maillog $ML" "spamdlog $E2E_DIR/daemon"

# the same IP in other spellings
trace -a 192.0.2.77
assert_eq "$(printf '%s\n' "$out" | sed 1d | cut -f2 | tr '\n' ' ')" \
    'grey white smtpd smtpd verdicts ' 'an IP: its tuple, its record, its connection and the mail smtpd received from it, its verdict (spamd logged nothing of it)'
assert_eq "$(printf '%s\n' "$out" | awk -F'\t' '$2 == "smtpd" { print $3, $4, $7 }')" \
    "$(printf 'connected 192.0.2.77 session 7da64a60030e07c7\nreceived 192.0.2.77 evpid 1a2b3c4d5e6f7a8b; from host mx.sender.example')" \
    'an IP: smtpd connected it (the session), then received its mail'
ip_rows=$out
trace -a '[::FFFF:192.0.2.77]'
assert_eq "$out" "$ip_rows" 'an IP as ::ffff:, bracketed: the same rows'

# a domain: the addresses and the HELOs under it
trace -a sender.example
assert_eq "$(rows_of grey | cut -f4 | tr '\n' ' ')" '192.0.2.77 192.0.2.78 ' \
    'a domain: the tuples from it'
trace -a EXAMPLE.org.
want=$(awk -F'|' '$1 == "GREY" {
	h = tolower($3); f = tolower($4); t = tolower($5)
	sub(/>$/, "", f); sub(/>$/, "", t); sub(/^.*@/, "", f); sub(/^.*@/, "", t)
	if (f ~ /(^|\.)example\.org$/ || t ~ /(^|\.)example\.org$/ ||
	    h ~ /(^|\.)example\.org$/) n++
    } END { print n }' "$DB")
assert_eq "$(rows_of grey | wc -l | tr -d ' ')" "$want" \
    "a domain: every tuple to, from or HELO-ing as example.org ($want)"

# what is typed is checked
for bad in 'bob@exa mple.org' "bob@example.org${ESC}[31m" '@example.org' \
    '192.0.2.010' ''; do
	trace -a "$bad"
	assert_eq "$rc" 1 "-a '$bad': exit 1"
	assert_eq "$out" '' "-a '$bad': nothing on stdout"
	case $err in
	'mhtop: -a: '*) ok "-a '$bad': $err" ;;
	*) fail "-a '$bad': unexpected message: $err" ;;
	esac
done
check '-a: the hostile text is not echoed raw' sh -c "! grep -q '$ESC' '$E2E_DIR/err'"
trace
assert_eq "$rc" 1 '-p trace without -a: exit 1'
spamd_env "$MHTOP" -f "$CONF" -b -p queue -a bob@example.org \
    >"$E2E_DIR/out" 2>"$E2E_DIR/err" </dev/null
assert_eq "$?" 1 '-a with another pane: exit 1'

# a source that cannot be read: said, the rest printed
touch "$STATE/notroot"
trace -a bob@example.org
assert_eq "$rc" 0 'the queue unreadable: exit 0'
case $err in
'mhtop: trace: no queue seen: '*) ok "the queue unreadable: $err" ;;
*) fail "the queue unreadable: unexpected message: $err" ;;
esac
assert_eq "$(rows_of queue)" '' 'the queue unreadable: no queue rows'
assert_eq "$(rows_of grey | wc -l | tr -d ' ')" 2 'the queue unreadable: the greylist still'
rm -f "$STATE/notroot"

# nothing readable: exit 1
write_conf "spamdb $E2E_DIR/nospamdb" "pfctl $E2E_DIR/nopfctl" \
    "quarantine $E2E_DIR/noquarantine" "maillog $E2E_DIR/nomaillog" \
    "smtpctl $E2E_DIR/nosmtpctl" "spamdlog $E2E_DIR/nodaemon"
trace -a bob@example.org
assert_eq "$rc" 1 'no source readable: exit 1'
check 'no source readable: said last' sh -c "printf '%s\n' \"\$0\" | tail -n 1 | grep -q 'trace bob@example.org: no source could be read'" "$err"
assert_eq "$out" '' 'no source readable: nothing on stdout'
finish
