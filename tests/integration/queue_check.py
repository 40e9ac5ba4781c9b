#!/usr/bin/env python3
"""Helpers for tests/integration/opensmtpd.sh.

Reads real "smtpctl show queue" output with the parse rule of
research/opensmtpd.md (addresses may hold '|', the error text may hold
'|'), reads "mhtop -b" output (tab-separated, with mhtop's escapes), and
compares the two.

    queue_check.py ids SHOWQUEUE             sorted envelope ids
    queue_check.py count SHOWQUEUE           number of envelopes
    queue_check.py settled SHOWQUEUE N       exit 0 when there are N envelopes
                                             and no mta envelope is inflight
                                             except the ones for @hang.test
    queue_check.py pick-single SHOWQUEUE     a pending mta envelope that is the
                                             only one of its message
    queue_check.py pick-multi SHOWQUEUE      "EVPID MSGID N" for the message
                                             with the most envelopes (N >= 2),
                                             all pending
    queue_check.py compare SQ1 MHTOP SQ2 [offline]
                                             mhtop -b output read between two
                                             show queue reads: the same
                                             envelopes, the same fields
    queue_check.py settled-domains SQ N DOMAIN...
                                             settled, and every envelope for
                                             DOMAIN... was tried: pending,
                                             retry >= 1, an error
    queue_check.py shape SQ1 SHAPE SQ2 DOMAIN=COUNT...
                                             mhtop -b -p shape: one row per
                                             recipient domain of show queue
                                             (both reads the same), those
                                             totals, each DOMAIN with COUNT
                                             envelopes all in the 5m bucket
    queue_check.py errors SQ ERRORS DOMAIN=COUNT=ERROR...
                                             mhtop -b -p errors: the counts add
                                             up to show queue's; a row ERROR
                                             (as normalised) holding DOMAIN's
                                             COUNT envelopes plus those of the
                                             other domains whose error is
                                             ERROR as it is
    queue_check.py scheduled SQ0 SQ1 DOMAIN [verbose]
                                             after "schedule" of DOMAIN's
                                             envelopes: each tried once more
                                             (retry + 1, pending, an error),
                                             every other mta envelope as it
                                             was (mda ones retry on their own)
    queue_check.py stat SHOWSTATS KEY        the counter's value (0 if absent)
"""
import re
import sys

BATCH_COLUMNS = ["evpid", "msgid", "type", "state", "flags", "sender", "rcpt",
                 "dest", "ctime", "tries", "delay", "error"]
RUNSTATES = {"pending", "inflight", "invalid", "offline"}


def lines_of(path):
    with open(path, "rb") as f:
        data = f.read()
    if data.endswith(b"\n"):
        data = data[:-1]
    if not data:
        return []
    return [l.decode("utf-8", "surrogateescape") for l in data.split(b"\n")]


def addr(user, domain):
    # smtpctl prints the null sender <> as a bare "@"; mhtop shows "<>"
    return "<>" if user == "" and domain == "" else user + "@" + domain


def parse_sq_line(line):
    evpid, fam, typ, flags, rest = line.split("|", 4)
    addrs = []
    for _ in range(3):
        at = rest.index("@")            # a local part never holds '@'
        bar = rest.index("|", at + 1)   # a domain never holds '|'
        addrs.append(addr(rest[:at], rest[at + 1:bar]))
        rest = rest[bar + 1:]
    ctime, expire, lasttry, retry, state, delay, err = rest.split("|", 6)
    if not re.fullmatch(r"[0-9a-f]{16}", evpid):
        raise ValueError("bad evpid")
    if not all(x.isdigit() for x in (ctime, expire, lasttry, retry)):
        raise ValueError("bad number")
    if state not in RUNSTATES:
        raise ValueError("bad runstate")
    return {"evpid": evpid, "msgid": evpid[:8], "type": typ, "state": state,
            "flags": flags, "sender": addrs[0], "rcpt": addrs[1],
            "dest": addrs[2], "ctime": ctime, "tries": retry, "delay": delay,
            "error": err, "family": fam}


def read_sq(path):
    rows, bad = {}, []
    for line in lines_of(path):
        try:
            r = parse_sq_line(line)
        except ValueError as e:
            bad.append("%s: %r" % (e, line))
            continue
        if r["evpid"] in rows:
            bad.append("duplicate evpid: %r" % line)
        rows[r["evpid"]] = r
    return rows, bad


def unescape(s):
    out = bytearray()
    b = s.encode("utf-8", "surrogateescape")
    i = 0
    while i < len(b):
        c = b[i]
        if c == 0x5c and i + 1 < len(b):
            n = b[i + 1]
            if n == ord("\\"):
                out.append(0x5c)
                i += 2
                continue
            if n in b"tnr":
                out.append({ord("t"): 9, ord("n"): 10, ord("r"): 13}[n])
                i += 2
                continue
            if n == ord("x") and re.fullmatch(rb"[0-9a-fA-F]{2}", b[i + 2:i + 4]):
                out.append(int(b[i + 2:i + 4], 16))
                i += 4
                continue
            raise ValueError("bad escape at %d" % i)
        if c == 0x5c:
            raise ValueError("lone backslash at the end")
        out.append(c)
        i += 1
    return out.decode("utf-8", "surrogateescape")


def read_batch(path):
    lines = lines_of(path)
    bad = []
    if not lines or lines[0].split("\t") != BATCH_COLUMNS:
        bad.append("header is %r, want %r" % (lines[0] if lines else None,
                                               "\t".join(BATCH_COLUMNS)))
        return {}, bad
    rows = {}
    for line in lines[1:]:
        f = line.split("\t")
        if len(f) != len(BATCH_COLUMNS):
            bad.append("%d fields, want %d: %r" % (len(f), len(BATCH_COLUMNS), line))
            continue
        try:
            r = dict(zip(BATCH_COLUMNS, (unescape(x) for x in f)))
        except ValueError as e:
            bad.append("%s: %r" % (e, line))
            continue
        if r["evpid"] in rows:
            bad.append("duplicate evpid: %r" % line)
        rows[r["evpid"]] = r
    return rows, bad


def die_bad(what, bad):
    for b in bad[:10]:
        print("  %s: %s" % (what, b))
    return 1 if bad else 0


def cmd_ids(path):
    rows, bad = read_sq(path)
    for e in sorted(rows):
        print(e)
    return die_bad(path, bad)


def cmd_settled(path, n):
    rows, bad = read_sq(path)
    if bad or len(rows) != n:
        return 1
    for r in rows.values():
        if r["type"] == "mta" and r["state"] != "pending" and \
                not r["rcpt"].endswith("@hang.test"):
            return 1
    return 0


def by_msgid(rows):
    m = {}
    for r in rows.values():
        m.setdefault(r["msgid"], []).append(r)
    return m


def cmd_pick_single(path):
    rows, bad = read_sq(path)
    msgs = by_msgid(rows)
    cands = sorted((r for r in rows.values()
                    if r["type"] == "mta" and r["state"] == "pending" and
                    len(msgs[r["msgid"]]) == 1 and r["rcpt"].startswith("user")),
                   key=lambda r: r["rcpt"])
    if not cands:
        return 1
    print(cands[0]["evpid"])
    return 0


def cmd_pick_multi(path):
    rows, bad = read_sq(path)
    best = None
    for msgid, rs in sorted(by_msgid(rows).items()):
        if len(rs) >= 2 and all(r["state"] == "pending" for r in rs):
            if best is None or len(rs) > len(best[1]):
                best = (msgid, rs)
    if best is None:
        return 1
    print(sorted(r["evpid"] for r in best[1])[0], best[0], len(best[1]))
    return 0


def cmd_compare(sq1, mh, sq2, offline=False):
    a, bad1 = read_sq(sq1)
    b, bad2 = read_sq(sq2)
    m, badm = read_batch(mh)
    fails = die_bad("show queue (1st read)", bad1) + \
        die_bad("show queue (2nd read)", bad2) + die_bad("mhtop -b", badm)
    both, either = set(a) & set(b), set(a) | set(b)
    if set(a) != set(b):
        print("  note: show queue changed between the reads: %d -> %d envelopes"
              % (len(a), len(b)))
    missing = sorted(both - set(m))
    extra = sorted(set(m) - either)
    for e in missing:
        print("  missing from mhtop -b: %s" % e)
    for e in extra:
        print("  in mhtop -b but not in show queue: %s" % e)
    fails += len(missing) + len(extra)
    nfield = 0
    for e in sorted(set(m) & both):
        r1, r2, rm = a[e], b[e], m[e]
        want = ["msgid", "type", "sender", "rcpt", "dest", "ctime"]
        # fields that may move between the reads: check them when they did not
        want += [k for k in ("state", "flags", "tries", "error") if r1[k] == r2[k]]
        for k in want:
            if rm[k] != r2[k]:
                print("  %s %s: mhtop -b %r, show queue %r" % (e, k, rm[k], r2[k]))
                nfield += 1
        if r1["state"] == r2["state"] == rm["state"]:
            if rm["state"] in ("pending", "inflight"):
                lo, hi = sorted((int(r1["delay"]), int(r2["delay"])))
                if not re.fullmatch(r"-?[0-9]+", rm["delay"]) or \
                        not lo <= int(rm["delay"]) <= hi:
                    print("  %s delay: mhtop -b %r, show queue %s then %s"
                          % (e, rm["delay"], r1["delay"], r2["delay"]))
                    nfield += 1
            elif rm["delay"] != "":
                print("  %s delay: mhtop -b %r, want empty" % (e, rm["delay"]))
                nfield += 1
        if offline and rm["state"] != "offline":
            print("  %s state: mhtop -b %r, want offline" % (e, rm["state"]))
            nfield += 1
    fails += nfield
    print("  %d envelopes in show queue, %d in mhtop -b, %d field mismatches"
          % (len(b), len(m), nfield))
    return 1 if fails else 0


def domain_of(r):
    # mhtop's key for the by-domain views (qshape_domain() in src/qshape.c):
    # the destination's domain in lower case, without the brackets of an
    # address literal or trailing dots
    d = r["dest"].rsplit("@", 1)[-1]
    if d.startswith("[") and d.endswith("]"):
        d = d[1:-1]
    return d.rstrip(".").lower()


def cmd_settled_domains(path, n, domains):
    if cmd_settled(path, n) != 0:
        return 1
    rows, _ = read_sq(path)
    for r in rows.values():
        if domain_of(r) in domains and (r["state"] != "pending" or
                                        int(r["tries"]) < 1 or not r["error"]):
            return 1
    return 0


def want_counts(specs):
    want = {}
    for spec in specs:
        d, c = spec.split("=", 1)
        want[d] = int(c)
    return want


def cmd_shape(sq1, shape, sq2, specs):
    a, bad1 = read_sq(sq1)
    b, bad2 = read_sq(sq2)
    fails = die_bad("show queue (1st read)", bad1) + die_bad("show queue (2nd read)", bad2)
    count = {}
    for r in b.values():
        count[domain_of(r)] = count.get(domain_of(r), 0) + 1
    count1 = {}
    for r in a.values():
        count1[domain_of(r)] = count1.get(domain_of(r), 0) + 1
    if count1 != count:
        print("  show queue's domains changed between the reads")
        fails += 1
    lines = lines_of(shape)
    head = "domain total 5m 10m 20m 40m 80m 160m 320m 640m 1280m older".split()
    if not lines or lines[0].split("\t") != head:
        print("  header %r, want %r" % (lines[0] if lines else None, "\t".join(head)))
        return 1
    got = {}
    for line in lines[1:]:
        f = line.split("\t")
        if len(f) != len(head) or not all(x.isdigit() for x in f[1:]):
            print("  bad row %r" % line)
            fails += 1
            continue
        d, nums = unescape(f[0]), [int(x) for x in f[1:]]
        if d in got:
            print("  %s: two rows" % d)
            fails += 1
        if sum(nums[1:]) != nums[0]:
            print("  %s: buckets add up to %d, total %d" % (d, sum(nums[1:]), nums[0]))
            fails += 1
        got[d] = nums
    if "TOTAL" in got:
        print("  a TOTAL row")
        fails += 1
    for d in sorted(set(got) | set(count)):
        n = got[d][0] if d in got else None
        if n != count.get(d):
            print("  %s: mhtop %s, show queue %s" % (d, n, count.get(d)))
            fails += 1
    for d, c in want_counts(specs).items():
        if count.get(d) != c:
            print("  %s: show queue has %s envelopes, the test queued %d" % (d, count.get(d), c))
            fails += 1
        if d in got and got[d][1] != c:
            print("  %s: %d in the 5m bucket, want all %d" % (d, got[d][1], c))
            fails += 1
    total = sum(v[0] for v in got.values())
    print("  %d rows, totals add up to %d; show queue: %d envelopes, %d domains"
          % (len(got), total, len(b), len(count)))
    if total != len(b):
        fails += 1
    return 1 if fails else 0


def cmd_errors(sq, errors, specs):
    rows, bad = read_sq(sq)
    fails = die_bad("show queue", bad)
    lines = lines_of(errors)
    head = ["count", "domains", "oldest", "error"]
    if not lines or lines[0].split("\t") != head:
        print("  header %r, want %r" % (lines[0] if lines else None, "\t".join(head)))
        return 1
    got = {}
    total = 0
    for line in lines[1:]:
        f = line.split("\t")
        if len(f) != 4 or not f[0].isdigit():
            print("  bad row %r" % line)
            fails += 1
            continue
        total += int(f[0])
        got[unescape(f[3])] = (int(f[0]), unescape(f[1]))
    spec_domains = set()
    parsed = []
    for spec in specs:
        d, c, e = spec.split("=", 2)
        spec_domains.add(d)
        parsed.append((d, int(c), e))
    for d, c, e in parsed:
        mine = [r for r in rows.values() if domain_of(r) == d]
        texts = set(r["error"] for r in mine)
        # the others whose error is already the normalised text
        others = [r for r in rows.values() if domain_of(r) not in spec_domains and r["error"] == e]
        want = c + len(others)
        doms = {}
        for r in mine + others:
            doms[domain_of(r)] = doms.get(domain_of(r), 0) + 1
        if len(mine) != c:
            print("  %s: show queue has %d envelopes, the test queued %d" % (d, len(mine), c))
            fails += 1
        if e not in got:
            print("  no row for %r (%s: %d envelopes, %d texts in show queue, e.g. %r)"
                  % (e, d, len(mine), len(texts), sorted(texts)[:1]))
            fails += 1
            continue
        # -b prints the domains as they are kept: most envelopes first,
        # without the screen's "N: " before several
        n, dl = got[e]
        ok = n == want and dl.split(",")[0] == d and set(dl.split(",")) == set(doms) \
            and len(dl.split(",")) == len(doms)
        print("  %s %r: %d envelopes (%d of %s, from %d texts%s), %d domain%s%s"
              % ("ok" if ok else "WRONG", e, n, len(mine), d, len(texts),
                 "; %d of other domains" % len(others) if others else "",
                 len(dl.split(",")), "s, %s first" % d if len(doms) > 1 else "",
                 "" if ok else "; want %d envelopes, %d domains, %s first: %r"
                 % (want, len(doms), d, dl)))
        fails += 0 if ok else 1
    print("  %d error rows, counts add up to %d; show queue: %d envelopes" % (len(got), total, len(rows)))
    if total != len(rows):
        fails += 1
    return 1 if fails else 0


def cmd_scheduled(sq0, sq1, domain, verbose):
    a, bad0 = read_sq(sq0)
    b, bad1 = read_sq(sq1)
    if bad0 or bad1:
        return 1
    msgs = []
    mine = [e for e in a if domain_of(a[e]) == domain]
    changed = 0
    for e in mine:
        r0, r1 = a[e], b.get(e)
        if r1 is None:
            msgs.append("%s (%s) is gone" % (e, domain))
        elif r1["state"] != "pending" or int(r1["tries"]) != int(r0["tries"]) + 1 or not r1["error"]:
            msgs.append("%s (%s): %s, retry %s -> %s, error %r" % (e, domain, r1["state"],
                        r0["tries"], r1["tries"], r1["error"]))
        elif r1["error"] != r0["error"]:
            changed += 1
    if mine and not msgs and changed == 0:
        msgs.append("no error text of %s changed: was it tried again?" % domain)
    nother = 0
    for e in sorted(set(a) | set(b)):
        r0, r1 = a.get(e), b.get(e)
        r = r0 or r1
        if domain_of(r) == domain or r["type"] == "mda":
            continue
        nother += 1
        if r0 is None or r1 is None:
            msgs.append("%s (%s) %s" % (e, domain_of(r), "appeared" if r0 is None else "is gone"))
            continue
        for k in ("state", "flags", "tries", "error"):
            if r0[k] != r1[k]:
                msgs.append("%s (%s) %s: %r -> %r" % (e, domain_of(r), k, r0[k], r1[k]))
    if verbose:
        for m in msgs[:20]:
            print("  " + m)
        print("  %s: %d envelopes, retry + 1 each, %d error texts new; %d other mta envelopes"
              % (domain, len(mine), changed, nother))
    return 1 if msgs or not mine else 0


def cmd_stat(path, key):
    for line in lines_of(path):
        k, _, v = line.partition("=")
        if k == key:
            print(v)
            return 0
    print(0)
    return 0


def main(argv):
    if len(argv) >= 2:
        cmd, args = argv[1], argv[2:]
        if cmd == "ids" and len(args) == 1:
            return cmd_ids(args[0])
        if cmd == "count" and len(args) == 1:
            rows, bad = read_sq(args[0])
            print(len(rows) + len(bad))
            return 0
        if cmd == "settled" and len(args) == 2:
            return cmd_settled(args[0], int(args[1]))
        if cmd == "pick-single" and len(args) == 1:
            return cmd_pick_single(args[0])
        if cmd == "pick-multi" and len(args) == 1:
            return cmd_pick_multi(args[0])
        if cmd == "settled-domains" and len(args) >= 3:
            return cmd_settled_domains(args[0], int(args[1]), set(args[2:]))
        if cmd == "shape" and len(args) >= 3:
            return cmd_shape(args[0], args[1], args[2], args[3:])
        if cmd == "errors" and len(args) >= 2:
            return cmd_errors(args[0], args[1], args[2:])
        if cmd == "scheduled" and len(args) in (3, 4):
            return cmd_scheduled(args[0], args[1], args[2], len(args) == 4)
        if cmd == "stat" and len(args) == 2:
            return cmd_stat(args[0], args[1])
        if cmd == "compare" and len(args) in (3, 4):
            return cmd_compare(args[0], args[1], args[2],
                               len(args) == 4 and args[3] == "offline")
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
