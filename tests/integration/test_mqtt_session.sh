#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Session options: -c keeps the subscription and queues QoS 1 messages
# while the client is away; without -c they are gone. -k sets keepalive
# and the client pings an idle broker.
source "$BRISA_SRC/tests/harness/lib.sh"
PUB=$BRISA_BIN/brisa-pub
SUB=$BRISA_BIN/brisa-sub
broker_start

# First visit: subscribe with a persistent session, then leave cleanly.
run_bg first "$SUB" -p "$BROKER_PORT" -c -i keeper -t queue/me -q 1
wait_subscribed "$BROKER_LOG" keeper
stop_pid "$BG_PID"
wait_for 10 grep -q "Client keeper disconnected" "$BROKER_LOG" || fail "keeper did not leave"
expect_file_contains "$BROKER_LOG" "New client connected from 127.0.0.1" "keeper connected"
grep -q "as keeper (p2, c0, k60)" "$BROKER_LOG" || fail "-c did not clear the clean-session flag"
pass "-c sends clean session 0"

"$PUB" -p "$BROKER_PORT" -t queue/me -q 1 -m "while you were out"

# Second visit: the broker kept the subscription and the QoS 1 message.
out=$("$SUB" -p "$BROKER_PORT" -c -i keeper -t queue/me -q 1 -C 1 -W 10)
expect_eq "$out" "while you were out" "queued message delivered to the resumed session"

# A clean session forgets it all: the same id sees nothing queued.
"$SUB" -p "$BROKER_PORT" -i keeper -t queue/me -q 1 -W 1 >/dev/null 2>&1 || true
"$PUB" -p "$BROKER_PORT" -t queue/me -q 1 -m "nobody home"
rc=0
out=$("$SUB" -p "$BROKER_PORT" -c -i keeper -t queue/me -q 1 -W 1 2>/dev/null) || rc=$?
expect_eq "$rc" 27 "nothing queued after a clean session"
expect_eq "$out" "" "no stale message"

# Keepalive: with -k 1 an idle client pings the broker.
run_bg pinger "$SUB" -p "$BROKER_PORT" -i pinger -t idle -k 1 -W 4
wait_for 10 grep -q "Received PINGREQ from pinger" "$BROKER_LOG" || fail "no PINGREQ with -k 1"
pass "idle client sends PINGREQ"
expect_file_contains "$BROKER_LOG" "as pinger (p2, c1, k1)" "-k 1 sent in CONNECT"
wait_pid "$BG_PID" 10
expect_eq "$WAIT_RC" 27 "pinger stayed connected until -W"
