#!/bin/sh
# Build the libFuzzer harnesses in tests/fuzz/ with clang (ASan + UBSan), seed
# their corpora from tests/fixtures, and run each for a while.
#
#   tests/fuzz/run.sh [seconds]	(default 20 per harness; 0: build, and
#				 replay the seeds once)
#
# Exits non-zero when a harness fails to build or finds a crash, a leak, a
# timeout or a broken invariant; the input that did it is left in
# $FUZZ_WORK/artifacts/ (printed at the end).
#
# Environment:
#   FUZZ_TARGETS	harnesses to run (default: all fuzz_*.c, without
#			the "fuzz_" and ".c": "queue_parse status ...")
#   FUZZ_WORK		work directory (default: a new one under $TMPDIR);
#			the corpora there grow from run to run if it is kept
#   MHTOP_BUILD		a configured build directory whose config.h to use
#			(default: the source tree's, else a minimal one)
#   CLANG		the compiler (default: clang, else clang-14)
#   FUZZ_FLAGS		more libFuzzer flags, e.g. "-jobs=4 -workers=4"
#
# tests/fuzz/corpus/NAME/, where there is one, is read too: the inputs the
# long runs found that the seeds do not cover (see tests/fuzz/keep.sh).
set -eu

secs=${1:-20}
case $secs in
''|*[!0-9]*) echo "usage: $0 [seconds]" >&2; exit 2 ;;
esac

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
fix=$top/tests/fixtures/opensmtpd
sfix=$top/tests/fixtures/spamd
afix=$top/tests/fixtures/amavis

if [ -z "${CLANG:-}" ]; then
	for c in clang clang-14; do
		if command -v "$c" >/dev/null 2>&1; then CLANG=$c; break; fi
	done
fi
if [ -z "${CLANG:-}" ]; then
	echo "run.sh: clang not found (set CLANG)" >&2
	exit 2
fi

work=${FUZZ_WORK:-}
if [ -z "$work" ]; then
	work=$(mktemp -d "${TMPDIR:-/tmp}/mhtop-fuzz.XXXXXX")
fi
mkdir -p "$work/obj" "$work/inc" "$work/bin" "$work/corpus" "$work/seeds" \
    "$work/artifacts" "$work/logs"

if [ -z "${FUZZ_TARGETS:-}" ]; then
	FUZZ_TARGETS=
	for f in "$here"/fuzz_*.c; do
		t=${f##*/fuzz_}
		FUZZ_TARGETS="$FUZZ_TARGETS ${t%.c}"
	done
fi

# config.h: configure's, or just what the sources need from it.
confdir=
for d in "${MHTOP_BUILD:-}" "$top"; do
	if [ -n "$d" ] && [ -f "$d/config.h" ]; then confdir=$d; break; fi
done
if [ -z "$confdir" ]; then
	confdir=$work/inc
	cat >"$confdir/config.h" <<'EOF'
/* Minimal config.h for the fuzzers (the real one comes from configure). */
#ifndef _GNU_SOURCE
# define _GNU_SOURCE 1
#endif
#define PACKAGE "mhtop"
#define PACKAGE_NAME "mhtop"
#define PACKAGE_VERSION "0.1"
#define PACKAGE_STRING "mhtop 0.1"
#define PACKAGE_BUGREPORT "https://github.com/mhtop/mhtop/issues"
#define VERSION "0.1"
EOF
fi

PKGS="ncursesw libevent libpcre2-8 zlib"
PKG_CFLAGS=$(pkg-config --cflags $PKGS)
PKG_LIBS=$(pkg-config --libs $PKGS)
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
CFLAGS="-g -O1 -std=c11 -fno-omit-frame-pointer -I$confdir -I$top/include $PKG_CFLAGS"

echo "== building with $CLANG ($(command -v "$CLANG")), config.h from $confdir"
# Every library source, instrumented; the linker takes what each harness needs.
rm -f "$work/obj"/*.o "$work/libmhtop-fuzz.a"
for src in "$top"/src/*.c; do
	case ${src##*/} in mhtop.c) continue ;; esac
	o=$work/obj/$(basename "$src" .c).o
	# shellcheck disable=SC2086
	"$CLANG" $CFLAGS $SAN -fsanitize=fuzzer-no-link -c "$src" -o "$o"
done
ar rcs "$work/libmhtop-fuzz.a" "$work"/obj/*.o

failed=
for t in $FUZZ_TARGETS; do
	# shellcheck disable=SC2086
	if ! "$CLANG" $CFLAGS $SAN -fsanitize=fuzzer "$here/fuzz_$t.c" \
	    "$work/libmhtop-fuzz.a" $PKG_LIBS -lm -o "$work/bin/fuzz_$t"; then
		echo "run.sh: fuzz_$t does not build" >&2
		failed="$failed $t(build)"
	fi
done

# Seeds: files of at most 8 KB (-max_len), cut at line ends.
split_lines() {		# file outdir prefix [maxfiles]
	awk -v dir="$2" -v pre="$3" -v max="${4:-50}" '
	function out() { if (buf != "" && n < max) { f = sprintf("%s/%s-%03d", dir, pre, n++); printf "%s", buf > f; close(f) } buf = "" }
	{ if (length(buf) + length($0) + 1 > 7900) out(); buf = buf $0 "\n" }
	END { out() }' "$1"
}
each_line() {		# file outdir prefix [maxlines]
	awk -v dir="$2" -v pre="$3" -v max="${4:-200}" '
	NR <= max && length($0) < 8000 { f = sprintf("%s/%s-%04d", dir, pre, NR); print > f; close(f) }' "$1"
}

seed() {
	s=$work/seeds/$1
	rm -rf "$s"
	mkdir -p "$s"
	case $1 in
	queue_parse)
		for f in "$fix"/show-queue-*.txt; do
			b=$(basename "$f" .txt)
			split_lines "$f" "$s" "$b" 5
		done
		each_line "$fix/show-queue-14-varied.txt" "$s" line
		each_line "$fix/show-queue-offline.txt" "$s" offline
		;;
	status)
		for f in "$fix"/show-status-*.txt; do
			cp "$f" "$s/"
			each_line "$f" "$s" "$(basename "$f" .txt)"
		done
		printf 'MTA paused' >"$s/noeol"
		;;
	sanitize)
		# the first byte picks the locale (high bit: C) and the limits
		for f in "$fix"/show-envelope.txt "$fix"/show-envelope-bounce.txt \
		    "$fix"/errors.txt "$fix"/show-queue-14-varied.txt; do
			each_line "$f" "$s" "$(basename "$f" .txt)" 100
		done
		for f in "$s"/*; do
			{ printf 'A'; cat "$f"; } >"$f.u"
			{ printf '\201'; cat "$f"; } >"$f.c"
			rm -f "$f"
		done
		printf 'P\033[31mred\033[0m \233[2J\177\t' >"$s/ctl"
		printf 'Pcaf\303\251 \344\270\255\346\226\207 \360\237\230\200 e\314\201' >"$s/utf8"
		printf 'P\342\200\256bidi\342\201\246 \302\233 \357\273\277' >"$s/bidi"
		printf 'P\300\257 \355\240\200 \364\220\200\200 \370\210\200\200\200 \344\270' >"$s/bad"
		;;
	conf)
		printf 'smtpctl /usr/sbin/smtpctl\ndoas /usr/bin/doas\ninterval 2\n' >"$s/full"
		printf '# comment\n\n  interval\t0.5 # half\r\ndoas none\n' >"$s/comments"
		printf 'foo bar\n' >"$s/unknown"
		printf 'interval\n' >"$s/novalue"
		printf 'interval 1e999\n' >"$s/badinterval"
		printf 'smtpctl bin/smtpctl\n' >"$s/relative"
		printf 'smtpctl /a\000b\ninterval nan\n' >"$s/nul"
		;;
	spamdb)
		# spamdb listings and pfctl -T show lines: one harness, both
		for f in "$sfix"/spamdb-small.txt "$sfix"/spamdb-edge.txt \
		    "$sfix"/pfctl-show.txt; do
			cp "$f" "$s/"
			each_line "$f" "$s" "$(basename "$f" .txt)" 100
		done
		printf 'GREY|192.0.2.1|a|b|<c|d@e>|<f|g@h>|1|2|3|-4|-5\n' >"$s/pipes"
		printf 'WHITE|2001:DB8::1|||1|2|3|4|5\nTRAPPED|192.0.2.1|0\nSPAMTRAP|a|b\n' >"$s/white"
		printf '  !192.0.2.1\n   10.0.0.0/8\n' >"$s/pfneg"
		;;
	amavis)
		# amavis's messages, without the syslog framing
		for f in "$afix"/*.txt "$afix"/*.log "$afix"/wild/*.txt \
		    "$afix"/wild/*.log; do
			sed -n -e 's/^.*amavisd\{0,1\}\[[0-9]*\]: //p;t' \
			    -e '/^(/p' "$f" >"$work/msgs"
			each_line "$work/msgs" "$s" "$(basename "$f")" 60
		done
		;;
	syslog)
		# whole logs, a few lines at a time: framings, splits, smtpd
		for f in "$afix"/*.txt "$afix"/*.log "$afix"/wild/*.txt \
		    "$afix"/wild/*.log "$fix"/maillog-mta-attempts.txt; do
			split_lines "$f" "$s" "$(basename "$f")" 6
		done
		;;
	verdicts)
		# the same, into the store: joins, fates, evictions
		for f in "$afix"/*.txt "$afix"/*.log "$afix"/wild/*.txt \
		    "$afix"/wild/*.log; do
			split_lines "$f" "$s" "$(basename "$f")" 6
		done
		ts='2026-11-24T10:00:00+00:00 mx'
		{
			echo "$ts smtpd[1]: 00000000000000a1 smtp connected address=192.0.2.7 host=a.example"
			echo "$ts smtpd[1]: 00000000000000a1 smtp message msgid=10000001 size=1 nrcpt=1 proto=ESMTP"
			echo "$ts smtpd[1]: 00000000000000a1 smtp envelope evpid=1000000100000001 from=<a@b> to=<c@d>"
			echo "$ts smtpd[1]: 00000000000000aa mta delivery evpid=1000000100000001 from=<a@b> to=<c@d> rcpt=<-> source=\"127.0.0.1\" relay=\"127.0.0.1 (localhost)\" delay=0s result=\"Ok\" stat=\"250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 20000001 Message accepted for delivery\""
			echo "$ts amavis[2]: (00002-01) Passed CLEAN {RelayedInbound}, [127.0.0.1] [192.0.2.7] <a@b> -> <c@d>, mail_id: M, Hits: 1, size: 2, queued_as: 250 2.0.0 20000001 Message accepted for delivery, 3 ms"
			echo "$ts smtpd[1]: 00000000000000bb mta delivery evpid=2000000100000001 from=<a@b> to=<c@d> rcpt=<-> source=\"127.0.0.1\" relay=\"x\" delay=1s result=\"TempFail\" stat=\"421 later\""
			echo "$ts smtpd[1]: 00000000000000aa mta delivery evpid=1000000200000001 from=<a@b> to=<c@d> rcpt=<-> source=\"127.0.0.1\" relay=\"x\" delay=0s result=\"Ok\" stat=\"250 2.7.0 Ok, discarded, id=00002-02 - spam\""
			echo "$ts amavis[2]: (00002-02) Blocked SPAM {DiscardedInbound}, [127.0.0.1] <a@b> -> <c@d>, mail_id: N, Hits: 99, size: 2, 3 ms"
			echo "$ts smtpd[1]: 00000000000000bb mta delivery evpid=2000000100000001 from=<a@b> to=<c@d> rcpt=<-> source=\"127.0.0.1\" relay=\"x\" delay=9s result=\"Ok\" stat=\"250 OK id=1tXyZa-0001Ab-Cd\""
		} >"$s/joins"
		;;
	quarantine)
		# whole files, plain and gzipped (an odd first byte, as gzip's
		# 0x1f, makes the harness read it back through zlib), and names
		for f in "$afix"/quarantine/*/* "$afix"/quarantine-flat/*; do
			b=$(echo "$f" | tr / _)
			b=${b##*_quarantine}
			cp "$f" "$s/raw$b"
			case $f in
			*.gz) gzip -dc "$f" >"$s/msg$b" ;;
			esac
		done
		sed 's,^virusmails/,,' "$afix/quarantine-find.txt" >"$work/names"
		each_line "$work/names" "$s" name
		# shellcheck disable=SC2016 # never expanded: that is the point
		for n in '../spam-X' 'S/../spam-X' '$(rm -rf /)' '-rf' 'a b' \
		    '/var/virusmails/spam-X.gz' 'S/T/spam-X.gz' 'clean-abc' \
		    'a/archive-x+y.gz'; do
			printf '%s\n' "$n" >"$s/name-$(echo "$n" | cksum | cut -d' ' -f1)"
		done
		printf 'X-Envelope-To: <a@b>,\n <"a@b >>=c"@example.com>, <>\nSubject: =?UTF-8?B?8J+Y?=\n =?UTF-8?B?gA==?= =?iso-8859-1?q?caf=E9?=\n\n' >"$s/folded"
		printf 'From a@b Tue Nov 24 13:50:00 2026\r\nSubject: \033]0;x\007\300\r\nX-Spam-Status: Yes, tests=A,\r\n\tB\r\n\r\nbody' >"$s/crlf"
		;;
	mime)
		# whole quarantined messages, and MIME made to measure
		for f in "$afix"/quarantine/*/* "$afix"/quarantine-flat/*; do
			b=$(echo "$f" | tr / _)
			b=${b##*_quarantine}
			case $f in
			*.gz) gzip -dc "$f" >"$s/msg$b" ;;
			*) cp "$f" "$s/msg$b" ;;
			esac
		done
		printf 'Content-Type: multipart/mixed; boundary="o"\r\n\r\npre\r\n--o\r\nContent-Type: multipart/alternative; boundary=a\r\n\r\n--a\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\ncaf=E9 soft=\r\nbreak\r\n--a\r\nContent-Type: text/html\r\n\r\n<p>a&amp;b&#x41;<script>x</script><br>\r\n--a--\r\n--o\r\nContent-Type: message/rfc822\r\n\r\nSubject: in\r\n\r\ninner\r\n--o\r\nContent-Type: application/octet-stream; name="a.exe"\r\nContent-Disposition: attachment; filename*0*=utf-8\047\047%%E2%%82%%AC; filename*1=x.exe\r\nContent-Transfer-Encoding: base64\r\n\r\nTVqQ AAMA\r\n--o--\r\nepilogue\r\n' >"$s/nested"
		printf 'Content-Type: text/html; charset=utf-8\n\n<style>x</style><pre>a  b\n</pre><!-- c -->&nbsp;&#0;\033[31m\000\300' >"$s/html"
		printf 'Content-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: x\n\nd\n--d\n' >"$s/digest"
		;;
	smtpdstats)
		# show stats as smtpd printed it; counters that wrap, go back
		for f in "$fix"/show-stats*.txt; do
			cp "$f" "$s/"
		done
		printf 'uptime=10\nscheduler.delivery.ok=5\nuptime=3\nscheduler.delivery.ok=2\n' >"$s/restart"
		printf 'scheduler.envelope=-3\nscheduler.delivery.ok=18446744073709551615\nuptime=1\nscheduler.delivery.ok=9223372036854775807\n' >"$s/wrap"
		printf 'smtpctl: smtpd doesn'"'"'t seem to be running\n=\nx=\n' >"$s/bad"
		;;
	detail)
		# a recipient, then show hoststats and show routes lines
		{ echo 'bob@Example.NET'; cat "$fix"/show-hoststats.txt \
		    "$fix"/show-routes.txt; } >"$s/fixtures"
		printf 'a@greylist.test\ngreylist.test|1795525168|451 4.7.1 Greylisted | try\nGREYLIST.TEST|-5|x\ngreylist.test|99999999999999999999|y\ngreylist.test.evil|1|z\n' >"$s/hoststats"
		printf 'x@[127.0.0.2]\n1. [] <-> 127.0.0.2 (127.0.0.2) N--- nconn=1\n' >"$s/literal"
		printf 'a@b.example\n2. [] <-> 192.0.2.1 (mx.b.example) ----\n3. [] <-> 192.0.2.2 (xb.example) ----\n4. ) (b.example\n5. (\033[2Jb.example)\n' >"$s/routes"
		;;
	shape)
		# smtpd's errors as show queue gives them, and made to vary
		for f in "$fix"/show-queue-*.txt; do
			cut -d'|' -f14- "$f"
		done | sort -u >"$work/errs"
		each_line "$work/errs" "$s" err 100
		printf '421 4.7.0 Try again later, closing connection (ABC123)\n' >"$s/ids"
		printf '450 4.7.1 <bob@Example.ORG>: Recipient address rejected: Greylisted for 300 seconds\n' >"$s/addr"
		printf 'connect to [IPv6:2001:db8::1] and 192.0.2.1. failed 4si123abc.123 - gsmtp\n' >"$s/ip"
		printf 'a@b.example.\n' >"$s/dom"
		printf 'x@[127.0.0.2]\n' >"$s/lit"
		printf 'x@MX.Shop.CO.UK\n' >"$s/parent"
		printf '451 \033[31mRejected\033[0m \r\t by  policy \377\n' >"$s/ctl"
		;;
	trace)
		# a target, then spamd's messages (and others') to test
		sed -e 's/^.*spamd\[[0-9]*\]: //' "$sfix/spamd-daemon-log.txt" \
		    >"$work/msgs"
		# (not $t: that is the caller's harness)
		for tg in 'bob@Example.ORG' '<sales@example.org>' 'example.org.' \
		    '2001:0db8:0:0::1' '[IPv6:2001:db8::1]' '::ffff:192.0.2.1' \
		    '198.51.100.3' '"a@b"@example.org' 'RU'; do
			{ printf '%s\n' "$tg"; cat "$work/msgs"; } \
			    >"$s/t-$(echo "$tg" | cksum | cut -d' ' -f1)"
		done
		printf 'spamd: result: Y 12 - X\nprefork: child states: II\n2001:db8::1: connected (1/0), lists:  a ...\n' >"$s/sa"
		;;
	json)
		# hostile text, addresses and lists, numbers; rows of cells
		for f in "$fix"/errors.txt "$afix"/verdicts.tsv \
		    "$afix"/quarantine.tsv; do
			each_line "$f" "$s" "$(basename "$f")" 60
		done
		printf '\033[31mred\033[0m \233[2J\177\t"q"\\\n\r\000x' >"$s/ctl"
		printf 'caf\303\251 \344\270\255 \360\237\230\200 \302\205 \342\200\250 \342\200\256x\342\201\246' >"$s/utf8"
		printf '\300\257 \340\200\257 \355\240\200 \364\220\200\200 \370\210\200\200\200 \344\270' >"$s/bad"
		printf '"weird,name"@example.org, bob@example.org,,"a\\",b"@x' >"$s/list"
		printf 'GTUBE=1000,RCVD_ILLEGAL_IP=1.3\t-0.1\t5.2e3\nhold,suspend\t\t01' >"$s/rows"
		printf -- '-0.1' >"$s/number"
		;;
	answers)
		printf '1 envelope removed\n1 envelope removed\n1 envelope removed\n' >"$s/three"
		printf '2 envelopes scheduled\n1 envelope scheduled\n' >"$s/sum"
		printf '1 envelope removed\ncommand failed\n' >"$s/mixed"
		printf 'command failed\n' >"$s/failed"
		;;
	esac
}

dict() {
	d=$work/$1.dict
	case $1 in
	queue_parse)
		for w in '|' '@' '||' '@|' 'pending' 'inflight' 'offline' 'invalid' \
		    'mta' 'mda' 'bounce' 'inet4' 'inet6' 'local' 'auth' 'hold' \
		    'suspend' 'hold,suspend' '-' '0123456789abcdef|' \
		    '|1795525168|' '9223372036854775807' '9223372036854775808'; do
			printf '"%s"\n' "$w"
		done >"$d" ;;
	conf)
		for w in smtpctl doas interval none '#' ' /' '\x09' '\x0d\x0a' nan inf \
		    0.1 86400 1e999 0x10; do
			printf '"%s"\n' "$w"
		done >"$d" ;;
	status)
		for w in MDA MTA SMTP ' running' ' paused'; do
			printf '"%s"\n' "$w"
		done >"$d" ;;
	spamdb)
		for w in 'GREY|' 'WHITE|' 'TRAPPED|' 'SPAMTRAP|' '|||' '||' '|<' '>|' \
		    '<>' '@' '|1795000000' '|-1' '|0|0' '9223372036854775807' \
		    '9223372036854775808' '  !' '   ' '/32' '\x1b[31m'; do
			printf '"%s"\n' "$w"
		done >"$d" ;;
	trace)
		for w in '@' '<' '>' '[' ']' 'IPv6:' '::ffff:' '.' ': ' \
		    ': connected (' ': disconnected after ' ' seconds.' \
		    ', lists: ' ' lists: ' ' ...' '(GREY) ' '(BLACK) ' ' -> ' \
		    'Subject: ' '\x1b'; do
			printf '"%s"\n' "$w"
		done >"$d" ;;
	json)
		for w in '\x22' '\x5c' ',' ', ' '\x09' '\x0a' '\x1b' '\x7f' \
		    '\xc2\x9b' '\xe2\x80\xa8' '\xe2\x80\xae' '\xed\xa0\x80' \
		    '\xf4\x90\x80\x80' '\xc0\xaf' '\xf0\x9f\x98\x80' '-0.' \
		    'e+' '@example.org'; do
			printf '"%s"\n' "$w"
		done >"$d" ;;
	answers)
		for w in ' envelope ' ' envelopes ' removed scheduled '\x09' \
		    '18446744073709551615' '-1'; do
			printf '"%s"\n' "$w"
		done >"$d" ;;
	verdicts)
		for w in ' smtp connected address=' ' host=' \
		    ' smtp message msgid=' ' smtp envelope evpid=' \
		    ' mta delivery evpid=' ' result=\"Ok\"' \
		    ' result=\"TempFail\"' ' result=\"PermFail\"' \
		    ' stat=\"250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 ' \
		    ' Message accepted for delivery' ', id=' \
		    ' Passed CLEAN {RelayedInbound}, ' \
		    ' Blocked SPAM {DiscardedInbound,Quarantined}, ' \
		    ', queued_as: 250 2.0.0 ' ', mail_id: ' ' smtpd[1]: ' \
		    ' amavis[2]: ' '...' '\x1b'; do
			printf '"%s"\n' "$w"
		done >"$d" ;;
	quarantine)
		for w in 'X-Envelope-From: <' 'X-Envelope-To: <' \
		    'X-Envelope-To-Blocked: <' 'X-Quarantine-ID: <' \
		    'X-Amavis-Alert: ' 'X-Spam-Score: ' 'X-Spam-Status: ' \
		    ' tests=[' 'Received: ' 'Subject: ' 'From: ' 'Date: ' \
		    'Message-ID: ' '\x0a ' '\x0a\x0a' '\x0d\x0a' '>, <' '\x22' \
		    '=?UTF-8?B?' '=?iso-8859-1?q?' '?=' '?= =?' '=C3=A9' \
		    'INFECTED, message contains virus: ' \
		    'BANNED, message contains ' 'BAD HEADER SECTION, ' \
		    'spam-' '.gz' '/' '..' '\x1f\x8b\x08\x00'; do
			printf '"%s"\n' "$w"
		done >"$d" ;;
	mime)
		for w in 'Content-Type: ' 'multipart/mixed; boundary=' \
		    'multipart/alternative; boundary="' 'message/rfc822' \
		    'text/plain; charset=' 'text/html' 'Content-Disposition: ' \
		    'attachment; filename="' 'filename*0*=' "utf-8''" \
		    'Content-Transfer-Encoding: ' 'base64' 'quoted-printable' \
		    '\x0a\x0a' '\x0d\x0a' '\x0a--' '--\x0a' '=\x0a' '=C3=A9' \
		    '=?UTF-8?B?' '?=' '<script>' '</script>' '<br>' '&amp;' \
		    '&#x' '&#' '<!--' '-->' 'iso-8859-1' 'utf-16' '\x00'; do
			printf '"%s"\n' "$w"
		done >"$d" ;;
	*)	d= ;;
	esac
	echo "$d"
}

for t in $FUZZ_TARGETS; do
	[ -x "$work/bin/fuzz_$t" ] || continue
	seed "$t"
	mkdir -p "$work/corpus/$t"
	d=$(dict "$t")
	set -- -max_len=8192 -timeout=10 -rss_limit_mb=2560 \
	    -print_final_stats=1 -artifact_prefix="$work/artifacts/$t-"
	if [ -n "$d" ]; then set -- "$@" -dict="$d"; fi
	if [ "$secs" -eq 0 ]; then
		set -- "$@" -runs=0
	else
		set -- "$@" -max_total_time="$secs"
	fi
	echo "== fuzz_$t: ${secs}s, $(ls "$work/seeds/$t" | wc -l) seeds," \
	    "$(ls "$here/corpus/$t" 2>/dev/null | wc -l) kept inputs"
	# shellcheck disable=SC2086
	# what the long runs found beyond the seeds (tests/fuzz/corpus/)
	kept=$here/corpus/$t
	[ -d "$kept" ] || kept=
	# shellcheck disable=SC2086
	if ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
	    UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1} \
	    "$work/bin/fuzz_$t" "$@" ${FUZZ_FLAGS:-} "$work/corpus/$t" \
	    "$work/seeds/$t" $kept >"$work/logs/$t.log" 2>&1; then
		grep -E '^stat::(number_of_executed_units|peak_rss_mb)|^#[0-9]+.*DONE' \
		    "$work/logs/$t.log" | tr '\n' ' '
		echo
	else
		echo "!! fuzz_$t FAILED (log: $work/logs/$t.log)"
		grep -E 'ERROR:|runtime error|invariant failed|SUMMARY|Test unit written' \
		    "$work/logs/$t.log" | head -8
		failed="$failed $t"
	fi
done

echo "== work directory: $work"
if [ -n "$failed" ]; then
	echo "FAILED:$failed"
	ls -l "$work/artifacts" 2>/dev/null | sed 1d
	exit 1
fi
echo "all harnesses ran clean"
