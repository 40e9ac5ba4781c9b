#!/usr/bin/env bash
# opensmtpd-capture-mta.sh -- smtpd's delivery attempts as its mail log and
# smtpctl show them: how tests/fixtures/opensmtpd/maillog-mta-attempts.txt,
# show-{hoststats,routes,relays,hosts}-3domains.txt and
# show-queue-mta-attempts.txt were made (see the README there).
#
#   tests/integration/opensmtpd-capture-mta.sh OUTDIR      (root, ~3 min)
#
# It starts a lab of its own (opensmtpd-lab.sh with LAB_LOG=syslog, so the
# log is a real mail log written by rsyslogd, on a free port), then:
#  1. 12 messages to slow.test (451 at RCPT; from the 10th on in one
#     session smtpd gives up on the host), 2 to refused.test (connection
#     refused) and 2 to nomx.test (no MX); 2 s later, while smtpd has the
#     refused route disabled for 15 s and its envelopes wait, smtpctl show
#     hoststats, routes, relays and hosts -> show-*-3domains.txt
#  2. once they have all failed: one message each to sink.test (accepted:
#     delivered), greylist.test (451 with '|', '\' and a 0x01 byte in the
#     text), timeout.test (the SYN is dropped: the connect times out after
#     ~2 min), nobody@tempfail.test (the mda exits 75) and
#     nobody@permfail.test (the mda exits 1: PermFail, and a bounce)
#  3. smtpctl schedule on each envelope of slow.test: a second attempt
#  4. when timeout.test's envelope has its error: smtpctl show queue ->
#     show-queue-mta-attempts.txt, the lab stopped (smtpd's last lines),
#     its mail log -> maillog-mta-attempts.txt, byte for byte
set -eu
OUT=${1:?usage: $0 OUTDIR}
here=$(cd "$(dirname "$0")" && pwd)
LAB=$here/opensmtpd-lab.sh
[ "$(id -u)" = 0 ] || { echo "$0: needs root" >&2; exit 1; }
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

LAB_DIR=$(mktemp -d "${TMPDIR:-/tmp}/mhtop-capture.XXXXXX")
LAB_PORT=$(python3 "$here/free_port.py")
export LAB_DIR LAB_PORT LAB_LOG=syslog LAB_ISOLATE=1 LAB_FAKES=1 LAB_KEEP=0
trap 'LAB_KEEP=0 "$LAB" stop >/dev/null 2>&1; rm -rf "$LAB_DIR"' EXIT
ctl() { "$LAB_DIR/smtpctl" "$@"; }
say() { echo "capture: $*" >&2; }
# wait_for SECONDS CMD...
wait_for() {
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		[ "$SECONDS" -lt "$end" ] || return 1
		sleep 0.5
	done
}
# tried DOMAIN...: every envelope for DOMAIN... is pending with an error
tried() {
	ctl show queue | awk -F'|' -v want="$*" '
	    BEGIN { n = split(want, w, " "); for (i = 1; i <= n; i++) d[w[i]] = 1 }
	    { for (k in d) if (index($0, "@" k "|")) {
		seen++
		if ($0 !~ /\|pending\|-?[0-9]+\|./) bad++
	    } }
	    END { exit !(seen > 0 && bad == 0) }'
}
send() {	# RCPT: one message from oscar@example.com
	python3 - "$LAB_PORT" "$1" <<'EOF'
import smtplib, sys
s = smtplib.SMTP("127.0.0.1", int(sys.argv[1]), local_hostname="injector.test")
s.sendmail("oscar@example.com", [sys.argv[2]],
           "From: <oscar@example.com>\r\nTo: <%s>\r\nSubject: capture\r\n\r\nhello\r\n" % sys.argv[2])
s.quit()
EOF
}

"$LAB" start
say "$(/usr/sbin/smtpd -h 2>&1 | head -n 1), package $(dpkg-query -W -f='${Version}' opensmtpd), lab port $LAB_PORT"

# 1. three failing domains
"$LAB" inject 12 slow.test
"$LAB" inject 2 refused.test
"$LAB" inject 2 nomx.test
sleep 2
for c in hoststats routes relays hosts; do
	ctl show "$c" > "$OUT/show-$c-3domains.txt"
done
wait_for 60 tried slow.test refused.test nomx.test || say "the 3 domains did not settle"

# 2. the others
"$LAB" inject 1 sink.test
"$LAB" inject 1 greylist.test
"$LAB" inject 1 timeout.test
send nobody@tempfail.test
send nobody@permfail.test

# 3. slow.test again
sleep 3
for e in $(ctl show queue | awk -F'|' 'index($0, "@slow.test|") { print $1 }'); do
	ctl schedule "$e" >/dev/null
done

# 4. the connect timeout ends the story
wait_for 240 tried timeout.test || say "timeout.test has no error after 240 s"
sleep 2
ctl show queue > "$OUT/show-queue-mta-attempts.txt"
LAB_KEEP=1 "$LAB" stop
cp "$LAB_DIR/maillog" "$OUT/maillog-mta-attempts.txt"
say "wrote maillog-mta-attempts.txt ($(wc -l < "$OUT/maillog-mta-attempts.txt") lines), show-queue-mta-attempts.txt, show-{hoststats,routes,relays,hosts}-3domains.txt in $OUT"
