#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Message sources of brisa-pub: -l (one message per line, empty lines
# included), -l with more QoS 2 lines than in-flight slots, -n, -m with
# brisa-sub -N.
source "$BRISA_SRC/tests/harness/lib.sh"
PUB=$BRISA_BIN/brisa-pub
SUB=$BRISA_BIN/brisa-sub
broker_start

run_bg lines "$SUB" -p "$BROKER_PORT" -i lines -t in/lines -q 1 -C 4 -W 20
sub=$BG_PID
wait_subscribed "$BROKER_LOG" lines
printf 'one\n\ntwo\nthree without newline' | "$PUB" -p "$BROKER_PORT" -i pub-l -t in/lines -q 1 -l
wait_pid "$sub" 20
expect_eq "$WAIT_RC" 0 "four messages from four lines"
expect_eq "$(cat "$TEST_DIR/lines.out")" $'one\n\ntwo\nthree without newline' "one message per line"
expect_eq "$(grep -c "Received PUBLISH from pub-l" "$BROKER_LOG")" 4 "four PUBLISH packets"
expect_file_contains "$BROKER_LOG" "Received PUBLISH from pub-l (d0, q1, r0, m2, 'in/lines', ... (0 bytes))" \
    "the empty line is an empty message"

# 200 lines at QoS 2: more than the in-flight table, so brisa-pub must wait
# for completions while publishing.
run_bg many "$SUB" -p "$BROKER_PORT" -i many -t in/many -q 2 -C 200 -W 30
sub=$BG_PID
wait_subscribed "$BROKER_LOG" many
seq 1 200 | "$PUB" -p "$BROKER_PORT" -t in/many -q 2 -l
wait_pid "$sub" 30
expect_eq "$WAIT_RC" 0 "200 QoS 2 lines delivered"
expect_eq "$(cat "$TEST_DIR/many.out")" "$(seq 1 200)" "all 200 lines, in order"
# mosquitto drops QoS 2 messages beyond its window of 20 (PUBREC rc151).
grep -q "rc151" "$BROKER_LOG" && fail "brisa-pub exceeded the broker's in-flight window"
pass "brisa-pub kept within the broker's in-flight window"

# -n (null message) and -m with -N
run_bg misc "$SUB" -p "$BROKER_PORT" -i misc -t in/misc -v -N -C 2 -W 20
sub=$BG_PID
wait_subscribed "$BROKER_LOG" misc
"$PUB" -p "$BROKER_PORT" -t in/misc -n
"$PUB" -p "$BROKER_PORT" -t in/misc -m "x y"
wait_pid "$sub" 20
expect_eq "$(cat "$TEST_DIR/misc.out")" "in/misc (null)in/misc x y" "-n prints (null), -N no newline"
