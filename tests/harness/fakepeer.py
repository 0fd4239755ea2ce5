#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A scripted fake TCP peer on loopback, for what a real broker cannot do:
stay silent, send malformed packets, cut connections.

    fakepeer.py --port-file F [--once] STEP...

Listens on 127.0.0.1 (a free port unless --port), writes the port to F once
listening, and runs the STEPs on every accepted connection:

    packet        read one MQTT control packet and log its type
    send:HEX      send these bytes (hex, e.g. send:20020000)
    sleep:SECS    wait
    close         close the connection (FIN)
    reset         close it with a TCP RST
    hold          read and discard until the peer closes (also the default
                  once the steps run out)

Every event is logged on stderr, one line each ("received CONNECT (25
bytes)"), so tests can check what the client sent.
"""
import argparse
import ipaddress
import os
import socket
import struct
import sys
import threading
import time

NAMES = ["reserved", "CONNECT", "CONNACK", "PUBLISH", "PUBACK", "PUBREC",
         "PUBREL", "PUBCOMP", "SUBSCRIBE", "SUBACK", "UNSUBSCRIBE",
         "UNSUBACK", "PINGREQ", "PINGRESP", "DISCONNECT", "AUTH"]


def log(msg):
    print("fakepeer: " + msg, file=sys.stderr, flush=True)


def recv_exact(conn, n):
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def read_packet(conn):
    """Reads one MQTT packet; returns (type, total length)."""
    first = recv_exact(conn, 1)[0]
    remaining, mult, header = 0, 1, 1
    while True:
        b = recv_exact(conn, 1)[0]
        header += 1
        remaining += (b & 0x7F) * mult
        if not b & 0x80:
            break
        mult *= 128
        if header > 5:
            raise ValueError("bad remaining length")
    recv_exact(conn, remaining)
    return first >> 4, header + remaining


def run_steps(conn, peer, steps):
    log("connection from %s port %d" % peer[:2])
    try:
        for step in steps + ["hold"]:
            verb, _, arg = step.partition(":")
            if verb == "packet":
                ptype, size = read_packet(conn)
                log("received %s (%d bytes)" % (NAMES[ptype], size))
            elif verb == "send":
                conn.sendall(bytes.fromhex(arg))
                log("sent %s" % arg)
            elif verb == "sleep":
                time.sleep(float(arg))
            elif verb == "close":
                log("closing")
                return
            elif verb == "reset":
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                struct.pack("ii", 1, 0))
                log("resetting")
                return
            elif verb == "hold":
                while conn.recv(65536):
                    pass
                log("peer closed")
                return
            else:
                log("unknown step %r" % step)
                return
    except (EOFError, ConnectionError):
        log("peer closed")
    except ValueError as e:
        log("bad packet: %s" % e)
    finally:
        conn.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--once", action="store_true",
                    help="exit after the first connection ends")
    ap.add_argument("steps", nargs="*")
    args = ap.parse_args()
    if not ipaddress.ip_address(args.host).is_loopback:
        sys.exit("fakepeer: loopback addresses only")
    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    srv = socket.socket(family, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((args.host, args.port))
    srv.listen(8)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.getsockname()[1])
    os.rename(tmp, args.port_file)  # appears whole, never half-written
    log("listening on %s port %d" % (args.host, srv.getsockname()[1]))
    while True:
        conn, peer = srv.accept()
        if args.once:
            run_steps(conn, peer, args.steps)
            return
        threading.Thread(target=run_steps, args=(conn, peer, args.steps),
                         daemon=True).start()


if __name__ == "__main__":
    main()
