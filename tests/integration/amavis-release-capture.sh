#!/usr/bin/env bash
# amavis-release-capture.sh -- what the real amavisd-release does with a
# banned file released without a recipient, and with alternate recipients:
# how tests/fixtures/amavis/release-banned-norcpt.txt and
# release-alt-rcpt.txt were made.
#
#   LAB_DIR=/tmp/lab LAB_KEEP=1 tests/integration/amavis-lab.sh start
#   LAB_DIR=/tmp/lab tests/integration/amavis-lab.sh send RID
#   LAB_DIR=/tmp/lab tests/integration/amavis-lab.sh wait RID
#   LAB_DIR=/tmp/lab tests/integration/amavis-release-capture.sh OUTDIR
#   LAB_DIR=/tmp/lab tests/integration/amavis-lab.sh stop
#
# Each case runs Debian's /usr/sbin/amavisd-release as "perl -T" in the
# lab's namespaces, its socket path pointed at the lab's amavisd (as step 6
# of amavis.sh does), and records its stdout, stderr (each line ended by
# "$") and exit status, then the lines amavisd and smtpd logged in the 8
# seconds after it (the re-sent copy reaching the sink), byte for byte.
# The script runs by its full path (nsenter keeps no working directory):
# "./amavisd-release-lab" in the "###" lines stands for it.
set -u
LAB_DIR=${LAB_DIR:?set LAB_DIR to the running lab}
OUT=${1:?usage: $0 OUTDIR}
mkdir -p "$OUT"
nspid=$(cat "$LAB_DIR/ns.pid")
Q=$LAB_DIR/amavis/virusmails
W=$(mktemp -d) || exit 1
trap 'rm -rf "$W"' EXIT
sed "s|^  \$socketname = '/var/lib/amavis/amavisd.sock';|  \$socketname = '$LAB_DIR/amavis/amavisd.sock';|" \
    /usr/sbin/amavisd-release > "$W/amavisd-release-lab"

banned=$(cd "$Q" && find . -name 'banned-*' | sed 's|^\./||' | head -n 1)
spam=$(cd "$Q" && find . -name 'spam-*' | sed 's|^\./||' | head -n 1)
[ -n "$banned" ] && [ -n "$spam" ] || { echo "no banned or spam file in $Q" >&2; exit 1; }

rel() { # FILE ARGS...
	local f=$1 n
	shift
	n=$(wc -l < "$LAB_DIR/maillog")
	{
		echo "### \$ ./amavisd-release-lab $*"
		nsenter -t "$nspid" -m -n -- perl -T "$W/amavisd-release-lab" \
		    "$@" > "$W/o" 2> "$W/e"
		rc=$?
		echo "--- stdout:"
		sed 's/$/$/' "$W/o"
		echo "--- stderr:"
		sed 's/$/$/' "$W/e"
		echo "--- exit: $rc"
		sleep 8
		echo "--- maillog (amavis, smtpd) after it:"
		tail -n +"$((n + 1))" "$LAB_DIR/maillog" |
		    grep -v -e 'No decoder for' -e 'No ext program for'
		echo
	} >> "$OUT/$f"
}

hdr() { # FILE: the header fields amavis put above the message
	{
		echo "# $1, the fields amavis wrote above the message:"
		(gzip -dc < "$Q/$1" 2>/dev/null || cat "$Q/$1") |
		    sed -n '/^Return-Path:/,/^Received:/p' | sed '$d'
		echo
	}
}

header() { # WHAT
	echo "# $1"
	echo "# Captured by tests/integration/amavis-release-capture.sh on $(date -u +%Y-%m-%d),"
	echo "# Debian 12: $(dpkg-query -W -f '${Package} ${Version}, ' amavisd-new opensmtpd rsyslog 2>/dev/null | sed 's/, $//')."
	echo "# The lab of tests/integration/amavis-lab.sh: amavisd's release_format"
	echo "# resend, re-injection to smtpd on 127.0.0.1:10025, relayed to the sink."
	echo "# \"### \$ ./amavisd-release-lab ARGS\": Debian's script run as perl -T;"
	echo "# stderr and stdout lines end in \"\$\"; then what amavisd and smtpd"
	echo "# logged (rsyslog RFC 3339 framing) in the 8 s after it."
	echo
}
header "amavisd-release of a banned- file with no recipient given" \
    > "$OUT/release-banned-norcpt.txt"
header "amavisd-release with alternate recipients" \
    > "$OUT/release-alt-rcpt.txt"
hdr "$banned" >> "$OUT/release-banned-norcpt.txt"
rel release-banned-norcpt.txt "$banned"
hdr "$spam" >> "$OUT/release-alt-rcpt.txt"
hdr "$banned" >> "$OUT/release-alt-rcpt.txt"
rel release-alt-rcpt.txt "$spam" alt@example.net
rel release-alt-rcpt.txt "$spam" alt1@example.net alt2@example.net
rel release-alt-rcpt.txt "$banned" alt@example.net
