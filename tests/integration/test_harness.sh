#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The harness itself: a broker starts, answers mosquitto's own clients, and
# is gone after the test (checked by a child script).
source "$BRISA_SRC/tests/harness/lib.sh"

if [ "${1:-}" = child ]; then
    broker_start
    echo "$BROKER_PID $TEST_DIR" >"$2"
    mosquitto_sub -p "$BROKER_PORT" -t t -C 1 -W 5 >"$TEST_DIR/sub.out" &
    sub=$!
    track_pid "$sub"
    sleep 0.3
    mosquitto_pub -p "$BROKER_PORT" -t t -m hello
    wait "$sub"
    [ "$(cat "$TEST_DIR/sub.out")" = hello ] || fail "mosquitto round trip"
    exit 3   # fail on purpose: cleanup must still happen
fi

info="$TEST_DIR/child.info"
rc=0
bash "$0" child "$info" >/dev/null 2>&1 || rc=$?
expect_eq "$rc" 3 "child exit status kept through cleanup"
read -r pid dir <"$info"
if kill -0 "$pid" 2>/dev/null; then fail "broker $pid survived its test"; fi
pass "broker stopped after failing test"
[ ! -d "$dir" ] || [ -z "${CI:-}" ] || fail "scratch dir $dir left behind in CI"
pass "harness cleanup"
