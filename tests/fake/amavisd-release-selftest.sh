#!/bin/sh
# Self-test for tests/fake/amavisd-release.  POSIX sh.  Exits 0 when every
# check passes, 1 otherwise.
#
# The expected outputs are the captures of the real amavisd-release 2.002
# against amavisd-new 2.13 in fixtures/amavis/release-running-1.txt,
# release-running-2.txt, release-banned-norcpt.txt and release-alt-rcpt.txt
# (a banned file, alternate recipients): every
# "### $ ./amavisd-release-lab ARGS" case is
# run with the same arguments through a link of the same name, over a
# quarantine laid out as the lab's, and compared byte for byte (stderr,
# stdout, exit status).  Two things vary from run to run in the real one
# and are masked on both sides: "<GENnn>" and the queue id of a re-sent
# message.  The cases run as another user or from stdin are not the
# fake's; the socket failures come from control files.

LC_ALL=C
export LC_ALL

here=$(cd "$(dirname "$0")" && pwd)
FIX=$here/../fixtures/amavis
LAB=/tmp/amlab/home/virusmails		# the lab's $QUARANTINEDIR

T=$(mktemp -d "${TMPDIR:-/tmp}/amavisd-release-selftest.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
trap 'exit 1' INT TERM HUP

fails=0
n=0
fail() {
	fails=$((fails + 1))
	printf 'FAIL: %s\n' "$*" >&2
}
pass() {
	n=$((n + 1))
}

# the lab's quarantine: the messages the captures release, and "x", a
# directory
Q=$T/q
mkdir -p "$Q/S" "$Q/D" "$Q/d" "$Q/N" "$Q/x"
hdr() { # SENDER RCPTS...
	printf 'Return-Path: <%s>\nX-Envelope-From: <%s>\nX-Envelope-To: ' "$1" "$1"
	shift
	_first=1
	for _r do
		[ $_first = 1 ] || printf ',\n '
		printf '<%s>' "$_r"
		_first=0
	done
	printf '\nSubject: test\n\nbody\n'
}
hdr spammer@spam.example bob@example.org | gzip >"$Q/S/spam-SkMBGGfgtCC1.gz"
hdr spammer@spam.example bob@example.org | gzip >"$Q/D/spam-DixvPdAozzzC.gz"
hdr alice@sender.example bob@example.org >"$Q/d/virus-drJlObyg9LJb"
# the lab of release-banned-norcpt.txt and release-alt-rcpt.txt
hdr spammer@spam.example dave@example.org | gzip >"$Q/d/spam-d8KpdyFS61ff.gz"
hdr mallory@sender.example erin@example.org >"$Q/N/banned-NE6vdfFKpptw"
# a banned file held for one of its two recipients
printf '%s\n' 'Return-Path: <mallory@sender.example>' \
    'X-Envelope-From: <mallory@sender.example>' \
    'X-Envelope-To: <erin@example.org>,' ' <frank@example.org>' \
    'X-Envelope-To-Blocked: <frank@example.org>' \
    'X-Quarantine-ID: <BbBbBbBbBbBb>' '' 'body' >"$Q/N/banned-BbBbBbBbBbBb"

export FAKE_AMAVIS_DIR="$T/state" FAKE_QUARANTINE="$Q"
mkdir "$T/state" "$T/bin"
ln -s "$here/amavisd-release" "$T/bin/amavisd-release-lab"

mask() {
	sed -e "s|$Q|$LAB|g" -e 's/<GEN[0-9]*>/<GEN>/' \
	    -e 's/250 2\.0\.0 [0-9a-f]\{8\} Message/250 2.0.0 QUEUEID Message/'
}

# the cases of a capture file: "ARGS|expected stderr file|exit"
cases() { # FILE
	awk -v dir="$T" -v pre="$(basename "$1" .txt)" '
	/^### \$ \.\/amavisd-release-lab/ {
		args = substr($0, length("### $ ./amavisd-release-lab") + 1)
		sub(/^ /, "", args)
		n++; f = dir "/" pre "-" n ".err"; printf "" > f; part = ""
		next
	}
	f == "" { next }
	/^--- stdout:/ { part = "out"; next }
	/^--- stderr:/ { part = "err"; next }
	/^--- exit: / { printf "%s|%s|%s\n", args, f, $3; f = ""; next }
	part == "err" { sub(/\$$/, ""); print > f }
	' "$1"
}

for capture in release-running-1.txt release-running-2.txt \
    release-banned-norcpt.txt release-alt-rcpt.txt; do
	cases "$FIX/$capture" >"$T/cases"
	while IFS='|' read -r args want status; do
		# "bad id!" is one argument, as the shell the lab used gave it
		case $args in
		'bad id!') set -- 'bad id!' ;;
		'') set -- ;;
		*) set -f; set -- $args; set +f ;;
		esac
		(cd "$T/bin" && ./amavisd-release-lab "$@") >"$T/out" 2>"$T/err"
		got=$?
		mask <"$T/err" >"$T/err.m"
		mask <"$want" >"$T/want.m"
		if ! cmp -s "$T/err.m" "$T/want.m"; then
			fail "$capture [$args]: stderr differs"
			diff "$T/want.m" "$T/err.m" | sed 's/^/# /' >&2
		elif [ "$got" != "$status" ]; then
			fail "$capture [$args]: exit $got, want $status"
		elif [ -s "$T/out" ]; then
			fail "$capture [$args]: something on stdout"
		else
			pass
		fi
	done <"$T/cases"
done

# the socket cases of release-stopped.txt, from control files
sock_case() { # FILE STATUS WHY
	: >"$T/state/$1"
	(cd "$T/bin" && FAKE_AMAVIS_SOCK=/tmp/amlab/home/amavisd.sock \
	    ./amavisd-release-lab S/spam-SkMBGGfgtCC1.gz) >"$T/out" 2>"$T/err"
	got=$?
	rm -f "$T/state/$1"
	want="Can't connect to UNIX socket /tmp/amlab/home/amavisd.sock: $3 at ./amavisd-release-lab line 272."
	if [ "$got" = "$2" ] && [ "$(cat "$T/err")" = "$want" ]; then
		pass
	else
		fail "$1: exit $got [$(cat "$T/err")], want $2 [$want]"
	fi
}
sock_case stopped 2 'No such file or directory'
sock_case refused 111 'Connection refused'
sock_case notroot 13 'Permission denied'

# every call is in argv.log, as the arguments were given
if grep -qx 'amavisd-release bad id!' "$T/state/argv.log" &&
    grep -qx 'amavisd-release d/virus-drJlObyg9LJb carol@example.org dave@example.org' \
    "$T/state/argv.log"; then
	pass
else
	fail "argv.log: $(cat "$T/state/argv.log")"
fi
# a release that worked is recorded, and logged as amavis does
: >"$T/maillog"
(cd "$T/bin" && FAKE_MAILLOG=$T/maillog FAKE_NOW=1795525200 \
    ./amavisd-release-lab S/spam-SkMBGGfgtCC1.gz) 2>/dev/null
if grep -q '^Nov 24 13:00:00 relay amavis\[[0-9]*\]: (rel-[A-Za-z0-9_]*) Quarantined message release (miscategorized): SkMBGGfgtCC1 <spammer@spam.example> -> <bob@example.org>$' \
    "$T/maillog" && grep -q '^S/spam-SkMBGGfgtCC1.gz bob@example.org' \
    "$T/state/released"; then
	pass
else
	fail "the release log line: [$(cat "$T/maillog")]"
fi
# then the copy, as smtpd logs it: received as the reply's msgid, delivered
(cd "$T/bin" && FAKE_MAILLOG=$T/maillog FAKE_NOW=1795525200 \
    ./amavisd-release-lab S/spam-SkMBGGfgtCC1.gz) 2>"$T/err"
qid=$(sed -n 's/.* 250 2\.0\.0 \([0-9a-f]\{8\}\) Message accepted.*/\1/p' "$T/err" | head -n 1)
if [ -n "$qid" ] &&
    grep -q "^Nov 24 13:00:00 relay smtpd\[[0-9]*\]: [0-9a-f]\{16\} smtp connected address=127\.0\.0\.1 host=localhost\$" "$T/maillog" &&
    grep -q "^Nov 24 13:00:00 relay smtpd\[[0-9]*\]: [0-9a-f]\{16\} smtp message msgid=$qid size=[0-9]* nrcpt=1 proto=ESMTP\$" "$T/maillog" &&
    grep -q "^Nov 24 13:00:00 relay smtpd\[[0-9]*\]: [0-9a-f]\{16\} smtp envelope evpid=$qid[0-9a-f]\{8\} from=<spammer@spam\.example> to=<bob@example\.org>\$" "$T/maillog" &&
    grep -q "^Nov 24 13:00:00 relay smtpd\[[0-9]*\]: [0-9a-f]\{16\} mta delivery evpid=$qid[0-9a-f]\{8\} from=<spammer@spam\.example> to=<bob@example\.org> .* result=\"Ok\" " "$T/maillog"; then
	pass
else
	fail "the copy's smtpd lines ($qid): [$(cat "$T/maillog")]"
fi

# a banned file goes to its blocked recipients only, the others are
# logged as excluded; alternate recipients replace them
: >"$T/maillog"
(cd "$T/bin" && FAKE_MAILLOG=$T/maillog FAKE_NOW=1795525200 \
    ./amavisd-release-lab N/banned-BbBbBbBbBbBb) 2>"$T/err"
if [ "$(grep -c '^250 2\.0\.0 ' "$T/err")" = 1 ] &&
    grep -qx 'N/banned-BbBbBbBbBbBb frank@example.org ' "$T/state/released" &&
    grep -q ': BbBbBbBbBbBb <mallory@sender.example> -> <frank@example.org>, (excluded: <erin@example.org> )$' \
    "$T/maillog"; then
	pass
else
	fail "banned, one of two blocked: [$(cat "$T/err")] [$(cat "$T/maillog")]"
fi
(cd "$T/bin" && ./amavisd-release-lab N/banned-BbBbBbBbBbBb a@x.example \
    b@x.example c@x.example) 2>"$T/err"
if [ "$(grep -c '^250 2\.0\.0 ' "$T/err")" = 3 ] &&
    grep -qx 'N/banned-BbBbBbBbBbBb a@x.example b@x.example c@x.example' \
    "$T/state/released"; then
	pass
else
	fail "three alternate recipients: [$(cat "$T/err")]"
fi
# a file with no recipient: amavisd's 250 that released nothing
printf 'X-Envelope-From: <a@b.example>\nX-Quarantine-ID: <CcCcCcCcCcCc>\n\nx\n' \
    >"$Q/N/banned-CcCcCcCcCcCc"
(cd "$T/bin" && ./amavisd-release-lab N/banned-CcCcCcCcCcCc) 2>"$T/err"
if [ "$(cat "$T/err")" = '250 2.5.0 No recipients, nothing to do' ]; then
	pass
else
	fail "no recipients: [$(cat "$T/err")]"
fi

if [ "$n" -lt 26 ]; then
	fail "only $n checks ran"
fi
printf '%d checks, %d failed\n' "$((n + fails))" "$fails"
[ "$fails" -eq 0 ]
