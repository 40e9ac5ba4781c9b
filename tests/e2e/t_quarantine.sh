#!/bin/sh
# The quarantine pane (5) on the captured quarantine of amavisd-new 2.13
# (hashed layout, and flat):
#  - -b -p quarantine: the TSV, newest first, every captured file;
#  - the pane: its columns, one row per file with type, quarantine id,
#    sender and recipient, subject and reason; the header counts by type
#    and the file system's free space;
#  - a file amavis adds shows within a read, one removed goes;
#  - / finds a row by its quarantine id;
#  - a release amavis logged marks its row, whoever asked for it, with
#    what became of the copy; the detail view tells the copy's story;
#  - a quarantine that is not there says so, and not "nothing quarantined".
. "${srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
E2E_COLS=160
E2E_LINES=50
need_tmux
e2e_init
# quarantined over the last hours, on the test's clock: newest is T/banned
quarantine_init 3600
quarantined_ago T/banned-TAYXXZ5O1Yva 120
nfiles=$QFILES
# amavis released SkMBGGfgtCC1 5 minutes ago, and smtpd delivered the copy
# (maillog-mixed.txt's release, its times moved to the test's clock)
ML=$E2E_DIR/maillog
at() { date -u -d "@$1" '+%b %e %H:%M:%S'; }
REL=$(($(e2e_now) - 300))
release_log() { # TIME MAILID RELID MSGID
	echo "$(at "$1") mx amavis[8552]: (rel-$3) Quarantined message release (miscategorized): $2 <spammer@spam.example> -> <bob@example.org>"
	echo "$(at "$1") mx smtpd[8350]: 7da64a60030e07c7 smtp connected address=127.0.0.1 host=localhost"
	echo "$(at "$1") mx smtpd[8350]: 7da64a60030e07c7 smtp message msgid=$4 size=1351 nrcpt=1 proto=ESMTP"
	echo "$(at "$1") mx smtpd[8350]: 7da64a60030e07c7 smtp envelope evpid=${4}caa12b78 from=<spammer@spam.example> to=<bob@example.org>"
	echo "$(at "$1") mx smtpd[8350]: 7da64a60030e07c7 smtp disconnected reason=disconnect"
}
delivered_log() { # TIME MSGID
	echo "$(at "$1") mx smtpd[8350]: 7da64a5c00ed7daa mta delivery evpid=${2}caa12b78 from=<spammer@spam.example> to=<bob@example.org> rcpt=<-> source=\"127.0.0.1\" relay=\"127.0.0.1 (localhost)\" delay=0s result=\"Ok\" stat=\"250 2.0.0 9e9ee0ca Message accepted for delivery\""
}
{
	# its verdict, from amavis-file-short.log: the client is 198.51.100.23
	echo "$(at $((REL - 60))) mx.example.org /usr/sbin/amavisd[4559]: (04559-04) Blocked SPAM {DiscardedInbound,Quarantined}, [127.0.0.1] [198.51.100.23] <spammer@spam.example> -> <bob@example.org>, quarantine: S/spam-SkMBGGfgtCC1.gz, Message-ID: <gtube-1@spam.example>, mail_id: SkMBGGfgtCC1, Hits: 1001.301, size: 494, 88 ms"
	release_log $REL SkMBGGfgtCC1 Ms_BSdKTh5OW 24b95bcc
	delivered_log $REL 24b95bcc
} >"$ML"
# W whitelists in spamd through the fakes
ln -s "$E2E_SRC/tests/fake/spamdb" "$E2E_DIR/bin/spamdb"
ln -s "$E2E_SRC/tests/fake/pfctl" "$E2E_DIR/bin/pfctl"
: >"$STATE/db"
: >"$STATE/table"
run_env FAKE_SPAMD_DIR "$STATE"
# SpamAssassin's rule descriptions, as its 20_*.cf files write them: the
# test must not depend on whether the machine has SpamAssassin
mkdir -p "$E2E_DIR/sa/updates"
printf '%s\n' 'describe GTUBE	Generic Test for Unsolicited Bulk Email' \
    'describe RCVD_ILLEGAL_IP	Received: contains illegal IP address' \
    >"$E2E_DIR/sa/updates/20_head_tests.cf"
SPAMD_CONF="spamdb $E2E_DIR/bin/spamdb
pfctl $E2E_DIR/bin/pfctl
sa-rules $E2E_DIR/sa"
write_conf "quarantine $Q" "maillog $ML" "$SPAMD_CONF"

# --- batch
"$MHTOP" -b -p quarantine -f "$CONF" >"$E2E_DIR/batch.out" \
    2>"$E2E_DIR/batch.err" </dev/null
assert_eq "$?" 0 '-b -p quarantine exits 0'
T=$(printf '\t')
assert_eq "$(head -n 1 "$E2E_DIR/batch.out")" \
    "mtime${T}qpath${T}type${T}mail_id${T}score${T}from${T}to${T}subject${T}reason${T}released" \
    '-b: the header line'
assert_eq "$(sed 1d "$E2E_DIR/batch.out" | wc -l | tr -d ' ')" "$nfiles" \
    "-b: one row per file ($nfiles)"
assert_eq "$(sed -n 2p "$E2E_DIR/batch.out" | cut -f2-4,9)" \
    "T/banned-TAYXXZ5O1Yva${T}banned${T}TAYXXZ5O1Yva${T}application/octet-stream,invoice.pdf.exe" \
    '-b: the newest first, a banned one with its part'
assert_eq "$(grep "${T}H/virus-Hq6HALeqjsU1${T}" "$E2E_DIR/batch.out" | cut -f3,6,7,8,9)" \
    "virus${T}alice@sender.example${T}bob@example.org${T}EICAR test${T}Eicar-Test-Signature" \
    '-b: a virus: sender, recipient, subject, the virus'
assert_eq "$(grep "${T}S/spam-SkMBGGfgtCC1.gz${T}" "$E2E_DIR/batch.out" | cut -f3,4)" \
    "spam${T}SkMBGGfgtCC1" '-b: a gzipped spam in its hashed directory'
check '-b: a spam has its score' sh -c "grep '${T}S/spam-SkMBGGfgtCC1.gz${T}' '$E2E_DIR/batch.out' | cut -f5 | grep -qE '^[0-9]+\\.[0-9]$'"
assert_eq "$(cut -f1 "$E2E_DIR/batch.out" | sed 1d | sort -rn | tr '\n' ' ')" \
    "$(cut -f1 "$E2E_DIR/batch.out" | sed 1d | tr '\n' ' ')" '-b: newest first'
assert_eq "$(grep "${T}S/spam-SkMBGGfgtCC1.gz${T}" "$E2E_DIR/batch.out" | cut -f10)" \
    "$REL" '-b: released, when amavis logged it (epoch)'
assert_eq "$(cut -f10 "$E2E_DIR/batch.out" | sed 1d | grep -c .)" 1 \
    '-b: no other message released'
assert_eq "$(cat "$E2E_DIR/batch.err")" "" '-b: nothing on stderr'
# no mail log: the rows all the same, and a word on stderr
write_conf "quarantine $Q" "maillog $E2E_DIR/nomaillog"
"$MHTOP" -b -p quarantine -f "$CONF" >"$E2E_DIR/batch2.out" \
    2>"$E2E_DIR/batch.err" </dev/null
assert_eq "$?" 0 '-b without a mail log exits 0'
assert_eq "$(sed 1d "$E2E_DIR/batch2.out" | wc -l | tr -d ' ')" "$nfiles" \
    "-b without a mail log: every file"
assert_eq "$(cat "$E2E_DIR/batch.err")" \
    "mhtop: the quarantine rows are not joined with the verdicts: maillog $E2E_DIR/nomaillog: No such file or directory" \
    '-b without a mail log: said on stderr'
write_conf "quarantine $Q" "maillog $ML" "$SPAMD_CONF"

# --- the pane
start_mhtop
wait_for '14 envelopes' 10
keys 5
check 'the quarantine pane, newest first' on_screen_re '^ +AGE- TYPE +QUARANTINE ID +HITS SENDER → RECIPIENT +SUBJECT +REASON +RELEASED *$' 10
check 'the header counts the messages by type' \
    on_screen_re "^quarantine: $nfiles messages, [0-9]+ [KM]?B: spam [0-9]+ \\(" 5
check 'the path and its file system' on_screen_re "^$Q, its file system: "'[0-9]+ [KMG]?B free of [0-9]+ [KMG]?B \([0-9]+% used\)' 3
check 'the newest on top: the banned invoice' \
    on_screen_re '^ +2m[0-9]+s banned +TAYXXZ5O1Yva +- +<alice@sender.example> → <bob@example.org> +Your invoice +application/oct.*invoice\.pdf\.exe' 3
check 'a virus with its name' on_screen_re ' virus +Hq6HALeqjsU1 .* Eicar-Test-Signature' 3
check 'a bad header with its kind' on_screen_re ' bad header +[A-Za-z0-9_-]+ .*Duplicate header.*"Subject"' 3
check 'the released spam: its copy delivered' on_screen_re ' spam +SkMBGGfgtCC1 .* delivered *$' 5
check 'no other row released' test "$(screen | grep -cE ' (delivered|released|deferred|bounced) *$')" -eq 1
# released outside mhtop, while the pane is on: marked within a read, then
# its copy's delivery
release_log $(($(e2e_now) - 2)) G9XRkh5YWYaI R2_BSdKTh5OW 4b95bcc2 >>"$ML"
check 'a release logged by amavis marks its row' on_screen_re ' spam +G9XRkh5YWYaI .* released *$' 5
delivered_log $(e2e_now) 4b95bcc2 >>"$ML"
check '... then its copy delivered' on_screen_re ' spam +G9XRkh5YWYaI .* delivered *$' 5

# a file amavis adds shows, one removed goes
cp "$Q/H/virus-Hq6HALeqjsU1" "$Q/H/.tmp"
mv "$Q/H/.tmp" "$Q/H/virus-HnewNEWnew12"
check 'a new file shows within a read' on_screen 'HnewNEWnew12' 5
rm "$Q/T/banned-TAYXXZ5O1Yva"
check 'a removed file goes' off_screen 'TAYXXZ5O1Yva' 5
check 'the header counts it' on_screen_re "^quarantine: $nfiles messages" 3

# / finds a row by its file's name, which the screen does not show
keys /
type_text S/spam-SkMBGGfgtCC1.gz
keys Enter
check '/ by file name: one row' on_screen 'filter: S/spam-SkMBGGfgtCC1.gz (1 of' 3
check '... the spam' on_screen_re ' spam +SkMBGGfgtCC1 ' 3
keys Escape
# / finds a row by its quarantine id
keys /
type_text SkMBGGfgtCC1
keys Enter
check '/ by quarantine id: one row' on_screen 'filter: SkMBGGfgtCC1 (1 of' 3
check '... the spam' on_screen_re ' spam +SkMBGGfgtCC1 ' 3
# Enter: what amavis wrote above it, the message's header, the tests
keys Enter
check 'Enter: the details of S/spam-SkMBGGfgtCC1.gz' on_screen_re '^ qpath +S/spam-SkMBGGfgtCC1\.gz' 5
check 'Enter: the blocked recipient' on_screen_re '^ +blocked for +<bob@example\.org>' 3
check "Enter: SpamAssassin's status" on_screen_re '^ +spam status +Yes, score=1001\.301 ' 3
check "Enter: the message's own From" on_screen_re '^ +From: +Spammer <spammer@spam\.example>' 3
check 'Enter: the tests, with their scores' on_screen_re '^ +1000\.000 +GTUBE +Generic Test for Unsolicited Bulk Email$' 3
check 'Enter: a test no rule file describes, bare' on_screen_re '^ +0\.001 +TVD_SPACE_RATIO$' 3
check 'Enter: its MIME structure' on_screen_re '^ +text/plain; charset=us-ascii, [0-9]+ bytes' 3
keys G
check 'Enter: a preview of its text' on_screen 'XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X' 3
check 'Enter: released, by amavis, for whom' on_screen_re "^ +released +$(date -u -d "@$REL" '+%Y-%m-%d %H:%M:%S') by amavis \(rel-Ms_BSdKTh5OW, miscategorized\) for <bob@example\.org>" 3
check 'Enter: its copy, delivered' on_screen_re '^ +its copy +smtpd message 24b95bcc: delivered' 3
check "Enter: its verdict, with the client" on_screen_re '^ +received from 198\.51\.100\.23' 3
check "Enter: the copy's smtpd lines" on_screen_re '^ +[0-9:]{8} smtpd: 7da64a5c00ed7daa mta delivery evpid=24b95bcccaa12b78 from=<spammer@spam\.example> ' 3
keys q
# W: the client that sent it, whitelisted in spamd, after a question
keys W
check 'W asks, naming the client IP and the message' \
    on_screen 'Whitelist client IP 198.51.100.23 (1 message)? [y/N]' 3
keys y
check 'y: spamdb -a, then pfctl -T add' wait_log 'pfctl -t spamd-white -T add 198.51.100.23' 5
assert_eq "$(grep -E '^(spamdb|pfctl) ' "$LOG" | tail -n 2 | tr '\n' '|')" \
    'spamdb -a 198.51.100.23|pfctl -t spamd-white -T add 198.51.100.23|' \
    'W: exactly the two commands'
keys Escape
# W on a message with no verdict in the log: refused, saying why
keys /
type_text G9XRkh5YWYaI
keys Enter
keys W
check 'W without a verdict: refused, saying why' \
    on_screen 'refusing: message G/spam-G9XRkh5YWYaI.gz: its client is not known: no verdict about it in the mail log' 3
keys Escape
# an attachment is named, never opened
keys /
type_text Mem07qnqRqvI
keys Enter
keys Enter
check 'Enter on a banned message: the attachment named' \
    on_screen_re '^ +application/octet-stream "invoice\.pdf\.exe" \(attachment, base64, [0-9]+ bytes\)' 5
keys q
keys Escape
keys q
check 'q quits' wait_exit 3

# --- no quarantine there: said, not an empty pane
write_conf "quarantine $E2E_DIR/nonexistent" "maillog $ML"
start_mhtop -p quarantine
check 'a missing quarantine says so' \
    on_screen "no quarantine: cannot read $E2E_DIR/nonexistent: No such file or directory (quarantine in mhtop.conf)" 10
assert_no_screen 'no quarantined messages' 'not "no quarantined messages"'
keys q
check 'q quits' wait_exit 3
"$MHTOP" -b -p quarantine -f "$CONF" >/dev/null 2>"$E2E_DIR/batch.err" </dev/null
assert_eq "$?" 1 '-b with no quarantine exits 1'
assert_eq "$(cat "$E2E_DIR/batch.err")" \
    "mhtop: cannot read $E2E_DIR/nonexistent: No such file or directory" \
    '-b: the reason on stderr'

# --- an empty quarantine is not a missing one
mkdir "$E2E_DIR/empty"
write_conf "quarantine $E2E_DIR/empty"
start_mhtop -p quarantine
check 'an empty quarantine says so' on_screen "no quarantined messages in $E2E_DIR/empty" 10
keys q
check 'q quits' wait_exit 3

# --- jumps, on the demo: a from a quarantined message to its verdict, z
# from the verdict back to the quarantined copy
export TMPDIR="$E2E_DIR/tmp"
mkdir "$TMPDIR"
start_mhtop --demo
wait_for_re '^mhtop \[demo\]' 10
keys 5
check 'the demo quarantine' on_screen_re '^quarantine: [1-9][0-9]* messages' 10
# not the newest: its verdict may still be on its way to the log
keys j j
sleep 0.5
id=$(reverse_lines | grep -v 'QUARANTINE ID' | grep -oE ' [A-Za-z0-9_-]{12} ' | head -n 1 | tr -d ' ')
check "the cursor row's quarantine id ($id)" test -n "$id"
keys a
check "a: to its verdict (mail_id $id)" on_screen_re '^ . TIME- +VERDICT' 10
check 'a: the status names what it found' on_screen "mail_id $id" 5
keys Enter
check "Enter: the verdict's detail names the same id" on_screen_re "mail_id:? +$id" 5
keys q
keys z
check 'z: back in the quarantine pane' on_screen_re '^ +AGE- TYPE +QUARANTINE ID' 10
sleep 0.5
if reverse_lines | grep -v 'QUARANTINE ID' | head -n 1 | grep -q " $id "; then
	ok "z: the cursor is on $id again"
else
	fail "z: the cursor is not on $id: [$(reverse_lines | head -n 2)]"
fi
keys q
check 'q quits' wait_exit 3
finish
