#!/usr/bin/env bash
# amavis-lab.sh -- a real, throwaway mail filter chain from Debian 12's
# packages, for mhtop's verdicts pane: OpenSMTPD in front of and behind
# amavisd-new (with SpamAssassin), and rsyslogd writing what both log to one
# file, $LAB_DIR/maillog.  Written after research/amavis-lab.sh and
# research/amavis.md section 5.
#
#   client --SMTP--> smtpd 127.0.0.1:25 --relay--> amavisd 127.0.0.1:10024
#   amavisd --re-injection--> smtpd 127.0.0.1:10025 (tag AMAVIS)
#   smtpd --relay--> python sink 127.0.0.1:10026 (accepts everything: the
#                    clean mail's final "mta delivery" has result="Ok")
#   smtpd, amavisd --syslog(3)--> /dev/log --> rsyslogd --> $LAB_DIR/maillog
#
# Everything runs in a private mount and network namespace made by unshare:
# the network has only its own loopback (nothing can leave 127.0.0.0/8, and
# the fixed ports cannot clash with anything on the host), /run is a tmpfs
# (smtpd.sock), /var/spool is $LAB_DIR/spool, /var/lib/amavis is
# $LAB_DIR/varlib, and /dev is a tmpfs with links to the host's device nodes
# plus rsyslogd's own /dev/log socket.  The host's /dev/log, /run,
# /var/spool/smtpd and /var/lib/amavis are never touched.
#
# amavisd reads Debian's /etc/amavis/conf.d/01-debian and 20-debian_defaults
# (so the banned file name rules are Debian's), then the lab's settings: its
# paths, the ports, the verbose log template (Subject and Tests are logged),
# per-recipient log lines as upstream and OpenBSD have them, spam discarded
# and quarantined, no virus scanner, and SpamAssassin with local tests only,
# no Bayes, no auto-learning, no Razor/Pyzor/DCC and no sa-update.
#
# Usage:
#   amavis-lab.sh install      apt-get install what is missing (services not
#                              started): amavisd-new spamassassin rsyslog
#                              opensmtpd python3 iproute2
#   amavis-lab.sh start        start everything (amavisd takes ~10-30 s)
#   amavis-lab.sh send RID     the three test mails (clean, GTUBE, banned .exe)
#   amavis-lab.sh wait RID [S] wait (S seconds, default 90) until the maillog
#                              has their verdicts and the clean mail's
#                              deliveries; writes $LAB_DIR/state.json
#   amavis-lab.sh exec CMD...  run CMD inside the lab's namespaces
#   amavis-lab.sh status       the lab's processes
#   amavis-lab.sh stop         stop everything, remove $LAB_DIR (LAB_KEEP=1: keep)
#   amavis-lab.sh capture FILE start, send, wait, stop, copy the maillog to
#                              FILE (how tests/fixtures/amavis/lab-*.txt were
#                              made)
#
# Environment:
#   LAB_DIR=/tmp/amavis-lab.$(id -u)   (made mode 0755: amavisd runs as amavis)
#   LAB_LOGFMT=rfc3339 (rsyslog's RSYSLOG_FileFormat, Debian 12's default:
#              "2026-11-24T18:50:01.123456+00:00 mx amavis[123]: ...")
#              or bsd (RSYSLOG_TraditionalFileFormat: "Nov 24 18:50:01 mx ...")
#   LAB_KEEP=1  stop leaves $LAB_DIR in place
set -euo pipefail

LAB_DIR=${LAB_DIR:-/tmp/amavis-lab.$(id -u)}
LAB_LOGFMT=${LAB_LOGFMT:-rfc3339}
LAB_KEEP=${LAB_KEEP:-0}
HERE=$(cd "$(dirname "$0")" && pwd)
PY=$HERE/amavis_lab.py
H=$LAB_DIR/amavis
SMTP_PORT=25
AMAVIS_PORT=10024
REINJECT_PORT=10025
SINK_PORT=10026
MARK='# amavis-lab'

die() { echo "amavis-lab: $*" >&2; exit 1; }
log() { echo "amavis-lab: $*" >&2; }
need_root() { [ "$(id -u)" = 0 ] || die "must run as root"; }
alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }
pid_of() { cat "$1" 2>/dev/null || true; }
ns_pid() { pid_of "$LAB_DIR/ns.pid"; }
in_ns() {	# CMD...: run CMD in the lab's mount and network namespaces
	local pid; pid=$(ns_pid)
	alive "$pid" || die "the lab is not running (no live pid in $LAB_DIR/ns.pid)"
	nsenter -t "$pid" -m -n -- "$@"
}

cmd_install() {
	need_root
	local pkgs="" made_policy=0 rc=0
	command -v amavisd >/dev/null || pkgs="$pkgs amavisd-new"
	command -v spamassassin >/dev/null || pkgs="$pkgs spamassassin"
	[ -x /usr/sbin/rsyslogd ] || pkgs="$pkgs rsyslog"
	[ -x /usr/sbin/smtpd ] || pkgs="$pkgs opensmtpd"
	command -v python3 >/dev/null || pkgs="$pkgs python3"
	command -v ip >/dev/null || pkgs="$pkgs iproute2"
	if [ -z "$pkgs" ]; then log "everything is installed"; return 0; fi
	# never let a package start its system-wide service (port 25, /dev/log)
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
		chmod 755 /usr/sbin/policy-rc.d
		made_policy=1
	fi
	log "apt-get install$pkgs"
	# shellcheck disable=SC2086
	if ! apt-cache show $pkgs >/dev/null 2>&1; then apt-get update -qq || rc=$?; fi
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    $pkgs > "$LAB_DIR.apt.log" 2>&1 || rc=$?
	if [ "$rc" != 0 ]; then
		log "apt-get install failed ($rc); apt-get update and one more try"
		rc=0
		apt-get update -qq || rc=$?
		# shellcheck disable=SC2086
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		    $pkgs > "$LAB_DIR.apt.log" 2>&1 || rc=$?
	fi
	if [ "$made_policy" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
	[ "$rc" = 0 ] || { tail -20 "$LAB_DIR.apt.log" >&2; die "apt-get install$pkgs failed ($rc)"; }
	rm -f "$LAB_DIR.apt.log"
}

write_files() {
	local tmpl
	case $LAB_LOGFMT in
	rfc3339) tmpl=RSYSLOG_FileFormat ;;
	bsd) tmpl=RSYSLOG_TraditionalFileFormat ;;
	*) die "LAB_LOGFMT must be rfc3339 or bsd" ;;
	esac
	mkdir -p "$LAB_DIR" "$LAB_DIR/spool" "$LAB_DIR/varlib" "$LAB_DIR/hostdev" \
	    "$LAB_DIR/rsyslog" "$H/tmp" "$H/db" "$H/var" "$H/virusmails"
	chmod 755 "$LAB_DIR"
	chown -R amavis:amavis "$H" "$LAB_DIR/varlib"
	: > "$LAB_DIR/maillog"

	cat > "$LAB_DIR/ns-init.sh" <<EOF
#!/bin/sh
$MARK: the namespaces' first process; it holds them until it is killed
set -e
echo \$\$ > '$LAB_DIR/ns.pid'
mount -t tmpfs -o mode=0755 tmpfs /run
mount --bind '$LAB_DIR/spool' /var/spool
if [ -d /var/lib/amavis ]; then mount --bind '$LAB_DIR/varlib' /var/lib/amavis; fi
# a /dev of our own, for rsyslogd's /dev/log: links to the host's nodes,
# made aside and moved in whole (no command runs without /dev/shm, which
# libfaketime needs when tests/timeshift.sh moves the clock)
mount --rbind /dev '$LAB_DIR/hostdev'
mkdir -p '$LAB_DIR/newdev'
mount -t tmpfs -o mode=0755 tmpfs '$LAB_DIR/newdev'
for f in '$LAB_DIR'/hostdev/*; do ln -s "\$f" '$LAB_DIR/newdev'/"\${f##*/}"; done
mount --move '$LAB_DIR/newdev' /dev
ip link set lo up
touch '$LAB_DIR/ns.ready'
exec sleep infinity
EOF

	cat > "$LAB_DIR/rsyslog.conf" <<EOF
$MARK: only the lab's /dev/log, only mail.* into one file
global(workDirectory="$LAB_DIR/rsyslog" localHostname="mx")
module(load="imuxsock" SysSock.Name="/dev/log" SysSock.RateLimit.Interval="0")
mail.* action(type="omfile" file="$LAB_DIR/maillog" template="$tmpl")
EOF

	cat > "$LAB_DIR/smtpd.conf" <<EOF
$MARK: nothing leaves the lab's loopback
listen on 127.0.0.1 port $SMTP_PORT hostname mx.example.org
listen on 127.0.0.1 port $REINJECT_PORT tag AMAVIS hostname mx.example.org
action "sink" relay host smtp://127.0.0.1:$SINK_PORT
action "amavis" relay host smtp://127.0.0.1:$AMAVIS_PORT
match from any tag AMAVIS for any action "sink"
match from any for any action "amavis"
EOF

	cat > "$LAB_DIR/sa-user_prefs" <<'EOF'
# amavis-lab: SpamAssassin offline and stateless
use_bayes 0
bayes_auto_learn 0
ifplugin Mail::SpamAssassin::Plugin::Razor2
use_razor2 0
endif
ifplugin Mail::SpamAssassin::Plugin::Pyzor
use_pyzor 0
endif
ifplugin Mail::SpamAssassin::Plugin::DCC
use_dcc 0
endif
skip_rbl_checks 1
EOF

	cat > "$LAB_DIR/amavisd.conf" <<EOF
$MARK
use strict;
\$MYHOME = '$H';
\$mydomain = 'example.org';
\$myhostname = 'mx.example.org';
# Debian's defaults (helper programs, banned names, syslog, thresholds)
my \$recip_templ = \$log_recip_templ;
include_config_files('/etc/amavis/conf.d/01-debian',
    '/etc/amavis/conf.d/20-debian_defaults');
# per-recipient lines, as upstream and OpenBSD log them (Debian drops them)
\$log_recip_templ = \$recip_templ;
\$log_templ = \$log_verbose_templ;	# Subject, Tests, ...
\$log_level = 0;
\$DO_SYSLOG = 1; \$LOGFILE = undef;
\$syslog_ident = 'amavis'; \$syslog_facility = 'mail';
\$daemon_user = 'amavis'; \$daemon_group = 'amavis';
\$TEMPBASE = "\$MYHOME/tmp"; \$db_home = "\$MYHOME/db";
\$helpers_home = "\$MYHOME/var";
\$pid_file = "\$MYHOME/amavisd.pid"; \$lock_file = "\$MYHOME/amavisd.lock";
\$QUARANTINEDIR = "\$MYHOME/virusmails";
\$enable_db = 0; \$enable_global_cache = 0;
\$max_servers = 2;
\$inet_socket_bind = '127.0.0.1'; \$inet_socket_port = $AMAVIS_PORT;
@inet_acl = qw(127.0.0.1);
# the AM.PDP socket amavisd-release talks to, as Debian has it (it also
# loads the gzip code that spam-*.gz quarantine files need)
\$unix_socketname = "\$MYHOME/amavisd.sock";
\$interface_policy{'SOCK'} = 'AM.PDP-SOCK';
\$policy_bank{'AM.PDP-SOCK'} = { protocol => 'AM.PDP', auth_required_release => 0 };
\$forward_method = 'smtp:[127.0.0.1]:$REINJECT_PORT';
\$notify_method = 'smtp:[127.0.0.1]:$REINJECT_PORT';
@local_domains_maps = ( ['.example.org'] );
@mynetworks = qw( 127.0.0.0/8 );
\$final_spam_destiny = D_DISCARD;	# Debian passes spam
\$final_banned_destiny = D_DISCARD;
\$virus_admin = undef; \$spam_admin = undef; \$banned_admin = undef;
@bypass_virus_checks_maps = (1);	# no ClamAV in the lab
@av_scanners = (); @av_scanners_backup = ();
@bypass_spam_checks_maps = (0);
\$sa_local_tests_only = 1;
\$sa_userprefs_file = '$LAB_DIR/sa-user_prefs';
\$enable_dkim_verification = 0; \$enable_dkim_signing = 0;
1;
EOF
	chmod 644 "$LAB_DIR"/*.conf "$LAB_DIR/sa-user_prefs"
	chmod 755 "$LAB_DIR/ns-init.sh"
}

wait_for() {	# SECONDS WHAT CMD...: poll CMD every 0.2 s
	local end=$((SECONDS + $1)) what=$2
	shift 2
	until "$@" >/dev/null 2>&1; do
		[ "$SECONDS" -lt "$end" ] || { log "timed out waiting for $what"; return 1; }
		sleep 0.2
	done
}

cmd_start() {
	need_root
	local f
	for f in amavisd /usr/sbin/rsyslogd /usr/sbin/smtpd python3 ip nsenter unshare; do
		command -v "$f" >/dev/null || die "$f is missing: run '$0 install' first"
	done
	alive "$(ns_pid)" && die "already running (namespace pid $(ns_pid)); '$0 stop' first"
	rm -f "$LAB_DIR"/*.pid "$LAB_DIR/ns.ready"
	write_files
	/usr/sbin/smtpd -n -f "$LAB_DIR/smtpd.conf" > "$LAB_DIR/smtpd-n.log" 2>&1 ||
		{ cat "$LAB_DIR/smtpd-n.log" >&2; die "smtpd config test failed"; }
	/usr/sbin/rsyslogd -N1 -f "$LAB_DIR/rsyslog.conf" > "$LAB_DIR/rsyslog-N1.log" 2>&1 ||
		{ cat "$LAB_DIR/rsyslog-N1.log" >&2; die "rsyslogd config test failed"; }

	setsid unshare -m -n --propagation private "$LAB_DIR/ns-init.sh" \
	    > "$LAB_DIR/ns-init.log" 2>&1 < /dev/null &
	wait_for 10 "the namespaces" test -e "$LAB_DIR/ns.ready" ||
		{ cat "$LAB_DIR/ns-init.log" >&2; cmd_stop; die "the namespaces were not set up"; }

	# syslog first: smtpd's processes connect to /dev/log once, at start
	in_ns /usr/sbin/rsyslogd -f "$LAB_DIR/rsyslog.conf" -i "$LAB_DIR/rsyslogd.pid" \
	    > "$LAB_DIR/rsyslogd.log" 2>&1 < /dev/null ||
		{ cat "$LAB_DIR/rsyslogd.log" >&2; cmd_stop; die "rsyslogd did not start"; }
	wait_for 10 "rsyslogd's /dev/log" in_ns test -S /dev/log ||
		{ cat "$LAB_DIR/rsyslogd.log" >&2; cmd_stop; die "no /dev/log from rsyslogd"; }

	setsid nsenter -t "$(ns_pid)" -m -n -- python3 "$PY" sink $SINK_PORT \
	    "$LAB_DIR/sink.pid" > "$LAB_DIR/sink.log" 2>&1 < /dev/null &

	# amavisd daemonizes; it listens once SpamAssassin's rules are compiled
	local t0=$SECONDS
	in_ns env HOME="$H" amavisd -c "$LAB_DIR/amavisd.conf" start \
	    > "$LAB_DIR/amavisd.log" 2>&1 < /dev/null ||
		{ cat "$LAB_DIR/amavisd.log" >&2; cmd_stop; die "amavisd did not start"; }
	in_ns python3 "$PY" waitport $AMAVIS_PORT 150 ||
		{ cat "$LAB_DIR/amavisd.log" >&2; tail -20 "$LAB_DIR/maillog" >&2; cmd_stop
		  die "amavisd is not listening on 127.0.0.1:$AMAVIS_PORT"; }
	log "amavisd up after $((SECONDS - t0)) s"
	in_ns python3 "$PY" waitport $SINK_PORT 10 ||
		{ cat "$LAB_DIR/sink.log" >&2; cmd_stop; die "the sink did not start"; }

	# shellcheck disable=SC2016
	setsid nsenter -t "$(ns_pid)" -m -n -- sh -c \
	    'echo $$ > "$0"; exec /usr/sbin/smtpd -F -f "$1"' \
	    "$LAB_DIR/smtpd.pid" "$LAB_DIR/smtpd.conf" > "$LAB_DIR/smtpd.log" 2>&1 < /dev/null &
	if ! wait_for 15 "smtpd" in_ns /usr/sbin/smtpctl show status ||
	    ! in_ns python3 "$PY" waitport $SMTP_PORT 5; then
		cat "$LAB_DIR/smtpd.log" >&2; cmd_stop; die "smtpd did not start"
	fi
	log "running in $LAB_DIR: maillog $LAB_DIR/maillog ($LAB_LOGFMT)"
}

cmd_send() { in_ns python3 "$PY" send $SMTP_PORT "$1"; }

cmd_wait() { python3 "$PY" wait "$LAB_DIR/maillog" "$1" "${2:-90}" "$LAB_DIR/state.json"; }

stop_pid() {	# PIDFILE NAME: TERM, up to 10 s, then KILL (its process group
		# too when it leads one: amavisd's children)
	local pid _
	pid=$(pid_of "$1")
	alive "$pid" || { rm -f "$1"; return 0; }
	kill -TERM "$pid" 2>/dev/null || true
	for _ in $(seq 1 100); do alive "$pid" || break; sleep 0.1; done
	if alive "$pid"; then
		log "$2 ($pid) ignored SIGTERM, killing it"
		if [ "$(ps -o pgid= -p "$pid" | tr -d ' ')" = "$pid" ]; then
			kill -KILL -- "-$pid" 2>/dev/null || true
		fi
		kill -KILL "$pid" 2>/dev/null || true
	fi
	rm -f "$1"
}

cmd_stop() {
	stop_pid "$LAB_DIR/smtpd.pid" smtpd
	stop_pid "$H/amavisd.pid" amavisd
	stop_pid "$LAB_DIR/sink.pid" sink
	stop_pid "$LAB_DIR/rsyslogd.pid" rsyslogd
	stop_pid "$LAB_DIR/ns.pid" "the namespace holder"
	rm -f "$LAB_DIR/ns.ready"
	if [ "$LAB_KEEP" != 1 ] && [ -d "$LAB_DIR" ]; then
		# only ever delete a directory this script populated
		if head -1 "$LAB_DIR/amavisd.conf" 2>/dev/null | grep -q "^$MARK"; then
			rm -rf "$LAB_DIR"
		else
			log "not removing $LAB_DIR (no amavis-lab amavisd.conf in it)"
		fi
	fi
}

cmd_status() {
	local f
	for f in ns.pid rsyslogd.pid sink.pid amavis/amavisd.pid smtpd.pid; do
		if alive "$(pid_of "$LAB_DIR/$f")"; then
			echo "${f%.pid}: pid $(pid_of "$LAB_DIR/$f")"
		else
			echo "${f%.pid}: not running"
		fi
	done
}

cmd_capture() {	# the whole story, shutdown included, for the fixtures
	local out=$1 rid
	rid=$(python3 -c 'import secrets; print(secrets.token_hex(3))')
	cmd_start
	trap cmd_stop EXIT
	cmd_send "$rid" || die "sending failed"
	cmd_wait "$rid" 90 || die "the maillog is not complete"
	sleep 11	# smtpd closes its idle relay sessions after 10 s
	LAB_KEEP=1 cmd_stop
	cp "$LAB_DIR/maillog" "$out"
	cmd_stop
	trap - EXIT
	log "maillog ($LAB_LOGFMT) copied to $out"
}

case "${1:-}" in
install) cmd_install ;;
start) cmd_start ;;
send) [ $# = 2 ] || die "usage: $0 send RID"; cmd_send "$2" ;;
wait) [ $# -ge 2 ] || die "usage: $0 wait RID [SECONDS]"; cmd_wait "$2" "${3:-90}" ;;
exec) shift; in_ns "$@" ;;
status) cmd_status ;;
stop) cmd_stop ;;
capture) [ $# = 2 ] || die "usage: $0 capture FILE"; cmd_capture "$2" ;;
*) sed -n '2,/^set -euo/p' "$0" | sed '$d' >&2; exit 2 ;;
esac
