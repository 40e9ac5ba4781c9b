#!/usr/bin/env bash
# Make PNGs of the real screen of `mhtop --demo`.
#
#   screenshots/make-screenshots.sh [OUTDIR]        (default: screenshots/)
#
# Runs mhtop --demo in a private tmux server (132x36, LANG=C.UTF-8,
# TERM=tmux-256color), captures the pane with its attributes
# (`tmux capture-pane -e -p -N`) at a few moments, turns each capture into
# an HTML page with a dark terminal look and DejaVu Sans Mono
# (screenshots/ansi2html.awk), and renders the page with headless Chromium:
#
#   queue.png    the queue pane, the cursor a few rows down (README.md)
#   help.png     the help view (?)
#   grey.png, greygroup.png, white.png   panes 2 (also grouped by domain) and 3
#   verdicts.png, verdict-detail.png     pane 4 and a message's story
#   detail.png   the detail view (Enter): fields and `smtpctl show envelope`
#   history.png  its end: smtpd's hoststats and routes for the domain, and
#                the envelope's delivery attempts in the mail log
#   filter.png   the queue filtered with /greylist
#   confirm.png  the confirmation prompt after d (answered n afterwards)
#   shape.png, errors.png   b: the queue by recipient domain, by error
#   narrow.png   the queue at 80x24: the columns it keeps
#   quarantine.png, quarantine-detail.png   pane 5, and a message's details
#   trace.png    T on sales@example.org: the answer, then every pane's rows
#
# Environment: MHTOP (default build/mhtop, else ./mhtop), FONT_PX
# (14), SCALE (device scale factor, 1), KEEP=1 keeps the work directory
# (captures, HTML).  Installs tmux, chromium and fonts-dejavu-core with
# apt-get when they are missing.  The demo touches nothing on the system.

set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
# scripts/setup builds in build/; a plain ./configure && make in the top
if [ -z "${MHTOP:-}" ]; then
	MHTOP=./mhtop
	[ -x build/mhtop ] && MHTOP=./build/mhtop
fi
case $MHTOP in
/*) ;;
*) MHTOP=$ROOT/${MHTOP#./} ;;
esac
OUT=${1:-$ROOT/screenshots}
COLS=132
ROWS=36
FONT_PX=${FONT_PX:-14}
SCALE=${SCALE:-1}
CONV=$ROOT/screenshots/ansi2html.awk

die() {
	echo "make-screenshots: $*" >&2
	exit 1
}
note() {
	echo "# $*" >&2
}

[ -x "$MHTOP" ] || die "$MHTOP: not built (autoreconf -fi && ./configure && make)"
[ -r "$CONV" ] || die "$CONV: missing"
mkdir -p "$OUT"

# ---- packages ---------------------------------------------------------------
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
APT_UPDATED=
install_pkg() {
	note "installing $*"
	if [ -z "$APT_UPDATED" ]; then
		$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq ||
		    die "apt-get update failed"
		APT_UPDATED=1
	fi
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends "$@" >/dev/null || die "cannot install $*"
}
command -v tmux >/dev/null 2>&1 || install_pkg tmux
command -v chromium >/dev/null 2>&1 || install_pkg chromium
[ -r /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf ] ||
    install_pkg fonts-dejavu-core
command -v awk >/dev/null 2>&1 || install_pkg mawk

# ---- tmux ---------------------------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mhtop-shots.XXXXXX")
SOCK=mhtop-shots-$$
tm() {
	tmux -L "$SOCK" -f /dev/null "$@"
}
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
	tm kill-server >/dev/null 2>&1 || true
	if [ "${KEEP:-}" = 1 ]; then
		note "work directory kept: $WORK"
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

TERMNAME=tmux-256color
infocmp "$TERMNAME" >/dev/null 2>&1 || TERMNAME=screen-256color

tm new-session -d -s hold -x "$COLS" -y "$ROWS" 'sleep 86400'
tm set -g status off
tm set -g default-terminal "$TERMNAME"
tm set -g history-limit 0
tm new-session -d -s demo -x "$COLS" -y "$ROWS" \
    "exec env LANG=C.UTF-8 LC_ALL= $(printf '%q' "$MHTOP") --demo"
size=$(tm display -p -t demo '#{pane_width}x#{pane_height}')
[ "$size" = "${COLS}x$ROWS" ] || die "pane is $size, not ${COLS}x$ROWS"

screen() {
	tm capture-pane -p -t demo
}
wait_for() { # fixed string, timeout in tenths of a second
	local n=0
	while [ "$n" -lt "${2:-100}" ]; do
		if screen | grep -qF -- "$1"; then
			return 0
		fi
		sleep 0.1
		n=$((n + 1))
	done
	screen >&2
	die "timed out waiting for: $1"
}
wait_gone() { # fixed string, timeout in tenths of a second
	local n=0
	while [ "$n" -lt "${2:-100}" ]; do
		if ! screen | grep -qF -- "$1"; then
			return 0
		fi
		sleep 0.1
		n=$((n + 1))
	done
	die "timed out waiting for the end of: $1"
}
keys() {
	tm send-keys -t demo "$@"
}
settle() {
	# let mhtop draw what the keys did (it redraws at once; the 1 s clock
	# tick must not fall between two captures of a pair)
	sleep 0.4
}
capture() { # name
	tm capture-pane -e -p -N -t demo >"$WORK/$1.ans"
	tm capture-pane -p -t demo >"$WORK/$1.txt"
	tm display -p -t demo '#{pane_width} #{pane_height}' >"$WORK/$1.size"
	note "captured $1"
}

# ---- the moments ------------------------------------------------------------------
wait_for " envelopes: " 100
wait_for "? for help" 50
# the counters' rates need two reads 20 s apart
wait_for "rates after" 50
sleep 21
wait_for "per min:" 100
keys j j j
settle
capture queue

keys '?'
wait_for "Global keys"
settle
capture help
keys q
wait_gone "Global keys"

keys Enter
wait_for '$ '
wait_gone "(loading...)" 100
settle
capture detail
# its end: smtpd's hoststats and routes, its history in the mail log
keys G
wait_for " connecting to " 100
settle
capture history
keys q
wait_for " ENVELOPE "

tm resize-window -t demo -x 80 -y 24
wait_for " AGE STATE "
settle
capture narrow
tm resize-window -t demo -x "$COLS" -y "$ROWS"
wait_for " TRIES "

keys /
wait_for "filter (~ for a regex):"
keys -l greylist
keys Enter
wait_for "filter: greylist ("
settle
capture filter
keys Escape
wait_for "filter cleared"

keys d
wait_for "[y/N]"
settle
capture confirm
keys n
wait_for "cancelled"

# b: the queue's shape, by recipient domain, then (b b) by error
keys b
wait_for "queue by recipient domain:"
settle
capture shape
keys b b
wait_for "queue by error:"
settle
capture errors
keys b
wait_for " ENVELOPE "

keys 2
wait_for " HELO "
sleep 2.5			# a few reads: rates, sparkline, new-tuple marks
settle
capture grey
keys b
wait_for "SENDER DOMAIN"
settle
capture greygroup
keys b
keys 3
wait_for "IN PF"
settle
capture white
keys 4
wait_for "HITS"
settle
capture verdicts
keys /
wait_for "filter (~ for a regex):"
keys -l delivered
keys Enter
wait_for "filter: delivered ("
keys Enter
wait_for "the message:"
settle
capture verdict-detail
keys q
keys Escape
keys 5
wait_for "QUARANTINE ID"
keys j j
settle
capture quarantine
keys Enter
wait_for "the message's header:"
keys G			# the end: its tests, parts and preview
wait_for "MIME structure:"
settle
capture quarantine-detail
keys q
# T: one address through every pane, spamd's log too
keys 1 T C-u
tm send-keys -l -t demo -- 'sales@example.org'
keys Enter
wait_for "tuples greylisted from"
sleep 2			# every pane read afresh, spamd's log too
capture trace
keys Escape
keys q

# ---- HTML, PNG ------------------------------------------------------------------------
# DejaVu Sans Mono advances 1233/2048 em; 14 px -> 8.43 px a column.
PAD_X=14
PAD_Y=12
LINE_PX=$(((FONT_PX * 6 + 2) / 5))		# 1.2 em, rounded
for name in queue help detail history narrow filter confirm shape errors grey \
    greygroup white verdicts verdict-detail quarantine quarantine-detail \
    trace; do
	read -r cols rows <"$WORK/$name.size"
	W=$(awk -v c="$cols" -v f="$FONT_PX" -v p="$PAD_X" \
	    'BEGIN { w = c * f * 1233 / 2048; print int(w) + (w > int(w)) + 2 * p }')
	H=$((rows * LINE_PX + 2 * PAD_Y))
	awk -v cols="$cols" -v rows="$rows" -v font_px="$FONT_PX" \
	    -v line_px="$LINE_PX" -v pad_x="$PAD_X" -v pad_y="$PAD_Y" \
	    -v title="mhtop --demo: $name" -f "$CONV" \
	    "$WORK/$name.ans" >"$WORK/$name.html"
	profile=$(mktemp -d "$WORK/chromium.XXXXXX")
	rm -f "$OUT/$name.png"
	timeout 120 chromium --headless --no-sandbox --disable-gpu \
	    --disable-quic --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync \
	    --user-data-dir="$profile" --force-device-scale-factor="$SCALE" \
	    --screenshot="$OUT/$name.png" --window-size="$W,$H" \
	    --hide-scrollbars "file://$WORK/$name.html" \
	    >"$WORK/chromium-$name.log" 2>&1 || true
	rm -rf "$profile"
	[ -s "$OUT/$name.png" ] || {
		tail -n 20 "$WORK/chromium-$name.log" >&2
		die "chromium made no $name.png"
	}
	echo "$OUT/$name.png: $(file -b "$OUT/$name.png" 2>/dev/null || echo png)"
done
