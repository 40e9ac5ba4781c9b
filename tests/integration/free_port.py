#!/usr/bin/env python3
"""A port P for opensmtpd-lab.sh: TCP 127.0.0.1:P, 127.0.0.2:P+1 ...
127.0.0.7:P+6 free, and UDP port 53 of the lab's DNS address (its
LAB_DNS, 127.53.X.Y from P).  Prints P; exits 1 when none is found."""
import random
import socket
import sys

for _ in range(500):
    p = random.randint(20000, 60000)
    socks = []
    try:
        for i in range(7):
            s = socket.socket()
            socks.append(s)
            s.bind(("127.0.0.%d" % (i + 1), p + i))
        s = socket.socket(type=socket.SOCK_DGRAM)
        socks.append(s)
        s.bind(("127.53.%d.%d" % (p // 250 % 256, p % 250 + 1), 53))
        print(p)
        sys.exit(0)
    except OSError:
        pass
    finally:
        for s in socks:
            s.close()
sys.exit(1)
