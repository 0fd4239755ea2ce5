#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The will: discarded after a clean DISCONNECT (SIGTERM), published by the
# broker when the connection is cut abnormally (kill -9).
source "$BRISA_SRC/tests/harness/lib.sh"
SUB=$BRISA_BIN/brisa-sub
broker_start

mosquitto_sub -p "$BROKER_PORT" -i watcher -t 'will/#' -v -C 1 -W 30 \
    >"$TEST_DIR/watcher.out" 2>"$TEST_DIR/watcher.log" &
watcher=$!
track_pid "$watcher"
wait_subscribed "$BROKER_LOG" watcher

# Clean exit: brisa-sub sends DISCONNECT, so the broker drops the will.
run_bg polite "$SUB" -p "$BROKER_PORT" -i polite -t chat -k 5 \
    --will-topic will/polite --will-payload "polite left" --will-qos 1
polite=$BG_PID
wait_subscribed "$BROKER_LOG" polite
kill -TERM "$polite"
wait_pid "$polite" 10
expect_eq "$WAIT_RC" 0 "brisa-sub exits 0 on SIGTERM"
wait_for 10 grep -q "Received DISCONNECT from polite" "$BROKER_LOG" ||
    fail "polite client did not send DISCONNECT"
pass "SIGTERM leads to DISCONNECT"

# Abnormal end: the broker must publish the will.
run_bg rude "$SUB" -p "$BROKER_PORT" -i rude -t chat -k 5 \
    --will-topic will/rude --will-payload "rude vanished" --will-qos 1 --will-retain
rude=$BG_PID
wait_subscribed "$BROKER_LOG" rude
kill -KILL "$rude"
wait_pid "$watcher" 30
expect_eq "$WAIT_RC" 0 "watcher received a will"
# The first (only) message must be the rude one: the polite will was dropped.
expect_eq "$(cat "$TEST_DIR/watcher.out")" "will/rude rude vanished" "will of the killed client, and only it"

# --will-retain: the broker kept it for later subscribers.
out=$(mosquitto_sub -p "$BROKER_PORT" -t will/rude -C 1 -W 5 -v)
expect_eq "$out" "will/rude rude vanished" "retained will"
