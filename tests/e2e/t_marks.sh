#!/bin/sh
# The marks before the rows (issue 15): what another pane, or spamdb's own
# listing, knows of a row, in one column after the tag mark.
#  - greylist: W on a tuple whose IP spamdb lists WHITE, T on one TRAPPED,
#    none on another;
#  - queue: V on the envelope of a message amavis judged (its queued_as),
#    none on one it did not;
#  - verdicts: Q on a verdict whose message is still queued, Z on one whose
#    message is in the quarantine;
#  - the help explains them and says which panes read for them; Enter on
#    a row says what its mark stands for;
#  - the pane the marks come from reads while the marked one is on
#    screen, and not while a pane without marks is; when it fails, the
#    header says the marks cannot be trusted.
. "${srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
E2E_COLS=200
E2E_LINES=50
need_tmux
e2e_init
trace_init
NOW=$TRACE_NOW
_at() { date -u -d "@$1" '+%b %e %H:%M:%S'; }
echo "TRAPPED|192.0.2.78|$((NOW + 3600))" >>"$DB"
# the message amavis passed on as aabbccdd (trace_init's verdict), queued
echo "aabbccdd00000001|inet4|mta||alice@sender.example|bob@example.org|bob@example.org|$((NOW - 1000))|$((NOW - 100))|0|1|pending|600|421 4.7.0 Try again later" >>"$QUEUE"
# a message amavis blocked, quarantined as S/spam-SkMBGGfgtCC1.gz
echo "$(_at $((NOW - 900))) mx amavis[4559]: (04559-02) Blocked SPAM {DiscardedInbound,Quarantined}, [127.0.0.1] [198.51.100.23] <spammer@spam.example> -> <bob@example.org>, quarantine: S/spam-SkMBGGfgtCC1.gz, Message-ID: <gtube-1@spam.example>, mail_id: SkMBGGfgtCC1, Hits: 1001.301, size: 494, 88 ms" >>"$ML"

start_mhtop
wait_for 'alice@sender.example'

# the greylist: spamdb's WHITE and TRAPPED lines of the same listing
keys 2
wait_for_re '^   IP +SEEN +STATE'
check 'greylist: W, its IP is whitelisted' on_screen_re '^ W 192\.0\.2\.77 ' 3
assert_screen_re '^ T 192\.0\.2\.78 ' 'greylist: T, its IP is trapped'
assert_screen_re '^   192\.0\.2\.79 ' 'greylist: no mark on a tuple of neither'
spamd_cursor_to 192.0.2.77
keys Enter
wait_for_re '^ mark +W  its IP is whitelisted: spamd lets it through'
keys q
keys '?'
wait_for 'Marks before the rows'
assert_screen_re '^  +W +its IP is whitelisted' 'help: W'
assert_screen_re '^  +T +its IP is trapped' 'help: T'
assert_no_screen 'read while this one is on screen' \
    'help: the greylist needs no other pane'
keys q

# the whitelist has no marks: the queue does not read for it
keys 3
wait_for_re '^ TYPE +ADDRESS'
sleep 1
log_mark
sleep 2.5
check 'on the whitelist: smtpctl does not run' \
    sh -c "! sed -n '$((E2E_MARK + 1)),\$p' '$LOG' | grep -q '^show queue'"

# the queue: V on the envelope amavis judged, from the verdicts pane
keys 1
check 'queue: V, amavis judged its message' \
    on_screen_re '^ V aabbccdd00000001 ' 10
assert_screen_re '^   1a2b3c4d5e6f7a8b ' 'queue: no mark on an envelope amavis did not judge'
keys '?'
wait_for 'Marks before the rows'
assert_screen_re '^  +V +amavis gave its message a verdict \(a goes to it\)' 'help: V'
assert_screen 'For them the verdicts pane reads while this one is on screen' \
    'help: the verdicts pane reads for them'
keys q

# the verdicts: Q, still queued (aabbccdd); Z, quarantined
keys 4
check 'verdicts: Q, its message is still queued' \
    on_screen_re '^ Q .*Passed CLEAN .*<alice@sender\.example>' 10
check 'verdicts: Z, its message is in the quarantine' \
    on_screen_re '^ Z .*Blocked SPAM .*<spammer@spam\.example>' 10
log_mark
sleep 2.5
check 'on the verdicts: smtpctl show queue runs, for the Q marks' \
    sh -c "sed -n '$((E2E_MARK + 1)),\$p' '$LOG' | grep -q '^show queue'"
keys '?'
wait_for 'For them the queue and the quarantine panes read while this one is on screen'
assert_screen_re '^  +Q +its message is still in smtpd.s queue' 'help: Q'
assert_screen_re '^  +Z +its message is in the quarantine' 'help: Z'
keys q
keys /
type_text 'Blocked'
keys Enter
wait_for_re '^ Z .*Blocked SPAM'
keys Enter
wait_for_re '^ mark +Z  its message is in the quarantine \(z goes to it\): SkMBGGfgtCC1'
keys q
keys Escape

# the queue fails: the Q marks cannot be trusted, and the header says so
printf 'this is not smtpctl\n' >"$STATE/garbage"
check 'a failed queue pane: the header says the Q marks are not known' \
    on_screen 'no Q marks: the queue pane failed' 10
rm -f "$STATE/garbage"
check 'the queue reads again: the header no longer says it' \
    off_screen 'no Q marks' 10
assert_screen_re '^ Q .*Passed CLEAN .*<alice@sender\.example>' \
    'the Q mark is back'
finish
