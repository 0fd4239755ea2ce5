#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A fault-injecting TCP proxy on loopback, controllable while it runs: the
network faults netem would give, for a kernel without netem.

    faultproxy.py --listen-port-file F --control-port-file C --to PORT

Forwards every connection accepted on 127.0.0.1 (a free port, written to
F) to 127.0.0.1:PORT. Commands, one per line on the control port (written
to C), each answered "ok" once in force:

    pass          forward normally (the start)
    delay MS      hold every chunk MS milliseconds, each way, in order
    stall         stop reading either side: the senders' buffers fill up
    blackhole     swallow everything each way, silently; new connections
                  are accepted and hear nothing back, like a dead path
    cut           close every open connection (FIN both ways)
    stats         answers "conns N bytes_up N bytes_down N dropped N"

Leaving blackhole or stall closes the connections that lived through it
(as a real path would have lost them to TCP's retransmission limit).
Events are logged on stderr, one line each.
"""
import argparse
import os
import asyncio
import sys
import time

state = {"mode": "pass", "delay": 0.0}
conns = set()
counters = {"conns": 0, "bytes_up": 0, "bytes_down": 0, "dropped": 0}
resume = asyncio.Event()


def log(msg):
    print("faultproxy: " + msg, file=sys.stderr, flush=True)


class Pipe:
    """One direction of one connection: reads, then forwards in order after
    the delay in force when each chunk arrived."""

    def __init__(self, reader, writer, counter):
        self.reader, self.writer, self.counter = reader, writer, counter
        self.queue = asyncio.Queue()

    async def pump(self):
        while True:
            if state["mode"] == "stall":
                await resume.wait()
                continue
            data = await self.reader.read(65536)
            if not data:
                await self.queue.put(None)
                return
            if state["mode"] == "blackhole":
                counters["dropped"] += len(data)
                continue
            await self.queue.put((time.monotonic() + state["delay"], data))

    async def forward(self):
        while True:
            item = await self.queue.get()
            if item is None:
                self.writer.write_eof() if self.writer.can_write_eof() else None
                return
            due, data = item
            wait = due - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            if state["mode"] == "blackhole":
                counters["dropped"] += len(data)
                continue
            self.writer.write(data)
            counters[self.counter] += len(data)
            await self.writer.drain()


class Conn:
    def __init__(self, cr, cw):
        self.cr, self.cw = cr, cw
        self.tasks = []
        self.writers = [cw]

    async def run(self, port):
        counters["conns"] += 1
        try:
            ur, uw = await asyncio.open_connection("127.0.0.1", port)
        except OSError as e:
            log("upstream refused: %s" % e)
            self.cw.close()
            return
        self.writers.append(uw)
        up, down = Pipe(self.cr, uw, "bytes_up"), Pipe(ur, self.cw, "bytes_down")
        self.tasks = [asyncio.ensure_future(t) for t in
                      (up.pump(), up.forward(), down.pump(), down.forward())]
        conns.add(self)
        try:
            await asyncio.gather(*self.tasks)
        except (ConnectionError, asyncio.CancelledError, OSError):
            pass
        finally:
            self.close()

    def close(self):
        conns.discard(self)
        for t in self.tasks:
            t.cancel()
        for w in self.writers:
            try:
                w.close()
            except Exception:
                pass


def cut_all(why):
    n = len(conns)
    for c in list(conns):
        c.close()
    log("%s: closed %d connection(s)" % (why, n))


async def control(reader, writer):
    while True:
        line = await reader.readline()
        if not line:
            break
        words = line.decode().split()
        if not words:
            continue
        cmd, reply = words[0], "ok"
        before = state["mode"]
        if cmd == "pass":
            state.update(mode="pass", delay=0.0)
        elif cmd == "delay" and len(words) == 2:
            state.update(mode="pass", delay=float(words[1]) / 1000.0)
        elif cmd in ("stall", "blackhole"):
            state["mode"] = cmd
            resume.clear()
        elif cmd == "cut":
            cut_all("cut")
        elif cmd == "stats":
            reply = " ".join("%s %d" % kv for kv in counters.items())
        else:
            reply = "error: unknown command %r" % line.decode().strip()
        if before in ("stall", "blackhole") and state["mode"] not in ("stall", "blackhole"):
            resume.set()
            cut_all("end of " + before)
        log("%s -> %s" % (" ".join(words), reply))
        writer.write((reply + "\n").encode())
        await writer.drain()
    writer.close()


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--listen-port-file", required=True)
    ap.add_argument("--control-port-file", required=True)
    ap.add_argument("--to", type=int, required=True)
    a = ap.parse_args()
    srv = await asyncio.start_server(lambda r, w: Conn(r, w).run(a.to), "127.0.0.1", 0)
    ctl = await asyncio.start_server(control, "127.0.0.1", 0)
    for s, path in ((srv, a.listen_port_file), (ctl, a.control_port_file)):
        with open(path + ".tmp", "w") as f:
            f.write("%d\n" % s.sockets[0].getsockname()[1])

        os.rename(path + ".tmp", path)
    log("listening on port %d, control on %d, to %d" % (
        srv.sockets[0].getsockname()[1], ctl.sockets[0].getsockname()[1], a.to))
    await asyncio.gather(srv.serve_forever(), ctl.serve_forever())


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
