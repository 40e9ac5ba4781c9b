#!/bin/sh
# The greylist pane (2) against the fakes spamdb and pfctl:
#  - the tuples and the header counts of spamdb-small.txt, batch mode;
#  - w (spamdb -a, pfctl -T add), d (spamdb -G -d IP x N, asks), t
#    (spamdb -t -a, asks) on a tuple, and what the fakes record;
#  - b: grouped by sender domain, w on a domain, b back;
#  - the state column, passtime, the "+" of a new tuple, a hostile helo,
#    invalid addresses (no command runs);
#  - read-only mode, spamdb failing (noread: STALE; notroot: w fails).
. "${srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
# whole cells: wide enough that no address is cut
E2E_COLS=160
need_tmux
e2e_init
spamd_init

# the actions in argv.log since log_mark, once they are WANT
actions_are() { # WANT DESCRIPTION
	if wait_actions "$1" 5; then
		ok "$2"
	else
		fail "$2: got [$(spamd_actions_since)], want [$1]"
	fi
}

# --- batch mode: the header and the 27 GREY tuples, in spamdb's order
spamd_env "$MHTOP" -b -p grey -f "$CONF" >"$E2E_DIR/batch.out" \
    2>"$E2E_DIR/batch.err" </dev/null
assert_eq "$?" 0 '-b -p grey exits 0'
assert_eq "$(head -n 1 "$E2E_DIR/batch.out")" \
    "$(printf 'ip\thelo\tfrom\tto\tfirst\tpass\texpire\tbcount\tpcount')" \
    '-b -p grey: the header line'
assert_eq "$(sed 1d "$E2E_DIR/batch.out" | wc -l | tr -d ' ')" 27 \
    '-b -p grey: 27 rows'
assert_eq "$(sed 1d "$E2E_DIR/batch.out" | tr '\t' '|' | sed 's/^/GREY|/')" \
    "$(grep '^GREY|' "$DB")" '-b -p grey: every GREY line, fields in order, in db order'
assert_eq "$(cat "$E2E_DIR/batch.err")" '' '-b -p grey: nothing on stderr'

# --- a listing of 9 MB that stops halfway for a second (spamd holding the
# lock): what was read is parsed while spamdb waits, a chunk at a time,
# and the rest after.  Every tuple once, as a read without the pause.
BIG=$E2E_DIR/big
mkdir -p "$BIG"
LC_ALL=C awk -F'|' 'BEGIN { OFS = "|" } /^GREY/ { g[k++] = $0 }
    END { for (i = 0; i < 70000; i++) {
	split(g[i % k], f, "|")
	f[2] = sprintf("10.%d.%d.%d", int(i / 65536), int(i / 256) % 256,
	    i % 256)
	f[4] = "<u" i "@d" (i % 97) ".example>"
	s = f[1]
	for (j = 2; j <= 10; j++)
		s = s "|" f[j]
	print s
    } }' "$DB" >"$BIG/db"
big_rows() {
	e2e_clock
	FAKE_SPAMD_DIR=$BIG "$MHTOP" -b -p grey -f "$CONF" </dev/null |
	    sed 1d | sort
}
big_rows >"$E2E_DIR/big.plain"
echo 1 >"$BIG/locked"
big_rows >"$E2E_DIR/big.paused"
rm -f "$BIG/locked"
assert_eq "$(wc -l <"$E2E_DIR/big.paused" | tr -d ' ')" 70000 \
    '9 MB listing with a pause: 70000 rows'
check '9 MB listing with a pause: the rows of a read without it' \
    cmp -s "$E2E_DIR/big.plain" "$E2E_DIR/big.paused"
assert_eq "$(tr '\t' '|' <"$E2E_DIR/big.paused" | sed 's/^/GREY|/' |
    sort | cksum)" "$(sort "$BIG/db" | cksum)" \
    '9 MB listing with a pause: every line, fields in order'

# --- the pane: key 2 from the queue pane; a tall terminal shows every row
start_mhtop
wait_for '14 envelopes' 10
tm resize-window -t e2e -x 160 -y 45
keys 2
wait_for '2:greylist' 5
wait_for 'spamdb: 27 GREY  23 WHITE  7 TRAPPED  4 SPAMTRAP' 10
wait_for_re '^ . IP +SEEN +STATE +EXPIRES +BLOCKED +HELO +FROM +TO'
wait_for '40.107.22.133' 5
assert_screen_re '^ . 40\.107\.22\.133 .* EUR05-AM6-obe\.outboun.* <m\.jansen@partnerfirm\.nl> +<sales@example\.org>' \
    'the tuple of 40.107.22.133 with its helo, from and to'
assert_eq "$(spamd_row_keys | wc -l | tr -d ' ')" 27 '27 tuple rows on the screen'
assert_eq "$(spamd_row_keys | sort)" \
    "$(grep '^GREY|' "$DB" | cut -d'|' -f2 | sort)" 'the rows are the GREY tuples of the db'
assert_eq "$(screen | grep -c '<m.jansen@partnerfirm.nl>')" 8 \
    'the 8 tuples of <m.jansen@partnerfirm.nl>'
# at the fixture's time: 5 tuples have pass < expire (retried, passed), 3
# were first seen less than passtime (25 min) ago
assert_screen_re 'greylist: 3 waiting, 19 may pass on retry, 5 passed' \
    'the header counts the tuples of each state'
assert_screen_re '^ . 198\.51\.100\.23 +3h4[5-9]m +passed ' '198.51.100.23 (pass < expire) is "passed"'
assert_screen_re '^ . 40\.107\.22\.71 +3h3[7-9]m +may pass ' '40.107.22.71 (unretried, 3h37m old) is "may pass"'
assert_screen_re '^ . 40\.107\.22\.133 +[6-9]m[0-9][0-9]s +waiting ' '40.107.22.133 (unretried, 6m35s old) is "waiting"'

# --- w on a tuple: spamdb -a IP, then pfctl -t spamd-white -T add IP
check 'cursor on 40.107.22.71' spamd_cursor_to 40.107.22.71
log_mark
keys w
# whitelisting lets mail through: it asks first, naming the address
wait_for 'Whitelist IP 40.107.22.71 (1 tuple)? [y/N]'
keys y
actions_are 'spamdb -a 40.107.22.71
pfctl -t spamd-white -T add 40.107.22.71' 'w: spamdb -a IP, then pfctl -T add IP'
wait_for '1/1 addresses added: 40.107.22.71' 5
assert_eq "$(status_line | sed 's/ *$//')" '1/1 addresses added: 40.107.22.71' \
    "w: the status line is pfctl's answer"
check 'w: the IP is a WHITE record in the db' grep -q '^WHITE|40\.107\.22\.71|' "$DB"
check 'w: the IP is in the pf table' grep -qx '40\.107\.22\.71' "$TABLE"
wait_for 'spamdb: 27 GREY  24 WHITE  7 TRAPPED  4 SPAMTRAP' 5

# --- d on an IP with 2 tuples: asks; n runs nothing; y deletes both
check 'cursor on 203.0.113.45' spamd_cursor_to 203.0.113.45
log_mark
keys d
wait_for 'Delete IP 203.0.113.45 (2 tuples)? [y/N]'
keys n
wait_for 'cancelled: nothing changed'
spamd_wait_polls 1
assert_eq "$(spamd_actions_since)" '' 'd n: no command run'
assert_eq "$(grep -c '^GREY|203\.0\.113\.45|' "$DB")" 2 'd n: both tuples still in the db'
keys d
wait_for 'Delete IP 203.0.113.45 (2 tuples)? [y/N]'
keys y
actions_are 'spamdb -G -d 203.0.113.45 203.0.113.45' \
    'd y: one spamdb -G -d with the IP once per tuple'
wait_for 'done: spamdb -G -d 203.0.113.45 203.0.113.45' 5
assert_eq "$(grep -c '^GREY|203\.0\.113\.45|' "$DB")" 0 'd y: both tuples gone from the db'
if off_screen_re '^ . 203\.0\.113\.45 ' 5; then
	ok 'd y: the tuples are gone from the screen'
else
	fail 'd y: the tuples of 203.0.113.45 are still shown'
fi
wait_for 'spamdb: 25 GREY  24 WHITE  7 TRAPPED  4 SPAMTRAP' 5

# d on an IP with 1 tuple
check 'cursor on 209.85.208.170' spamd_cursor_to 209.85.208.170
log_mark
keys d
wait_for 'Delete IP 209.85.208.170 (1 tuple)? [y/N]'
keys Escape
wait_for 'cancelled: nothing changed'
assert_eq "$(spamd_actions_since)" '' 'd Esc: no command run'

# --- t: asks, then spamdb -t -a IP
check 'cursor on 203.0.113.77' spamd_cursor_to 203.0.113.77
log_mark
keys t
wait_for 'Trap IP 203.0.113.77 (1 tuple)? [y/N]'
keys n
wait_for 'cancelled: nothing changed'
assert_eq "$(spamd_actions_since)" '' 't n: no command run'
keys t
wait_for 'Trap IP 203.0.113.77 (1 tuple)? [y/N]'
keys y
actions_are 'spamdb -t -a 203.0.113.77' 't y: spamdb -t -a IP'
wait_for 'done: spamdb -t -a 203.0.113.77' 5
check 't y: the IP is a TRAPPED record in the db' grep -q '^TRAPPED|203\.0\.113\.77|' "$DB"
check 't y: nothing added to the pf table' test -z "$(grep -x '203\.0\.113\.77' "$TABLE")"
wait_for 'spamdb: 25 GREY  24 WHITE  8 TRAPPED  4 SPAMTRAP' 5

# --- b: grouped by sender domain ("by"); g still goes to the first row
keys b
wait_for '2:greylist by domain' 5
wait_for_re '^ SENDER DOMAIN +TUPLES- +IPS +/24S +OLDEST +PASSED'
wait_for_re '^ partnerfirm\.nl +8 +8 +7 +[0-9dhms]+ +no *$'
assert_screen 'grouped: greylist by domain (b again: back)'
keys G g
check 'g: the first row, partnerfirm.nl (the most tuples)' wait_cursor_key partnerfirm.nl
# Enter on a group: its fields, not an empty page with a title
keys Enter
wait_for 'domain partnerfirm.nl' 3
check 'the group detail: its tuples' on_screen_re '^ *tuples +8$' 3
assert_screen_re '^ *ips +8$' 'the group detail: its addresses'
assert_screen_re '^ *passed +no$' 'the group detail: passed'
keys q
wait_for_re '^ SENDER DOMAIN +TUPLES' 3
log_mark
keys w
wait_for 'Whitelist 8 addresses of partnerfirm.nl? [y/N]'
keys n
wait_for 'cancelled: nothing changed'
assert_eq "$(spamd_actions_since)" '' 'w n on the domain: no command run'
keys w
wait_for 'Whitelist 8 addresses of partnerfirm.nl? [y/N]'
keys y
# 40.107.22.71 is in the table already (w above): 7 of 8 added
wait_for '7/8 addresses added: partnerfirm.nl' 10
PF8='40.107.20.112
40.107.21.98
40.107.22.133
40.107.22.71
40.107.23.55
52.101.66.43
52.101.68.101
52.101.73.25'
acts=$(spamd_actions_since)
assert_eq "$(printf '%s\n' "$acts" | wc -l | tr -d ' ')" 16 'w y on the domain: 16 commands'
# in pairs: spamdb -a IP, then pfctl -T add of the same IP
pairs=$(printf '%s\n' "$acts" | awk '
	NR % 2 == 1 { if ($1 != "spamdb" || $2 != "-a" || NF != 3) bad = 1; ip = $3 }
	NR % 2 == 0 { if ($0 != "pfctl -t spamd-white -T add " ip) bad = 1; print ip }
	END { if (bad) print "BAD" }' | sort)
assert_eq "$pairs" "$PF8" 'w y on the domain: spamdb -a IP then pfctl -T add IP, for each of its 8 addresses'
for ip in $PF8; do
	check "domain w: $ip is a WHITE record" grep -q "^WHITE|$ip|" "$DB"
	check "domain w: $ip is in the table" grep -qxF "$ip" "$TABLE"
done
wait_for 'spamdb: 25 GREY  31 WHITE  8 TRAPPED  4 SPAMTRAP' 5
keys b
wait_for 'ungrouped' 5
wait_for_re '^ . IP +SEEN +STATE'
check 'b again: the tab says greylist, not by domain' off_screen 'greylist by domain' 3
assert_screen '<m.jansen@partnerfirm.nl>' 'b again: the tuples are back'

# --- d on two tagged tuples of two IPs
check 'cursor on 209.85.218.48' spamd_cursor_to 209.85.218.48
keys Space
wait_for '1 tagged'
check 'cursor on 209.85.221.52' spamd_cursor_to 209.85.221.52
keys Space
wait_for '2 tagged'
log_mark
keys d
wait_for 'Delete 2 IPs 209.85.218.48 and 209.85.221.52 (2 tuples)? [y/N]'
keys y
wait_for 'done: 2 commands' 5
assert_eq "$(spamd_actions_since | sort)" 'spamdb -G -d 209.85.218.48
spamdb -G -d 209.85.221.52' 'd y on 2 tagged tuples: one spamdb -G -d per IP'
assert_eq "$(grep -c -e '^GREY|209\.85\.218\.48|' -e '^GREY|209\.85\.221\.52|' "$DB")" 0 \
    'd y on 2 tagged tuples: both gone from the db'
wait_for 'spamdb: 23 GREY  31 WHITE  8 TRAPPED  4 SPAMTRAP' 5
check 'no tags left' off_screen_re '[0-9]+ tagged' 3

# --- a tuple that fails validation: no command runs
now=$(e2e_now)
{
	cat "$DB"
	grey_line not-an-ip mail.bad.example '<x@bad.example>' '<info@example.org>' \
	    $((now - 120)) $((now + 14280)) $((now + 14280))
	grey_line 1.2.3.4/24 mail.net.example '<x@net.example>' '<info@example.org>' \
	    $((now - 100)) $((now + 14300)) $((now + 14300))
} >"$E2E_DIR/db2"
set_db "$E2E_DIR/db2"
wait_for 'not-an-ip' 5
wait_for '1.2.3.4/24' 5
check 'cursor on not-an-ip' spamd_cursor_to not-an-ip
log_mark
for k in w d t; do
	keys x		# a status line without "not a valid id" first
	on_screen 'unknown key' 3
	keys "$k"
	if on_screen 'not a valid id' 3; then
		ok "$k on not-an-ip: refused, \"not a valid id\""
	else
		fail "$k on not-an-ip: no \"not a valid id\" refusal"
	fi
	assert_no_screen '? [y/N]' "$k on not-an-ip: no prompt"
	keys n		# in case it asked anyway (a bug): answer no
done
check 'cursor on 1.2.3.4/24' spamd_cursor_to 1.2.3.4/24
keys w
if on_screen_re 'refusing: .*1\.2\.3\.4/24.*not a valid id' 3; then
	ok 'w on 1.2.3.4/24: refused, "not a valid id"'
else
	fail 'w on 1.2.3.4/24: no "not a valid id" refusal'
fi
spamd_wait_polls 1
assert_eq "$(spamd_actions_since)" '' 'w, d, t on invalid addresses: no spamdb or pfctl action'
check 'invalid addresses: nothing added to the table' test -z "$(grep -e not-an-ip -e / "$TABLE")"
keys q
check 'q quits' wait_exit 3
assert_eq "$(exit_status)" 0 'mhtop exited 0'

# --- fresh times: waiting, may pass, passed; passtime; "+"; a hostile helo
now=$(e2e_now)
{
	# first seen 5 min ago, not retried: waiting
	grey_line 192.0.2.10 mx.wait.example '<a@wait.example>' '<info@example.org>' \
	    $((now - 300)) $((now + 14100)) $((now + 14100))
	# first seen 40 min ago, not retried: may pass (passtime 25)
	grey_line 192.0.2.20 mx.may.example '<a@may.example>' '<info@example.org>' \
	    $((now - 2400)) $((now + 12000)) $((now + 12000))
	# retried: pass < expire
	grey_line 192.0.2.30 mx.pass.example '<a@pass.example>' '<info@example.org>' \
	    $((now - 3600)) $((now - 600)) $((now + 14400)) 2
	grep '^GREY|203\.0\.113\.52|' "$SPAMD_FIXTURES/spamdb-edge.txt"
	echo 'WHITE|192.0.2.200|||1794568000|1794569745|1798096400|5|11'
} >"$E2E_DIR/fresh"
set_db "$E2E_DIR/fresh"
log_mark
start_mhtop -p grey
wait_for 'spamdb: 4 GREY  1 WHITE  0 TRAPPED  0 SPAMTRAP' 10
wait_for 'greylist: 1 waiting, 2 may pass on retry, 1 passed' 5
assert_screen_re '^ . 192\.0\.2\.10 +5m[0-9s]* +waiting ' '5 min old, unretried: waiting'
assert_screen_re '^ . 192\.0\.2\.20 +40m[0-9s]* +may pass ' '40 min old, unretried: may pass'
assert_screen_re '^ . 192\.0\.2\.30 +1h[0-9m]* +passed ' 'pass < expire: passed'
# the ESC/BEL helo: shown escaped, nothing recoloured
assert_screen '^[[31mEVIL' 'the helo ESC[31mEVIL is shown escaped'
if screen_e | grep -q "$(printf '\033')\[\([0-9;]*;\)\{0,1\}3[0-7]\(;[0-9;]*\)\{0,1\}m"; then
	fail 'the screen has a foreground colour: the helo recoloured it'
else
	ok 'no colour on the screen (the helo did not recolour it)'
fi
assert_screen_re '^mhtop  1:queue  2:greylist' 'the top line is intact'
# a new tuple: "+" in the first column for one read
cp "$DB" "$E2E_DIR/fresh2"
grey_line 192.0.2.40 mx.new.example '<a@new.example>' '<info@example.org>' \
    $((now - 5)) $((now + 14395)) $((now + 14395)) >>"$E2E_DIR/fresh2"
set_db "$E2E_DIR/fresh2"
wait_for_re '^\+. 192\.0\.2\.40 ' 5
assert_eq "$(screen | grep -c '^+')" 1 'only the new tuple is marked +'
assert_screen_re 'new per read: .* 1$' 'the header counts 1 new tuple'
if off_screen_re '^\+' 5; then
	ok 'the + mark is gone after the next read'
else
	fail 'the + mark outlived the next read'
fi
assert_screen_re '^ . 192\.0\.2\.40 ' 'the tuple is still shown, unmarked'
assert_eq "$(spamd_actions_since)" '' 'no action ran'
keys q
check 'q quits' wait_exit 3

# batch mode escapes the helo
spamd_env "$MHTOP" -b -p grey -f "$CONF" >"$E2E_DIR/batch2.out" 2>/dev/null </dev/null
assert_eq "$(grep '^203\.0\.113\.52' "$E2E_DIR/batch2.out" | cut -f2)" \
    '\x1b[31mEVIL\x1b[0m\x07' '-b escapes ESC and BEL as \xHH'

# passtime 60: the 40-minute tuple is still waiting (and so is the edge
# fixture's 37-minute one)
spamd_conf 'passtime 60'
start_mhtop -p grey
wait_for 'greylist: 4 waiting, 0 may pass on retry, 1 passed' 10
assert_screen_re '^ . 192\.0\.2\.20 +40m[0-9s]* +waiting ' 'passtime 60: 40 min old is waiting'
keys q
check 'q quits' wait_exit 3
spamd_conf

# --- read-only: w, d, t run nothing
cp "$DB" "$E2E_DIR/db.before"
cp "$TABLE" "$E2E_DIR/table.before"
start_mhtop -p grey -r
wait_for 'spamdb: 5 GREY' 10
check 'cursor on 192.0.2.20' spamd_cursor_to 192.0.2.20
log_mark
keys w
wait_for_re 'read-only mode \(-r\): did not run: .*spamdb -a 192\.0\.2\.20'
keys d
wait_for_re 'read-only mode \(-r\): did not run: .*spamdb -G -d 192\.0\.2\.20'
assert_no_screen '[y/N]' 'read-only d: no prompt'
keys t
wait_for_re 'read-only mode \(-r\): did not run: .*spamdb -t -a 192\.0\.2\.20'
keys y
spamd_wait_polls 1
assert_eq "$(spamd_actions_since)" '' 'read-only: w, d, t ran nothing'
check 'read-only: the db is unchanged' cmp -s "$DB" "$E2E_DIR/db.before"
check 'read-only: the table is unchanged' cmp -s "$TABLE" "$E2E_DIR/table.before"
keys q
check 'q quits' wait_exit 3

# --- spamdb failing
start_mhtop -p grey
wait_for 'spamdb: 5 GREY' 10
# notroot: the listing works, writes fail; w stops after spamdb's failure
: >"$STATE/notroot"
check 'cursor on 192.0.2.20' spamd_cursor_to 192.0.2.20
log_mark
keys w
wait_for_re '^Whitelist IP 192\.0\.2\.20 \(1 tuple\)\? \[y/N\]$'
keys y
actions_are 'spamdb -a 192.0.2.20' 'notroot: w runs spamdb -a, no pfctl after its failure'
wait_for_re 'exit 1: spamdb: cannot open /var/db/spamd for writing: Permission denied' 5
check 'notroot: no WHITE record written' test -z "$(grep '^WHITE|192\.0\.2\.20|' "$DB")"
check 'notroot: not added to the table' test -z "$(grep -x '192\.0\.2\.20' "$TABLE")"
assert_no_screen 'STALE' 'notroot: the listing still works, not STALE'
rm -f "$STATE/notroot"
# pfctl not root: spamdb -a is done, pfctl fails: "1 of 2 failed"
: >"$STATE/notroot.pfctl"
check 'cursor on 192.0.2.10' spamd_cursor_to 192.0.2.10
log_mark
keys w
wait_for_re '^Whitelist IP 192\.0\.2\.10 \(1 tuple\)\? \[y/N\]$'
keys y
actions_are 'spamdb -a 192.0.2.10
pfctl -t spamd-white -T add 192.0.2.10' 'pfctl not root: w runs both commands'
wait_for_re '1 of 2 failed: .*exit 1: pfctl: /dev/pf: Permission denied' 5
check 'pfctl not root: the WHITE record is written' grep -q '^WHITE|192\.0\.2\.10|' "$DB"
check 'pfctl not root: not in the table' test -z "$(grep -x '192\.0\.2\.10' "$TABLE")"
rm -f "$STATE/notroot.pfctl"
# noread: the listing fails: STALE, the error, the old rows
: >"$STATE/noread"
wait_for 'STALE: the last read failed' 6
wait_for 'cannot open /var/db/spamd for reading: Permission denied' 3
assert_screen 'spamdb: exit 1' 'the error names spamdb and its exit status'
assert_screen '192.0.2.20' 'STALE: the last rows are still shown'
spamd_wait_polls 2 8
check 'mhtop survives failing reads' alive "$MHTOP_PID"
assert_screen 'STALE: the last read failed' 'still STALE while spamdb fails'
rm -f "$STATE/noread"
wait_gone 'STALE' 6
wait_gone 'for reading: Permission denied' 3
assert_screen 'spamdb: 5 GREY' 'data again after spamdb recovers'

# --- w on addresses it makes no sense to whitelist: a warning in the
# question; a v4-mapped IPv6 tuple is whitelisted as the IPv4 it is
now=$(e2e_now)
{
	grey_line 10.1.2.3 mx.lan.example '<a@lan.example>' '<info@example.org>' \
	    $((now - 60)) $((now + 14340)) $((now + 14340))
	grey_line 127.0.0.1 localhost '<a@local.example>' '<info@example.org>' \
	    $((now - 60)) $((now + 14340)) $((now + 14340))
	grey_line ::ffff:198.51.100.7 mx.mapped.example '<a@mapped.example>' \
	    '<info@example.org>' $((now - 60)) $((now + 14340)) $((now + 14340))
} >"$E2E_DIR/special"
set_db "$E2E_DIR/special"
wait_for 'spamdb: 3 GREY' 5
check 'cursor on 10.1.2.3' spamd_cursor_to 10.1.2.3
log_mark
keys w
wait_for 'Whitelist IP 10.1.2.3 (1 tuple)? [y/N] 10.1.2.3 is a private address' 3
keys n
check 'cursor on 127.0.0.1' spamd_cursor_to 127.0.0.1
keys w
wait_for_re 'Whitelist IP 127\.0\.0\.1 \(1 tuple\)\? \[y/N\] 127\.0\.0\.1 is (a loopback address|an address of this relay)' 3
keys n
actions_are '' 'w n on a private and a loopback address: nothing runs'
# (the IP column cuts it: the row below 127.0.0.1, known by its helo)
cursor_on_mapped() {
	_i=0
	while [ $_i -lt 30 ]; do
		reverse_lines | grep -q 'mx\.mapped\.example' && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}
keys j
check 'cursor on ::ffff:198.51.100.7' cursor_on_mapped
keys w
wait_for 'Whitelist IP 198.51.100.7 (1 tuple)? [y/N]' 3
assert_no_screen 'IPv6: spamd drops' 'a v4-mapped address is not warned about as IPv6'
keys y
actions_are 'spamdb -a 198.51.100.7
pfctl -t spamd-white -T add 198.51.100.7' 'w y on ::ffff:198.51.100.7 whitelists 198.51.100.7'
# the same by domain: the warning names the address, the v4-mapped one
# is whitelisted as its IPv4
keys b
wait_for 'greylist by domain' 5
check 'cursor on lan.example' spamd_cursor_to lan.example
log_mark
keys w
wait_for 'Whitelist 1 address of lan.example? [y/N] 10.1.2.3 is a private address' 3
keys n
check 'cursor on mapped.example' spamd_cursor_to mapped.example
keys w
wait_for 'Whitelist 1 address of mapped.example? [y/N]' 3
keys y
actions_are 'spamdb -a 198.51.100.7
pfctl -t spamd-white -T add 198.51.100.7' 'w y on mapped.example whitelists 198.51.100.7'
keys b
keys q
check 'q quits' wait_exit 3
assert_eq "$(exit_status)" 0 'mhtop exited 0'
finish
