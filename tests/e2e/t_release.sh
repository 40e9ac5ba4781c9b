#!/bin/sh
# r in the quarantine pane, against the fake amavisd-release (answers as
# the captured amavisd-release 2.002 does, records its argv):
#  - the question names the file, whom it was for and why it is held; n
#    runs nothing;
#  - y runs "amavisd-release QPATH" with the path as amavis logs it, and
#    the outcome is read from amavisd's reply, not from the exit status:
#    released (250) or refused (450, exit 0);
#  - the socket gone, and not allowed to use it (with the doas rule);
#  - tagged rows: one command each;
#  - names amavisd would refuse never reach an argv.
. "${srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
E2E_COLS=200
need_tmux
e2e_init
# newest first: S/spam, then T/banned, then the rest
quarantine_init 7200
quarantined_ago S/spam-SkMBGGfgtCC1.gz 60
quarantined_ago T/banned-TAYXXZ5O1Yva 120
amavis_release_init
write_conf "quarantine $Q" "amavisd-release $E2E_DIR/bin/amavisd-release"
start_mhtop -p quarantine
check 'the quarantine pane' on_screen_re '^ +1m[0-9]+s spam +SkMBGGfgtCC1 ' 10

# --- the question, and n
keys r
check 'r asks, naming the file, whom it was for and why' \
    on_screen 'Release message S/spam-SkMBGGfgtCC1.gz (<spammer@spam.example> → <bob@example.org>, spam 1001.3)? [y/N]' 3
keys n
check 'n: cancelled' on_screen 'cancelled: nothing changed' 3
assert_eq "$(releases)" '' 'n: amavisd-release did not run'

# --- y: released, as amavisd's reply says
keys r
on_screen '[y/N]' 3
keys y
check 'y: amavisd-release QPATH, the path as amavis logs it' \
    wait_releases 'amavisd-release S/spam-SkMBGGfgtCC1.gz'
check 'the outcome: released, and where it went' \
    on_screen 'released to 1 recipient, queued as 5e6b0001: S/spam-SkMBGGfgtCC1.gz' 5
assert_eq "$(cat "$AM/released")" 'S/spam-SkMBGGfgtCC1.gz bob@example.org ' \
    'the fake released it to its recipient'

# --- refused by amavisd: exit 0, and yet not released
mv "$Q/S/spam-SkMBGGfgtCC1.gz" "$E2E_DIR/aside.gz"
run_env FAKE_QUARANTINE "$E2E_DIR/elsewhere"
: >"$RLOG"
keys q
wait_exit 3
start_mhtop -p quarantine
on_screen_re '^ +2m[0-9]+s banned +TAYXXZ5O1Yva ' 10
keys r
check 'r on the banned one names its part' \
    on_screen 'Release message T/banned-TAYXXZ5O1Yva (<alice@sender.example> → <bob@example.org>, banned application/octet-stream,invoice.pdf.exe)? [y/N]' 3
keys y
check 'refused: amavisd-release ran' wait_releases 'amavisd-release T/banned-TAYXXZ5O1Yva'
check 'refused: said so, from the reply, though it exited 0' \
    on_screen "amavisd-release T/banned-TAYXXZ5O1Yva: amavisd refused: 450 4.5.0 Failure: File $E2E_DIR/elsewhere/T/banned-TAYXXZ5O1Yva does not exist" 5
assert_no_screen 'released to' 'refused: never "released"'
run_env FAKE_QUARANTINE "$Q"

# --- amavisd stopped: the socket is gone
touch "$AM/stopped"
keys q
wait_exit 3
start_mhtop -p quarantine
on_screen_re ' banned +TAYXXZ5O1Yva ' 10
keys r
on_screen '[y/N]' 3
keys y
check 'socket gone: the error, with its exit status' \
    on_screen "exit 2: Can't connect to UNIX socket /var/lib/amavis/amavisd.sock: No such file or directory" 5
rm "$AM/stopped"

# --- not allowed to use the socket: the doas rule that would allow it
touch "$AM/notroot"
keys r
on_screen '[y/N]' 3
keys y
check 'not allowed: the error' on_screen_re 'exit 13: .*Permission denied' 5
tm resize-window -t e2e -x 400 -y 30
check '... and the doas rule, without args (the path varies)' \
    on_screen_re "permit nopass [a-z0-9_]+ as root cmd $E2E_DIR/bin/amavisd-release" 3
tm resize-window -t e2e -x 200 -y 30
rm "$AM/notroot"

# --- tagged: one command each
: >"$RLOG"
keys g Space Space
on_screen '2 tagged' 3
keys r
check 'tagged: the question counts them' on_screen_re 'Release 2 messages .*\? \[y/N\]' 3
keys y
check 'tagged: one command each' wait_releases "$(printf '%s\n' \
    'amavisd-release B/spam-B5fImf5nWYiP.gz' \
    'amavisd-release T/banned-TAYXXZ5O1Yva' | sort)"
check 'tagged: the outcome counts what was released' \
    on_screen_re '^2 done, the last released to 1 recipient, queued as [0-9a-f]{8}: B/spam-B5fImf5nWYiP.gz and T/banned-TAYXXZ5O1Yva; tags cleared' 3
keys q
wait_exit 3

# --- names amavisd would refuse: shown, never released
for bad in 'spam-$(touch pwned).gz' '-rf' 'a b' 'spam-x;ls'; do
	printf 'X-Envelope-From: <x@example.org>\nX-Envelope-To: <y@example.org>\nSubject: bad name\n\nbody\n' \
	    >"$Q/$bad"
	touch -d "@$(e2e_now)" "$Q/$bad"
done
: >"$RLOG"
start_mhtop -p quarantine
check 'the badly named files are shown' on_screen 'bad name' 10
for i in 1 2 3 4; do
	keys r
	check "bad name $i: refused, saying why" \
	    on_screen_re 'refusing: .*not a valid id' 3
	keys Escape j
done
sleep 1
assert_eq "$(releases)" '' 'no badly named file reached amavisd-release'
test ! -e "$E2E_DIR/pwned" && test ! -e "$Q/pwned"
check 'nothing was run through a shell' test ! -e pwned
keys q
wait_exit 3
finish
