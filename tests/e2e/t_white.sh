#!/bin/sh
# The whitelist pane (3) against the fakes spamdb and pfctl:
#  - WHITE, TRAPPED and SPAMTRAP records with IN PF yes/no/-; where spamdb
#    and the pf table disagree ("!", bold, counted in the header), including
#    an address only in the table (PF-ONLY);
#  - d (spamdb -d IP, pfctl -T delete IP; asks), d on PF-ONLY (pfctl only),
#    t (spamdb -t -a IP; asks), d/t on a SPAMTRAP refused;
#  - pfctl failing (no table, not root): the records still show;
#  - batch mode, and the white-table keyword in pfctl's argv.
. "${srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
need_tmux
e2e_init
# the table of the fixture, but 185.70.42.2 (a WHITE record) is missing,
# 198.51.100.3 (TRAPPED) is in it and 192.0.2.250 has no record
{
	grep -v '^ *185\.70\.42\.2$' "$E2E_SRC/tests/fixtures/spamd/pfctl-show.txt"
	echo '   198.51.100.3'
	echo '   192.0.2.250'
} >"$E2E_DIR/table.in"
spamd_init "" "$E2E_DIR/table.in"

actions_are() { # WANT DESCRIPTION
	if wait_actions "$1" 5; then
		ok "$2"
	else
		fail "$2: got [$(spamd_actions_since)], want [$1]"
	fi
}

# the rows drawn bold, as "TYPE ADDRESS"
bold_rows() {
	bold_lines | awk '$1 ~ /^[+*]?(WHITE|TRAPPED|SPAMTRAP|PF-ONLY)$/ { print $1, $2 }' |
	    sort
}

# --- batch mode
spamd_env "$MHTOP" -b -p white -f "$CONF" >"$E2E_DIR/batch.out" \
    2>"$E2E_DIR/batch.err" </dev/null
assert_eq "$?" 0 '-b -p white exits 0'
T=$(printf '\t')
assert_eq "$(head -n 1 "$E2E_DIR/batch.out")" \
    "type${T}key${T}first${T}pass${T}expire${T}bcount${T}pcount${T}inpf" \
    '-b -p white: the header line'
# 34 records and one PF-ONLY address
assert_eq "$(sed 1d "$E2E_DIR/batch.out" | wc -l | tr -d ' ')" 35 '-b -p white: 35 rows'
bcheck() { # LINE DESCRIPTION
	if grep -qxF -- "$1" "$E2E_DIR/batch.out"; then
		ok "-b: $2"
	else
		fail "-b: $2: no line [$1]"
	fi
}
bcheck "WHITE${T}195.121.94.166${T}1794880000${T}1794880000${T}1798109800${T}1${T}4${T}yes" \
    'a WHITE record in the table: inpf yes'
bcheck "WHITE${T}185.70.42.2${T}1792000000${T}1792000000${T}1795110400${T}1${T}0${T}no" \
    'a WHITE record missing from the table: inpf no'
bcheck "TRAPPED${T}192.0.2.87${T}${T}${T}1795004410${T}${T}${T}no" \
    'a TRAPPED record: only the expiry, inpf no'
bcheck "TRAPPED${T}198.51.100.3${T}${T}${T}1795000061${T}${T}${T}yes" \
    'a TRAPPED record in the table: inpf yes'
bcheck "SPAMTRAP${T}info-old@example.org${T}${T}${T}${T}${T}${T}-" \
    'a SPAMTRAP record: inpf -'
bcheck "PF-ONLY${T}192.0.2.250${T}${T}${T}${T}${T}${T}yes" \
    'an address in the table only: PF-ONLY, inpf yes'
assert_eq "$(sed 1d "$E2E_DIR/batch.out" | cut -f8 | sort -u | tr '\n' ' ')" \
    '- no yes ' '-b: inpf is yes, no or -'
assert_eq "$(sed 1d "$E2E_DIR/batch.out" | cut -f1,2 | grep -v '^PF-ONLY' | tr '\t' '|')" \
    "$(grep -v '^GREY|' "$DB" | cut -d'|' -f1,2)" '-b: the records in spamdb order'
assert_eq "$(grep -c '^pfctl -t spamd-white -T show$' "$LOG")" 1 \
    '-b: the table read with pfctl -t spamd-white -T show'

# --- the pane (key 3), tall enough for every row
start_mhtop
wait_for '14 envelopes' 10
tm resize-window -t e2e -x 120 -y 50
keys 3
wait_for '3:whitelist' 5
wait_for 'spamdb: 27 GREY  23 WHITE  7 TRAPPED  4 SPAMTRAP' 10
wait_for_re '^ TYPE +ADDRESS +SEEN +LAST PASS +EXPIRES IN +BLOCKED +PASSED +IN PF'
wait_for '4 addresses where spamdb and pf table <spamd-white> disagree (marked !)'
assert_eq "$(spamd_row_keys 2 | wc -l | tr -d ' ')" 35 '35 rows on the screen'
assert_screen_re '^ WHITE +195\.121\.94\.166 .* 1 +4 yes *$' 'WHITE in the table: "yes"'
assert_screen_re '^ WHITE +185\.70\.42\.2 .* no ! *$' 'WHITE not in the table: "no !"'
assert_screen_re '^ WHITE +2001:db8:4f10::25 .* no ! *$' 'WHITE IPv6 not in the table: "no !"'
assert_screen_re '^ TRAPPED +192\.0\.2\.87 .* no *$' 'TRAPPED not in the table: "no"'
assert_screen_re '^ TRAPPED +198\.51\.100\.3 .* yes ! *$' 'TRAPPED in the table: "yes !"'
assert_screen_re '^ SPAMTRAP +info-old@example\.org .* - *$' 'SPAMTRAP: IN PF "-"'
assert_screen_re '^ PF-ONLY +192\.0\.2\.250 .* yes ! *$' 'an address only in the table: PF-ONLY, "yes !"'
assert_eq "$(screen | grep -c ' !$')" 4 'exactly 4 rows are marked !'
assert_eq "$(bold_rows)" 'PF-ONLY 192.0.2.250
TRAPPED 198.51.100.3
WHITE 185.70.42.2
WHITE 2001:db8:4f10::25' 'exactly the 4 rows marked ! are bold'
if bold_lines | grep -qF '4 addresses where spamdb and pf table'; then
	ok 'the disagreement line of the header is bold'
else
	fail 'the disagreement line of the header is not bold'
fi

# --- d on a WHITE row in the table: asks; n nothing; y spamdb -d, pfctl delete
check 'cursor on 195.121.94.166' spamd_cursor_to 195.121.94.166 2
log_mark
keys d
wait_for 'Unwhitelist record 195.121.94.166? [y/N]'
keys n
wait_for 'cancelled: nothing changed'
spamd_wait_polls 1
assert_eq "$(spamd_actions_since)" '' 'd n: no command run'
keys d
wait_for 'Unwhitelist record 195.121.94.166? [y/N]'
keys y
actions_are 'spamdb -d 195.121.94.166
pfctl -t spamd-white -T delete 195.121.94.166' 'd y: spamdb -d IP, then pfctl -T delete IP'
wait_for '1/1 addresses deleted: 195.121.94.166' 5
# the outcome says the record is gone, once the pane is read again
wait_for '1/1 addresses deleted: 195.121.94.166; record 195.121.94.166 is no longer in the whitelist' 5
check 'd y: the record is gone from the db' test -z "$(grep '|195\.121\.94\.166|' "$DB")"
check 'd y: the address is gone from the table' test -z "$(grep -x '195\.121\.94\.166' "$TABLE")"
# (a row, not the status line that names it)
if off_screen_re '^.{0,12} 195\.121\.94\.166 ' 5; then
	ok 'd y: the row is gone'
else
	fail 'd y: the row of 195.121.94.166 is still shown'
fi
wait_for 'spamdb: 27 GREY  22 WHITE  7 TRAPPED  4 SPAMTRAP' 5

# --- d on the PF-ONLY row: only the pfctl delete
check 'cursor on the PF-ONLY 192.0.2.250' spamd_cursor_to 192.0.2.250 2
log_mark
keys d
wait_for 'Unwhitelist record 192.0.2.250? [y/N]'
keys y
actions_are 'pfctl -t spamd-white -T delete 192.0.2.250' \
    'd y on PF-ONLY: only pfctl -T delete IP (no record to delete)'
wait_for '1/1 addresses deleted: 192.0.2.250' 5
check 'PF-ONLY d: the address is gone from the table' test -z "$(grep -x '192\.0\.2\.250' "$TABLE")"
if off_screen 'PF-ONLY' 5; then
	ok 'PF-ONLY d: the row is gone'
else
	fail 'PF-ONLY d: the PF-ONLY row is still shown'
fi
wait_for '3 addresses where spamdb and pf table <spamd-white> disagree (marked !)' 5

# --- d and t on a SPAMTRAP row: refused, nothing run
check 'cursor on the SPAMTRAP spamtrap@example.org' spamd_cursor_to spamtrap@example.org 2
log_mark
for k in d t; do
	keys x		# a status line without "not a valid id" first
	on_screen 'unknown key' 3
	keys "$k"
	if on_screen_re 'refusing: .*spamtrap@example\.org.*not a valid id' 3; then
		ok "$k on a SPAMTRAP: refused, not a valid id"
	else
		fail "$k on a SPAMTRAP: no \"not a valid id\" refusal"
	fi
	assert_no_screen '[y/N]' "$k on a SPAMTRAP: no prompt"
	keys n
done
spamd_wait_polls 1
assert_eq "$(spamd_actions_since)" '' 'd, t on a SPAMTRAP: nothing run'
check 'the SPAMTRAP is still in the db' grep -qx 'SPAMTRAP|spamtrap@example.org' "$DB"

# --- t on a WHITE row: asks, spamdb -t -a IP
check 'cursor on 192.0.2.33' spamd_cursor_to 192.0.2.33 2
log_mark
keys t
wait_for 'Trap record 192.0.2.33? [y/N]'
keys n
wait_for 'cancelled: nothing changed'
assert_eq "$(spamd_actions_since)" '' 't n: no command run'
keys t
wait_for 'Trap record 192.0.2.33? [y/N]'
keys y
actions_are 'spamdb -t -a 192.0.2.33' 't y: spamdb -t -a IP, nothing else'
wait_for 'done: spamdb -t -a 192.0.2.33' 5
check 't y: the record is TRAPPED in the db' grep -q '^TRAPPED|192\.0\.2\.33|' "$DB"
# still in the table: now a TRAPPED address pf lets through
wait_for_re '^ TRAPPED +192\.0\.2\.33 .* yes ! *$' 5
wait_for 'spamdb: 27 GREY  21 WHITE  8 TRAPPED  4 SPAMTRAP' 5
wait_for '4 addresses where spamdb and pf table <spamd-white> disagree (marked !)' 5

# --- pfctl failing: no table
: >"$STATE/notable"
wait_for 'pf table spamd-white unknown: pfctl -t spamd-white -T show: exit 255: pfctl: Table does not exist' 6
check 'no table: the records are still shown' on_screen_re '^ WHITE +104\.47\.17\.161 ' 1
check 'no table: WHITE rows have IN PF -' on_screen_re '^ WHITE +104\.47\.17\.161 .* - *$' 1
check 'no table: TRAPPED rows have IN PF -' on_screen_re '^ TRAPPED +192\.0\.2\.87 .* - *$' 1
assert_eq "$(screen | grep -c ' !$')" 0 'no table: nothing is marked !'
assert_no_screen 'disagree' 'no table: no disagreement claimed'
assert_no_screen 'STALE' 'no table: the pane is not STALE (spamdb works)'
rm -f "$STATE/notable"
wait_for '4 addresses where spamdb and pf table <spamd-white> disagree (marked !)' 6
check 'the table is back: yes again' on_screen_re '^ WHITE +104\.47\.17\.161 .* yes *$' 1
# not root for pfctl
: >"$STATE/notroot.pfctl"
wait_for 'pf table spamd-white unknown: pfctl -t spamd-white -T show: exit 1: pfctl: /dev/pf: Permission denied' 6
check 'pfctl not root: the records are still shown, IN PF -' \
    on_screen_re '^ WHITE +104\.47\.17\.161 .* - *$' 1
check 'mhtop is alive' alive "$MHTOP_PID"
rm -f "$STATE/notroot.pfctl"
wait_for '4 addresses where spamdb and pf table <spamd-white> disagree (marked !)' 6
keys q
check 'q quits' wait_exit 3
assert_eq "$(exit_status)" 0 'mhtop exited 0'

# --- IPv6 keys as typed: spamdb keeps "2001:DB8::1" (spamdb-edge.txt), pfctl
# shows the address in inet_ntop form, "2001:db8::1": the same address, in
# the table; no disagreement and no PF-ONLY row.  The same after w in the
# greylist pane on a tuple whose address is written that way.
{
	echo 'WHITE|192.0.2.200|||1794568000|1794569745|1798096400|5|11'
	grep '^WHITE|2001:DB8::1|' "$SPAMD_FIXTURES/spamdb-edge.txt"
	grey_line 2001:DB8:0:0::7 mx.v6.example '<a@v6.example>' '<info@example.org>' \
	    1794997000 1795011400 1795011400
} >"$E2E_DIR/db6"
set_db "$E2E_DIR/db6"
printf '192.0.2.200\n' >"$TABLE"
spamd_env "$PFCTL" -q -t spamd-white -T add 2001:DB8::1 2>/dev/null
check 'pfctl stores 2001:DB8::1 as 2001:db8::1' grep -qx '2001:db8::1' "$TABLE"
spamd_env "$MHTOP" -b -p white -f "$CONF" >"$E2E_DIR/batch6.out" 2>/dev/null </dev/null
bcheck6() { # LINE DESCRIPTION
	if grep -qxF -- "$1" "$E2E_DIR/batch6.out"; then
		ok "-b: $2"
	else
		fail "-b: $2: no line [$1] in: $(tr '\t\n' '|;' <"$E2E_DIR/batch6.out")"
	fi
}
bcheck6 "WHITE${T}2001:DB8::1${T}1794999995${T}1794999995${T}1798110395${T}1${T}0${T}yes" \
    'WHITE 2001:DB8::1 with 2001:db8::1 in the table: inpf yes'
assert_eq "$(grep -c '^PF-ONLY' "$E2E_DIR/batch6.out")" 0 \
    '-b: 2001:db8::1 (the same address) is not PF-ONLY'
start_mhtop -p grey
wait_for 'spamdb: 1 GREY  2 WHITE' 10
check 'cursor on 2001:DB8:0:0::7' spamd_cursor_to 2001:DB8:0:0::7
log_mark
keys w
# spamd is IPv4 only: its next scan drops an IPv6 WHITE entry (spamd.md 3.6)
if on_screen_re 'Whitelist IP 2001:DB8:0:0::7 \(1 tuple\)\? \[y/N\].*IPv6: spamd drops it within a minute; put it in <nospamd> instead' 5; then
	ok 'w on an IPv6 tuple warns and asks first'
else
	fail 'w on an IPv6 tuple: no IPv6 warning prompt'
fi
actions_are '' 'nothing runs before the answer'
keys y
actions_are 'spamdb -a 2001:DB8:0:0::7
pfctl -t spamd-white -T add 2001:DB8:0:0::7' 'w on an IPv6 tuple, y: spamdb -a, pfctl -T add'
wait_for '1/1 addresses added: 2001:DB8:0:0::7' 5
check 'pfctl stores it as 2001:db8::7' grep -qx '2001:db8::7' "$TABLE"
keys 3
wait_for 'spamdb: 1 GREY  3 WHITE' 10
wait_for_re '^ TYPE +ADDRESS' 5
check 'WHITE 2001:DB8::1 (pf: 2001:db8::1) is in pf: IN PF yes' \
    on_screen_re '^ WHITE +2001:DB8::1 .* yes *$' 3
check 'WHITE 2001:DB8:0:0::7 (whitelisted by w; pf: 2001:db8::7): IN PF yes' \
    on_screen_re '^ WHITE +2001:DB8:0:0::7 .* yes *$' 3
assert_no_screen 'PF-ONLY' 'no PF-ONLY row for an address spamdb writes differently'
assert_eq "$(screen | grep -c ' !$')" 0 'the IPv6 rows are not marked !'
assert_screen 'pf table <spamd-white> agrees with spamdb' \
    'the header: spamdb and pf agree'
keys q
check 'q quits' wait_exit 3

# --- white-table: the table pfctl is given
run_env FAKE_PFCTL_TABLE_NAME spamd-allow
spamd_conf 'white-table spamd-allow'
log_mark
start_mhtop -p white
tm resize-window -t e2e -x 120 -y 50
wait_for 'pf table <spamd-allow>' 10
check 'white-table: pfctl -t spamd-allow -T show' wait_log 'pfctl -t spamd-allow -T show' 3
assert_eq "$(log_since | grep -c 'spamd-white')" 0 'white-table: spamd-white is not used'
check 'cursor on 192.0.2.200' spamd_cursor_to 192.0.2.200 2
log_mark
keys d
wait_for 'Unwhitelist record 192.0.2.200? [y/N]'
keys y
actions_are 'spamdb -d 192.0.2.200
pfctl -t spamd-allow -T delete 192.0.2.200' 'white-table: d runs pfctl -t spamd-allow -T delete'
wait_for '1/1 addresses deleted: 192.0.2.200' 5
check 'white-table: gone from the table' test -z "$(grep -x '192\.0\.2\.200' "$TABLE")"
keys q
check 'q quits' wait_exit 3
finish
