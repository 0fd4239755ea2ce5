#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Round trip of AT+CMQTTPUB at QoS 1 through a SIM7600 (or
brisa-modem-emu): the time from the last byte of "AT+CMQTTPUB=0,1,60\\r"
written to the serial port until "+CMQTTPUB: 0,0" has been read. Topic and
payload are loaded (AT+CMQTTTOPIC / AT+CMQTTPAYLOAD) before each timed
command and are not part of the figure.

usage: at_pub_rtt.py PORT BROKER_URL [-n CYCLES] [-w WARMUP] [-s BYTES]
                    [--ssl-ctx N --ca FILE]
BROKER_URL as AT+CMQTTCONNECT takes it: tcp://127.0.0.1:1883.
Prints one CSV row: path,qos,size,count,median_us,p99_us,mean_us,min_us,max_us
"""
import argparse
import os
import select
import statistics
import sys
import termios
import time
import tty


class Modem:
    def __init__(self, path):
        self.fd = os.open(path, os.O_RDWR | os.O_NOCTTY)
        tty.setraw(self.fd)
        termios.tcflush(self.fd, termios.TCIOFLUSH)
        self.buf = b""

    def send(self, data):
        while data:
            data = data[os.write(self.fd, data):]

    def until(self, token, timeout=30.0):
        """Reads until token has arrived; returns what came before it."""
        end = time.monotonic() + timeout
        while token not in self.buf:
            left = end - time.monotonic()
            if left <= 0 or not select.select([self.fd], [], [], left)[0]:
                sys.exit("at_pub_rtt: no %r (got %r)" % (token, self.buf[-200:]))
            self.buf += os.read(self.fd, 65536)
        before, _, self.buf = self.buf.partition(token)
        return before

    def cmd(self, line, final=b"OK\r\n"):
        self.send(line.encode() + b"\r")
        got = self.until(final)
        if b"ERROR" in got:
            sys.exit("at_pub_rtt: %s: %r" % (line, got))
        return got

    def data(self, line, payload):
        self.send(line.encode() + b"\r")
        self.until(b">")
        self.send(payload)
        self.until(b"OK\r\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("port")
    ap.add_argument("url")
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("-w", type=int, default=50)
    ap.add_argument("-s", type=int, default=16)
    ap.add_argument("--ssl-ctx", type=int)
    ap.add_argument("--ca")
    a = ap.parse_args()
    m = Modem(a.port)
    m.cmd("ATE0")
    ssl = a.ssl_ctx is not None
    if ssl:
        ca = open(a.ca, "rb").read()
        m.data('AT+CCERTDOWN="rtt-ca.pem",%d' % len(ca), ca)
        m.cmd('AT+CSSLCFG="authmode",%d,1' % a.ssl_ctx)
        m.cmd('AT+CSSLCFG="cacert",%d,"rtt-ca.pem"' % a.ssl_ctx)
    m.cmd("AT+CMQTTSTART", b"+CMQTTSTART: 0")
    m.until(b"OK\r\n")
    m.cmd('AT+CMQTTACCQ=0,"rtt-%d",%d' % (os.getpid(), 1 if ssl else 0))
    if ssl:
        m.cmd("AT+CMQTTSSLCFG=0,%d" % a.ssl_ctx)
    m.cmd('AT+CMQTTCONNECT=0,"%s",60,1' % a.url)
    m.until(b"+CMQTTCONNECT: 0,0\r\n")
    topic, payload = b"bench/modem-rtt", b"x" * a.s
    samples = []
    for i in range(a.w + a.n):
        m.data("AT+CMQTTTOPIC=0,%d" % len(topic), topic)
        m.data("AT+CMQTTPAYLOAD=0,%d" % len(payload), payload)
        start = time.perf_counter_ns()
        m.send(b"AT+CMQTTPUB=0,1,60\r")
        m.until(b"+CMQTTPUB: 0,0\r\n")
        if i >= a.w:
            samples.append((time.perf_counter_ns() - start) / 1000.0)
    m.cmd("AT+CMQTTDISC=0,60")
    m.until(b"+CMQTTDISC: 0,")
    m.cmd("AT+CMQTTREL=0")
    m.cmd("AT+CMQTTSTOP", b"+CMQTTSTOP: 0")
    samples.sort()
    p99 = samples[min(len(samples) - 1, int(len(samples) * 0.99))]
    print("%s,1,%d,%d,%.0f,%.0f,%.0f,%.0f,%.0f" % (
        "modem-tls" if ssl else "modem", a.s, len(samples), statistics.median(samples), p99,
        statistics.mean(samples), samples[0], samples[-1]))


if __name__ == "__main__":
    main()
