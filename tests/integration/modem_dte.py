#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A scripted DTE for brisa-modem-emu: replays a transcript on a serial
port (the emulator's pty) and checks every answer byte for byte.

Transcript format (tests/vectors/sim7600_*.txt):
  > TEXT    the DTE sends TEXT and a CR (an AT command)
  >> TEXT   the DTE sends raw bytes after a '>' prompt; consecutive >>
            lines are joined with LF (no terminator after the last one)
  < TEXT    the next non-empty line from the module must be TEXT
            ("< >" is the data prompt)
  <~ REGEX  the next non-empty line must match REGEX (all of it)
  ! CMD     runs CMD with the shell (e.g. mosquitto_pub), then goes on
  other lines (comments, the seed's script markers) are ignored.
While echo is on (ATE1, the default) each command's echo is checked too.

Options:
  --set NAME=VALUE   replaces ${NAME} in every line
  --cert NAME=PATH   AT+CCERTDOWN="NAME",N: N becomes PATH's size and the
                     >> block after the prompt becomes PATH's bytes
  --before-rx CMD    runs CMD before the first +CMQTTRXSTART is expected
  --timeout S        per expected line (default 15)
Exit status 0 when the whole transcript matched; 1 with the first
mismatch on stderr.
"""
import os
import re
import select
import subprocess
import sys
import termios
import time
import tty


class Port:
    def __init__(self, path, timeout):
        self.fd = os.open(path, os.O_RDWR | os.O_NOCTTY)
        tty.setraw(self.fd)
        termios.tcflush(self.fd, termios.TCIOFLUSH)
        self.buf = b""
        self.timeout = timeout

    def send(self, data):
        while data:
            n = os.write(self.fd, data)
            data = data[n:]

    def _fill(self, deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        r, _, _ = select.select([self.fd], [], [], left)
        if not r:
            return False
        self.buf += os.read(self.fd, 65536)
        return True

    def line(self, prompt_ok=False, echo=None):
        """The next non-empty line (CR LF, or a lone CR for an echo)."""
        deadline = time.monotonic() + self.timeout
        while True:
            self.buf = self.buf.lstrip(b"\r\n")
            if echo is not None and self.buf.startswith(echo):
                self.buf = self.buf[len(echo):]
                return echo.rstrip(b"\r").decode("latin-1")
            if prompt_ok and self.buf.startswith(b">"):
                self.buf = self.buf[1:]
                if self.buf.startswith(b" "):
                    self.buf = self.buf[1:]
                return ">"
            m = re.search(b"\r\n|\r", self.buf)
            if m and not (m.group() == b"\r" and m.end() == len(self.buf)):
                text, self.buf = self.buf[: m.start()], self.buf[m.end():]
                return text.decode("latin-1")
            if not self._fill(deadline):
                return None


def main():
    args = sys.argv[1:]
    subst, certs, before_rx, timeout = {}, {}, None, 15.0
    while len(args) > 2 and args[0].startswith("--"):
        opt, val = args[0], args[1]
        args = args[2:]
        if opt == "--set":
            k, v = val.split("=", 1)
            subst[k] = v
        elif opt == "--cert":
            k, v = val.split("=", 1)
            certs[k] = open(v, "rb").read()
        elif opt == "--before-rx":
            before_rx = val
        elif opt == "--timeout":
            timeout = float(val)
        else:
            sys.exit("modem_dte: unknown option " + opt)
    if len(args) != 2:
        sys.exit("usage: modem_dte.py [options] PORT TRANSCRIPT")
    port = Port(args[0], timeout)
    lines = open(args[1], encoding="utf-8").read().split("\n")
    echo = True
    data = []          # pending >> lines
    cert = None        # bytes to send instead of the >> block
    n = 0

    def flush_data():
        # The >> block (or the file standing in for it) goes out when the
        # block ends, after the prompt was read -- not at the prompt line.
        nonlocal data, cert
        if not data:
            return
        port.send(cert if cert is not None else "\n".join(data).encode("utf-8"))
        data, cert = [], None

    for n, raw in enumerate(lines, 1):
        for k, v in subst.items():
            raw = raw.replace("${" + k + "}", v)
        if raw.startswith(">> ") or raw == ">>":
            data.append(raw[3:])
            continue
        flush_data()
        if raw.startswith("> "):
            cmd = raw[2:]
            m = re.match(r'AT\+CCERTDOWN="([^"]+)",(\d+)$', cmd)
            if m and m.group(1) in certs:
                cert = certs[m.group(1)]
                cmd = 'AT+CCERTDOWN="%s",%d' % (m.group(1), len(cert))
            port.send(cmd.encode("utf-8") + b"\r")
            if echo:
                got = port.line(echo=cmd.encode("utf-8") + b"\r")
                if got != cmd:
                    sys.exit("line %d: echo of %r expected, got %r" % (n, cmd, got))
            if cmd.upper() in ("ATE0", "ATE1"):
                echo = cmd.upper() == "ATE1"
        elif raw.startswith("<~ "):
            got = port.line()
            if got is None or not re.fullmatch(raw[3:], got):
                sys.exit("line %d: expected a match of %r, got %r" % (n, raw[3:], got))
        elif raw.startswith("< "):
            want = raw[2:]
            if want.startswith("+CMQTTRXSTART") and before_rx:
                subprocess.run(before_rx, shell=True, check=True)
                before_rx = None
            got = port.line(prompt_ok=want == ">")
            if got != want:
                sys.exit("line %d: expected %r, got %r (unread: %r)" % (n, want, got, port.buf[:200]))
        elif raw.startswith("! "):
            subprocess.run(raw[2:], shell=True, check=True)
    flush_data()
    print("modem_dte: %s matched (%d lines)" % (args[1], n))


if __name__ == "__main__":
    main()
