#!/bin/sh
# The terminals an admin really has: vt100 (no colour), screen,
# tmux-256color and xterm-256color.  Under each, the queue pane draws its
# rows, the arrow keys move the cursor (keypad mode differs), the cursor row
# is in reverse video, and q leaves the terminal as it was.  A key whose
# escape sequence the terminfo entry does not name is refused whole.  Without colour
# (vt100) the verdicts still say their class in words and the blocked ones
# stand out in bold; with colour they are coloured.
. "${srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
need_tmux
e2e_init

# SGR colours in the screen's escapes (foreground or background)
colour_codes() {
	screen_e | grep -c -E '\[([0-9;]*;)?(3[0-7]|4[0-7]|38;5;[0-9]+|9[0-7])(;[0-9;]*)?m'
}

blocked_bold() {
	attr_lines 1 22 | grep -q ' Blocked '
}

export TMPDIR="$E2E_DIR/tmp"
mkdir "$TMPDIR"
nterm=0
for term in vt100 screen tmux-256color xterm-256color; do
	if ! infocmp "$term" >/dev/null 2>&1; then
		say "# no terminfo entry for $term here: not tried"
		continue
	fi
	nterm=$((nterm + 1))
	run_env TERM "$term"
	start_mhtop
	check "$term: the queue pane" wait_for '14 envelopes' 10
	check "$term: its column titles" on_screen_re '^ . ENVELOPE +AGE +NEXT' 3
	assert_eq "$(screen_evpids | wc -l | tr -d ' ')" 14 "$term: 14 rows"
	check "$term: the cursor on the first row, in reverse" \
	    wait_cursor 0862d5e211583af9
	keys Down Down
	check "$term: Down twice moves the cursor two rows" \
	    wait_cursor 3047f32eaba40d19
	keys G
	check "$term: G, the last row" wait_cursor 7bb7df62a81a2c06
	keys g
	check "$term: g, the first row" wait_cursor 0862d5e211583af9
	# tmux sends End as ESC [4~, which vt100's and xterm's entries do not
	# name: End works, or says so; it never runs as keys ("4": a pane)
	keys End
	if wait_cursor 7bb7df62a81a2c06 2; then
		ok "$term: End, the last row"
	else
		check "$term: End, not in its terminfo, says so" \
		    on_screen "unknown key: ESC [4~ is not in the terminfo of TERM=$term" 3
		check "$term: ... and stays in the queue pane" on_screen '14 envelopes' 1
	fi
	keys q
	check "$term: q quits" wait_exit 3
	assert_eq "$(exit_status)" 0 "$term: exit status 0"
	check "$term: the terminal is restored" tty_restored

	# the verdicts of the demo: colours where the terminal has them
	start_mhtop --demo
	wait_for_re '^mhtop \[demo\]' 10
	keys 4
	check "$term: the verdicts pane" on_screen_re '^ . TIME- +VERDICT' 10
	check "$term: verdicts say their class in words" \
	    on_screen_re '^ [0-9A-Z].* (Passed|Blocked) ' 5
	n=$(colour_codes)
	if [ "$term" = vt100 ]; then
		assert_eq "$n" 0 "$term: no colour escapes"
		check "$term: blocked verdicts stand out in bold" \
		    blocked_bold
	else
		check "$term: the verdicts are coloured ($n lines)" test "$n" -gt 0
	fi
	keys q
	check "$term: q quits the demo" wait_exit 3
done
check 'at least vt100 and screen were tried' test "$nterm" -ge 2
finish
