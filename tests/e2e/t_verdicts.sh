#!/bin/sh
# The verdicts pane (4) against a mail log made of the captured amavis and
# smtpd lines of tests/fixtures/amavis/ (maillog-mixed.txt in BSD framing,
# lab-rsyslog-maillog.txt in RFC 3339), their times moved to a few minutes
# ago, and three hand-made verdicts: a hostile Subject (the text \x1B[2J, a
# raw ESC, vis-encoded UTF-8), an IPv6 client and an invalid client address.
#  - batch mode: the header line, oldest first, fields, the escaped Subject;
#  - the rows, newest first, the header counts, f (all/blocked/spam/clean),
#    h (hits, highest first; again lowest first), escaped hostile text;
#  - Enter: the story of a passed message and smtpd's lines; the tests with
#    the descriptions of a fake sa-rules directory;
#  - W: asks, n runs nothing, y runs spamdb -a IP then pfctl -T add IP; the
#    IPv6 warning; an invalid address is refused;
#  - Q to the queue pane, a from the queue pane back, nothing to jump to;
#  - following the log: appended lines, a partial line, a rotation; the
#    cursor on the top row follows the newest, below it keeps its line;
#  - a missing log: "waiting for PATH", then the rows when it appears;
#  - two rotations within one interval; a damaged .gz named in the header.
. "${srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
# whole cells: wide enough that no address is cut
E2E_COLS=160
need_tmux
e2e_init
spamd_init
# the BSD timestamps are local time: make that UTC, as the shifted log is
TZ=UTC0
export TZ

AMAVIS=$E2E_SRC/tests/fixtures/amavis
ML=$E2E_DIR/maillog
SA1=$E2E_DIR/sa-rules
SA2=$E2E_DIR/sa-local
T=$(printf '\t')
ESC=$(printf '\033')
ELLIPSIS=$(printf '\342\200\246')	# what a cut cell ends with, 3 bytes

actions_are() { # WANT DESCRIPTION
	if wait_actions "$1" 5; then
		ok "$2"
	else
		fail "$2: got [$(spamd_actions_since)], want [$1]"
	fi
}

# shift_log START FILE: FILE with its first line's time made START (epoch)
# and the others as far from it as they were.  Only the timestamp changes,
# in its own format: BSD "Mmm dd HH:MM:SS" or RFC 3339 (the fraction and the
# offset are kept).  The times are read and written as UTC, in 2026.
shift_log() {
	awk -v start="$1" '
	function days(y, m, d,   era, yoe, doy, doe) {
		y -= (m <= 2)
		era = int((y >= 0 ? y : y - 399) / 400)
		yoe = y - era * 400
		doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
		doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
		return era * 146097 + doe - 719468
	}
	function civil(z,   era, doe, yoe, doy, mp) {
		z += 719468
		era = int((z >= 0 ? z : z - 146096) / 146097)
		doe = z - era * 146097
		yoe = int((doe - int(doe / 1460) + int(doe / 36524) - \
		    int(doe / 146096)) / 365)
		doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
		mp = int((5 * doy + 2) / 153)
		D = doy - int((153 * mp + 2) / 5) + 1
		M = mp < 10 ? mp + 3 : mp - 9
		Y = yoe + era * 400 + (M <= 2)
	}
	function moved(t,   n) {
		if (first == "")
			first = t
		n = t - first + start
		civil(int(n / 86400))
		return n % 86400
	}
	BEGIN {
		split("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec", MN, " ")
		for (i = 1; i <= 12; i++)
			MI[MN[i]] = i
	}
	/^[A-Z][a-z][a-z] [ 0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9] / {
		s = moved(days(2026, MI[substr($0, 1, 3)], substr($0, 5, 2) + 0) * \
		    86400 + substr($0, 8, 2) * 3600 + substr($0, 11, 2) * 60 + \
		    substr($0, 14, 2))
		printf "%s %2d %02d:%02d:%02d%s\n", MN[M], D, int(s / 3600),
		    int(s / 60) % 60, s % 60, substr($0, 16)
		next
	}
	/^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]/ {
		s = moved(days(substr($0, 1, 4) + 0, substr($0, 6, 2) + 0,
		    substr($0, 9, 2) + 0) * 86400 + substr($0, 12, 2) * 3600 + \
		    substr($0, 15, 2) * 60 + substr($0, 18, 2))
		printf "%04d-%02d-%02dT%02d:%02d:%02d%s\n", Y, M, D,
		    int(s / 3600), int(s / 60) % 60, s % 60, substr($0, 20)
		next
	}
	{ print }' "$2"
}

# amavis_line LOGID TEXT: a BSD-framed amavis line (time 12:00:00, for
# shift_log)
amavis_line() {
	printf 'Nov 24 12:00:00 mx amavis[9101]: (%s) %s\n' "$1" "$2"
}

# new_verdict LOGID SENDER IP: a short-template Passed CLEAN line, now
new_verdict() {
	amavis_line "$1" "Passed CLEAN {RelayedInbound}, [127.0.0.1] [$3] <$2> -> <bob@example.org>, Message-ID: <$1@follow.example>, mail_id: FoLLoWaaaaaa, Hits: 2.2, size: 1111, queued_as: 250 2.0.0 aaaa0001 Message accepted for delivery, 100 ms" \
	    >"$E2E_DIR/new.in"
	shift_log "$(e2e_now)" "$E2E_DIR/new.in"
}

# ---- the log ------------------------------------------------------------------
# the hand-made verdicts, 5 s apart: hostile Subject (verbose template),
# IPv6 client, invalid client address (blocked, no smtpd line about it)
{
	amavis_line 09101-01 "Passed CLEAN {RelayedInbound}, [127.0.0.1] [192.0.2.66] /ESMTP <evil@hostile.example> -> <bob@example.org>, (ESMTPS://192.0.2.66), Message-ID: <hostile-1@hostile.example>, mail_id: HoStIlE1xyz0, b: c2wIWwvgN, Hits: 0.5, size: 900, queued_as: 250 2.0.0 0badc0de Message accepted for delivery, Subject: \"Hostile \\x1B[2J wipe ${ESC}[31mRED${ESC}[0m cafM-CM-) end\", From: <evil@hostile.example>, helo=, Tests: [RCVD_ILLEGAL_IP=0.5], autolearn=no autolearn_force=no, autolearnscore=0.5, 80 ms"
	amavis_line 09101-02 "Passed SPAMMY {RelayedTaggedInbound}, [127.0.0.1] [2001:db8::25] <news@v6.example> -> <carol@example.org>, Message-ID: <v6-1@v6.example>, mail_id: V6aaaaaaaaaa, Hits: 5.5, size: 1200, queued_as: 250 2.0.0 0000beef Message accepted for delivery, 90 ms" |
	    sed 's/12:00:00/12:00:05/'
	amavis_line 09101-03 "Blocked SPAM {DiscardedInbound,Quarantined}, [127.0.0.1] [198.51.100.300] <spam@badip.example> -> <bob@example.org>, quarantine: spam-BaDiPaaaaaaa.gz, Message-ID: <badip-1@badip.example>, mail_id: BaDiPaaaaaaa, Hits: 12.5, size: 700, 95 ms" |
	    sed 's/12:00:00/12:00:10/'
} >"$E2E_DIR/hand.in"
NOW=$(e2e_now)
{
	shift_log $((NOW - 420)) "$AMAVIS/maillog-mixed.txt"
	shift_log $((NOW - 300)) "$AMAVIS/lab-rsyslog-maillog.txt"
	shift_log $((NOW - 120)) "$E2E_DIR/hand.in"
} >"$ML"
# only the timestamps moved
assert_eq "$(shift_log $((NOW - 420)) "$AMAVIS/maillog-mixed.txt" | cut -c16- | cksum)" \
    "$(cut -c16- "$AMAVIS/maillog-mixed.txt" | cksum)" \
    'set-up: the shifted BSD lines are the captured ones after the timestamp'
assert_eq "$(shift_log $((NOW - 300)) "$AMAVIS/lab-rsyslog-maillog.txt" | cut -c20- | cksum)" \
    "$(cut -c20- "$AMAVIS/lab-rsyslog-maillog.txt" | cksum)" \
    'set-up: the shifted RFC 3339 lines are the captured ones after the seconds'

# SpamAssassin rule files in two directories
mkdir "$SA1" "$SA2"
cat >"$SA1/20_mhtop_test.cf" <<'EOF'
# not SpamAssassin's own files: the descriptions the test looks for
describe GTUBE Generic Test for Unsolicited Bulk Email
score GTUBE 1000
EOF
cat >"$SA2/10_local.cf" <<'EOF'
describe ALL_TRUSTED Passed through trusted hosts only via SMTP
EOF

# the queue: the re-injected copy of the SPAMMY verdict (3e470830), the
# original of the lab's clean verdict (2ae20678), an unrelated message
{
	queue_line 3e470830aa11bb22 $((NOW - 400)) 'Network error'
	queue_line 2ae20678caaf01ef $((NOW - 300)) 'Network error'
	queue_line 1234abcd00000001 $((NOW - 200)) 'Network error'
} >"$E2E_DIR/queue.in"
set_queue "$E2E_DIR/queue.in"

spamd_conf "maillog $ML" "history 1d" "sa-rules $SA1 $SA2"

# ---- screen helpers -------------------------------------------------------------
ROW_RE='^ . [0-9][0-9]:[0-9][0-9]:[0-9][0-9]  '

v_rows() { # the verdict rows on the screen, top to bottom, without marks
	screen | grep -E "$ROW_RE" | sed 's/^ . / /'
}

v_nrows() {
	v_rows | wc -l | tr -d ' '
}

# wait_nrows N [TIMEOUT=5]: the screen shows N verdict rows
wait_nrows() {
	_deadline=$(($(now_ms) + ${2:-5} * 1000))
	while :; do
		[ "$(v_nrows)" = "$1" ] && return 0
		[ "$(now_ms)" -ge "$_deadline" ] && break
		sleep 0.1
	done
	say "# $(v_nrows) rows on the screen, expected $1"
	return 1
}

# v_field hits|ip: that column of each row, top to bottom (HITS is
# right-aligned before CLIENT IP; the category can hold blanks; a cut cell's
# ellipsis is made one byte, so that the columns line up in bytes)
v_field() {
	screen | sed "s/$ELLIPSIS/~/g" | awk -v want="$1" '
	/^ . TIME/ { c = index($0, "CLIENT IP"); next }
	c && /^ . [0-9][0-9]:[0-9][0-9]:[0-9][0-9]  / {
		if (want == "hits") {
			n = split(substr($0, 1, c - 1), a, " ")
			print a[n]
		} else {
			split(substr($0, c), a, " ")
			print a[1]
		}
	}'
}

v_hits() {
	v_field hits
}

v_cursor_line() {
	reverse_lines | grep -E "$ROW_RE" | head -n 1
}

# wait_vcursor TEXT [TIMEOUT=3]: the cursor row contains TEXT
wait_vcursor() {
	_deadline=$(($(now_ms) + ${2:-3} * 1000))
	while :; do
		v_cursor_line | grep -qF -- "$1" && return 0
		[ "$(now_ms)" -ge "$_deadline" ] && break
		sleep 0.1
	done
	say "# the cursor row is [$(v_cursor_line)], expected one with [$1]"
	return 1
}

# v_cursor_to TEXT: Home, then j down to the one row that contains TEXT
v_cursor_to() {
	_idx=$(v_rows | grep -nF -- "$1" | cut -d: -f1)
	case $_idx in
	'' | *[!0-9]*)
		say "# [$1] is not on one row of the screen"
		return 1 ;;
	esac
	keys Home
	wait_vcursor "$(v_rows | head -n 1 | sed 's/ *$//')" 3 || return 1
	_i=1
	while [ "$_i" -lt "$_idx" ]; do
		keys j
		_i=$((_i + 1))
	done
	wait_vcursor "$1" 3
}

# the active tab of the top line
active_tab() {
	screen_e | head -n 1 |
	    grep -o "$ESC\[[0-9;]*7m[0-9]:[a-z]*" | sed 's/.*m//' | head -n 1
}

wait_tab() { # NAME [TIMEOUT=3]
	_deadline=$(($(now_ms) + ${2:-3} * 1000))
	while :; do
		[ "$(active_tab)" = "$1" ] && return 0
		[ "$(now_ms)" -ge "$_deadline" ] && break
		sleep 0.1
	done
	say "# the active tab is [$(active_tab)], expected [$1]"
	return 1
}

# the time of the last read, from the header's "data HH:MM:SS"
data_time() {
	screen | sed -n 's/^data \([0-9:]*\) .*/\1/p' | head -n 1
}

# wait_reads N [TIMEOUT]: N more reads of the pane were shown
wait_reads() {
	_n=0
	_last=$(data_time)
	_deadline=$(($(now_ms) + ${2:-8} * 1000))
	while [ $_n -lt "$1" ]; do
		[ "$(now_ms)" -ge "$_deadline" ] && return 1
		sleep 0.1
		_dt=$(data_time)
		if [ -n "$_dt" ] && [ "$_dt" != "$_last" ]; then
			_n=$((_n + 1))
			_last=$_dt
		fi
	done
	return 0
}

# ---- batch mode ----------------------------------------------------------------------
spamd_env "$MHTOP" -b -p verdicts -f "$CONF" >"$E2E_DIR/batch.out" \
    2>"$E2E_DIR/batch.err" </dev/null
assert_eq "$?" 0 '-b -p verdicts exits 0'
assert_eq "$(head -n 1 "$E2E_DIR/batch.out")" \
    "time${T}logid${T}action${T}category${T}hits${T}ip${T}from${T}to${T}subject${T}size${T}mail_id${T}quarantine${T}queued_as${T}tests" \
    '-b -p verdicts: the header line'
assert_eq "$(sed 1d "$E2E_DIR/batch.out" | wc -l | tr -d ' ')" 25 \
    '-b: 25 verdicts (19 + 3 captured, 3 made)'
assert_eq "$(sed 1d "$E2E_DIR/batch.out" | cut -f2 | sed -n '1p;$p' | tr '\n' ' ')" \
    '08553-01 09101-03 ' '-b: oldest first (the first captured verdict, the last made one)'
assert_eq "$(sed 1d "$E2E_DIR/batch.out" | cut -f1 | sort -n -c 2>&1 && echo sorted)" \
    sorted '-b: the times never go down'
# 08553-01 was logged 1 s after the first line of maillog-mixed.txt
assert_eq "$(sed -n 2p "$E2E_DIR/batch.out" | cut -f1)" $((NOW - 419)) \
    '-b: the time of the first verdict, in epoch seconds'
bline() { # LOGID: the line of a verdict, without its time
	awk -F '\t' -v id="$1" '$2 == id' "$E2E_DIR/batch.out" | cut -f2-
}
assert_eq "$(bline 07084-01-2)" \
    "07084-01-2${T}Blocked${T}SPAM${T}999${T}127.0.0.1${T}spammer@spam.example${T}dave@example.org${T}mhtop lab offer e664b9${T}496${T}0TEEcr1v274u${T}0/spam-0TEEcr1v274u.gz${T}${T}ALL_TRUSTED=-1,GTUBE=1000" \
    '-b: the RFC 3339 GTUBE verdict, every field'
assert_eq "$(bline 08553-01-3 | cut -f7,12)" \
    "dave@example.org,carol@example.org,bob@example.org${T}250 2.0.0 2769a5a6 Message accepted for delivery" \
    '-b: three recipients joined by commas; queued_as'
assert_eq "$(bline 09101-01 | cut -f8)" \
    'Hostile \\x1B[2J wipe \x1b[31mRED\x1b[0m café end' \
    '-b: the hostile Subject: backslash doubled, ESC as \x1b, M-CM-) as é'
assert_eq "$(bline 09101-02 | cut -f5)" '2001:db8::25' '-b: the IPv6 client'
check '-b: no raw ESC in the output' test -z "$(grep -l "$ESC" "$E2E_DIR/batch.out")"
assert_eq "$(cat "$E2E_DIR/batch.err")" '' '-b: nothing on stderr'

# ---- the pane -----------------------------------------------------------------------
start_mhtop -d 1 -p verdicts
tm resize-window -t e2e -x 200 -y 50
wait_for '4:verdicts' 5
wait_for "maillog: following $ML  25 verdicts" 10
wait_for_re '^ . TIME- +VERDICT +HITS +CLIENT IP +SENDER → RECIPIENT +SUBJECT +SIZE +WBL +FATE *$'
check '25 rows on the screen' wait_nrows 25
assert_screen 'last 10 min, per min: 1.3 clean  0.2 spam passed  0.6 spam blocked  0.2 banned  0.1 infected  0.1 bad header' \
    'the header counts each outcome of the last 10 minutes'
# newest first: the made verdicts, then the lab's, then maillog-mixed's
assert_eq "$(v_rows | head -n 3 | awk '{ print $2, $3 }')" 'Blocked SPAM
Passed SPAMMY
Passed CLEAN' 'the newest verdicts first: the verdicts'
assert_eq "$(v_field ip | head -n 3)" '198.51.100.300
2001:db8::25
192.0.2.66' 'the newest verdicts first: their clients'
assert_eq "$(v_rows | sed -n '4,6p' | grep -c 'mhtop lab')" 3 'then the 3 of the RFC 3339 log'
assert_eq "$(v_rows | tail -n 1 | grep -c '<alice@sender.example> → <bob@example.org> .* 645 ')" 1 \
    'the oldest verdict (08553-01, size 645) last'
# each row no newer than the one above it (allowing a midnight in between)
assert_eq "$(v_rows | awk '{ split($1, a, ":"); t = a[1] * 3600 + a[2] * 60 + a[3]
	if (NR > 1) { d = p - t; if (d < 0) d += 86400; if (d >= 43200) bad = 1 }
	p = t } END { print bad ? "no" : "yes" }')" yes 'the times never go up, top to bottom'
assert_screen_re '^ . [0-9:]+ +Passed CLEAN +-1\.0 127\.0\.0\.1 +<alice@sender\.example> → <carol@example\.org> \(\+1\) +mhtop lab clean e664b9 +498 +delivered *$' \
    'the lab clean verdict: hits, client, envelope (+1), subject, size, fate'
assert_screen_re '^ . [0-9:]+ +Passed SPAMMY +8\.3 198\.51\.100\.23 +<bulkmail@bulk\.example> → <bob@example\.org> +637 +delivered *$' \
    'a passed spam: its originating client address and its fate'

# --- the hostile Subject: escaped, never raw
assert_screen_re '^ . [0-9:]+ +Passed CLEAN +0\.5 192\.0\.2\.66 .* Hostile \\x1B\[2J wipe \^\[\[31mRED\^\[\[0m café end +900( |$)' \
    'the hostile Subject shows \x1B[2J as text, ESC as ^[, M-CM-) as é'
if screen_e | grep -q "$ESC\[[0-9;]*31[;m]RED"; then
	fail 'the raw ESC[31m of the Subject reached the terminal'
else
	ok 'the raw ESC[31m of the Subject did not reach the terminal'
fi
assert_screen_re '^mhtop  1:queue  2:greylist  3:whitelist  4:verdicts' 'the top line is intact'
assert_no_screen 'M-CM-)' 'no vis encoding left on the screen'

# --- f: all, blocked, spam, clean, all
keys f
wait_for 'showing: blocked (f)' 5
assert_eq "$(status_line | sed 's/ *$//')" 'showing blocked verdicts' 'f: the status line says blocked'
check 'f blocked: 10 rows' wait_nrows 10
assert_eq "$(v_rows | awk '{ print $2 }' | sort -u)" Blocked 'f blocked: only Blocked rows'
assert_screen "maillog: following $ML  25 verdicts  showing: blocked (f)" 'f blocked: the header still counts 25'
keys f
wait_for 'showing: spam (f)' 5
check 'f spam: 8 rows' wait_nrows 8
assert_eq "$(v_rows | awk '{ print $2, $3 }' | sort | uniq -c | awk '{ $1 = $1; print }')" '6 Blocked SPAM
2 Passed SPAMMY' 'f spam: the 6 blocked and 2 passed spams'
keys f
wait_for 'showing: clean (f)' 5
check 'f clean: 13 rows' wait_nrows 13
assert_eq "$(v_rows | awk '{ print $2, $3 }' | sort -u)" 'Passed CLEAN' 'f clean: only Passed CLEAN rows'
keys f
wait_gone 'showing: ' 5
assert_eq "$(status_line | sed 's/ *$//')" 'showing all verdicts' 'f again: all'
check 'f all: 25 rows again' wait_nrows 25

# --- h: hits, highest first; again: lowest first
keys h
wait_for 'sorted by HITS, highest first' 3
wait_for_re '^ . TIME +VERDICT +HITS- +CLIENT IP ' 3
assert_eq "$(v_rows | head -n 1 | awk '{ print $2, $3 }') $(v_hits | head -n 1)" 'Blocked SPAM 1001.3' \
    'h: a GTUBE verdict (1001.3) first'
assert_eq "$(v_hits | grep -v '^-$' | sort -n -r -c 2>&1 && echo sorted)" sorted \
    'h: the hits go down'
keys h
wait_for 'sorted by HITS, lowest first' 3
assert_eq "$(v_hits | head -n 1)" '-1.0' 'h again: the lowest hits (-1.0) first, before the rows without hits'
assert_eq "$(v_hits | awk '$0 == "-" { none = 1; next } none { print "a hit after a -" }')" '' \
    'h again: the rows without hits (-) all at the bottom'
assert_eq "$(v_hits | grep -c '^-$')" "$(v_hits | grep -c '^-$' | awk '$1 > 0')" \
    'h again: rows without hits on the screen, to be at the bottom'
assert_eq "$(v_hits | grep -v '^-$' | sort -n -c 2>&1 && echo sorted)" sorted \
    'h again: the hits go up'
assert_eq "$(v_hits | grep -v '^-$' | tail -n 1)" '1001.3' 'h again: a GTUBE verdict last'
keys '<' '<' R	# back to TIME (oldest first), R: newest first
wait_for_re '^ . TIME- ' 3

# --- Enter on a passed clean verdict: the story and smtpd's lines
check 'cursor on the lab clean verdict' v_cursor_to 'mhtop lab clean e664b9'
keys Enter
wait_for 'the message:' 5
assert_screen '  received from 127.0.0.1 (localhost) as smtpd message 2ae20678' \
    'Enter: received from IP (host) as smtpd message 2ae20678'
assert_screen '  amavis: Passed CLEAN, hits -1' 'Enter: the verdict and its hits'
assert_screen '  passed on as smtpd message 7392005a: delivered' \
    'Enter: passed on as smtpd message 7392005a: delivered'
assert_screen "smtpd's lines:" "Enter: smtpd's lines"
assert_screen_re '^   [0-9:]+ smtpd: 746ac6c2383347a4 smtp message msgid=2ae20678 size=482 nrcpt=2 proto=ESMTP *$' \
    "Enter: smtpd's line about receiving it"
assert_screen_re '^   [0-9:]+ smtpd: 746ac6ca4fb2317d mta delivery evpid=7392005a213d2570 ' \
    "Enter: smtpd's line about delivering the re-injected copy"
# its tests come after smtpd's lines: the page below
keys NPage
check 'Enter: its test, described from the second sa-rules directory' \
    on_screen_re '^ +-1\.000 +ALL_TRUSTED +Passed through trusted hosts only via SMTP *$' 3
keys Escape
wait_for_re '^ . TIME- ' 3

# the same join in the BSD log: 08553-01, size 645
check 'cursor on the first verdict of the BSD log' v_cursor_to ' 645 '
keys Enter
wait_for 'the message:' 5
assert_screen '  received from 198.51.100.23 (localhost) as smtpd message e4ed366f' \
    'Enter (BSD log): received as smtpd message e4ed366f'
assert_screen '  passed on as smtpd message f2efc330: delivered' \
    'Enter (BSD log): passed on as smtpd message f2efc330: delivered'
keys Escape
wait_for_re '^ . TIME- ' 3

# --- Enter on the GTUBE verdict: one test per line, with descriptions
check 'cursor on the lab GTUBE verdict' v_cursor_to 'mhtop lab offer e664b9'
keys Enter
wait_for 'tests:' 5
# the title says when, what and to whom, not the row's key
check 'the title: time, outcome, sender and recipients' \
    on_screen_re '^ verdict: 2026-11-18 [0-9:]{8} Blocked SPAM <spammer@spam\.example> → <dave@example\.org> *$' 3
assert_screen '  received from 127.0.0.1 (localhost) as smtpd message 36bc98c5' \
    'Enter on a blocked verdict: the message smtpd received'
assert_screen '  not passed on' 'Enter on a blocked verdict: not passed on'
assert_eq "$(screen | sed -n '/^ tests:/,$p' | sed 1d | grep -v '^ *$' | sed '/^details[,;] /d' | sed 's/ *$//')" \
    '     -1.000  ALL_TRUSTED              Passed through trusted hosts only via SMTP
   1000.000  GTUBE                    Generic Test for Unsolicited Bulk Email' \
    'Enter: the two tests, one a line, score, name, description'
keys Escape
wait_for_re '^ . TIME- ' 3

# --- Enter on the hostile verdict: escaped there too
check 'cursor on the hostile verdict' v_cursor_to '192.0.2.66'
keys Enter
wait_for 'the message:' 5
assert_screen_re '^ subject +Hostile \\x1B\[2J wipe \^\[\[31mRED\^\[\[0m café end *$' \
    'Enter: the hostile Subject escaped'
assert_screen '  passed on as smtpd message 0badc0de: no delivery logged yet' \
    'Enter: a re-injected copy with no delivery yet'
keys Escape
wait_for_re '^ . TIME- ' 3

# --- W: whitelist the client IP
check 'cursor on the hostile verdict (192.0.2.66)' v_cursor_to '192.0.2.66'
log_mark
keys W
wait_for 'Whitelist client IP 192.0.2.66 (1 verdict)? [y/N]' 3
assert_no_screen 'IPv6' 'W on an IPv4 client: no IPv6 warning'
keys n
wait_for 'cancelled: nothing changed' 3
wait_reads 1
assert_eq "$(spamd_actions_since)" '' 'W n: no command run'
check 'W n: no record in the db' test -z "$(grep '192\.0\.2\.66' "$DB")"
keys W
wait_for 'Whitelist client IP 192.0.2.66 (1 verdict)? [y/N]' 3
keys y
actions_are 'spamdb -a 192.0.2.66
pfctl -t spamd-white -T add 192.0.2.66' 'W y: spamdb -a IP, then pfctl -t spamd-white -T add IP'
wait_for '1/1 addresses added: 192.0.2.66' 5
check 'W y: a WHITE record in the db' grep -q '^WHITE|192\.0\.2\.66|' "$DB"
check 'W y: the address in the pf table' grep -qx '192\.0\.2\.66' "$TABLE"

check 'cursor on the IPv6 verdict' v_cursor_to '2001:db8::25'
log_mark
keys W
wait_for_re 'Whitelist client IP 2001:db8::25 \(1 verdict\)\? \[y/N\].*IPv6' 3
assert_screen 'IPv6: spamd drops it within a minute' 'W on an IPv6 client: the warning in the prompt'
keys n
wait_for 'cancelled: nothing changed' 3
wait_reads 1
assert_eq "$(spamd_actions_since)" '' 'W n on the IPv6 client: no command run'

check 'cursor on the verdict with an invalid client address' v_cursor_to '198.51.100.300'
log_mark
keys x
on_screen 'unknown key' 3
keys W
if on_screen_re 'refusing: .*not a valid id' 3; then
	ok 'W on 198.51.100.300: refused, not a valid id'
else
	fail 'W on 198.51.100.300: no refusal'
fi
assert_no_screen '[y/N]' 'W on an invalid address: no prompt'
keys n		# in case it asked anyway (a bug): answer no
wait_reads 1
assert_eq "$(spamd_actions_since)" '' 'W on an invalid address: no command run'

# --- Q: to the queue pane; nothing to jump to
# The queue pane was never shown yet: Q must still find the envelope.
check 'cursor on the SPAMMY verdict (re-injected as 3e470830)' v_cursor_to '<bulkmail@bulk.example>'
keys Q
if wait_tab 1:queue 5 && wait_cursor 3e470830aa11bb22 5; then
	ok 'Q (queue pane not shown before): the queue pane, cursor on 3e470830aa11bb22'
else
	fail 'Q (queue pane not shown before): did not go to the queued envelope 3e470830aa11bb22'
fi
# the same once the queue pane has been read
keys 1
wait_tab 1:queue 3
wait_for '3 envelopes' 5
keys 4
wait_tab 4:verdicts 3
check 'cursor on the SPAMMY verdict' v_cursor_to '<bulkmail@bulk.example>'
keys Q
check 'Q: switches to the queue pane' wait_tab 1:queue 5
check 'Q: the cursor on the envelope of the re-injected message' wait_cursor 3e470830aa11bb22 5
assert_eq "$(status_line | sed 's/ *$//')" 'msgid 3e470830' 'Q: the status line names the msgid'

# a: back to the verdicts
keys a
check 'a on 3e470830aa11bb22: switches to the verdicts pane' wait_tab 4:verdicts 5
check 'a: the cursor on the verdict re-injected as 3e470830' wait_vcursor '<bulkmail@bulk.example>' 3
keys 1
wait_tab 1:queue 3
check 'cursor on 2ae20678caaf01ef' cursor_down_to 2ae20678caaf01ef
keys a
check 'a on 2ae20678caaf01ef: switches to the verdicts pane' wait_tab 4:verdicts 5
check 'a: the cursor on the verdict of the message received as 2ae20678' \
    wait_vcursor 'mhtop lab clean e664b9' 3
assert_eq "$(status_line | sed 's/ *$//')" 'msgid 2ae20678' 'a: the status line names the msgid'
keys 1
wait_tab 1:queue 3
check 'cursor on 1234abcd00000001' cursor_down_to 1234abcd00000001
keys a
wait_for 'msgid 1234abcd: in no other pane' 3
assert_eq "$(active_tab)" 1:queue 'a on a message with no verdict: stays in the queue pane'
keys 4
wait_tab 4:verdicts 3
check 'cursor on the hostile verdict (0badc0de, not queued)' v_cursor_to '192.0.2.66'
keys Q
wait_for 'msgid 0badc0de: in no other pane (no longer queued?)' 3
assert_eq "$(active_tab)" 4:verdicts 'Q on a message no longer queued: stays in the verdicts pane'
check 'cursor on the verdict with no smtpd message' v_cursor_to '198.51.100.300'
keys Q
wait_for 'this verdict names no message to look for' 3
assert_eq "$(active_tab)" 4:verdicts 'Q with no msgid: stays in the verdicts pane'

# --- following the log
new_verdict 09102-01 new1@follow.example 203.0.113.7 >>"$ML"
wait_for '<new1@follow.example>' 5
wait_for "maillog: following $ML  26 verdicts" 3
check 'an appended verdict: 26 rows' wait_nrows 26
assert_eq "$(v_rows | head -n 1 | grep -c '<new1@follow.example>')" 1 'the appended verdict on top'
# a line without its newline yet
new_verdict 09102-02 partial@follow.example 203.0.113.8 | tr -d '\n' >>"$ML"
check 'two reads since the partial line' wait_reads 2
assert_no_screen 'partial@follow.example' 'a partial line is not shown'
assert_screen "$ML  26 verdicts" 'a partial line is not counted'
echo >>"$ML"
wait_for '<partial@follow.example>' 5
check 'the completed line: 27 rows' wait_nrows 27
# rotation: a line in the old file just before, then the new file
new_verdict 09102-03 before-rotation@follow.example 203.0.113.9 >>"$ML"
mv "$ML" "$ML.0"
new_verdict 09102-04 after-rotation@follow.example 203.0.113.10 >"$ML"
wait_for '<after-rotation@follow.example>' 5
wait_for '<before-rotation@follow.example>' 3
wait_for "maillog: following $ML  29 verdicts" 3
check 'after the rotation: 29 rows' wait_nrows 29
new_verdict 09102-05 later@follow.example 203.0.113.11 >>"$ML"
wait_for '<later@follow.example>' 5
check 'a line appended to the new file: 30 rows' wait_nrows 30
check 'two more reads' wait_reads 2
assert_eq "$(v_rows | grep -c '@follow.example>')" 5 'each followed verdict once'
assert_eq "$(v_nrows)" 30 'still 30 rows: nothing read twice'
assert_screen "$ML  30 verdicts" 'the header counts 30'
keys q
check 'q quits' wait_exit 3
assert_eq "$(exit_status)" 0 'mhtop exited 0'

# --- tail -f: on the top row the cursor follows the newest verdict; moved
# down, its row keeps its line as verdicts come in above it (120x30: the
# 30 rows do not all fit)
start_mhtop -d 1 -p verdicts
wait_for "maillog: following $ML  30 verdicts" 10
check 'the screen scrolls: fewer than 30 rows on it' test "$(v_nrows)" -lt 30
check 'the cursor on the top row' wait_vcursor ' 203.0.113.11 ' 3
new_verdict 09103-01 tail1@follow.example 203.0.113.21 >>"$ML"
wait_for "maillog: following $ML  31 verdicts" 5
check 'a new verdict: the cursor on it, the newest' wait_vcursor ' 203.0.113.21 ' 3
assert_eq "$(v_rows | head -n 1 | grep -c ' 203.0.113.21 ')" 1 \
    'the new verdict on the top row'
keys j j j j j
check 'j five times: the cursor on the sixth row' \
    wait_vcursor "$(v_rows | sed -n '6p' | cut -c1-60)" 3
cur=$(v_cursor_line | cut -c1-60)
line=$(screen | grep -nF -- "$cur" | cut -d: -f1)
new_verdict 09103-02 tail2@follow.example 203.0.113.22 >>"$ML"
new_verdict 09103-03 tail3@follow.example 203.0.113.23 >>"$ML"
wait_for "maillog: following $ML  33 verdicts" 5
check 'two more: the cursor stays on its row' wait_vcursor "$cur" 3
assert_eq "$(screen | grep -nF -- "$cur" | cut -d: -f1)" "$line" \
    'and that row stays on its line of the screen'
assert_no_screen_re ' 203\.0\.113\.2[23] ' 'the new ones came in above the screen'
assert_eq "$(v_rows | head -n 1 | grep -c ' 203.0.113.21 ')" 1 \
    'the rows above the cursor moved up with them'
keys g
check 'g: the newest on top, the cursor on it' wait_vcursor ' 203.0.113.23 ' 3
new_verdict 09103-04 tail4@follow.example 203.0.113.24 >>"$ML"
check 'a new one: the cursor follows it again' wait_vcursor ' 203.0.113.24 ' 5
keys q
check 'q quits' wait_exit 3

# --- a: the verdicts pane was never shown yet
start_mhtop -d 1
wait_for '3 envelopes' 10
check 'cursor on 2ae20678caaf01ef' cursor_down_to 2ae20678caaf01ef
keys a
if wait_tab 4:verdicts 5 && wait_vcursor 'mhtop lab clean e' 5; then
	ok 'a (verdicts pane not shown before): the verdict of 2ae20678'
else
	fail 'a (verdicts pane not shown before): did not go to the verdict of 2ae20678'
fi
keys q
check 'q quits' wait_exit 3

# --- a missing log
LATE=$E2E_DIR/late/maillog
spamd_conf "maillog $LATE" "history 1d"
start_mhtop -d 1 -p verdicts
wait_for "maillog: waiting for $LATE: No such file or directory" 10
check 'two reads of the missing log' wait_reads 2
check 'mhtop keeps running' alive "$MHTOP_PID"
assert_eq "$(v_nrows)" 0 'no rows yet'
mkdir "$E2E_DIR/late"
shift_log $(($(e2e_now) - 60)) "$AMAVIS/lab-rsyslog-maillog.txt" >"$LATE"
wait_for "maillog: following $LATE  3 verdicts" 5
check 'the file appeared: its 3 verdicts' wait_nrows 3
assert_screen 'mhtop lab offer' 'the rows of the new file'
keys q
check 'q quits' wait_exit 3
assert_eq "$(exit_status)" 0 'mhtop exited 0'

# --- newsyslog twice within one interval: the file in between is read too
start_mhtop -d 1 -p verdicts
wait_for "maillog: following $LATE  3 verdicts" 10
new_verdict 09104-01 followed@follow.example 203.0.113.31 >>"$LATE"
mv "$LATE" "$LATE.0"
gzip "$LATE.0"
new_verdict 09104-02 between@follow.example 203.0.113.32 >"$LATE"
mv "$LATE.0.gz" "$LATE.1.gz"
mv "$LATE" "$LATE.0"
gzip "$LATE.0"
new_verdict 09104-03 newest@follow.example 203.0.113.33 >"$LATE"
wait_for "maillog: following $LATE  6 verdicts" 5
check 'two rotations within one interval: 6 rows' wait_nrows 6
assert_screen '<between@follow.example>' 'the verdict of the file in between'
keys q
check 'q quits' wait_exit 3

# --- a damaged maillog.2.gz in the history: the rest read, the header says
new_verdict 09104-04 damaged@follow.example 203.0.113.34 | gzip |
    head -c 30 >"$LATE.2.gz"
start_mhtop -d 1 -p verdicts
wait_for "maillog: following $LATE - the history is incomplete: maillog.2.gz is damaged (cut short)  6 verdicts" 10
check 'the other files read: 6 rows' wait_nrows 6
keys q
check 'q quits' wait_exit 3
assert_eq "$(exit_status)" 0 'mhtop exited 0'
finish
