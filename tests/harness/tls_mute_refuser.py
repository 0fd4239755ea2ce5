#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A TLS 1.2 server that asks for a client certificate and, when it does
not trust the one it gets, closes the connection without sending its alert
(as some brokers and load balancers do), for the message that names it.

    tls_mute_refuser.py --port-file F --cert C --key K --ca CA

Listens on 127.0.0.1 (a free port, written to F) and serves connections
one at a time; logs on stderr.
"""
import argparse
import os
import socket
import ssl
import sys


def serve(conn, ctx):
    inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = ctx.wrap_bio(inc, out, server_side=True)
    while True:
        try:
            tls.do_handshake()
            print("tls_mute_refuser: handshake completed (unexpected)", file=sys.stderr, flush=True)
            return
        except ssl.SSLWantReadError:
            pass
        except ssl.SSLError as e:
            # The alert is in `out`: drop it and close, saying nothing.
            print("tls_mute_refuser: refused silently: %s" % e.reason, file=sys.stderr, flush=True)
            return
        pending = out.read()
        if pending:
            conn.sendall(pending)
        data = conn.recv(65536)
        if not data:
            return
        inc.write(data)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--ca", required=True)
    a = ap.parse_args()
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(a.cert, a.key)
    ctx.load_verify_locations(a.ca)
    ctx.verify_mode = ssl.CERT_REQUIRED
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    with open(a.port_file + ".tmp", "w") as f:
        f.write("%d\n" % srv.getsockname()[1])
    os.rename(a.port_file + ".tmp", a.port_file)
    while True:
        conn, _ = srv.accept()
        try:
            serve(conn, ctx)
        except OSError as e:
            print("tls_mute_refuser: %s" % e, file=sys.stderr, flush=True)
        finally:
            conn.close()


if __name__ == "__main__":
    main()
