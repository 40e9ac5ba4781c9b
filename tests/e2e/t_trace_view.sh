#!/bin/sh
# T, the trace over every pane (issue 15), in tmux: bob@example.org through
# the greylist, the whitelist, the queue, the verdicts and the quarantine
# (the same sources as t_trace.sh):
#  - T asks, with the cursor row's own address; a bad text is refused in
#    the prompt with why, Esc cancels;
#  - the summary answers in words, each event shows its pane, the tab
#    line says T:trace, a hostile HELO stays escaped;
#  - / filters the events, Esc clears the filter, Esc again goes back;
#  - Enter on an event opens its pane's detail of its row; its pane's
#    action keys act on it there, with the pane's confirmation;
#  - a pane that cannot be read is said in the header.
. "${srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
E2E_COLS=200
E2E_LINES=50
need_tmux
e2e_init
trace_init
NOW=$TRACE_NOW
T=$(printf '\t')
ESC=$(printf '\033')

# the panes read in their own time: wait for each
eventually() { # TEXT DESCRIPTION
	if on_screen "$1" 10; then
		ok "$2"
	else
		fail "$2: the screen does not show [$1]"
	fi
}

start_mhtop
wait_for 'alice@sender.example'
# the cursor on bob's envelope (the oldest): T offers its sender
keys g
wait_cursor 1a2b3c4d5e6f7a8b
keys T
if on_screen 'trace (an address, a domain or an IP): alice@sender.example'; then
	ok 'T asks, with the cursor row sender'
else
	fail "T asks, with the cursor row sender: [$(status_line)]"
fi
keys C-u
type_text 'bob@exa mple.org'
keys Enter
wait_for "not an address: the part after '@' is no domain name"
keys C-u
type_text 'bob@example.org'
keys Enter
wait_for '2 tuples greylisted from 192.0.2.77, 192.0.2.79, passed at'
eventually 'bob@example.org: 1 envelope queued, the oldest for ' 'the summary: the queue'
eventually 'last verdict Passed CLEAN -0.1 ' 'the summary: the verdict'
eventually "$QFILES messages quarantined" 'the summary: the quarantine'
eventually '192.0.2.77 whitelisted' 'the summary: the IP it came from, whitelisted'
eventually 'smtpd received 1 envelope, refused 1 command, last deferred' \
    'the summary: smtpd received it, refused it once, deferred it'
assert_screen 'T:trace' 'the tab line says T:trace'
assert_screen_re 'TIME +PANE +EVENT +IP +FROM +TO +DETAIL' 'the trace columns'
for src in grey white queue verdicts quarantine; do
	assert_screen_re "^ .{16} $src " "an event of the $src pane"
done
check 'the hostile HELO: no raw ESC on screen' sh -c "! tmux -u -L '$E2E_SOCK' capture-pane -p -t '$TGT' | grep -q '$ESC'"
assert_screen 'helo ^[[2Jevil' 'the hostile HELO: escaped'
if on_screen_re "^$((QFILES + 8)) events" 10; then
	ok 'the count of events'
else
	fail 'the count of events'
fi

# / filters the events; Esc clears it; the trace stays
keys /
type_text 'queue'
keys Enter
wait_for_re '^1 event \(filter: queue, [0-9]+ in all\)'
keys Escape
wait_for_re "^$((QFILES + 8)) events"
assert_screen 'T:trace' 'Esc with a filter: the trace stays'

# Enter on the queue's event (the one the filter shows): its row in the
# queue pane
keys /
type_text 'queue'
keys Enter
wait_for_re '^1 event \(filter: queue'
keys Enter
wait_for_re '^ *evpid +1a2b3c4d5e6f7a8b'
assert_no_screen 'T:trace' 'Enter: the trace is closed'
keys q
if wait_cursor 1a2b3c4d5e6f7a8b; then
	ok 'Enter, then q: the envelope in the queue pane'
else
	fail 'Enter, then q: the envelope in the queue pane'
fi

# an event's own actions, with their pane's confirmation: w on the
# hostile tuple whitelists its IP; d on the envelope asks, n runs nothing
actions_are() { # WANT DESCRIPTION
	if wait_actions "$1" 5; then
		ok "$2"
	else
		fail "$2: got [$(spamd_actions_since)], want [$1]"
	fi
}
keys T C-u
type_text 'bob@example.org'
keys Enter
wait_for '2 tuples greylisted from 192.0.2.77, 192.0.2.79'
keys /
type_text '192.0.2.79'
keys Enter
wait_for_re '^1 event \(filter: 192\.0\.2\.79'
log_mark
keys w
wait_for 'Whitelist IP 192.0.2.79 (1 tuple)? [y/N]'
keys y
actions_are 'spamdb -a 192.0.2.79
pfctl -t spamd-white -T add 192.0.2.79' 'w on a trace event: spamdb -a, pfctl -T add'
keys T C-u
type_text 'bob@example.org'
keys Enter
wait_for '2 tuples greylisted from 192.0.2.77, 192.0.2.79'
keys /
type_text 'queue'
keys Enter
wait_for_re '^1 event \(filter: queue'
log_mark
keys d
wait_for 'Remove envelope 1a2b3c4d5e6f7a8b (alice@sender.example'
keys n
wait_for 'cancelled: nothing changed'
assert_eq "$(log_since | grep -c remove)" 0 'd n on a trace event: nothing removed'

# T on the new cursor row, Esc cancels; a trace of the IP, Esc back
keys T
wait_for 'trace (an address, a domain or an IP): alice@sender.example'
keys Escape
wait_for 'no trace'
keys 2 T C-u
type_text '::ffff:192.0.2.77'
keys Enter
wait_for '1 tuple greylisted from 192.0.2.77'
eventually 'last verdict Passed CLEAN' 'an IP: its verdict'
keys Escape
wait_for 'trace closed: back to the greylist'
assert_no_screen 'T:trace' 'Esc: back to the pane'

# a pane that cannot be read is said
keys 1
mv "$ML" "$ML.gone"
spamd_conf "quarantine $Q" "maillog $ML" "spamdlog $E2E_DIR/daemon"
start_mhtop
wait_for 'alice@sender.example'
keys T C-u
type_text 'bob@example.org'
keys Enter
wait_for "verdicts: waiting for $ML"
assert_no_screen 'no verdict' 'a missing log: no verdict summed up'
finish
