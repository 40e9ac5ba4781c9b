#!/usr/bin/env python3
"""Helpers for tests/integration/amavis-lab.sh and amavis.sh.

    amavis_lab.py sink PORT PIDFILE     SMTP sink on 127.0.0.1:PORT that accepts
                                        every message and answers DATA as
                                        OpenSMTPD does ("250 2.0.0 <8 hex>
                                        Message accepted for delivery")
    amavis_lab.py waitport PORT SECONDS exit 0 once 127.0.0.1:PORT accepts
    amavis_lab.py send PORT RID         the three test mails (clean, GTUBE,
                                        banned .exe) through smtpd; RID makes
                                        the subjects and Message-IDs unique
    amavis_lab.py wait MAILLOG RID SECONDS STATE
                                        poll the maillog until the three amavis
                                        verdicts, smtpd's results for the
                                        envelopes sent to amavis and the clean
                                        mail's deliveries to the sink are all
                                        there; PASS:/FAIL: lines, and what was
                                        found as JSON in STATE (exit 1 on
                                        timeout)
    amavis_lab.py check-tsv TSV STATE   the checks of "mhtop -b -p verdicts"
                                        output against STATE (PASS:/FAIL:)
    amavis_lab.py get STATE KEY         one value of STATE (clean.mail_id, ...)

Only the standard library; nothing but 127.0.0.1 is ever contacted.
"""
import datetime
import email.utils
import json
import os
import random
import re
import smtplib
import socket
import sys
import threading
import time

GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X"
HEADER = ["time", "logid", "action", "category", "hits", "ip", "from", "to",
          "subject", "size", "mail_id", "quarantine", "queued_as", "tests"]
CASES = ("clean", "gtube", "banned")


def mails(rid):
    """(case, envelope from, envelope to, subject, Message-ID, message)."""
    out = []

    def add(case, frm, hfrm, rcpts, subject, mid, ctype, body):
        hdr = [("From", hfrm), ("To", ", ".join(rcpts)), ("Subject", subject),
               ("Date", email.utils.formatdate(localtime=False)),
               ("Message-ID", mid), ("MIME-Version", "1.0"),
               ("Content-Type", ctype)]
        msg = "".join("%s: %s\r\n" % kv for kv in hdr) + "\r\n" + body
        out.append((case, frm, rcpts, subject, mid, msg.encode("ascii")))

    text = "text/plain; charset=us-ascii"
    add("clean", "alice@sender.example", "Alice <alice@sender.example>",
        ["bob@example.org", "carol@example.org"],
        "mhtop lab clean %s" % rid, "<clean.%s@sender.example>" % rid, text,
        "Hello Bob and Carol,\r\n\r\nthe minutes of Tuesday's meeting are"
        " on the usual share.\r\n\r\nAlice\r\n")
    add("gtube", "spammer@spam.example", "Spammer <spammer@spam.example>",
        ["dave@example.org"], "mhtop lab offer %s" % rid,
        "<gtube.%s@spam.example>" % rid, text,
        "Buy now!\r\n\r\n%s\r\n" % GTUBE)
    # invoice.pdf.exe: a double extension and .exe, banned by Debian's
    # $banned_filename_re (20-debian_defaults) twice over
    add("banned", "mallory@sender.example", "Mallory <mallory@sender.example>",
        ["erin@example.org"], "mhtop lab invoice %s" % rid,
        "<banned.%s@sender.example>" % rid,
        'multipart/mixed; boundary="=_lab_%s"' % rid,
        "--=_lab_%s\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"
        "Your invoice is attached.\r\n"
        "--=_lab_%s\r\nContent-Type: application/octet-stream;"
        ' name="invoice.pdf.exe"\r\nContent-Disposition: attachment;'
        ' filename="invoice.pdf.exe"\r\nContent-Transfer-Encoding: base64\r\n'
        "\r\nTVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n"
        "--=_lab_%s--\r\n" % (rid, rid, rid))
    return out


# ---- sink --------------------------------------------------------------------
def sink(port, pidfile):
    with open(pidfile, "w") as f:
        f.write("%d\n" % os.getpid())

    def handle(c):
        f = c.makefile("rb")

        def w(s):
            c.sendall(s.encode() + b"\r\n")
        try:
            w("220 sink.example.org ESMTP lab sink")
            while True:
                line = f.readline()
                if not line:
                    break
                u = line.decode("latin-1").strip().upper()
                if u.startswith("EHLO"):
                    c.sendall(b"250-sink.example.org Hello\r\n250-8BITMIME\r\n"
                              b"250-ENHANCEDSTATUSCODES\r\n250 SIZE 36700160\r\n")
                elif u.startswith("HELO"):
                    w("250 sink.example.org Hello")
                elif u.startswith("MAIL"):
                    w("250 2.0.0 Ok")
                elif u.startswith("RCPT"):
                    w("250 2.1.5 Destination address valid: Recipient ok")
                elif u == "DATA":
                    w('354 Enter mail, end with "." on a line by itself')
                    while True:
                        l = f.readline()
                        if l in (b".\r\n", b".\n", b""):
                            break
                    w("250 2.0.0 %08x Message accepted for delivery"
                      % random.getrandbits(32))
                elif u == "QUIT":
                    w("221 2.0.0 Bye")
                    break
                elif u in ("RSET", "NOOP"):
                    w("250 2.0.0 Ok")
                else:
                    w("500 5.5.1 Invalid command: Command unrecognized")
        except OSError:
            pass
        finally:
            c.close()

    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    s.listen(16)
    while True:
        c, _ = s.accept()
        threading.Thread(target=handle, args=(c,), daemon=True).start()


def waitport(port, seconds):
    end = time.time() + seconds
    while time.time() < end:
        try:
            socket.create_connection(("127.0.0.1", port), 1).close()
            return 0
        except OSError:
            time.sleep(0.2)
    return 1


def send(port, rid):
    rc = 0
    for case, frm, rcpts, _, _, msg in mails(rid):
        try:
            s = smtplib.SMTP("127.0.0.1", port, local_hostname="client.example",
                             timeout=60)
            s.sendmail(frm, rcpts, msg)
            s.quit()
            print("sent %-6s %s -> %s" % (case, frm, ",".join(rcpts)))
        except (OSError, smtplib.SMTPException) as e:
            print("could not send %s: %r" % (case, e))
            rc = 1
    return rc


# ---- the maillog ---------------------------------------------------------------
# rsyslog's RSYSLOG_FileFormat (RFC 3339) or RSYSLOG_TraditionalFileFormat
STAMP = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d))"
                   r" |^([A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d) ")
VERDICT = re.compile(r"\bamavis\[\d+\]: \(([^)\s]+)\) (Passed|Blocked) "
                     r"([A-Z][A-Z0-9-]*(?: \([^)]*\))?) \{([^}]*)\}, (.*)$")


def stamp(line):
    m = STAMP.match(line)
    if not m:
        return None
    if m.group(1):
        return int(datetime.datetime.fromisoformat(
            m.group(1).replace("Z", "+00:00")).timestamp())
    # no year: this year's, unless that is more than a day ahead (a line
    # of 31 December read on 1 January), as mhtop infers it
    now = datetime.datetime.now()
    t = datetime.datetime.strptime("%d %s" % (now.year, m.group(2)),
                                   "%Y %b %d %H:%M:%S")
    if t > now + datetime.timedelta(days=1):
        t = t.replace(year=now.year - 1)
    return int(t.timestamp())


def field(rest, key):
    m = re.search(r"(?:^|, )" + re.escape(key) + r": (.*?)(?=, [A-Za-z_.-]+[:=] |, \d+ ms$|$)",
                  rest)
    return m.group(1) if m else None


def scan(path, rid):
    try:
        with open(path, "rb") as f:
            lines = f.read().decode("utf-8", "replace").split("\n")
    except OSError:
        lines = []
    want = {case: (frm, rcpts, subj, mid)
            for case, frm, rcpts, subj, mid, _ in mails(rid)}
    st = {"rid": rid, "order": [], "msgids": [], "lines": 0}
    for line in lines:
        if not line:
            continue
        st["lines"] += 1
        m = re.search(r"\bsmtpd\[\d+\]: \S+ smtp message msgid=([0-9a-f]{8}) ", line)
        if m:
            st["msgids"].append(m.group(1))
        m = VERDICT.search(line)
        if not m:
            continue
        logid, action, cat, actions, rest = m.groups()
        for case, (frm, rcpts, subj, mid) in want.items():
            if "Message-ID: %s," % mid not in rest:
                continue
            if case in st:
                st.setdefault("dups", []).append(case)
                continue
            # smtpd hands amavis the recipients in its own order
            rl = re.search(r"<[^>]*> -> ((?:<[^>]*>,?)*), ", rest)
            logto = re.findall(r"<([^>]*)>", rl.group(1)) if rl else []
            qa = field(rest, "queued_as") or ""
            qm = re.match(r"250 2\.0\.0 ([0-9a-f]{8}) ", qa)
            st[case] = {
                "time": stamp(line), "logid": logid, "action": action,
                "category": cat, "actions": actions,
                "ip": (re.match(r"\[([^\]]+)\]", rest) or [None, ""])[1],
                "from": frm, "to": rcpts, "log_to": logto, "subject": subj,
                "message_id": mid,
                "mail_id": field(rest, "mail_id") or "",
                "hits": field(rest, "Hits") or "",
                "size": field(rest, "size") or "",
                "quarantine": field(rest, "quarantine") or "",
                "queued_as": qa, "queued_msgid": qm.group(1) if qm else "",
                "line": line}
            st["order"].append(case)
    # smtpd: its results for the original envelopes (sent to amavis), and
    # the deliveries of the message amavis re-injected
    for case in CASES:
        v = st.get(case)
        if not v:
            continue
        v["to_amavis"] = []
        v["delivered"] = []
        for line in lines:
            m = re.search(r"\bsmtpd\[\d+\]: \S+ mta delivery evpid=([0-9a-f]{16}) "
                          r"from=<([^>]*)> to=<([^>]*)> .*result=\"([^\"]*)\" "
                          r"stat=\"(.*)\"$", line)
            if not m:
                continue
            evpid, frm, to, result, stat = m.groups()
            if frm != v["from"]:
                continue
            if v["queued_msgid"] and evpid.startswith(v["queued_msgid"]):
                v["delivered"].append([to, result, stat])
            elif ("id=%s" % v["logid"] in stat or
                  (v["queued_msgid"] and v["queued_msgid"] in stat)):
                v["to_amavis"].append([to, result, stat])
    return st


def missing(st):
    out = []
    for case in CASES:
        v = st.get(case)
        if not v:
            out.append("no amavis verdict line for the %s mail" % case)
            continue
        if len(v["to_amavis"]) < len(v["to"]):
            out.append("smtpd logged %d of %d 'mta delivery' results of the %s "
                       "mail's envelopes sent to amavis"
                       % (len(v["to_amavis"]), len(v["to"]), case))
        if case == "clean":
            if not v["queued_msgid"]:
                out.append("no smtpd msgid in the clean verdict's queued_as")
            elif v["queued_msgid"] not in st["msgids"]:
                out.append("no 'smtp message msgid=%s' (re-injection)"
                           % v["queued_msgid"])
            ok = [d for d in v["delivered"] if d[1] == "Ok"]
            if len(ok) < len(v["to"]):
                out.append("%d of %d final deliveries of the clean mail to the "
                           "sink logged with result=\"Ok\""
                           % (len(ok), len(v["to"])))
    return out


def wait(path, rid, seconds, statefile):
    end = time.time() + seconds
    while True:
        st = scan(path, rid)
        miss = missing(st)
        if not miss or time.time() >= end:
            break
        time.sleep(0.5)
    with open(statefile, "w") as f:
        json.dump(st, f, indent=1)
    if miss:
        for m in miss:
            print("FAIL: lab maillog: %s (after %d s; %d lines in %s)"
                  % (m, seconds, st["lines"], path))
        return 1
    c, g, b = st["clean"], st["gtube"], st["banned"]
    print("PASS: lab maillog: 3 amavis verdicts: (%s) %s %s, (%s) %s %s, (%s) %s %s"
          % (c["logid"], c["action"], c["category"], g["logid"], g["action"],
             g["category"], b["logid"], b["action"], b["category"]))
    print("PASS: lab maillog: clean mail re-injected as msgid %s and delivered "
          "to the sink: %s" % (c["queued_msgid"], "; ".join(
              "%s result=%s" % (d[0], d[1]) for d in c["delivered"])))
    print("PASS: lab maillog: smtpd's results for the envelopes sent to amavis: "
          + "; ".join("%s %s" % (case, st[case]["to_amavis"][0][2])
                      for case in CASES))
    return 0


# ---- mhtop -b -p verdicts ----------------------------------------------------
def check_tsv(tsvfile, statefile):
    with open(statefile) as f:
        st = json.load(f)
    with open(tsvfile, "rb") as f:
        text = f.read().decode("utf-8", "replace")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    res = []

    def check(ok, what, detail=""):
        res.append(ok)
        print("%s: mhtop -b -p verdicts: %s%s" % ("PASS" if ok else "FAIL", what,
                                                   "" if ok or not detail
                                                   else " (%s)" % detail))
        return ok

    if not check(lines and lines[0] == "\t".join(HEADER), "the header line",
                 "got %r" % (lines[0] if lines else "")):
        return 1
    rows = [l.split("\t") for l in lines[1:]]
    check(len(rows) == 3, "3 rows, one per amavis verdict", "got %d" % len(rows))
    if not check(all(len(r) == len(HEADER) for r in rows),
                 "%d fields on every row" % len(HEADER),
                 "field counts %s" % [len(r) for r in rows]):
        return 1
    rows = [dict(zip(HEADER, r)) for r in rows]
    times = []
    for r in rows:
        try:
            times.append(int(r["time"]))
        except ValueError:
            times.append(None)
    check(None not in times and times == sorted(times),
          "time is epoch seconds, oldest first", "times %s" % [r["time"] for r in rows])

    def addrs(s):
        return [a.strip().strip("<>") for a in s.split(",") if a.strip()]

    def num(s):
        try:
            return float(s.replace(",", "."))
        except ValueError:
            return None

    for case in CASES:
        v = st[case]
        found = [r for r in rows if r["mail_id"] == v["mail_id"]]
        if not check(len(found) == 1, "%s: one row with mail_id %s" % (case, v["mail_id"]),
                     "%d rows" % len(found)):
            continue
        r = found[0]
        tag = "%s (%s)" % (case, v["mail_id"])
        check(r["time"].isdigit() and abs(int(r["time"]) - v["time"]) <= 1,
              "%s: time %s is the log line's" % (tag, r["time"]),
              "log line at %s" % v["time"])
        check(r["logid"] == v["logid"], "%s: logid %s" % (tag, v["logid"]),
              "got %r" % r["logid"])
        want = "Passed" if case == "clean" else "Blocked"
        check(r["action"] == want, "%s: action %s" % (tag, want), "got %r" % r["action"])
        if case == "banned":
            check(r["category"].startswith("BANNED"), "%s: category BANNED..." % tag,
                  "got %r" % r["category"])
        else:
            want = "CLEAN" if case == "clean" else "SPAM"
            check(r["category"] == want, "%s: category %s" % (tag, want),
                  "got %r" % r["category"])
        # the number amavis logs, in any format ("999", "999.0", "999,000");
        # GTUBE scores 1000, but the lab's mail also hits ALL_TRUSTED=-1
        # (it only crossed trusted loopback relays): 999
        h, lh = num(r["hits"]), num(v["hits"])
        if case == "gtube":
            check(h is not None and h >= 900 and lh is not None and abs(h - lh) < 0.0005,
                  "%s: hits %s, GTUBE's magnitude and amavis' number (log: Hits: %s)"
                  % (tag, r["hits"], v["hits"]), "got %r" % r["hits"])
        elif case == "clean":
            check(h is not None and h < 5 and lh is not None and abs(h - lh) < 0.0005,
                  "%s: hits %s, below the spam levels and amavis' number (log: Hits: %s)"
                  % (tag, r["hits"], v["hits"]), "got %r" % r["hits"])
        else:
            check(r["hits"] in ("", "-"), "%s: hits empty (log: Hits: %s, no spam check)"
                  % (tag, v["hits"]), "got %r" % r["hits"])
        check(r["ip"] == "127.0.0.1", "%s: ip 127.0.0.1" % tag, "got %r" % r["ip"])
        check(addrs(r["from"]) == [v["from"]], "%s: from %s" % (tag, v["from"]),
              "got %r" % r["from"])
        check(addrs(r["to"]) == v["log_to"] and sorted(v["log_to"]) == sorted(v["to"]),
              "%s: to %s (the recipients sent, in amavis' order)"
              % (tag, ",".join(v["log_to"])), "got %r" % r["to"])
        check(r["subject"] == v["subject"], "%s: subject %r" % (tag, v["subject"]),
              "got %r" % r["subject"])
        check(r["size"] == v["size"], "%s: size %s" % (tag, v["size"]),
              "got %r" % r["size"])
        if case == "clean":
            check(r["quarantine"] == "", "%s: quarantine empty" % tag,
                  "got %r" % r["quarantine"])
            m = v["queued_msgid"]
            check(m in r["queued_as"] and m in st["msgids"],
                  "%s: queued_as %r holds msgid %s of the re-injection's "
                  "'smtp message msgid=' line" % (tag, r["queued_as"], m),
                  "got %r" % r["queued_as"])
        else:
            q = "spam-%s.gz" % v["mail_id"] if case == "gtube" else "banned-%s" % v["mail_id"]
            check(r["quarantine"].endswith(q), "%s: quarantine %s" % (tag, r["quarantine"]),
                  "want .../%s, got %r" % (q, r["quarantine"]))
            check(r["queued_as"] == "", "%s: queued_as empty" % tag,
                  "got %r" % r["queued_as"])
        tests = r["tests"].split(",") if r["tests"] else []
        check(all(re.fullmatch(r"[A-Za-z0-9_.]+=-?[0-9.]+", t) for t in tests),
              "%s: tests %r is NAME=score,..." % (tag, r["tests"]))
        if case == "gtube":
            check(any(re.fullmatch(r"GTUBE=1000(\.0*)?", t) for t in tests),
                  "%s: tests hold GTUBE=1000" % tag, "got %r" % r["tests"])
    return 0 if all(res) else 1


def get(statefile, key):
    with open(statefile) as f:
        v = json.load(f)
    for k in key.split("."):
        v = v[k]
    print(v)
    return 0


def main(a):
    cmd = a[0] if a else ""
    if cmd == "sink" and len(a) == 3:
        return sink(int(a[1]), a[2])
    if cmd == "waitport" and len(a) == 3:
        return waitport(int(a[1]), float(a[2]))
    if cmd == "send" and len(a) == 3:
        return send(int(a[1]), a[2])
    if cmd == "wait" and len(a) == 5:
        return wait(a[1], a[2], float(a[3]), a[4])
    if cmd == "check-tsv" and len(a) == 3:
        return check_tsv(a[1], a[2])
    if cmd == "get" and len(a) == 3:
        return get(a[1], a[2])
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
