# Helpers for mhtop's end-to-end tests: run the real binary in a private tmux
# server against tests/fake/smtpctl and look at what the user sees
# (capture-pane) and at what the fake recorded (argv.log, its queue file).
#
# A test script starts with
#
#	. "${srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
#	e2e_init [queue-fixture]
#	start_mhtop [mhtop options]
#
# then sends keys, waits for text (never fixed sleeps as the assertion
# mechanism) and ends with `finish`.  Environment:
#
#	MHTOP	the binary (default: ./mhtop in the build directory)
#	srcdir	the top source directory (set by automake; VPATH builds work)
#	E2E_KEEP=1	keep the temporary directory (for debugging)
#	E2E_VERBOSE=1	dump the screen after every passing check too
#	E2E_TERM	the terminal type (default tmux-256color, else screen)
#
# POSIX sh; uses tmux, ps, awk, grep, sed.

LC_ALL=C
export LC_ALL
unset LANGUAGE 2>/dev/null || :

# ---- locations ---------------------------------------------------------------
: "${srcdir:=$(dirname "$0")/../..}"
E2E_SRC=$(cd "$srcdir" && pwd) || {
	echo "e2e: cannot find the source directory ($srcdir)" >&2
	exit 99
}
FAKE=$E2E_SRC/tests/fake/smtpctl
FIXTURES=$E2E_SRC/tests/fixtures/opensmtpd
FIXTURE14=$FIXTURES/show-queue-14-varied.txt

: "${MHTOP:=./mhtop}"
case $MHTOP in
/*) ;;
*) MHTOP=$(pwd)/$MHTOP ;;
esac
if [ ! -x "$MHTOP" ]; then
	echo "e2e: $MHTOP is not an executable (set MHTOP)" >&2
	exit 99
fi
if [ ! -f "$FAKE" ]; then
	echo "e2e: no fake smtpctl at $FAKE" >&2
	exit 99
fi

E2E_NAME=$(basename "$0" .sh)
E2E_FAILED=0
E2E_NCHECK=0
E2E_DIR=
E2E_SOCK=mhtop-e2e-$$
E2E_NSTART=0
TGT=
E2E_SERVER_UP=0

need_tmux() {
	if ! command -v tmux >/dev/null 2>&1; then
		echo "SKIP: tmux is not installed"
		exit 77
	fi
}

# The terminal mhtop gets: tmux-256color when its terminfo entry exists
# (E2E_TERM=screen in the environment forces the other one).
if [ -z "${E2E_TERM:-}" ]; then
	if command -v infocmp >/dev/null 2>&1 &&
	    infocmp tmux-256color >/dev/null 2>&1; then
		E2E_TERM=tmux-256color
	else
		E2E_TERM=screen
	fi
fi

# ---- reporting -----------------------------------------------------------------
say() {
	printf '%s\n' "$*"
}

dump_state() {
	if [ "$E2E_SERVER_UP" = 1 ]; then
		say "--- screen (${E2E_NAME}) ---"
		screen | sed 's/^/|/'
		say "--- end of screen ---"
	fi
	if [ -n "$E2E_DIR" ] && [ -f "$STATE/argv.log" ]; then
		say "--- argv.log (last 15 lines) ---"
		tail -n 15 "$STATE/argv.log" | sed 's/^/|/'
	fi
}

ok() {
	E2E_NCHECK=$((E2E_NCHECK + 1))
	say "ok $E2E_NCHECK - $*"
	if [ "${E2E_VERBOSE:-0}" = 1 ] && [ "$E2E_SERVER_UP" = 1 ]; then
		screen | sed 's/^/|/'
	fi
}

fail() {
	E2E_NCHECK=$((E2E_NCHECK + 1))
	E2E_FAILED=1
	say "not ok $E2E_NCHECK - $*"
	dump_state
}

# check DESCRIPTION COMMAND...: ok when the command succeeds
check() {
	_d=$1
	shift
	if "$@"; then ok "$_d"; else fail "$_d"; fi
}

assert_eq() { # GOT WANT DESCRIPTION
	if [ "$1" = "$2" ]; then
		ok "$3"
	else
		fail "$3: got [$1], want [$2]"
	fi
}

# ---- time ------------------------------------------------------------------------
# A test runs on its own clock, pinned to the time its fixtures were
# captured, so that no check depends on the day, the hour or the year the
# suite runs in.  The pinned clock runs on from there; every mhtop started
# gets its time (MHTOP_NOW), and so do the fakes' writes (spamdb -a takes
# FAKE_NOW).  Times are shown in UTC.  A test whose fixtures were taken at
# another time says so with e2e_pin; times made up during a test come from
# e2e_now.
E2E_QUEUE_NOW=1795525200	# 2026-11-24 13:00:00 UTC, show-queue-*.txt
E2E_SPAMD_NOW=1795000000	# 2026-11-18 11:06:40 UTC, spamdb-small.txt

e2e_pin() { # EPOCH
	E2E_NOW=$1
	E2E_T0=$(date +%s)
	e2e_clock
}

# the test's time now
e2e_now() {
	echo $((E2E_NOW + $(date +%s) - E2E_T0))
}

# hand the test's time to the mhtop and the fakes started next
e2e_clock() {
	if [ -z "$E2E_NOW" ]; then
		unset MHTOP_NOW FAKE_NOW
		return
	fi
	MHTOP_NOW=$(e2e_now)
	FAKE_NOW=$MHTOP_NOW
	export MHTOP_NOW FAKE_NOW
}

# the system clock from now on (only for what is made up "now": the demo)
e2e_unpin() {
	E2E_NOW=
	e2e_clock
}

TZ=UTC0
export TZ
e2e_pin "$E2E_QUEUE_NOW"

now_ms() {
	_t=$(date +%s%N 2>/dev/null)
	case $_t in
	*[!0-9]* | '') echo $(($(date +%s) * 1000)) ;;
	*) echo $((_t / 1000000)) ;;
	esac
}

# ---- set-up -----------------------------------------------------------------------
# e2e_init [QUEUE-FILE]: temporary directory, config, fake state.
e2e_init() {
	E2E_DIR=$(mktemp -d "${TMPDIR:-/tmp}/mhtop-e2e.XXXXXX") || {
		echo "e2e: mktemp failed" >&2
		exit 99
	}
	STATE=$E2E_DIR/state
	CONF=$E2E_DIR/mhtop.conf
	LOG=$STATE/argv.log
	QUEUE=$STATE/queue
	mkdir "$STATE" "$E2E_DIR/bin" "$E2E_DIR/quarantine"
	# a private name for the fake, so that its processes are recognisable
	ln -s "$FAKE" "$E2E_DIR/bin/smtpctl"
	SMTPCTL=$E2E_DIR/bin/smtpctl
	cp "${1:-$FIXTURE14}" "$QUEUE"
	: >"$LOG"
	# a hang value no other test uses: "sleep 60.<token>" is ours
	E2E_TOKEN=$$$(awk 'BEGIN { srand(); printf "%d", rand() * 100000 }')
	write_conf
	cat >"$E2E_DIR/tmux.conf" <<EOF
set -g status off
set -g remain-on-exit on
set -g escape-time 0
set -g default-terminal $E2E_TERM
set -g history-limit 100
EOF
	# the pane runs mhtop through this script: its pid, exit status and the
	# terminal settings it leaves behind are recorded
	cat >"$E2E_DIR/run.sh" <<EOF
#!/bin/sh
trap ':' INT
unset LC_ALL LC_CTYPE LC_MESSAGES
LANG=\${E2E_LANG:-C.UTF-8}
TERM=$E2E_TERM
FAKE_SMTPCTL_DIR='$STATE'
export LANG TERM FAKE_SMTPCTL_DIR
cd '$E2E_DIR' || exit 99
sh -c 'echo \$\$ >"\$0"; exec "\$@"' '$E2E_DIR/mhtop.pid' "\$@"
echo \$? >'$E2E_DIR/exit.tmp'
stty -a >'$E2E_DIR/stty.txt' 2>&1
mv '$E2E_DIR/exit.tmp' '$E2E_DIR/exit'
EOF
	trap 'e2e_cleanup; exit 1' INT TERM HUP
	trap 'e2e_cleanup' EXIT
}

# write_conf [EXTRA LINES...]: the config file (smtpctl, doas none, interval 1)
write_conf() {
	{
		echo "# mhtop e2e test config"
		echo "smtpctl $SMTPCTL"
		echo "doas none"
		echo "interval 1"
		# never the machine's own quarantine
		echo "quarantine $E2E_DIR/quarantine"
		# nor its daemons: t_health.sh sets its own
		for _s in smtpd spamd amavisd maillog quarantine; do
			echo "health $_s none"
		done
		for _l do echo "$_l"; done
	} >"$CONF"
}

# replace the fake's queue atomically (readers see the old or the new file)
set_queue() { # FILE
	cp "$1" "$STATE/.q.$$" && mv -f "$STATE/.q.$$" "$QUEUE"
}

tm() {
	tmux -u -L "$E2E_SOCK" "$@"
}

# start_mhtop [OPTIONS]: mhtop -f CONF OPTIONS in a tmux pane, 120x30 unless
# E2E_COLS and E2E_LINES say otherwise (a test of whole cells: 160)
start_mhtop() {
	need_tmux
	rm -f "$E2E_DIR/exit" "$E2E_DIR/mhtop.pid" "$E2E_DIR/stty.txt"
	if [ "$E2E_SERVER_UP" = 1 ]; then
		tm kill-server 2>/dev/null
		E2E_SERVER_UP=0
	fi
	e2e_clock
	# a fresh server (socket) for every start: no race with the old one
	E2E_NSTART=$((E2E_NSTART + 1))
	E2E_SOCK=mhtop-e2e-$$-$E2E_NSTART
	LANG=C.UTF-8 tmux -u -L "$E2E_SOCK" -f "$E2E_DIR/tmux.conf" \
	    new-session -d -s e2e -x "${E2E_COLS:-120}" -y "${E2E_LINES:-30}" \
	    "sh '$E2E_DIR/run.sh' '$MHTOP' -f '$CONF' $*" || {
		echo "e2e: cannot start tmux" >&2
		exit 99
	}
	E2E_SERVER_UP=1
	TGT=e2e:0.0
	_i=0
	while [ ! -s "$E2E_DIR/mhtop.pid" ] && [ $_i -lt 50 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	MHTOP_PID=$(cat "$E2E_DIR/mhtop.pid" 2>/dev/null)
}

# ---- the screen -----------------------------------------------------------------------
screen() {
	tm capture-pane -p -t "$TGT" 2>/dev/null
}

screen_e() {
	tm capture-pane -p -e -t "$TGT" 2>/dev/null
}

keys() { # tmux key names: j Down NPage Enter Space Escape C-l ...
	tm send-keys -t "$TGT" "$@"
}

type_text() { # literal text
	tm send-keys -l -t "$TGT" -- "$1"
}

# The lines of the screen drawn with an attribute from their first column,
# with the escape sequences removed.  attr_lines ON OFF: the SGR codes that
# set and clear it (0 always clears).
attr_lines() {
	screen_e | awk -v on="$1" -v off="$2" '
	BEGIN { set = 0 }
	{
		s = $0; out = ""; first = -1
		while (length(s) > 0) {
			if (substr(s, 1, 2) == "\033[" && match(s, /^\033\[[0-9;:?]*[@-~]/)) {
				seq = substr(s, 3, RLENGTH - 3)
				fin = substr(s, RLENGTH, 1)
				s = substr(s, RLENGTH + 1)
				if (fin != "m")
					continue
				n = split(seq, a, /[;:]/)
				if (n == 0) set = 0
				for (i = 1; i <= n; i++) {
					v = a[i] + 0
					if (v == 38 || v == 48 || v == 58) {
						i += (a[i + 1] == 5) ? 1 : 3
						i++
						continue
					}
					if (v == 0 || v == off) set = 0
					else if (v == on) set = 1
				}
				continue
			}
			if (first < 0) first = set
			out = out substr(s, 1, 1)
			s = substr(s, 2)
		}
		if (first == 1) print out
	}'
}

# reverse video: the cursor row (and the table header)
reverse_lines() {
	attr_lines 7 27
}

# the text of the cursor row ("" when none is highlighted)
cursor_line() {
	reverse_lines | grep -v 'ENVELOPE' | head -n 1
}

# the evpid on the cursor row
cursor_evpid() {
	cursor_line | grep -o '[0-9a-f]\{16\}' | head -n 1
}

# wait_cursor EVPID [TIMEOUT]
wait_cursor() {
	_want=$1
	_deadline=$(($(now_ms) + ${2:-5} * 1000))
	while :; do
		_got=$(cursor_evpid)
		[ "$_got" = "$_want" ] && return 0
		[ "$(now_ms)" -ge "$_deadline" ] && break
		sleep 0.1
	done
	say "# cursor is on [$_got], expected [$_want]"
	return 1
}

# wait_cursor_text TEXT [TIMEOUT]: the cursor row shows TEXT (a narrow
# screen without the ENVELOPE column)
wait_cursor_text() {
	_deadline=$(($(now_ms) + ${2:-5} * 1000))
	while :; do
		reverse_lines | grep -v -e ENVELOPE -e RECIPIENT |
		    grep -qF -- "$1" && return 0
		[ "$(now_ms)" -ge "$_deadline" ] && break
		sleep 0.1
	done
	say "# the cursor row does not show [$1]: [$(reverse_lines |
	    grep -v -e ENVELOPE -e RECIPIENT | head -n 1)]"
	return 1
}

# wait_cursor_moves OLD [TIMEOUT]: wait until the cursor leaves row OLD; prints
# the new evpid
wait_cursor_moves() {
	_deadline=$(($(now_ms) + ${2:-5} * 1000))
	while :; do
		_got=$(cursor_evpid)
		if [ -n "$_got" ] && [ "$_got" != "$1" ]; then
			echo "$_got"
			return 0
		fi
		[ "$(now_ms)" -ge "$_deadline" ] && return 1
		sleep 0.1
	done
}

# cursor_down_to EVPID [MAX=30]: press j until the cursor is on EVPID
cursor_down_to() {
	_n=0
	while [ $_n -lt "${2:-30}" ]; do
		_cur=$(cursor_evpid)
		[ "$_cur" = "$1" ] && return 0
		keys j
		wait_cursor_moves "$_cur" 2 >/dev/null || break
		_n=$((_n + 1))
	done
	wait_cursor "$1" 1
}

# ---- waiting -------------------------------------------------------------------------
# Poll the screen every 0.1 s; succeed as soon as the condition holds.
_wait_screen() { # MODE PATTERN TIMEOUT
	_deadline=$(($(now_ms) + $3 * 1000))
	while :; do
		case $1 in
		F) screen | grep -qF -- "$2" && return 0 ;;
		E) screen | grep -qE -- "$2" && return 0 ;;
		notF) screen | grep -qF -- "$2" || return 0 ;;
		notE) screen | grep -qE -- "$2" || return 0 ;;
		esac
		[ "$(now_ms)" -ge "$_deadline" ] && return 1
		sleep 0.1
	done
}

on_screen() { # TEXT [TIMEOUT=5]: true once TEXT is on the screen
	_wait_screen F "$1" "${2:-5}"
}

on_screen_re() { # ERE [TIMEOUT=5]
	_wait_screen E "$1" "${2:-5}"
}

off_screen() { # TEXT [TIMEOUT=5]: true once TEXT is gone
	_wait_screen notF "$1" "${2:-5}"
}

off_screen_re() { # ERE [TIMEOUT=5]
	_wait_screen notE "$1" "${2:-5}"
}

# line_is N TEXT [TIMEOUT=3]: true once line N of the screen is exactly TEXT
line_is() {
	_deadline=$(($(now_ms) + ${3:-3} * 1000))
	while :; do
		[ "$(screen | sed -n "$1p")" = "$2" ] && return 0
		[ "$(now_ms)" -ge "$_deadline" ] && return 1
		sleep 0.1
	done
}

# wait_for TEXT [TIMEOUT]: an assertion (ok / not ok with the screen)
wait_for() {
	if on_screen "$1" "${2:-5}"; then
		ok "screen shows: $1"
	else
		fail "screen does not show: $1"
		return 1
	fi
}

wait_for_re() {
	if on_screen_re "$1" "${2:-5}"; then
		ok "screen matches: $1"
	else
		fail "screen does not match: $1"
		return 1
	fi
}

wait_gone() {
	if off_screen "$1" "${2:-5}"; then
		ok "screen no longer shows: $1"
	else
		fail "screen still shows: $1"
		return 1
	fi
}

assert_screen() { # TEXT [DESCRIPTION]: now, no waiting
	if screen | grep -qF -- "$1"; then
		ok "${2:-screen shows: $1}"
	else
		fail "${2:-screen shows: $1} (it does not)"
	fi
}

assert_no_screen() { # TEXT [DESCRIPTION]
	if screen | grep -qF -- "$1"; then
		fail "${2:-screen does not show: $1} (it does)"
	else
		ok "${2:-screen does not show: $1}"
	fi
}

assert_screen_re() { # ERE [DESCRIPTION]
	if screen | grep -qE -- "$1"; then
		ok "${2:-screen matches: $1}"
	else
		fail "${2:-screen matches: $1} (it does not)"
	fi
}

assert_no_screen_re() { # ERE [DESCRIPTION]
	if screen | grep -qE -- "$1"; then
		fail "${2:-screen does not match: $1} (it does)"
	else
		ok "${2:-screen does not match: $1}"
	fi
}

# the status line (the last line of the pane)
status_line() {
	screen | tail -n 1
}

# ---- the fake's log ------------------------------------------------------------------
log_lines() {
	wc -l <"$LOG" | tr -d ' '
}

# log_mark: remember where argv.log ends; log_since: what was added since
log_mark() {
	E2E_MARK=$(log_lines)
}

log_since() {
	sed -n "$((${E2E_MARK:-0} + 1)),\$p" "$LOG"
}

# the action commands (everything but the polls) added since log_mark
actions_since() {
	log_since | grep -v -e '^show queue$' -e '^show status$' -e '^show stats$'
}

log_count() { # ERE: lines of argv.log matching ^ERE$
	grep -cE -- "^($1)\$" "$LOG"
}

# wait_log ERE [TIMEOUT=5]: a line added to argv.log since log_mark (or
# since the start) matches ^ERE$
wait_log() {
	_deadline=$(($(now_ms) + ${2:-5} * 1000))
	while :; do
		log_since | grep -qE -- "^($1)\$" && return 0
		[ "$(now_ms)" -ge "$_deadline" ] && return 1
		sleep 0.1
	done
}

# wait until the poll count grows by N (default 1): a fresh read was shown
wait_polls() { # [N] [TIMEOUT]
	_base=$(log_count 'show queue')
	_deadline=$(($(now_ms) + ${2:-6} * 1000))
	while :; do
		if [ $(($(log_count 'show queue') - _base)) -ge "${1:-1}" ]; then
			# the poll finished: let its result reach the screen
			sleep 0.3
			return 0
		fi
		[ "$(now_ms)" -ge "$_deadline" ] && return 1
		sleep 0.1
	done
}

in_queue() { # EVPID: the fake still has it
	grep -q "^$1|" "$QUEUE"
}

# ---- mhtop's process -------------------------------------------------------------------
alive() { # PID
	kill -0 "$1" 2>/dev/null
}

# MHTOP_PID is a live process running our mhtop with our config
is_our_mhtop() {
	case ${MHTOP_PID:-} in
	'' | *[!0-9]*) return 1 ;;
	esac
	_a=$(ps -p "$MHTOP_PID" -o args= 2>/dev/null)
	case $_a in
	*"-f $CONF"*) return 0 ;;
	esac
	return 1
}

# wait_exit [TIMEOUT=5]: mhtop ended and run.sh recorded its status
wait_exit() {
	_deadline=$(($(now_ms) + ${1:-5} * 1000))
	while [ ! -f "$E2E_DIR/exit" ]; do
		[ "$(now_ms)" -ge "$_deadline" ] && return 1
		sleep 0.05
	done
	return 0
}

exit_status() {
	cat "$E2E_DIR/exit" 2>/dev/null
}

# the terminal settings left after mhtop exited are sane (icanon, echo)
tty_restored() {
	[ -f "$E2E_DIR/stty.txt" ] &&
	    tr ' ;' '\n\n' <"$E2E_DIR/stty.txt" | grep -qx icanon &&
	    tr ' ;' '\n\n' <"$E2E_DIR/stty.txt" | grep -qx echo
}

# Processes of this test other than the tmux server and mhtop: anything
# whose command line names the test directory (the fake, its awk and cat),
# the fake's hang "sleep 60.<token>", and (Linux) anything with our
# FAKE_SMTPCTL_DIR in its environment.  Only reports; never kills.
leftovers() {
	case $E2E_DIR in
	/?*/mhtop-e2e.*) ;;
	*) return 0 ;;		# no pattern: report nothing rather than everything
	esac
	ps -A -o pid= -o args= 2>/dev/null |
	    E2E_PAT=$E2E_DIR E2E_SLEEP="sleep 60.$E2E_TOKEN" E2E_SELF=$$ awk '
	BEGIN { pat = ENVIRON["E2E_PAT"]; slp = ENVIRON["E2E_SLEEP"] }
	pat != "" && slp != "" {
		pid = $1
		if (pid == ENVIRON["E2E_SELF"]) next
		line = $0
		sub(/^ *[0-9]+ /, "", line)
		if (index(line, pat) > 0 || line == slp)
			print pid " " line
	}'
	if [ -r /proc/self/environ ] && echo x | grep -qz x 2>/dev/null; then
		for _f in $(grep -lzxF "FAKE_SMTPCTL_DIR=$STATE" \
		    /proc/[0-9]*/environ 2>/dev/null); do
			_p=${_f#/proc/}
			_p=${_p%/environ}
			[ "$_p" = "$$" ] && continue
			_a=$(tr '\0' ' ' <"/proc/$_p/cmdline" 2>/dev/null)
			case $_a in
			'') continue ;;	# gone meanwhile, or a zombie
			*"$E2E_DIR"*) continue ;;	# listed above
			esac
			echo "$_p $_a (environment)"
		done
	fi
}

# no_leftovers [TIMEOUT=3]: wait until no process of ours but mhtop, its
# run.sh and the tmux server remains
no_leftovers() {
	_deadline=$(($(now_ms) + ${1:-3} * 1000))
	while :; do
		_lo=$(leftovers | grep -v -e "tmux .*-L $E2E_SOCK" \
		    -e "run\.sh" -e "^${MHTOP_PID:-x} ")
		[ -z "$_lo" ] && return 0
		[ "$(now_ms)" -ge "$_deadline" ] && break
		sleep 0.1
	done
	say "# leftover processes:"
	printf '%s\n' "$_lo" | sed 's/^/#   /'
	return 1
}

# ---- the end ---------------------------------------------------------------------------
e2e_cleanup() {
	[ -n "$E2E_DIR" ] || return 0
	if [ "$E2E_SERVER_UP" = 1 ]; then
		tm kill-server 2>/dev/null
		E2E_SERVER_UP=0
	fi
	if is_our_mhtop; then
		_i=0
		while is_our_mhtop && [ $_i -lt 30 ]; do
			sleep 0.1
			_i=$((_i + 1))
		done
		if is_our_mhtop; then
			say "not ok - mhtop (pid $MHTOP_PID) survived the end of its terminal"
			E2E_FAILED=1
			kill -KILL "$MHTOP_PID" 2>/dev/null
		fi
	fi
	_lo=
	_i=0
	while :; do
		_lo=$(leftovers)
		[ -z "$_lo" ] && break
		[ $_i -ge 30 ] && break
		sleep 0.1
		_i=$((_i + 1))
	done
	if [ -n "$_lo" ]; then
		say "not ok - processes left behind after mhtop ended:"
		printf '%s\n' "$_lo" | sed 's/^/#   /'
		E2E_FAILED=1
	fi
	if [ "${E2E_KEEP:-0}" = 1 ]; then
		say "# kept $E2E_DIR"
	else
		rm -rf "$E2E_DIR"
	fi
	E2E_DIR=
}

finish() {
	e2e_cleanup
	trap - EXIT INT TERM HUP
	if [ "$E2E_FAILED" != 0 ]; then
		say "FAIL: $E2E_NAME"
		exit 1
	fi
	say "PASS: $E2E_NAME ($E2E_NCHECK checks)"
	exit 0
}

# ---- data ------------------------------------------------------------------------------
# The 14-varied fixture on screen, sorted by AGE (ctime, then evpid).
ROWS14='0862d5e211583af9
15ef78e2d1245448
3047f32eaba40d19
41a3e85a8587ab6c
82f7113b5a9de746
8924a15b86f02e24
8f9f6e4456c53f2d
aca65f001fc08029
aca65f0062f28350
aca65f00a2e33597
c66913f8b6c1a8b0
ecc8a5b7fc7f5b8c
ef58cc78c9672aba
7bb7df62a81a2c06'

# the evpids on screen, top to bottom
screen_evpids() {
	screen | awk 'NR > 1 && $1 ~ /^[+*]?[A-Z]?$/ { $1 = ""; $0 = $0 }
	NR > 1 && $1 ~ /^\*?[0-9a-f]+$/ && length($1) >= 16 {
		id = $1; sub(/^\*/, "", id); if (length(id) == 16) print id }'
}

# queue_line EVPID CTIME ERROR: a pending mta envelope in show queue format
queue_line() {
	printf '%s|inet4|mta||sender@example.com|rcpt@example.net|rcpt@example.net|%s|%s|0|1|pending|360|%s\n' \
	    "$1" "$2" "$2" "$3"
}

# row_gone EVPID [TIMEOUT=5]: true once no row of the table is EVPID (the
# status line may still name it: "1 envelope removed: EVPID")
row_gone() {
	_deadline=$(($(now_ms) + ${2:-5} * 1000))
	while screen_evpids | grep -qx "$1"; do
		[ "$(now_ms)" -ge "$_deadline" ] && return 1
		sleep 0.1
	done
	return 0
}

# gen_queue N: N pending envelopes a000000000000001.., one second apart, so
# that row I (from 1) is the I-th oldest
gen_queue() {
	awk -v n="$1" 'BEGIN {
		for (i = 1; i <= n; i++)
			printf "a%015x|inet4|mta||s%d@example.com|r%d@example.net|r%d@example.net|%d|%d|0|1|pending|360|Network error %d\n",
			    i, i, i, i, 1795520000 + i, 1795520000 + i, i
	}'
}

# the row number (from 1) of a gen_queue evpid
gen_index() {
	printf '%d\n' "0x${1#a}"
}

# ---- spamd: the fakes spamdb and pfctl ---------------------------------------------
# For the greylist and whitelist panes.  After e2e_init,
#
#	spamd_init [DB-FIXTURE [TABLE-FIXTURE]]
#
# links tests/fake/spamdb and tests/fake/pfctl into the test directory,
# gives them $STATE as FAKE_SPAMD_DIR (so they log to $LOG, next to the
# fake smtpctl), seeds $DB (the spamdb listing) and $TABLE (the pf table,
# leading blanks stripped) and writes a config naming them.  spamd_conf
# rewrites that config with extra lines (white-table, passtime, ...).
SPAMD_FIXTURES=$E2E_SRC/tests/fixtures/spamd

spamd_init() {
	e2e_pin "$E2E_SPAMD_NOW"
	ln -s "$E2E_SRC/tests/fake/spamdb" "$E2E_DIR/bin/spamdb"
	ln -s "$E2E_SRC/tests/fake/pfctl" "$E2E_DIR/bin/pfctl"
	SPAMDB=$E2E_DIR/bin/spamdb
	PFCTL=$E2E_DIR/bin/pfctl
	DB=$STATE/db
	TABLE=$STATE/table
	cp "${1:-$SPAMD_FIXTURES/spamdb-small.txt}" "$DB"
	sed 's/^[ 	]*//' "${2:-$SPAMD_FIXTURES/pfctl-show.txt}" >"$TABLE"
	# the pane's commands get FAKE_SPAMD_DIR from run.sh
	run_env FAKE_SPAMD_DIR "$STATE"
	write_conf "spamdb $SPAMDB" "pfctl $PFCTL"
}

# trace_init: every source of the trace knows bob@example.org (t_trace.sh,
# t_trace_view.sh): spamd_init's greylist with bob's tuple from 192.0.2.77,
# which passed and whose IP is WHITE and in the pf table, one for Bob@
# (another mailbox) from 192.0.2.78, one with a hostile HELO from
# 192.0.2.79; an envelope for bob queued (1a2b3c4d5e6f7a8b); a mail log
# ($ML) with smtpd receiving it from 192.0.2.77 and deferring it, a
# command for bob refused to 198.51.100.9, and amavis's verdict on the
# tuple's message; the captured
# quarantine ($Q, $QFILES messages for bob); spamd's own log, the
# fixture ($E2E_DIR/daemon); and the config naming them.  TRACE_NOW: the
# time the rows were made from.
trace_init() {
	spamd_init
	quarantine_init 3600
	_esc=$(printf '\033')
	_now=$(e2e_now)
	TRACE_NOW=$_now
	cat >>"$DB" <<EOT
GREY|192.0.2.77|mx.sender.example|<alice@sender.example>|<bob@example.org>|$((_now - 3000))|$((_now - 1200))|$((_now + 11400))|2|0
GREY|192.0.2.78|mx2.sender.example|<carol@sender.example>|<Bob@example.org>|$((_now - 2900))|$((_now + 11500))|$((_now + 11500))|1|0
GREY|192.0.2.79|${_esc}[2Jevil|<x@y.example>|<bob@example.org>|$((_now - 2800))|$((_now + 11600))|$((_now + 11600))|1|0
WHITE|192.0.2.77|||$((_now - 3000))|$((_now - 1200))|$((_now + 3110400))|2|0
EOT
	echo 192.0.2.77 >>"$TABLE"
	echo "1a2b3c4d5e6f7a8b|inet4|mta||alice@sender.example|bob@example.org|bob@example.org|$((_now - 2000))|$((_now - 100))|0|3|pending|600|421 4.7.0 Try again later" >>"$QUEUE"
	ML=$E2E_DIR/maillog
	_at() { date -u -d "@$1" '+%b %e %H:%M:%S'; }
	{
		# smtpd: bob's envelope from the tuple's IP, a deferral;
		# another client refused for him
		echo "$(_at $((_now - 2000))) mx smtpd[8350]: 7da64a60030e07c7 smtp connected address=192.0.2.77 host=mx.sender.example"
		echo "$(_at $((_now - 2000))) mx smtpd[8350]: 7da64a60030e07c7 smtp envelope evpid=1a2b3c4d5e6f7a8b from=<alice@sender.example> to=<bob@example.org>"
		echo "$(_at $((_now - 1900))) mx smtpd[8350]: 8e8e000000000001 smtp connected address=198.51.100.9 host=bad.example"
		echo "$(_at $((_now - 1900))) mx smtpd[8350]: 8e8e000000000001 smtp failed-command command=\"RCPT TO:<bob@example.org>\" result=\"550 5.7.1 Delivery not authorized, message refused\""
		echo "$(_at $((_now - 1100))) mx amavis[4559]: (04559-01) Passed CLEAN {RelayedInbound}, [127.0.0.1] [192.0.2.77] <alice@sender.example> -> <bob@example.org>, Message-ID: <m1@sender.example>, mail_id: Ab1cD2eF3gH4, Hits: -0.1, size: 1234, queued_as: 250 2.0.0 aabbccdd Message accepted for delivery, 80 ms"
		echo "$(_at $((_now - 100))) mx smtpd[8350]: 7da64a5c00ed7daa mta delivery evpid=1a2b3c4d5e6f7a8b from=<alice@sender.example> to=<bob@example.org> rcpt=<-> source=\"192.0.2.1\" relay=\"203.0.113.25 (mx.example.org)\" delay=31m40s result=\"TempFail\" stat=\"421 4.7.0 Try again later\""
	} >"$ML"
	cp "$SPAMD_FIXTURES/spamd-daemon-log.txt" "$E2E_DIR/daemon"
	spamd_conf "quarantine $Q" "maillog $ML" "spamdlog $E2E_DIR/daemon"
}

# amavis_release_init: the fake amavisd-release in $E2E_DIR/bin, its state
# in $AM and the argv it was run with in $RLOG (empty now), releasing
# from $Q (quarantine_init first)
amavis_release_init() {
	AM=$E2E_DIR/amavis
	mkdir "$AM"
	ln -s "$E2E_SRC/tests/fake/amavisd-release" "$E2E_DIR/bin/amavisd-release"
	run_env FAKE_AMAVIS_DIR "$AM"
	run_env FAKE_QUARANTINE "$Q"
	RLOG=$AM/argv.log
	: >"$RLOG"
}

# the amavisd-release command lines run, sorted
releases() {
	sort "$RLOG"
}

# wait_releases WANT: until they are WANT (5 s)
wait_releases() {
	_i=0
	while [ "$(releases)" != "$1" ] && [ $_i -lt 50 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	[ "$(releases)" = "$1" ]
}

# quarantine_init SECONDS: the captured hashed quarantine in $Q, its files
# quarantined a minute apart from SECONDS ago on the test's clock, in name
# order; QFILES is their number
quarantine_init() {
	Q=$E2E_DIR/virusmails
	cp -R "$E2E_SRC/tests/fixtures/amavis/quarantine" "$Q"
	chmod -R u+w "$Q"
	_now=$(e2e_now)
	QFILES=0
	for _f in $(cd "$Q" && find . -type f | sed 's|^\./||' | sort); do
		QFILES=$((QFILES + 1))
		touch -d "@$((_now - $1 - QFILES * 60))" "$Q/$_f"
	done
}

# quarantined_ago FILE SECONDS: FILE of $Q came SECONDS ago
quarantined_ago() {
	touch -d "@$(($(e2e_now) - $2))" "$Q/$1"
}

# run_env NAME VALUE: export NAME=VALUE to the mhtop that run.sh starts
# (from the next start_mhtop on; VALUE without single quotes)
run_env() {
	# before the cd: after the exports of e2e_init and earlier run_env
	awk -v n="$1" -v v="$2" '
	/^cd / && !done {
		print n "='\''" v "'\''"
		print "export " n
		done = 1
	}
	{ print }' "$E2E_DIR/run.sh" >"$E2E_DIR/run.sh.new" &&
	    mv -f "$E2E_DIR/run.sh.new" "$E2E_DIR/run.sh"
}

# spamd_conf [EXTRA LINES...]: the config with the spamd fakes
spamd_conf() {
	write_conf "spamdb $SPAMDB" "pfctl $PFCTL" "$@"
}

# replace the fake's db atomically (readers see the old or the new file)
set_db() { # FILE
	cp "$1" "$STATE/.db.$$" && mv -f "$STATE/.db.$$" "$DB"
}

# run the fakes by hand (set-up, batch mode), with the test's state
spamd_env() { # COMMAND...
	e2e_clock
	FAKE_SPAMD_DIR=$STATE FAKE_SMTPCTL_DIR=$STATE "$@"
}

# the action commands (no polls: bare "spamdb", "pfctl ... -T show") added
# since log_mark, with the fakes' paths shortened to spamdb and pfctl
spamd_actions_since() {
	log_since | grep -v -e '^show queue$' -e '^show status$' -e '^show stats$' \
	    -e '^spamdb$' -e '^pfctl -t [^ ]* -T show$'
}

# wait until the count of spamdb listings grows by N (default 1)
spamd_wait_polls() { # [N] [TIMEOUT]
	_base=$(log_count 'spamdb')
	_deadline=$(($(now_ms) + ${2:-6} * 1000))
	while :; do
		if [ $(($(log_count 'spamdb') - _base)) -ge "${1:-1}" ]; then
			sleep 0.3
			return 0
		fi
		[ "$(now_ms)" -ge "$_deadline" ] && return 1
		sleep 0.1
	done
}

# wait_actions WANT [TIMEOUT=5]: the actions since log_mark become WANT
wait_actions() {
	_deadline=$(($(now_ms) + ${2:-5} * 1000))
	while :; do
		[ "$(spamd_actions_since)" = "$1" ] && return 0
		[ "$(now_ms)" -ge "$_deadline" ] && return 1
		sleep 0.1
	done
}

# grey_line IP HELO FROM TO FIRST PASS EXPIRE [BCOUNT [PCOUNT]]
grey_line() {
	printf 'GREY|%s|%s|%s|%s|%s|%s|%s|%s|%s\n' "$1" "$2" "$3" "$4" "$5" \
	    "$6" "$7" "${8:-1}" "${9:-0}"
}

# The cursor row of a spamd pane: the first line drawn in reverse video that
# is not the column titles (" IP ", " TYPE ", " SENDER DOMAIN").
spamd_cursor_line() {
	reverse_lines | grep -v -E '^ +(IP|TYPE|SENDER DOMAIN)  ' |
	    head -n 1
}

# field N (default 1) of the cursor row, without a leading mark (+ or *)
# or a pane's mark (W)
spamd_cursor_key() {
	spamd_cursor_line | awk -v f="${1:-1}" '
	$1 ~ /^[+*]?[A-Z]?$/ { $1 = ""; $0 = $0 }
	{ k = $f; sub(/^[+*]/, "", k); print k }'
}

# field N of each table row on the screen, top to bottom
spamd_row_keys() {
	# the last line of the screen is the status line, empty or not
	screen | sed '$d' | awk -v f="${1:-1}" '
	hdr && $1 ~ /^[+*]?[A-Z]?$/ { $1 = ""; $0 = $0 }
	hdr && NF { k = $f; sub(/^[+*]/, "", k); print k }
	/^ +(IP|TYPE|SENDER DOMAIN) / { hdr = 1 }'
}

# wait_cursor_key KEY [FIELD=1] [TIMEOUT=5]
wait_cursor_key() {
	_deadline=$(($(now_ms) + ${3:-5} * 1000))
	while :; do
		_got=$(spamd_cursor_key "${2:-1}")
		[ "$_got" = "$1" ] && return 0
		[ "$(now_ms)" -ge "$_deadline" ] && break
		sleep 0.1
	done
	say "# cursor is on [$_got], expected [$1]"
	return 1
}

# spamd_cursor_to KEY [FIELD=1]: Home, then j down to the first row whose
# field FIELD is KEY (it must be on the screen)
spamd_cursor_to() {
	_rows=$(spamd_row_keys "${2:-1}")
	_first=$(printf '%s\n' "$_rows" | head -n 1)
	_idx=$(printf '%s\n' "$_rows" | grep -nxF -- "$1" | head -n 1 | cut -d: -f1)
	if [ -z "$_idx" ]; then
		say "# $1 is not on the screen"
		return 1
	fi
	keys Home
	wait_cursor_key "$_first" "${2:-1}" 3 || return 1
	_i=1
	while [ "$_i" -lt "$_idx" ]; do
		keys j
		_i=$((_i + 1))
	done
	wait_cursor_key "$1" "${2:-1}" 3
}

# bold: tagged rows and rows a provider marks for attention
bold_lines() {
	attr_lines 1 22
}
