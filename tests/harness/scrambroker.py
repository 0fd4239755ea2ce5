#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A scripted MQTT 5 broker on loopback that authenticates with
SCRAM-SHA-256 (RFC 5802 / RFC 7677) through the AUTH exchange -- what
mosquitto cannot do without a plugin.

    scrambroker.py --port-file F --user U --password P [--forge] [--refuse-reauth]

Per connection: CONNECT must name the method SCRAM-SHA-256 and carry the
client-first message; the broker answers AUTH 0x18 with server-first,
checks the client's proof in its AUTH 0x18, and sends CONNACK 0x00 with
server-final (a wrong signature with --forge) or CONNACK 0x86 / 0x8C.
After that it logs every PUBLISH ("publish TOPIC PAYLOAD"), answers QoS 1
with PUBACK, runs a re-authentication (AUTH 0x19) the same way, ended by
AUTH 0x00 (or DISCONNECT 0x87, always with --refuse-reauth), and ends at
DISCONNECT. Events go to stderr, one per line.
"""
import argparse
import base64
import hashlib
import hmac
import os
import socket
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fakepeer import recv_exact  # noqa: E402  (the harness's one copy)

METHOD = b"SCRAM-SHA-256"


def log(msg):
    print("scrambroker: " + msg, file=sys.stderr, flush=True)


def vbi(n):
    out = bytearray()
    while True:
        d, n = n % 128, n // 128
        out.append(d | (0x80 if n else 0))
        if not n:
            return bytes(out)


def read_vbi(buf, at):
    value, mult = 0, 1
    while True:
        b = buf[at]
        at += 1
        value += (b & 0x7F) * mult
        mult *= 128
        if not b & 0x80:
            return value, at


def read_packet(conn):
    first = recv_exact(conn, 1)[0]
    remaining, mult = 0, 1
    while True:
        b = recv_exact(conn, 1)[0]
        remaining += (b & 0x7F) * mult
        mult *= 128
        if not b & 0x80:
            break
    return first, recv_exact(conn, remaining)


def props(body, at):
    """Parses a property block into {id: value} (strings/binary as bytes)."""
    length, at = read_vbi(body, at)
    end, out = at + length, {}
    while at < end:
        pid = body[at]
        at += 1
        if pid in (0x15, 0x16, 0x1F, 0x03, 0x08, 0x09, 0x12, 0x1A, 0x1C):
            n = int.from_bytes(body[at:at + 2], "big")
            out[pid] = body[at + 2:at + 2 + n]
            at += 2 + n
        elif pid in (0x11, 0x27, 0x02, 0x18):
            out[pid] = int.from_bytes(body[at:at + 4], "big")
            at += 4
        elif pid in (0x21, 0x22, 0x13, 0x23):
            out[pid] = int.from_bytes(body[at:at + 2], "big")
            at += 2
        elif pid == 0x26:
            n = int.from_bytes(body[at:at + 2], "big")
            m = int.from_bytes(body[at + 2 + n:at + 4 + n], "big")
            at += 4 + n + m
        elif pid == 0x0B:
            _, at = read_vbi(body, at)
        else:
            out[pid] = body[at]
            at += 1
    return out, end


def prop_bin(pid, data):
    return bytes([pid]) + len(data).to_bytes(2, "big") + data


def packet(first, body):
    return bytes([first]) + vbi(len(body)) + body


def auth_packet(code, data):
    block = prop_bin(0x15, METHOD) + prop_bin(0x16, data)
    return packet(0xF0, bytes([code]) + vbi(len(block)) + block)


def connack(code, block=b""):
    return packet(0x20, bytes([0, code]) + vbi(len(block)) + block)


def attrs(msg):
    return dict(part.split("=", 1) for part in msg.split(",") if "=" in part)


def exchange(conn, args, client_first):
    """Runs SCRAM from the client-first message to the client's proof:
    sends server-first in AUTH 0x18, reads the client-final AUTH 0x18.
    Returns (0, server-final) or (the reason code to refuse with, None)."""
    if not client_first.startswith("n,,"):
        return 0x8C, None
    bare = client_first[3:]
    a = attrs(bare)
    if a.get("n") != args.user:
        log("refused: unknown user %s" % a.get("n"))
        return 0x86, None
    salt = os.urandom(16)
    nonce = a["r"] + base64.b64encode(os.urandom(12)).decode()
    server_first = "r=%s,s=%s,i=%d" % (nonce, base64.b64encode(salt).decode(), args.iterations)
    conn.sendall(auth_packet(0x18, server_first.encode()))
    first, body = read_packet(conn)
    if first != 0xF0 or body[0] != 0x18:
        log("expected AUTH 0x18, got %02x" % first)
        return 0x82, None
    p, _ = props(body, 1)
    client_final = p.get(0x16, b"").decode()
    without_proof, _, proof64 = client_final.rpartition(",p=")
    auth_message = ",".join([bare, server_first, without_proof]).encode()
    salted = hashlib.pbkdf2_hmac("sha256", args.password.encode(), salt, args.iterations)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    stored = hashlib.sha256(client_key).digest()
    signature = hmac.new(stored, auth_message, hashlib.sha256).digest()
    proof = base64.b64decode(proof64)
    recovered = bytes(x ^ y for x, y in zip(proof, signature))
    if attrs(without_proof).get("r") != nonce or hashlib.sha256(recovered).digest() != stored:
        log("refused: proof rejected")
        return 0x86, None
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()
    server_sig = hmac.new(server_key, auth_message, hashlib.sha256).digest()
    if args.forge:
        server_sig = bytes([server_sig[0] ^ 1]) + server_sig[1:]
    return 0, ("v=" + base64.b64encode(server_sig).decode()).encode()


def serve(conn, args):
    first, body = read_packet(conn)
    if first >> 4 != 1:
        log("first packet is not CONNECT")
        return
    at = 2 + int.from_bytes(body[0:2], "big")
    level, flags = body[at], body[at + 1]
    at += 4  # level, flags, keep alive
    p, at = props(body, at)
    log("CONNECT level %d method %s" % (level, p.get(0x15, b"-").decode()))
    log("CONNECT %s" % ("with user name or password" if flags & 0xC0 else "without credentials"))
    if p.get(0x15) != METHOD:
        conn.sendall(connack(0x8C))
        log("refused: bad authentication method")
        return
    code, final = exchange(conn, args, p.get(0x16, b"").decode())
    if code:
        conn.sendall(connack(code))
        return
    block = prop_bin(0x15, METHOD) + prop_bin(0x16, final)
    conn.sendall(connack(0x00, block))
    log("authenticated %s" % args.user)
    while True:
        first, body = read_packet(conn)
        kind = first >> 4
        if kind == 3:
            n = int.from_bytes(body[0:2], "big")
            topic = body[2:2 + n].decode()
            at = 2 + n
            qos = (first >> 1) & 3
            pid = body[at:at + 2]
            if qos:
                at += 2
            _, at = props(body, at)
            log("publish %s %s" % (topic, body[at:].decode(errors="replace")))
            if qos == 1:
                conn.sendall(packet(0x40, pid))
        elif kind == 15 and body[:1] == b"\x19":
            # Re-authentication (MQTT 5 section 4.12.1): the whole
            # exchange again, ended by AUTH 0x00 or DISCONNECT.
            p, _ = props(body, 1)
            code, final = (0x87, None) if args.refuse_reauth else \
                exchange(conn, args, p.get(0x16, b"").decode())
            if code:
                conn.sendall(packet(0xE0, bytes([0x87, 0])))
                log("re-authentication refused")
                return
            conn.sendall(auth_packet(0x00, final))
            log("reauthenticated %s" % args.user)
        elif kind == 14:
            log("DISCONNECT %s" % (body.hex() or "00"))
            return
        else:
            log("packet type %d" % kind)


def handle(conn, args):
    try:
        serve(conn, args)
    except (EOFError, ConnectionError, IndexError, ValueError) as e:
        log("connection ended: %s" % type(e).__name__)
    finally:
        conn.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--user", required=True)
    ap.add_argument("--password", required=True)
    ap.add_argument("--iterations", type=int, default=4096)
    ap.add_argument("--forge", action="store_true")
    ap.add_argument("--refuse-reauth", action="store_true")
    args = ap.parse_args()
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(srv.getsockname()[1]))
    os.rename(tmp, args.port_file)
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=handle, args=(conn, args), daemon=True).start()


if __name__ == "__main__":
    main()
