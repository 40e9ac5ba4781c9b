#!/bin/sh
# The C locale (OpenBSD's default when LC_CTYPE is unset): mhtop's own
# marks fall back to ASCII ("->", "+" for a cut cell, an ASCII sparkline),
# and UTF-8 from outside is shown escaped, in its column; in the queue
# and the verdicts pane.
. "${srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
# wide enough that the escaped sender is not cut
E2E_COLS=144
need_tmux
e2e_init
# a sender with UTF-8 in it
{
	printf 'eeeeeeee00000003|inet4|mta||j\303\274rgen@example.com|victim@example.net|victim@example.net|1795520000|1795520000|0|1|pending|360|plain error\n'
	cat "$FIXTURE14"
} >"$E2E_DIR/q"
set_queue "$E2E_DIR/q"
E2E_LANG=C
export E2E_LANG
start_mhtop
wait_for '15 envelopes' 10
wait_for_re '^ . ENVELOPE +AGE +NEXT TRIES TYPE +STATE +SENDER -> RECIPIENT +ERROR'
assert_screen 'alice@example.com -> bob@example' 'the arrow between sender and recipient is "->"'
assert_no_screen '\xe2' 'none of mhtop'"'"'s own glyphs comes out as escaped bytes'
assert_screen 'j\xc3\xbcrgen@example.com' 'UTF-8 from outside is shown escaped'
# the escaped sender does not push the columns: the row's ERROR column
# starts where the header's does
hdr=$(screen | grep '^ . ENVELOPE' | awk '{ print index($0, "ERROR") }')
row=$(screen | grep '^ . eeeeeeee00000003' | awk '{ print index($0, "plain error") }')
assert_eq "$row" "$hdr" 'the columns stay aligned after an escaped sender'
tm resize-window -t e2e -x 100 -y 30
check 'a cut cell ends in "+", not an escaped "…"' on_screen_re '^ . 0862d5e211583af9 .*\+ *$' 3
assert_no_screen '\xe2' 'cut, none of mhtop'"'"'s own glyphs comes out as escaped bytes'
keys 2
wait_for 'spamdb:' 10
keys q
check 'q quits' wait_exit 3

# and in UTF-8 the same screen uses the real glyphs
E2E_LANG=C.UTF-8
start_mhtop
# (the titles are drawn before the first read: wait for the rows)
wait_for '15 envelopes' 10
wait_for_re '^ . ENVELOPE +AGE +NEXT TRIES TYPE +STATE +SENDER → RECIPIENT +ERROR' 10
check 'UTF-8: the arrow is "→"' on_screen 'alice@example.com → bob@example.' 5
assert_screen 'jürgen@example.com' 'UTF-8: the sender as it is'
keys q
check 'q quits' wait_exit 3

# the verdicts pane: the same arrow; a sender with an arrow of its own
# (a quoted local part) keeps it, escaped where it must be
ML=$E2E_DIR/maillog
{
	echo 'Nov 24 12:58:00 mx amavis[1]: (00001-01) Passed CLEAN {RelayedInbound}, [127.0.0.1] [192.0.2.7] <a@sender.example> -> <b@example.org>, mail_id: M1, Hits: 1.3, size: 476, 81 ms'
	printf 'Nov 24 12:59:00 mx amavis[1]: (00001-02) Passed CLEAN {RelayedInbound}, [127.0.0.1] [192.0.2.8] <"x\342\206\222y"@sender.example> -> <c@example.org>, mail_id: M2, Hits: 1.3, size: 476, 81 ms\n'
} >"$ML"
write_conf "maillog $ML"
E2E_LANG=C
E2E_COLS=200 start_mhtop -p verdicts
wait_for_re '^ . TIME- +VERDICT +HITS +CLIENT IP +SENDER -> RECIPIENT ' 10
# (the titles come before the rows: wait for them)
check 'C, verdicts: the arrow is "->"' \
    on_screen '<a@sender.example> -> <b@example.org>' 5
check 'C, verdicts: the sender'"'"'s own arrow escaped, ours "->"' \
    on_screen '<"x\xe2\x86\x92y"@sender.example> -> <c@example.org>' 5
keys q
check 'q quits' wait_exit 3
E2E_LANG=C.UTF-8
E2E_COLS=200 start_mhtop -p verdicts
wait_for_re '^ . TIME- +VERDICT +HITS +CLIENT IP +SENDER → RECIPIENT ' 10
check 'UTF-8, verdicts: the arrow is "→"' \
    on_screen '<a@sender.example> → <b@example.org>' 5
check 'UTF-8, verdicts: the sender as it is' \
    on_screen '<"x→y"@sender.example> → <c@example.org>' 5
keys q
check 'q quits' wait_exit 3
finish
