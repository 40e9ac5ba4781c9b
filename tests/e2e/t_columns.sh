#!/bin/sh
# Columns by priority: a narrow screen drops what each pane gives up first
# and keeps the row's identity (the recipient in the queue, the address in
# the whitelist), and a cut cell keeps what tells most (the domain of an
# address, the reason of an SMTP reply).  At 160x45, 80x24 and 40x10.
. "${srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
need_tmux
e2e_init

size() { # COLS LINES
	tm resize-window -t e2e -x "$1" -y "$2"
}

# characters, not bytes: the arrow and the cut mark are one column each
narrow_enough() { # WIDTH
	screen | while IFS= read -r _l; do
		[ "$(printf '%s' "$_l" | LC_ALL=C.UTF-8 wc -m)" -le "$1" ] ||
		    exit 1
	done
}

RCPTS="bob@example.net victor@[127.0.0.2] nobody@tempfail.test
postmaster@example.net trent@example.com heidi@greylist.test erin@example.org
frank@other.example dave@example.org MixedCase@Example.NET judy@hang.test
o'neil@example.com"

every_recipient() { # WHERE
	_missing=
	for _r in $RCPTS; do
		screen | grep -qF -- "→ $_r" || _missing="$_missing $_r"
	done
	assert_eq "$_missing" '' "$1: every recipient whole, after its arrow"
}

# --- the queue at 160x45: every column
E2E_COLS=160 E2E_LINES=45 start_mhtop
wait_for '14 envelopes' 10
check '160x45: every column' on_screen_re '^ . ENVELOPE +AGE +NEXT TRIES TYPE +STATE +SENDER → RECIPIENT +ERROR *$'
assert_screen 'UPPER.Case@Example.COM → MixedCase@Example.NET' '160x45: sender and recipient whole'
# (beside a 60-column recipient, the error loses its enhanced code first)
assert_screen_re '451 (4\.7\.1 )?Greylisted \| try again later' '160x45: the reply'
every_recipient 160x45

# --- 80x24: type, tries and next try go; the route and the error stay
size 80 24
check '80x24: envelope, age, state, route, error' \
    on_screen_re '^ . ENVELOPE +AGE STATE +SENDER → RECIPIENT +ERROR *$' 3
every_recipient 80x24
# a long recipient keeps its domain's end, not its local part's start
assert_screen_re '^ . 82f7113b5a9de746 .*…[a-z0-9.]*\.sub11\.example\.org ' \
    '80x24: a long recipient keeps the end of its domain'
# a sender that does not fit gives way to the recipient, from the left
assert_screen_re '^ . 0862d5e211583af9 .*(…|alice@)[a-z.]* → bob@example\.net ' \
    '80x24: the sender is cut before the recipient'
# the enhanced status code goes before the reply's text
assert_screen_re '^ . 8f9f6e4456c53f2d .* 451 Greylisted( |…)' \
    '80x24: "451 4.7.1 Greylisted" shows as "451 Greylisted"'
check '80x24: no line wider than the screen' narrow_enough 80

# --- 40x10: the age and the route
size 40 10
check '40x10: the age and the route' on_screen_re '^ +AGE SENDER → RECIPIENT$' 3
check '40x10: a recipient whole' on_screen '→ bob@example.net' 3
check '40x10: no line wider than the screen' narrow_enough 40
keys G
check '40x10: the last row shows whom it is for' wait_cursor_text '→ trent@example.com'
size 120 30
check 'back at 120x30: every column' on_screen_re '^ . ENVELOPE +AGE +NEXT TRIES TYPE +STATE +SENDER → RECIPIENT +ERROR *$' 3
keys q
check 'q quits' wait_exit 3

# --- the whitelist and the greylist
spamd_init
E2E_COLS=80 E2E_LINES=24 start_mhtop
wait_for '14 envelopes' 10
keys 3
wait_for 'spamdb:' 10
check 'whitelist 80x24: every column' \
    on_screen_re '^ TYPE +ADDRESS +SEEN +LAST PASS +EXPIRES IN +BLOCKED +PASSED +IN PF *$' 3
size 40 10
check 'whitelist 40x10: type, address, in pf' on_screen_re '^ TYPE +ADDRESS +IN PF *$' 3
check 'whitelist 40x10: the addresses are there' on_screen_re '^ SPAMTRAP +spamtrap@example\.org +-' 3
assert_screen_re '^ SPAMTRAP +wkitp[0-9a-z]*…@example\.org +-' \
    'whitelist 40x10: a cut address keeps its domain'
check 'whitelist 40x10: no line wider than the screen' narrow_enough 40
keys 2
check 'greylist 40x10: the IP and the sender' on_screen_re '^ IP +FROM *$' 5
size 80 24
check 'greylist 80x24: ip, state, expiry, sender and recipient' \
    on_screen_re '^ . IP +STATE +EXPIRES FROM +TO *$' 3
assert_screen_re '^ . 40\.107\.22\.71 +may pass .*<m\.jans[^ ]*@partnerfirm\.nl> +<sal[^ ]*@example\.org>' \
    'greylist 80x24: a tuple with its sender and recipient'
check 'greylist 80x24: no line wider than the screen' narrow_enough 80
keys q
check 'q quits' wait_exit 3

# --- the verdicts, on the demo's log
export TMPDIR="$E2E_DIR/tmp"
mkdir "$TMPDIR"
E2E_COLS=80 E2E_LINES=24 start_mhtop --demo
wait_for_re '^mhtop \[demo\]' 10
keys 4
check 'verdicts 80x24: time, verdict, route, fate' \
    on_screen_re '^ . TIME- +VERDICT +SENDER → RECIPIENT +FATE *$' 10
check 'verdicts 80x24: a recipient after its arrow' \
    on_screen_re '^ . [0-9A-Z].* → <[^ ]*@[^ ]*> ' 5
check 'verdicts 80x24: no line wider than the screen' narrow_enough 80
size 40 10
check 'verdicts 40x10: the verdict and the route' \
    on_screen_re '^ VERDICT +SENDER → RECIPIENT *$' 3
check 'verdicts 40x10: the recipient keeps its domain' \
    on_screen_re '^ (Passed|Blocked) .*→ <[^ ]*@[a-z.-]+>' 3
check 'verdicts 40x10: no line wider than the screen' narrow_enough 40
keys q
check 'q quits' wait_exit 3
finish
