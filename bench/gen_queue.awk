# Generate `smtpctl show queue` output (OpenSMTPD 6.8/7.x format) for the
# benchmark.  POSIX awk (mawk, gawk, busybox and one-true-awk all do).
#
#   awk -v n=100000 -v seed=42 -v now=$(date +%s) -f bench/gen_queue.awk |
#       LC_ALL=C sort
#
# One envelope per line:
#   evpid|family|type|flags|sender|rcpt|dest|ctime|expire|lasttry|retry|
#   runstate|delay|error
# as in tests/fixtures/opensmtpd/show-queue-*.txt: evpid = msgid (8 hex) +
# 8 hex, several envelopes per message, flags in smtpd's order
# (bounce,auth,internal,suspend,hold), the null sender written "@", local
# parts and errors holding '|', errors escaped by strnvis (\\ and \^A),
# pending delays that are negative when overdue (hold), inflight delays
# that count the seconds since the attempt started, and some long lines
# (170-char local parts, 300-char SMTP replies).  smtpctl prints the
# envelopes in evpid order: pipe the output through `LC_ALL=C sort`.
# The mix is deterministic for a given seed.

function hex8(    a, b) {
	a = int(rand() * 65536)
	b = int(rand() * 65536)
	return sprintf("%04x%04x", a, b)
}

function pick(arr, cnt) {
	return arr[int(rand() * cnt) + 1]
}

function newmsgid(    id) {
	do {
		id = hex8()
	} while (id in usedmsg || id == "00000000")
	usedmsg[id] = 1
	return id
}

function newevpid(msgid,    id) {
	do {
		id = msgid hex8()
	} while (id in usedevp)
	usedevp[id] = 1
	return id
}

function longlocal(k,    s, i) {
	s = "very.long.recipient."
	for (i = 0; i < 150; i++)
		s = s "x"
	return s k
}

function longdomain(    s, i) {
	s = ""
	for (i = 0; i < 12; i++)
		s = s sprintf("sub%02d.", i)
	return s "example.org"
}

function make_sender(k,    r) {
	r = rand()
	if (r < 0.06)
		return "@"				# null sender (bounces, DSNs)
	if (r < 0.07)
		return "pipe|user" k "@weird.example"
	if (r < 0.08)
		return "newsletter+list" (k % 50) "@bulk.example"
	if (r < 0.085)
		return "UPPER.Case" k "@Example.COM"
	return "sender" k "@src" (k % 13) ".example"
}

function make_rcpt(k,    r) {
	r = rand()
	if (r < 0.005)
		return longlocal(k) "@" longdomain()
	if (r < 0.01)
		return "rcpt|with|pipes" k "@example.com"
	if (r < 0.015)
		return "o'neil" k "@example.com"
	if (r < 0.02)
		return "victor" k "@[127.0.0." (2 + k % 3) "]"
	if (r < 0.08)
		return "user" k "@greylist" (k % 7) ".test"
	return "user" k "@dest" (k % 97) ".example"
}

function make_error(type, rcpt, tries,    r, s, i) {
	if (tries == 0)
		return ""
	if (type == "mda")
		return "\"lab mda tempfail\""
	if (type == "bounce")
		return "exited abnormally"
	if (rcpt ~ /@greylist/)
		return "451 4.7.1 Greylisted | try again later \\\\o/ \\^Actl"
	r = rand()
	if (r < 0.60)
		return "Network error on destination MXs"
	if (r < 0.70)
		return "Connection timed out"
	if (r < 0.78)
		return "421 4.7.0 Try again later, closing connection."
	if (r < 0.85)
		return "452 4.2.2 Mailbox full"
	if (r < 0.90)
		return "450 4.1.8 <bounce@x.example>: Sender address rejected: Domain not found"
	if (r < 0.93)
		return "550 5.7.1 \\^[[31mRejected\\^[[0m \\M-\\^[[2J by policy | see https://policy.example/why?a=1|b=2"
	# a long multi-line reply flattened by smtpd: ~330 bytes
	s = "451-4.7.1 Service unavailable - try again later."
	for (i = 0; i < 6; i++)
		s = s " 451-4.7.1 Please see https://postmaster.example/tempfail#" i
	return s
}

BEGIN {
	if (n == "")
		n = 100000
	if (seed == "")
		seed = 42
	if (now == "")
		now = 1795525600
	srand(seed)
	split("inet4 inet4 inet4 inet4 inet4 inet4 inet4 inet6 inet6 local", fams, " ")

	made = 0
	k = 0
	while (made < n) {
		k++
		msgid = newmsgid()
		# recipients per message: mostly 1, sometimes up to 8
		r = rand()
		nr = r < 0.80 ? 1 : (r < 0.93 ? 2 : (r < 0.98 ? 3 + int(rand() * 3) : 6 + int(rand() * 3)))
		if (nr > n - made)
			nr = n - made
		fam = pick(fams, 10)
		sender = make_sender(k)
		# age: most mail is young, a long tail up to 4 days
		r = rand()
		age = int(r * r * r * 345600)
		ctime = now - age
		r = rand()
		type = r < 0.03 ? "mda" : (r < 0.045 ? "bounce" : "mta")
		if (sender == "@" && rand() < 0.3) {
			fam = "local"		# smtpd's own bounce reports
			authf = 1
		} else
			authf = rand() < 0.05
		for (j = 0; j < nr; j++) {
			evpid = newevpid(msgid)
			rcpt = make_rcpt(k * 10 + j)
			expire = type == "bounce" ? ctime + 604800 : ctime
			# tries grow with age (backoff)
			tries = age < 15 ? 0 : 1 + int(log(1 + age / 60) * 1.7 * rand())
			r = rand()
			hold = 0
			suspend = 0
			if (r < 0.05) {
				state = "inflight"
				delay = int(rand() * 60)
				lasttry = now - delay
				if (rand() < 0.05)
					suspend = 1
			} else {
				state = "pending"
				lasttry = 0
				if (r < 0.15) {
					hold = 1
					delay = -int(rand() * 600) - 1
				} else if (r < 0.17) {
					suspend = 1
					delay = int(rand() * 3600)
				} else if (r < 0.19)
					delay = -int(rand() * 30)	# MTA paused: overdue
				else
					delay = int(rand() * 3600)
			}
			flags = ""
			if (type == "bounce" && rand() < 0.3)
				flags = "bounce"
			if (authf)
				flags = flags (flags == "" ? "" : ",") "auth"
			if (suspend)
				flags = flags (flags == "" ? "" : ",") "suspend"
			if (hold)
				flags = flags (flags == "" ? "" : ",") "hold"
			err = make_error(type, rcpt, tries)
			printf "%s|%s|%s|%s|%s|%s|%s|%d|%d|%d|%d|%s|%d|%s\n",
			    evpid, fam, type, flags, sender, rcpt, rcpt,
			    ctime, expire, lasttry, tries, state, delay, err
			made++
		}
	}
}
