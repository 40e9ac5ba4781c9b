#!/bin/sh
# o in the quarantine pane: release to another ("other") address.  A, which
# the issue named, is the global "tag every row", and T is the trace view
# issue 15 plans for every pane.  Against the fake
# amavisd-release (answers alternate recipients as the captured one does,
# one 250 line each, and records its argv):
#  - o asks "Release MAIL_ID to which address?"; Esc runs nothing;
#  - an address amavisd-release could misread is refused on the prompt,
#    saying why, before any argv;
#  - the confirmation names the message (sender, original recipients,
#    reason) and the new address; n runs nothing;
#  - y runs "amavisd-release QPATH ADDR", and the outcome names the address
#    and the message;
#  - a banned file; tagged rows: one command each, the same address;
#  - with -r nothing runs, and what would have is said;
#  - r on a file amavisd finds no recipient in: its 250 is no release.
. "${srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
E2E_COLS=200
need_tmux
e2e_init
# newest first: S/spam, then T/banned, then the rest
quarantine_init 7200
quarantined_ago S/spam-SkMBGGfgtCC1.gz 60
quarantined_ago T/banned-TAYXXZ5O1Yva 120
amavis_release_init
# the fake logs the release and its copy, as amavis and smtpd do
ML=$E2E_DIR/maillog
: >"$ML"
run_env FAKE_MAILLOG "$ML"
write_conf "quarantine $Q" "amavisd-release $E2E_DIR/bin/amavisd-release" \
    "maillog $ML"
start_mhtop -p quarantine
check 'the quarantine pane' on_screen_re '^ +1m[0-9]+s spam +SkMBGGfgtCC1 ' 10

# --- the question; Esc
keys o
check 'o asks for the address, naming the mail_id' \
    on_screen 'Release SkMBGGfgtCC1 to which address?' 3
keys Escape
check 'Esc: cancelled' on_screen 'cancelled: nothing changed' 3

# --- addresses amavisd-release could misread: refused on the prompt
keys o
on_screen 'to which address?' 3
for bad in "-alt@example.net|it starts with '-'" \
    "alt example.net|a space or control character in it" \
    "alt|no '@' in it" \
    "<alt@example.net>|a character an unquoted local part may not have" \
    "alt@example.net;ls|the domain is not a host name"; do
	keys C-u
	type_text "${bad%%|*}"
	keys Enter
	check "refused on the prompt: ${bad%%|*}" \
	    on_screen "Release SkMBGGfgtCC1 to which address? ${bad%%|*}  not an address to release to: ${bad#*|}" 3
done
keys BSpace
check 'an edit clears the complaint' \
    off_screen 'not an address to release to' 3
keys Escape
on_screen 'cancelled: nothing changed' 3
sleep 0.5
assert_eq "$(releases)" '' 'no refused address reached amavisd-release'

# --- the confirmation, and n
keys o
on_screen 'to which address?' 3
type_text 'alt@example.net'
keys Enter
check 'the confirmation names the message and the new address' \
    on_screen 'Release message S/spam-SkMBGGfgtCC1.gz to alt@example.net (<spammer@spam.example> → <bob@example.org>, spam 1001.3)? [y/N]' 3
keys n
check 'n: cancelled' on_screen 'cancelled: nothing changed' 3
sleep 0.5
assert_eq "$(releases)" '' 'n: amavisd-release did not run'

# --- y: amavisd-release QPATH ADDR
keys o
on_screen 'to which address?' 3
type_text 'alt@example.net'
keys Enter
on_screen '[y/N]' 3
keys y
check 'y: amavisd-release QPATH ADDR, nothing else' \
    wait_releases 'amavisd-release S/spam-SkMBGGfgtCC1.gz alt@example.net'
check 'the outcome names the address and the message' \
    on_screen 'released to alt@example.net, queued as 5e6b0001: S/spam-SkMBGGfgtCC1.gz' 5
assert_eq "$(cat "$AM/released")" 'S/spam-SkMBGGfgtCC1.gz alt@example.net' \
    'the fake released it to the address, not to bob'

# --- a banned file
: >"$RLOG"
keys j
keys o
check 'o on the banned file' \
    on_screen 'Release TAYXXZ5O1Yva to which address?' 3
type_text 'carol@example.org'
keys Enter
check 'its confirmation names its part' \
    on_screen 'Release message T/banned-TAYXXZ5O1Yva to carol@example.org (<alice@sender.example> → <bob@example.org>, banned application/octet-stream,invoice.pdf.exe)? [y/N]' 3
tm resize-window -t e2e -x 100 -y 30
check 'a narrow screen cuts the label, not the address nor the [y/N]' \
    on_screen_re '^Release message T/banned-TAYXXZ5O1Yva to carol@example.org \(<alice@sender.example> → <bob@e.*…\? \[y/N\] *$' 3
tm resize-window -t e2e -x 200 -y 30
check 'wide again: the question whole (a resize is no answer: y below)' \
    on_screen 'invoice.pdf.exe)? [y/N]' 3
keys y
check 'banned: amavisd-release QPATH ADDR' \
    wait_releases 'amavisd-release T/banned-TAYXXZ5O1Yva carol@example.org'
check 'banned: released to the address' \
    on_screen 'released to carol@example.org, queued as 5e6b0002: T/banned-TAYXXZ5O1Yva' 5
# amavis logs the release for bob, the copy goes to carol: its msgid, from
# amavisd-release's reply, ties it to the row
check 'the banned row: its copy delivered' \
    on_screen_re ' banned +TAYXXZ5O1Yva .* delivered *$' 10

# --- tagged: one command each, the same address
: >"$RLOG"
keys g Space Space
on_screen '2 tagged' 3
keys o
check 'tagged: the question counts them' \
    on_screen 'Release 2 messages to which address?' 3
type_text 'postmaster@example.org'
keys Enter
check 'tagged: the confirmation names them and the address' \
    on_screen 'Release 2 messages S/spam-SkMBGGfgtCC1.gz and T/banned-TAYXXZ5O1Yva to postmaster@example.org? [y/N]' 3
keys y
check 'tagged: one command each, the same address' wait_releases "$(printf '%s\n' \
    'amavisd-release S/spam-SkMBGGfgtCC1.gz postmaster@example.org' \
    'amavisd-release T/banned-TAYXXZ5O1Yva postmaster@example.org' | sort)"
check 'tagged: the outcome' \
    on_screen_re '^2 done, the last released to postmaster@example.org, queued as [0-9a-f]{8}: S/spam-SkMBGGfgtCC1.gz and T/banned-TAYXXZ5O1Yva; tags cleared' 3

# --- help
keys '?'
check 'help: o, and that it asks' \
    on_screen 'o                    release to another address: amavisd-release QPATH ADDR, asks first' 3
keys q
keys q
wait_exit 3

# --- read-only: asked, then said, never run
: >"$RLOG"
start_mhtop -r -p quarantine
on_screen_re ' spam +SkMBGGfgtCC1 ' 10
keys o
on_screen 'to which address?' 3
type_text 'alt@example.net'
keys Enter
check '-r: what it would have run' \
    on_screen "read-only mode (-r): did not run: $E2E_DIR/bin/amavisd-release S/spam-SkMBGGfgtCC1.gz alt@example.net" 3
sleep 0.5
assert_eq "$(releases)" '' '-r: amavisd-release did not run'
keys q
wait_exit 3

# --- r on a file without recipients: amavisd's 250 released nothing
mkdir -p "$Q/N"
printf 'X-Envelope-From: <x@example.org>\nX-Quarantine-ID: <NoRcptNoRcpt>\nSubject: no recipient\n\nbody\n' \
    >"$Q/N/banned-NoRcptNoRcpt"
touch -d "@$(e2e_now)" "$Q/N/banned-NoRcptNoRcpt"
: >"$RLOG"
start_mhtop -p quarantine
on_screen 'no recipient' 10
keys r
on_screen '[y/N]' 3
keys y
check 'no recipient: not called a release' \
    on_screen 'amavisd-release N/banned-NoRcptNoRcpt: amavisd released it to no one: No recipients, nothing to do' 5
keys q
wait_exit 3
finish
