#!/bin/sh
# -J (issue 16): every pane, the queue's shape, senders and errors, and a
# trace as JSON lines, against the fakes and fixtures of t_trace.sh with a
# hostile envelope, verdict and quarantined message added:
#  - every line one object (python3's json), as many as -b's rows, the
#    keys -b's header in its order, each value -b's: numbers as numbers
#    (null for none), lists as arrays of their comma-separated items,
#    the rest strings; the output valid UTF-8 with no control character;
#  - hostile text (ESC, invalid UTF-8, a quote, a newline, C1, DEL,
#    U+2028) escaped; a quoted local part with a comma stays one item;
#  - -J implies -b; -b -J the same; -n 2: an empty line between the
#    snapshots; an empty pane prints nothing; -p trace still wants -a.
# (No tmux needed.)
. "${srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
if ! command -v python3 >/dev/null 2>&1; then
	echo "SKIP: python3 is not installed"
	exit 77
fi
e2e_init
trace_init
NOW=$TRACE_NOW
ESC=$(printf '\033')

# the hostile envelope: flags, and an error with ESC, a raw 0x9b, a quote,
# U+009B, DEL and U+2028
{
	printf 'eeeeeeee00000001|inet4|mta|hold,suspend|mallory@evil.example|bob@example.org|bob@example.org|%s|%s|0|1|pending|360|' \
	    $((NOW - 500)) $((NOW - 500))
	printf 'E\033[2J\233X "q" \302\233\177 \342\200\250 end\n'
} >>"$QUEUE"
# amavis's verdict on it: two recipients, one with a comma in quotes; tests
at() { date -u -d "@$1" '+%b %e %H:%M:%S'; }
printf '%s mx amavis[4560]: (04560-01) Blocked SPAM {DiscardedInbound,Quarantined}, [127.0.0.1] [192.0.2.80] <mallory@evil.example> -> <"weird,name"@example.org>,<bob@example.org>, quarantine: Z/badh-ZzHostile012, Message-ID: <h1@evil.example>, mail_id: ZzHostile012, Hits: 12.5, size: 2048, Subject: "%s[2J ""q""", From: <x@evil.example>, helo=, Tests: [GTUBE=1000,RCVD_ILLEGAL_IP=1.3], 90 ms\n' \
    "$(at $((NOW - 400)))" "$ESC" >>"$ML"
# and the message it quarantined: the Subject with ESC, a quote, invalid
# UTF-8 and, from an encoded word, a newline
mkdir "$Q/Z"
{
	printf 'X-Envelope-From: <mallory@evil.example>\n'
	printf 'X-Envelope-To: <"weird,name"@example.org>, <bob@example.org>\n'
	printf 'X-Quarantine-ID: <ZzHostile012>\n'
	printf 'X-Amavis-Alert: BAD HEADER SECTION, Improper use of control character\n'
	printf 'Subject: \033[2J"quoted" \377\376 =?UTF-8?Q?one=0Atwo?=\n'
	printf 'From: x@evil.example\n\nbody\n'
} >"$Q/Z/badh-ZzHostile012"
quarantined_ago Z/badh-ZzHostile012 300

# check.py TSV JSON LISTS NUMBERS: the JSON lines against -b's rows
cat >"$E2E_DIR/check.py" <<'EOF'
import json, re, sys

tsv_path, js_path, lists, nums = sys.argv[1:5]
lists = set(filter(None, lists.split(',')))
nums = set(filter(None, nums.split(',')))


class Num(str):
    pass


def untsv(b):
    return re.sub(rb'\\(x[0-9a-f]{2}|.)', lambda m: {
        b't': b'\t', b'n': b'\n', b'r': b'\r', b'\\': b'\\'}.get(
        m.group(1), bytes([int(m.group(1)[1:], 16)])
        if m.group(1)[:1] == b'x' else b'?'), b)


def replaced(b):
    """The bytes as text, each byte of invalid UTF-8 U+FFFD."""
    out, i = [], 0
    while i < len(b):
        for n in (1, 2, 3, 4):
            try:
                c = b[i:i + n].decode('utf-8')
            except UnicodeDecodeError:
                continue
            out.append(c)
            i += n
            break
        else:
            out.append('\ufffd')
            i += 1
    return ''.join(out)


raw = open(js_path, 'rb').read()
text = raw.decode('utf-8')
for ch in text:
    o = ord(ch)
    if (o < 0x20 and ch != '\n') or 0x7f <= o < 0xa0 or \
            0x2028 <= o <= 0x202e or 0x2066 <= o <= 0x2069:
        sys.exit('a raw U+%04X in the output' % o)
rows = [json.loads(l, parse_int=Num, parse_float=Num)
        for l in text.split('\n')[:-1]]
tsv = open(tsv_path, 'rb').read().split(b'\n')
header = tsv[0].decode().split('\t')
trows = [r.split(b'\t') for r in tsv[1:-1]]
if len(rows) != len(trows):
    sys.exit('%d objects, %d TSV rows' % (len(rows), len(trows)))
for n, (obj, tr) in enumerate(zip(rows, trows)):
    if not isinstance(obj, dict) or list(obj) != header:
        sys.exit('row %d: keys %s' % (n, list(obj)))
    for k, f in zip(header, tr):
        v, want = obj[k], replaced(untsv(f))
        if k in lists:
            good = isinstance(v, list) and all(
                type(x) is str for x in v) and ','.join(v) == want
        elif k in nums:
            good = (v is None and want == '') or \
                (isinstance(v, Num) and v == want)
        else:
            good = type(v) is str and v == want
        if not good:
            sys.exit('row %d: %s is %r, -b says %r' % (n, k, v, want))
print(len(rows))
EOF

# pane LISTS NUMBERS [OPTIONS]: -J against -b, $out its output
pane() {
	_what=$1 _lists=$2 _nums=$3
	shift 3
	spamd_env "$MHTOP" -f "$CONF" -b "$@" >"$E2E_DIR/tsv" \
	    2>"$E2E_DIR/err" </dev/null
	spamd_env "$MHTOP" -f "$CONF" -J "$@" >"$E2E_DIR/json" \
	    2>"$E2E_DIR/jerr" </dev/null
	assert_eq "$?" 0 "-J $_what: exit 0"
	assert_eq "$(cat "$E2E_DIR/jerr")" "$(cat "$E2E_DIR/err")" \
	    "-J $_what: stderr as -b's"
	if n=$(python3 "$E2E_DIR/check.py" "$E2E_DIR/tsv" "$E2E_DIR/json" \
	    "$_lists" "$_nums" 2>&1) && [ "$n" -gt 0 ]; then
		ok "-J $_what: $n objects, each -b's row, typed"
	else
		fail "-J $_what: $n"
	fi
	out=$(cat "$E2E_DIR/json")
}

pane queue flags ctime,tries,delay -p queue
assert_eq "$(printf '%s\n' "$out" | grep '"evpid":"eeeeeeee00000001"' |
    sed 's/.*"flags":\(\[[^]]*\]\).*"error":\(".*"\)}$/\1 \2/')" \
    '["hold","suspend"] "E\u001b[2J\ufffdX \"q\" \u009b\u007f \u2028 end"' \
    '-J queue: the flags an array; ESC, 0x9b, a quote, C1, DEL, U+2028 escaped'
check '-J queue: numbers bare' sh -c 'printf "%s\n" "$0" |
    grep -q "\"ctime\":[0-9]*,\"tries\":1,\"delay\":360,"' "$out"

pane grey '' first,pass,expire,bcount,pcount -p grey
check '-J grey: the HELO with ESC escaped' sh -c 'printf "%s\n" "$0" |
    grep -qF "\"helo\":\"\\u001b[2Jevil\""' "$out"

pane white '' first,pass,expire,bcount,pcount -p white
check '-J white: a TRAPPED record without counts says null' sh -c \
    'printf "%s\n" "$0" | grep -q "\"type\":\"TRAPPED\".*\"bcount\":null"' \
    "$out"

pane verdicts to,tests time,hits,size -p verdicts
assert_eq "$(printf '%s\n' "$out" | grep ZzHostile012 |
    sed 's/.*"hits":\([^,]*\),.*"to":\(\[[^]]*\]\),.*"tests":\(.*\)}$/\1 \2 \3/')" \
    '12.5 ["\"weird,name\"@example.org","bob@example.org"] ["GTUBE=1000","RCVD_ILLEGAL_IP=1.3"]' \
    '-J verdicts: hits a number; the recipients and the tests arrays'

pane quarantine to mtime,score,released -p quarantine
assert_eq "$(printf '%s\n' "$out" | grep ZzHostile012 |
    sed 's/.*"to":\(\[[^]]*\]\),"subject":\(".*"\),"reason".*/\1 \2/')" \
    '["\"weird,name\"@example.org","bob@example.org"] "\u001b[2J\"quoted\" \ufffd\ufffd one\ntwo"' \
    '-J quarantine: one item for a quoted comma; ESC, a quote, invalid UTF-8, a newline escaped'
check '-J quarantine: a spam score a number, none null' sh -c \
    'printf "%s\n" "$0" | grep -q "\"score\":1001.3," &&
    printf "%s\n" "$0" | grep -q "\"score\":null,"' "$out"

pane shape '' total,5m,10m,20m,40m,80m,160m,320m,640m,1280m,older -p shape
pane senders '' total,5m,10m,20m,40m,80m,160m,320m,640m,1280m,older \
    -p senders
pane errors domains count,oldest -p errors
check '-J errors: the domains an array' sh -c 'printf "%s\n" "$0" |
    grep -q "\"domains\":\[\"example.com\",\"example.net\","' "$out"

pane 'trace of bob' recipient time -p trace -a bob@example.org
check '-J trace: the whitelist record has no recipient: []' sh -c \
    'printf "%s\n" "$0" | grep -q "\"source\":\"white\".*\"recipient\":\[\]"' \
    "$out"
check '-J trace: the verdict on the hostile message names both' sh -c \
    'printf "%s\n" "$0" | grep -qF "\"recipient\":[\"\\\"weird,name\\\"@example.org\",\"bob@example.org\"]"' \
    "$out"
pane 'trace of an IP' recipient time -p trace -a 192.0.2.77

# -b -J is -J; two snapshots; an empty pane; -p trace without -a
spamd_env "$MHTOP" -f "$CONF" -J -p grey >"$E2E_DIR/a" 2>&1 </dev/null
spamd_env "$MHTOP" -f "$CONF" -b -J -p grey >"$E2E_DIR/b" 2>&1 </dev/null
check '-b -J prints what -J prints' cmp -s "$E2E_DIR/a" "$E2E_DIR/b"
n=$(wc -l <"$E2E_DIR/a" | tr -d ' ')
spamd_env "$MHTOP" -f "$CONF" -J -n 2 -d 0.2 -p grey >"$E2E_DIR/two" \
    2>&1 </dev/null
assert_eq "$(wc -l <"$E2E_DIR/two" | tr -d ' ')" $((2 * n + 1)) \
    '-J -n 2: two snapshots and a line between'
assert_eq "$(sed -n "$((n + 1))p" "$E2E_DIR/two")" '' \
    '-J -n 2: the line between is empty'
check '-J -n 2: two equal snapshots' sh -c \
    "sed -n '1,${n}p' '$E2E_DIR/two' | cmp -s - '$E2E_DIR/a'"
set_queue "$FIXTURES/show-queue-empty.txt"
spamd_env "$MHTOP" -f "$CONF" -J -p queue >"$E2E_DIR/empty" \
    2>"$E2E_DIR/err" </dev/null
assert_eq "$?/$(wc -c <"$E2E_DIR/empty" | tr -d ' ')" 0/0 \
    '-J of an empty queue: exit 0, nothing printed'
spamd_env "$MHTOP" -f "$CONF" -J -p trace >"$E2E_DIR/out" \
    2>"$E2E_DIR/err" </dev/null
assert_eq "$?:$(cat "$E2E_DIR/err")" \
    '1:mhtop: -p trace: give -b (or -J) and -a with an address, a domain or an IP' \
    '-J -p trace without -a: exit 1, says what it needs'
finish
