#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A small HTTP CONNECT proxy on loopback for the proxy tests.

    connectproxy.py --port-file F [--auth USER:PASSWORD] [--deny-port N]
                    [--host NAME=ADDRESS]...

Listens on 127.0.0.1 (a free port), writes the port to F once listening.
Each client sends CONNECT host:port; the proxy answers 407 if --auth is
set and the Proxy-Authorization header does not carry those credentials,
403 for --deny-port or a target that is not loopback, 502 if the target
refuses, else 200 and relays bytes both ways until either side closes.
--host gives the proxy its own name for a target (as a proxy resolves
names the client cannot). Every request is logged on stderr, one line each ("CONNECT 127.0.0.1:1883
-> 200"), so tests can check what the client asked.
"""
import argparse
import base64
import ipaddress
import socket
import sys
import threading


def log(msg):
    print("connectproxy: " + msg, file=sys.stderr, flush=True)


def read_head(conn):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(1)
        if not chunk:
            return None
        data += chunk
        if len(data) > 8192:
            return None
    return data.decode("latin-1")


def relay(a, b):
    try:
        while True:
            data = a.recv(65536)
            if not data:
                break
            b.sendall(data)
    except OSError:
        pass
    for s in (a, b):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def answer(conn, status, reason, extra=""):
    conn.sendall(("HTTP/1.1 %d %s\r\n%sContent-Length: 0\r\n\r\n" % (status, reason, extra)).encode())


def handle(conn, args):
    head = read_head(conn)
    if head is None:
        conn.close()
        return
    lines = head.split("\r\n")
    parts = lines[0].split(" ")
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    if len(parts) != 3 or parts[0] != "CONNECT":
        log("%s -> 405" % lines[0])
        answer(conn, 405, "Method Not Allowed")
        conn.close()
        return
    target = parts[1]
    host, _, port = target.rpartition(":")
    host = host.strip("[]")
    host = args.hosts.get(host, host)
    if args.auth is not None:
        want = "Basic " + base64.b64encode(args.auth.encode()).decode()
        if headers.get("proxy-authorization") != want:
            log("CONNECT %s -> 407 (credentials %s)" % (target, "wrong" if "proxy-authorization" in headers else "missing"))
            answer(conn, 407, "Proxy Authentication Required", 'Proxy-Authenticate: Basic realm="brisa"\r\n')
            conn.close()
            return
    try:
        loopback = ipaddress.ip_address(socket.gethostbyname(host)).is_loopback
    except (OSError, ValueError):
        loopback = False
    if not loopback or int(port) == args.deny_port:
        log("CONNECT %s -> 403" % target)
        answer(conn, 403, "Forbidden")
        conn.close()
        return
    try:
        up = socket.create_connection((host, int(port)), timeout=5)
        up.settimeout(None)
    except OSError as e:
        log("CONNECT %s -> 502 (%s)" % (target, e))
        answer(conn, 502, "Bad Gateway")
        conn.close()
        return
    log("CONNECT %s -> 200" % target)
    conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
    threading.Thread(target=relay, args=(up, conn), daemon=True).start()
    relay(conn, up)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--auth")
    ap.add_argument("--deny-port", type=int, default=-1)
    ap.add_argument("--host", action="append", default=[])
    args = ap.parse_args()
    args.hosts = dict(h.split("=", 1) for h in args.host)
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    with open(args.port_file, "w") as f:
        f.write(str(srv.getsockname()[1]))
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=handle, args=(conn, args), daemon=True).start()


if __name__ == "__main__":
    main()
