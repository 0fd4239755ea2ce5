#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A scripted UDP peer for what real DNS and NTP servers never send.

    udppeer.py --mode MODE [--listen 127.0.0.1] [--port 0] [--ready FILE]
               [--code KISS] [--upstream IP:PORT]

It binds (port 0: the kernel picks one), writes the port to --ready once it
can receive, logs one line per datagram to stderr, and answers according to
MODE until it is killed:

  silent         never answers (a dead server)
  dns-spoof      per query: a reply with the wrong id, then one with the
                 wrong question, both claiming 6.6.6.6; then forwards the
                 query to --upstream and relays the real answer
  dns-tc         answers every query with TC=1 and no records
  ntp-good       a valid server reply (stratum 2), to show the peer works
  ntp-bad-origin a server reply whose origin is not the client's transmit
  ntp-kod        a kiss-o'-death with --code (DENY, RSTR, RATE, ...)
  ntp-mode3      echoes the nonce but in mode 3 (client), not 4
  ntp-leap3      a reply with leap indicator 3 (unsynchronised)
  ntp-zero-tx    a reply with a zero transmit timestamp
  ntp-stratum16  a reply claiming stratum 16

Loopback only: tests bind it to 127.0.0.0/8 or ::1.
"""
import argparse
import os
import socket
import struct
import sys
import time

NTP_UNIX = 2208988800


def ntp_now():
    t = time.time() + NTP_UNIX
    sec = int(t)
    return (sec << 32) | int((t - sec) * (1 << 32))


def ntp_reply(req, mode, *, li=0, stratum=2, ref=b"\x7f\x00\x00\x01", origin=None, tx=None):
    if len(req) < 48:
        return None
    nonce = req[40:48] if origin is None else origin
    now = ntp_now()
    first = (li << 6) | (4 << 3) | mode
    pkt = struct.pack("!BBbbII4sQ", first, stratum, 6, -20, 0, 0, ref, now)
    pkt += nonce + struct.pack("!Q", now) + struct.pack("!Q", now if tx is None else tx)
    return pkt


def dns_question_end(q):
    """Offset just past the question (uncompressed name + type + class)."""
    i = 12
    while i < len(q) and q[i] != 0:
        i += 1 + q[i]
    return i + 1 + 4


def dns_fake_answer(q, *, flip_id=False, flip_name=False, tc=False):
    end = dns_question_end(q)
    if end > len(q):
        return None
    msg = bytearray(q[:end])
    if flip_id:
        msg[0] ^= 0x5A
    if flip_name:
        msg[13] ^= 0x01  # first letter of the first label
    flags = 0x8180 | (0x0200 if tc else 0)
    struct.pack_into("!H", msg, 2, flags)
    if tc:
        struct.pack_into("!H", msg, 6, 0)
        return bytes(msg)
    struct.pack_into("!H", msg, 6, 1)
    msg += struct.pack("!HHHIH4s", 0xC00C, 1, 1, 60, 4, bytes([6, 6, 6, 6]))
    return bytes(msg)


def parse_hostport(text):
    host, _, port = text.rpartition(":")
    return host.strip("[]"), int(port)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mode", required=True)
    ap.add_argument("--listen", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--ready")
    ap.add_argument("--code", default="DENY")
    ap.add_argument("--upstream")
    a = ap.parse_args()

    family = socket.AF_INET6 if ":" in a.listen else socket.AF_INET
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.bind((a.listen, a.port))
    port = s.getsockname()[1]
    if a.ready:
        with open(a.ready + ".tmp", "w") as f:
            f.write(f"{port}\n")
        # Renamed into place so a reader never sees a half-written file.
        os.replace(a.ready + ".tmp", a.ready)
    print(f"udppeer: {a.mode} on {a.listen} port {port}", file=sys.stderr, flush=True)

    up = None
    if a.upstream:
        up = socket.socket(socket.AF_INET6 if a.upstream.startswith("[") else socket.AF_INET, socket.SOCK_DGRAM)
        up.settimeout(2)
    code = a.code.encode()[:4].ljust(4, b"\0")

    while True:
        data, peer = s.recvfrom(4096)
        print(f"udppeer: {len(data)} bytes from {peer[0]} port {peer[1]}", file=sys.stderr, flush=True)
        out = []
        m = a.mode
        if m == "silent":
            pass
        elif m == "dns-spoof":
            out += [dns_fake_answer(data, flip_id=True), dns_fake_answer(data, flip_name=True)]
            if up:
                up.sendto(data, parse_hostport(a.upstream))
                try:
                    out.append(up.recvfrom(4096)[0])
                except socket.timeout:
                    pass
        elif m == "dns-tc":
            out.append(dns_fake_answer(data, tc=True))
        elif m == "ntp-good":
            out.append(ntp_reply(data, 4))
        elif m == "ntp-bad-origin":
            out.append(ntp_reply(data, 4, origin=struct.pack("!Q", ntp_now())))
        elif m == "ntp-kod":
            out.append(ntp_reply(data, 4, li=3, stratum=0, ref=code))
        elif m == "ntp-mode3":
            out.append(ntp_reply(data, 3))
        elif m == "ntp-leap3":
            out.append(ntp_reply(data, 4, li=3))
        elif m == "ntp-zero-tx":
            out.append(ntp_reply(data, 4, tx=0))
        elif m == "ntp-stratum16":
            out.append(ntp_reply(data, 4, stratum=16))
        else:
            print(f"udppeer: unknown mode {m}", file=sys.stderr)
            return 2
        for pkt in out:
            if pkt:
                s.sendto(pkt, peer)


if __name__ == "__main__":
    sys.exit(main())
