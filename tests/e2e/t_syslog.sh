#!/bin/sh
# Every action mhtop runs is logged with syslog(3), facility mail, as
# "mhtop[pid]: user USER ran: ARGV: exit N".  The test listens on /dev/log
# itself, inside a private mount namespace so a host syslogd is not touched.
set -u
: "${MHTOP:=./mhtop}" "${srcdir:=.}"
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (mount namespace)"; exit 77; }
command -v tmux >/dev/null || { echo "SKIP: no tmux"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }
unshare -m true 2>/dev/null || { echo "SKIP: unshare -m not permitted"; exit 77; }

dir=$(mktemp -d)
tm="tmux -L mhtop-syslog-$$"
cleanup() {
	$tm kill-server 2>/dev/null
	[ -f "$dir/listener.pid" ] && kill "$(cat "$dir/listener.pid")" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT
fake=$(cd "$srcdir/tests/fake" && pwd)/smtpctl
mhtop=$(cd "$(dirname "$MHTOP")" && pwd)/$(basename "$MHTOP")
release=$(cd "$srcdir/tests/fake" && pwd)/amavisd-release
cp "$srcdir/tests/fixtures/opensmtpd/show-queue-14-varied.txt" "$dir/queue"
cp -R "$srcdir/tests/fixtures/amavis/quarantine" "$dir/q"
chmod -R u+w "$dir/q"
printf 'smtpctl %s\ndoas none\ninterval 1\nquarantine %s\namavisd-release %s\n' \
    "$fake" "$dir/q" "$release" > "$dir/conf"

# the listener writes each datagram on its own line
cat > "$dir/listen.py" <<'PY'
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
os.chmod(sys.argv[1], 0o666)
open(sys.argv[2] + ".ready", "w").close()
with open(sys.argv[2], "ab", buffering=0) as f:
    while True:
        f.write(s.recv(65536) + b"\n")
PY
python3 "$dir/listen.py" "$dir/log.sock" "$dir/syslog.txt" &
echo $! > "$dir/listener.pid"
i=0
while [ ! -e "$dir/syslog.txt.ready" ] && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done

# inside the namespace /dev/log is our socket (bind-mounted over the real
# one, or linked from a private /dev when there is none)
cat > "$dir/run.sh" <<'RUN'
#!/bin/sh
dir=$1
mhtop=$2
if [ -S /dev/log ]; then
	mount --bind "$dir/log.sock" /dev/log || exit 1
else
	# made aside and moved in whole: no command runs without /dev/shm,
	# which libfaketime needs when tests/timeshift.sh moves the clock
	mkdir "$dir/dev" && mount -t tmpfs tmpfs "$dir/dev" || exit 1
	for f in null zero tty urandom random pts ptmx shm; do
		[ -e "/dev/$f" ] || continue
		if [ -d "/dev/$f" ]; then
			mkdir "$dir/dev/$f" && mount --bind "/dev/$f" "$dir/dev/$f"
		else
			touch "$dir/dev/$f" && mount --bind "/dev/$f" "$dir/dev/$f"
		fi
	done
	ln -s "$dir/log.sock" "$dir/dev/log"
	mount --move "$dir/dev" /dev || exit 1
fi
# the clock of the queue fixture, as in every end-to-end test (lib.sh)
FAKE_SMTPCTL_DIR=$dir FAKE_AMAVIS_DIR=$dir/amavis FAKE_QUARANTINE=$dir/q \
    MHTOP_NOW=1795525200 TZ=UTC0 LANG=C.UTF-8 exec "$mhtop" -f "$dir/conf"
RUN
chmod +x "$dir/run.sh"
$tm new-session -d -x 120 -y 30 \
    "unshare -m --propagation private $dir/run.sh $dir $mhtop; sleep 30"

wait_for() {
	i=0
	while [ $i -lt 100 ]; do
		$tm capture-pane -p | grep -qF -- "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "FAIL: timed out waiting for: $1"
	$tm capture-pane -p
	exit 1
}

wait_for "alice@example.com"
$tm send-keys p
wait_for "Pause the MTA: no mail leaves the relay until r? [y/N]"
$tm send-keys y
wait_for "command succeeded"
$tm send-keys d
wait_for "Remove envelope 0862d5e211583af9 (alice@example.com → bob@example.net)? [y/N]"
$tm send-keys y
wait_for "1 envelope removed"
# the quarantine's o: the address typed is in the line
$tm send-keys 5
wait_for "SkMBGGfgtCC1"
$tm send-keys /
$tm send-keys -l SkMBGGfgtCC1
$tm send-keys Enter
wait_for "filter: SkMBGGfgtCC1"
$tm send-keys o
wait_for "Release SkMBGGfgtCC1 to which address?"
$tm send-keys -l alt@example.net
$tm send-keys Enter
wait_for "to alt@example.net (<spammer@spam.example>"
$tm send-keys y
wait_for "released to alt@example.net"
$tm send-keys q
sleep 0.5

user=$(id -un)
for want in "<21>" "mhtop[" "]: user $user ran: $fake pause mta: exit 0" \
    "]: user $user ran: $fake remove 0862d5e211583af9: exit 0" \
    "]: user $user ran: $release S/spam-SkMBGGfgtCC1.gz alt@example.net: exit 0"; do
	if ! grep -qF -- "$want" "$dir/syslog.txt"; then
		echo "FAIL: syslog lacks: $want"
		cat "$dir/syslog.txt"
		exit 1
	fi
done
if grep -q 'show queue' "$dir/syslog.txt"; then
	echo "FAIL: polls are not actions and must not be logged"
	exit 1
fi
sed "s/^/  /" "$dir/syslog.txt"
echo "PASS: actions logged to syslog, facility mail"
