#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Retained messages: a late subscriber gets the retained one; -R hides it
# but still prints live traffic; -r -n clears it; -W ends a quiet wait
# with status 27.
source "$BRISA_SRC/tests/harness/lib.sh"
PUB=$BRISA_BIN/brisa-pub
SUB=$BRISA_BIN/brisa-sub
broker_start

"$PUB" -p "$BROKER_PORT" -t keep/state -m "on" -r -q 1
out=$("$SUB" -p "$BROKER_PORT" -t keep/state -v -C 1 -W 10)
expect_eq "$out" "keep/state on" "late subscriber receives the retained message"
expect_file_contains "$BROKER_LOG" "(d0, q1, r1, m1, 'keep/state'" "brisa-pub set the retain flag"

# -R: the retained message is stale; only the live one is printed.
run_bg fresh "$SUB" -p "$BROKER_PORT" -i fresh -t keep/state -R -C 1 -W 20
fresh=$BG_PID
wait_subscribed "$BROKER_LOG" fresh
"$PUB" -p "$BROKER_PORT" -t keep/state -m "live"
wait_pid "$fresh" 20
expect_eq "$WAIT_RC" 0 "brisa-sub -R exits after one live message"
expect_eq "$(cat "$TEST_DIR/fresh.out")" "live" "-R skipped the retained message"
grep -q "Sending PUBLISH to fresh (d0, q0, r1" "$BROKER_LOG" ||
    fail "broker never sent the retained message to 'fresh', so -R was not exercised"
pass "retained message was delivered to -R subscriber and not printed"

# A retained null message clears it: a new subscriber waits in vain.
"$PUB" -p "$BROKER_PORT" -t keep/state -n -r
rc=0
"$SUB" -p "$BROKER_PORT" -t keep/state -W 1 >"$TEST_DIR/none.out" 2>"$TEST_DIR/none.err" || rc=$?
expect_eq "$rc" 27 "brisa-sub -W times out with status 27"
expect_eq "$(cat "$TEST_DIR/none.out")" "" "nothing retained after -r -n"
expect_contains "$(cat "$TEST_DIR/none.err")" "timed out after 1 s" "timeout message"
