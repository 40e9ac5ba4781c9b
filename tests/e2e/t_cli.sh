#!/bin/sh
# The command line: -V and --help answer on stdout with status 0, a wrong
# option gets the usage on stderr and status 1, a terminal that cannot
# show a full screen is refused in one line (status 1), and the config file
# names the line of a mistake.
. "${srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
e2e_init
OUT=$E2E_DIR/out
ERR=$E2E_DIR/err

run() { # ARGS...: $rc, $OUT, $ERR
	rc=0
	"$MHTOP" "$@" >"$OUT" 2>"$ERR" </dev/null || rc=$?
}

run -V
assert_eq "$rc" 0 '-V: status 0'
check '-V: "mhtop VERSION" on stdout' grep -qxE 'mhtop [0-9]+\.[0-9]+.*' "$OUT"
check '-V: nothing on stderr' test ! -s "$ERR"
run --version
assert_eq "$(cat "$OUT")" "$("$MHTOP" -V)" '--version says what -V says'

run --help
assert_eq "$rc" 0 '--help: status 0'
check '--help: the usage on stdout' grep -q '^usage: mhtop \[-bJrV\]' "$OUT"
check '--help: nothing on stderr' test ! -s "$ERR"

# what the operator typed is shown, not obeyed by the terminal
run -p "$(printf 'x\033[2J\033]0;pwned\007')"
assert_eq "$rc" 1 '-p with escapes: status 1'
assert_eq "$(cat "$ERR")" 'mhtop: -p x\x1b[2J\x1b]0;pwned\x07: no such pane (panes: queue, grey, white, verdicts, quarantine, trace; views: shape, senders, errors)' \
    '-p with escapes: the error shows them escaped'

run -x
assert_eq "$rc" 1 'a wrong option: status 1'
check 'a wrong option: the usage on stderr' grep -q '^usage: mhtop' "$ERR"
check 'a wrong option: nothing on stdout' test ! -s "$OUT"
assert_eq "$(head -n 1 "$ERR")" 'mhtop: -x: no such option' \
    'a wrong option: says which'
# getopt's own message would echo them raw
run "-$(printf '\033')"
assert_eq "$(head -n 1 "$ERR")" 'mhtop: -\x1b: no such option' \
    'a wrong option with ESC: escaped'
run "--$(printf '\033]0;pwned\007\342\200\256')"
assert_eq "$(head -n 1 "$ERR")" 'mhtop: --\x1b]0;pwned\x07\xe2\x80\xae: no such option, or it takes no value' \
    'a wrong long option with OSC and U+202E: escaped'
run -b -d
assert_eq "$(head -n 1 "$ERR")" 'mhtop: -d needs a value' \
    'an option without its value: says which'

# --- terminals that cannot show a full screen: one line, exit 1
if command -v script >/dev/null 2>&1; then
	for t in dumb no-such-terminal ''; do
		rc=0
		if [ -n "$t" ]; then
			TERM=$t script -qec "'$MHTOP' -f '$CONF'" /dev/null \
			    >"$OUT" 2>&1 </dev/null || rc=$?
		else
			env -u TERM script -qec "'$MHTOP' -f '$CONF'" /dev/null \
			    >"$OUT" 2>&1 </dev/null || rc=$?
		fi
		assert_eq "$rc" 1 "TERM=${t:-(unset)}: status 1"
		assert_eq "$(tr -d '\r' <"$OUT" | grep -c .)" 1 \
		    "TERM=${t:-(unset)}: one line"
		check "TERM=${t:-(unset)}: it suggests -b" grep -q 'use -b' "$OUT"
		case $t in
		dumb) why='TERM=dumb cannot move the cursor' ;;
		'') why='TERM is not set' ;;
		*) why="TERM=$t: no such terminal" ;;
		esac
		check "TERM=${t:-(unset)}: it says why ($why)" grep -qF "$why" "$OUT"
	done
else
	echo "# no script(1): the terminal checks are skipped"
fi

# --- the config file
printf 'interval 1\nsmtpctl %s extra\n' "$SMTPCTL" >"$E2E_DIR/bad.conf"
run -b -f "$E2E_DIR/bad.conf"
assert_eq "$rc" 1 'a value too many: status 1'
assert_eq "$(cat "$ERR")" "mhtop: $E2E_DIR/bad.conf:2: smtpctl takes one value, not \"$SMTPCTL extra\"" \
    'a value too many: the file, the line and the words'
# a config line with ESC, OSC, BEL and U+202E: shown, not obeyed
printf 'smtpctl /x\033[2J\033]0;pwned\007\342\200\256y\n' >"$E2E_DIR/esc.conf"
run -b -f "$E2E_DIR/esc.conf"
assert_eq "$rc" 1 'a config line with escapes: status 1'
assert_eq "$(cat "$ERR")" 'mhtop: smtpctl show queue: /x\x1b[2J\x1b]0;pwned\x07\xe2\x80\xaey not found: set its path in mhtop.conf, or try mhtop --demo' \
    'a config line with escapes: the error shows them escaped'
printf 'no\033[31msuch keyword\n' >"$E2E_DIR/esc.conf"
run -b -f "$E2E_DIR/esc.conf"
assert_eq "$(cat "$ERR")" "mhtop: $E2E_DIR/esc.conf:1: unknown keyword: no\\x1b[31msuch" \
    'an unknown keyword with ESC: escaped'
run -b -f "$E2E_DIR/$(printf 'no\033]0;x\007such')"
assert_eq "$(cat "$ERR")" "mhtop: $E2E_DIR/no\\x1b]0;x\\x07such: No such file or directory" \
    '-f with escapes in the name: escaped'
check 'no raw control byte on stderr in all this' sh -c '! LC_ALL=C grep -q "[[:cntrl:]]" "$1"' sh "$ERR"
run -b -f "$E2E_DIR/no-such.conf"
assert_eq "$rc" 1 '-f with a missing file: status 1'
assert_eq "$(cat "$ERR")" "mhtop: $E2E_DIR/no-such.conf: No such file or directory" \
    '-f with a missing file: says so'

# --- a program that is not there (not a relay, a wrong path): say which,
# and what to do
printf 'spamdb %s/no-such/spamdb\n' "$E2E_DIR" >"$E2E_DIR/nospamdb.conf"
run -b -p grey -f "$E2E_DIR/nospamdb.conf"
assert_eq "$rc" 1 '-b -p grey, no spamdb: status 1'
assert_eq "$(cat "$ERR")" "mhtop: spamdb: $E2E_DIR/no-such/spamdb not found: set its path in mhtop.conf, or try mhtop --demo" \
    '-b -p grey, no spamdb: where it looked and what to do'

# --- -b on a pane whose source is missing: status 1 and why, no empty table
printf 'maillog %s/no-such-dir/maillog\n' "$E2E_DIR" >"$E2E_DIR/nolog.conf"
run -b -p verdicts -f "$E2E_DIR/nolog.conf"
assert_eq "$rc" 1 '-b -p verdicts, no mail log: status 1'
assert_eq "$(cat "$ERR")" "mhtop: maillog $E2E_DIR/no-such-dir/maillog: No such file or directory" \
    '-b -p verdicts, no mail log: says which file'
check '-b -p verdicts, no mail log: no table on stdout' test ! -s "$OUT"
: >"$E2E_DIR/empty-maillog"
printf 'maillog %s/empty-maillog\n' "$E2E_DIR" >"$E2E_DIR/empty.conf"
run -b -p verdicts -f "$E2E_DIR/empty.conf"
assert_eq "$rc" 0 '-b -p verdicts, an empty mail log: status 0'
assert_eq "$(wc -l <"$OUT" | tr -d ' ')" 1 '-b -p verdicts, an empty mail log: the header line only'

# --- a damaged .gz in the history: the rest is read, the damage said
mkdir "$E2E_DIR/damaged"
: >"$E2E_DIR/damaged/maillog"
seq 1 20000 | gzip -c | head -c 20000 >"$E2E_DIR/damaged/maillog.0.gz"
printf 'maillog %s/damaged/maillog\n' "$E2E_DIR" >"$E2E_DIR/damaged.conf"
run -b -p verdicts -f "$E2E_DIR/damaged.conf"
assert_eq "$rc" 0 '-b -p verdicts, a damaged maillog.0.gz: status 0'
assert_eq "$(cat "$ERR")" "mhtop: maillog: the history is incomplete: maillog.0.gz is damaged (cut short)" \
    '-b -p verdicts, a damaged maillog.0.gz: says which file'
assert_eq "$(wc -l <"$OUT" | tr -d ' ')" 1 '-b -p verdicts, a damaged maillog.0.gz: the table still'
finish
