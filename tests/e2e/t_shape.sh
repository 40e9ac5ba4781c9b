#!/bin/sh
# The queue's shape (issue 16): b in the queue pane goes through the
# queue by recipient domain (qshape's doubling age buckets, a TOTAL row,
# p rolls up to parent domains), by sender domain and by error (ids,
# addresses and numbers taken as the same), then back to the envelopes;
# -b -p shape and -b -p errors print the same as TSV.
. "${srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
E2E_COLS=160
E2E_LINES=30
need_tmux
e2e_init
NOW=$(e2e_now)
env_line() { # EVPID SENDER RCPT AGE ERROR
	printf '%s|inet4|mta||%s|%s|%s|%s|%s|0|1|pending|360|%s\n' "$1" "$2" \
	    "$3" "$3" $((NOW - $4)) $((NOW - $4)) "$5"
}
{
	env_line 1111111100000001 a@sender.example x@slow.example 100 \
	    '421 4.7.0 Try again later, closing connection (Qx7ab1)'
	env_line 1111111100000002 a@sender.example y@slow.example 1000 \
	    '421 4.7.0 Try again later, closing connection (Zz9Yq2)'
	env_line 2222222200000001 b@sender.example z@Slow.Example 100000 \
	    'Network error on destination MXs'
	env_line 3333333300000001 c@other.example u@mx.shop.co.uk 3000 \
	    '450 4.7.1 <u@mx.shop.co.uk>: Recipient address rejected: Greylisted for 300 seconds'
	env_line 3333333300000002 c@other.example v@shop.co.uk 5000 \
	    '450 4.7.1 <v@shop.co.uk>: Recipient address rejected: Greylisted for 60 seconds'
	# the null sender as smtpctl prints it; an error it escaped (strnvis)
	env_line 4444444400000001 @ w@evil.example 200 \
	    '451 \^[[2Jwipe \^[[31mred'
} >"$E2E_DIR/q"
set_queue "$E2E_DIR/q"
start_mhtop
wait_for '6 envelopes'

keys b
wait_for '1:queue by domain'
assert_screen 'queue by recipient domain: 6 envelopes, 4 domains, the oldest 1d03h' \
    'the header: envelopes, domains, the oldest'
# TOTAL: 5m 2 (100 s, 200 s), 20m 1, 80m 1 (3000 s), 160m 1 (5000 s), older 1
assert_screen_re '^ TOTAL +6 +2 +0 +1 +0 +1 +1 +0 +0 +0 +1 *$' \
    'TOTAL: qshape buckets of all six'
assert_screen_re '^ slow\.example +3 +1 +0 +1 +0 +0 +0 +0 +0 +0 +1 *$' \
    'slow.example, in lower case: one in each of 5m, 20m and older'
assert_screen_re '^ mx\.shop\.co\.uk +1 ' 'mx.shop.co.uk on its own'
# the most first: TOTAL, slow.example, then the ones
assert_eq "$(screen | awk '/^ DOMAIN/ { on = 1; next } on && NF { print $1 }' | head -n 2 | tr '\n' ' ')" \
    'TOTAL slow.example ' 'sorted by TOTAL, highest first'
keys '?'
wait_for 'group by recipient domain, in qshape'
assert_screen 'p                    roll the domains up to their parent domains' \
    'help: p rolls up'
keys q
keys p
wait_for 'queue by recipient domain, rolled up to parent domains'
check 'p: mx.shop.co.uk under shop.co.uk' \
    on_screen_re '^ shop\.co\.uk +2 ' 3
assert_no_screen 'mx.shop.co.uk' 'p: no mx.shop.co.uk row'
keys p
check 'p again: each domain' on_screen_re '^ mx\.shop\.co\.uk +1 ' 3

keys b
wait_for '1:queue by sender'
assert_screen_re '^ sender\.example +3 ' 'by sender: sender.example'
assert_screen_re '^ <> +1 ' 'by sender: the null sender as <>'

keys b
wait_for '1:queue by error'
assert_screen 'queue by error: 6 envelopes, 4 errors' 'by error: the header'
assert_screen_re '^ +2 slow\.example +[0-9hms]+ 421 4\.7\.0 Try again later, closing connection \(ID\) *$' \
    'by error: two ids, one error'
assert_screen_re '^ +2 2: mx\.shop\.co\.uk,shop\.co\.uk +[0-9hms]+ 450 4\.7\.1 <ADDR>: Recipient address rejected: Greylisted for N seconds' \
    'by error: two addresses and numbers, one error, both domains'
check 'the hostile error: no raw ESC on screen' sh -c "! tmux -u -L '$E2E_SOCK' capture-pane -p -t '$TGT' | grep -q \"\$(printf '\\033')\""

keys b
wait_for 'ungrouped: every envelope'
assert_screen '1:queue ' 'back to the envelopes'

# -b -p shape: one row per recipient domain, the totals those of the queue
out=$(spamd_env "$MHTOP" -f "$CONF" -b -p shape 2>&1)
assert_eq "$(printf '%s\n' "$out" | head -n 1)" \
    "$(printf 'domain\ttotal\t5m\t10m\t20m\t40m\t80m\t160m\t320m\t640m\t1280m\tolder')" \
    '-p shape: the header'
assert_eq "$(printf '%s\n' "$out" | sed -n 2p)" \
    "$(printf 'slow.example\t3\t1\t0\t1\t0\t0\t0\t0\t0\t0\t1')" \
    '-p shape: slow.example first'
assert_eq "$(printf '%s\n' "$out" | awk -F'\t' 'NR > 1 { s += $2 } END { print s }')" 6 \
    '-p shape: the totals add up to the 6 envelopes'
assert_eq "$(printf '%s\n' "$out" | grep -c TOTAL)" 0 '-p shape: no TOTAL row'
out=$(spamd_env "$MHTOP" -f "$CONF" -b -p errors 2>&1)
assert_eq "$(printf '%s\n' "$out" | head -n 1)" "$(printf 'count\tdomains\toldest\terror')" \
    '-p errors: the header'
assert_eq "$(printf '%s\n' "$out" | grep -c '^2	slow\.example	[0-9]*	421 4\.7\.0 Try again later, closing connection (ID)$')" 1 \
    '-p errors: the ids taken as the same'
out=$(spamd_env "$MHTOP" -f "$CONF" -p shape 2>&1)
assert_eq "$out" 'mhtop: -p shape: only with -b (on the screen: b in the queue pane)' \
    '-p shape without -b: said'

# --- actions on a group: every envelope of it, one smtpctl each
keys b b b
wait_for '1:queue by error'
# the cursor to the row that shows TEXT: g, then j until it does
cursor_to_text() {
	keys g
	_n=0
	while ! wait_cursor_text "$1" 1 >/dev/null && [ $_n -lt 10 ]; do
		keys j
		_n=$((_n + 1))
	done
	wait_cursor_text "$1" 1
}
check 'the cursor to the 421 error' cursor_to_text 'Try again later, closing connection (ID)'
log_mark
keys s
wait_for 'Schedule 2 envelopes of the error 421 4.7.0 Try again later, closing connection (ID)? [y/N]'
keys y
check 'the outcome names the error' on_screen '2 envelopes scheduled: the error 421 4.7.0' 5
# both envelopes of message 11111111 have it: one command for the message
assert_eq "$(actions_since)" 'schedule 11111111' \
    's on an error: one smtpctl schedule for the message wholly in it, nothing else'

# more than 100 envelopes: remove asks twice; n the second time runs nothing
{
	cat "$E2E_DIR/q"
	i=0
	while [ $i -lt 101 ]; do
		env_line "$(printf '55555555%08x' $i)" a@sender.example \
		    "r$i@many.example" 600 'Connection timed out'
		i=$((i + 1))
	done
	# the message has a recipient elsewhere too: not all of it goes
	env_line 55555555ffffffff a@sender.example keep@elsewhere.example \
	    600 'Connection timed out'
} >"$E2E_DIR/q2"
set_queue "$E2E_DIR/q2"
keys b
wait_for '1:queue '
keys b
wait_for 'queue by recipient domain: 108 envelopes' 10
check 'the cursor to many.example' cursor_to_text 'many.example'
log_mark
keys d
wait_for 'Remove 101 envelopes of many.example? [y/N]'
keys y
wait_for 'Really remove 101 envelopes of many.example (more than 100: it cannot be undone)? [y/N]'
keys n
wait_for 'cancelled: nothing changed'
assert_eq "$(actions_since)" '' 'n the second time: nothing removed'
keys d y y
check 'y twice: the 101 envelopes removed' on_screen '101 envelopes removed: many.example' 20
assert_eq "$(actions_since | grep -c '^remove 55555555[0-9a-f]\{8\}$')" 101 \
    'a message not wholly in the group: smtpctl remove once per envelope of many.example'
assert_eq "$(actions_since | grep -vc '^remove 55555555[0-9a-f]\{8\}$')" 0 \
    'and nothing else: not the message, not its envelope elsewhere'
check 'its envelope elsewhere stays' in_queue 55555555ffffffff
check 'many.example is gone' off_screen_re '^ many\.example ' 10
keys g d
wait_for 'refusing: domain TOTAL: the TOTAL row is the whole queue' 3
finish
