#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# brisa's tools against mosquitto's own: brisa-pub -> mosquitto_sub and
# mosquitto_pub -> brisa-sub, at every QoS.
source "$BRISA_SRC/tests/harness/lib.sh"
PUB=$BRISA_BIN/brisa-pub
SUB=$BRISA_BIN/brisa-sub
broker_start

mosquitto_sub -p "$BROKER_PORT" -i msub -t interop/to-mosquitto -q 2 -v -C 3 -W 20 \
    >"$TEST_DIR/msub.out" 2>"$TEST_DIR/msub.log" &
msub=$!
track_pid "$msub"
wait_subscribed "$BROKER_LOG" msub
for q in 0 1 2; do
    "$PUB" -p "$BROKER_PORT" -t interop/to-mosquitto -m "from brisa q$q" -q "$q"
done
wait_pid "$msub" 20
expect_eq "$WAIT_RC" 0 "mosquitto_sub got its 3 messages"
expect_eq "$(cat "$TEST_DIR/msub.out")" \
    $'interop/to-mosquitto from brisa q0\ninterop/to-mosquitto from brisa q1\ninterop/to-mosquitto from brisa q2' \
    "brisa-pub -> mosquitto_sub"

run_bg bsub "$SUB" -p "$BROKER_PORT" -i bsub -t interop/to-brisa -q 2 -C 3 -W 20
bsub=$BG_PID
wait_subscribed "$BROKER_LOG" bsub
for q in 0 1 2; do
    mosquitto_pub -p "$BROKER_PORT" -i "mpub$q" -t interop/to-brisa -m "from mosquitto q$q" -q "$q"
done
wait_pid "$bsub" 20
expect_eq "$WAIT_RC" 0 "brisa-sub got its 3 messages"
expect_eq "$(cat "$TEST_DIR/bsub.out")" \
    $'from mosquitto q0\nfrom mosquitto q1\nfrom mosquitto q2' "mosquitto_pub -> brisa-sub"
expect_file_contains "$BROKER_LOG" "Sending PUBLISH to bsub (d0, q2, r0" \
    "brisa-sub received the QoS 2 message at QoS 2"
expect_file_contains "$BROKER_LOG" "Received PUBCOMP from bsub" "brisa-sub completed QoS 2"

# MQTT 3.1 (-V 31): the broker sees protocol 3.1 and delivers as usual.
run_bg v31 "$SUB" -p "$BROKER_PORT" -V 31 -i sub31 -t interop/v31 -q 1 -C 1 -W 20
sub=$BG_PID
wait_subscribed "$BROKER_LOG" sub31
"$PUB" -p "$BROKER_PORT" -V mqttv31 -i pub31 -t interop/v31 -q 1 -m "old dialect"
wait_pid "$sub" 20
expect_eq "$(cat "$TEST_DIR/v31.out")" "old dialect" "MQTT 3.1 round trip"
expect_file_contains "$BROKER_LOG" "as pub31 (p1, c1, k60)" "brisa-pub spoke MQTT 3.1"
expect_file_contains "$BROKER_LOG" "as sub31 (p1, c1, k60)" "brisa-sub spoke MQTT 3.1"
