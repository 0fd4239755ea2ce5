#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A loopback port that black-holes connection attempts: a listening
socket whose accept queue is kept full, so the kernel drops every further
SYN (the client sees no answer at all, as behind a firewall's drop rule).
    synhole.py PORT_FILE [PORT]
Listens on 127.0.0.1:PORT (a free port if not given), writes the port to
PORT_FILE once the queue is full, then waits to be killed."""
import socket
import sys
import time

srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", int(sys.argv[2]) if len(sys.argv) > 2 else 0))
srv.listen(0)
port = srv.getsockname()[1]
fillers = []
for _ in range(2):  # backlog 0 holds one; the second proves the drop
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    c.setblocking(False)
    c.connect_ex(("127.0.0.1", port))
    fillers.append(c)
time.sleep(0.3)
probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
probe.settimeout(1.0)
try:
    probe.connect(("127.0.0.1", port))
    print("synhole: the queue did not fill; SYNs are answered", file=sys.stderr)
    sys.exit(1)
except (socket.timeout, TimeoutError):
    pass
with open(sys.argv[1], "w") as f:
    f.write("%d\n" % port)
while True:
    time.sleep(3600)
