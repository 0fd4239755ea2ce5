#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# brisa-pub -> brisa-sub at QoS 0, 1 and 2 through a real mosquitto, over
# IPv4 and IPv6: every message arrives once, in order, at the QoS asked for,
# and the QoS 2 handshake shows in the -d trace and in the broker's log.
source "$BRISA_SRC/tests/harness/lib.sh"
PUB=$BRISA_BIN/brisa-pub
SUB=$BRISA_BIN/brisa-sub

port6=$(free_port)
broker_start broker "listener $port6 ::1
allow_anonymous true"
wait_for 10 grep -q "Opening ipv6 listen socket on port $port6" "$BROKER_LOG" ||
    fail "no ::1 listener: $(cat "$BROKER_LOG")"

run_bg sub "$SUB" -p "$BROKER_PORT" -i qsub -t brisa/qos -q 2 -v -C 3 -W 20
sub=$BG_PID
wait_subscribed "$BROKER_LOG" qsub
run_bg dsub "$SUB" -p "$BROKER_PORT" -i dsub -t brisa/qos -t other -q 2 -C 3 -W 20 -d
dsub=$BG_PID
wait_subscribed "$BROKER_LOG" dsub

"$PUB" -p "$BROKER_PORT" -i pub-q0 -t brisa/qos -m zero -q 0
"$PUB" -p "$BROKER_PORT" -i pub-q1 -t brisa/qos -m one -q 1
"$PUB" -p "$BROKER_PORT" -i pub-q2 -t brisa/qos -m two -q 2 -d >"$TEST_DIR/q2.trace"

wait_pid "$sub" 20
expect_eq "$WAIT_RC" 0 "brisa-sub exits 0 after -C 3"
expect_eq "$(cat "$TEST_DIR/sub.out")" $'brisa/qos zero\nbrisa/qos one\nbrisa/qos two' \
    "three messages, in order, printed as 'topic payload'"

for q in 0 1 2; do
    expect_file_contains "$BROKER_LOG" "Received PUBLISH from pub-q$q (d0, q$q, r0" \
        "broker got the QoS $q publish at QoS $q"
    expect_file_contains "$BROKER_LOG" "Sending PUBLISH to qsub (d0, q$q, r0" \
        "subscriber got the QoS $q message at QoS $q"
done
expect_file_contains "$BROKER_LOG" "Received PUBREL from pub-q2" "publisher released the QoS 2 message"
expect_file_contains "$BROKER_LOG" "Received PUBCOMP from qsub" "subscriber completed the QoS 2 flow"
expect_file_contains "$BROKER_LOG" "Received DISCONNECT from pub-q1" "publisher said goodbye"

# The -d trace, in mosquitto's words.
trace=$(cat "$TEST_DIR/q2.trace")
expect_contains "$trace" "Client pub-q2 sending CONNECT" "trace: CONNECT"
expect_contains "$trace" "Client pub-q2 received CONNACK (0)" "trace: CONNACK"
expect_contains "$trace" "Client pub-q2 sending PUBLISH (d0, q2, r0, m1, 'brisa/qos', ... (3 bytes))" \
    "trace: PUBLISH"
expect_contains "$trace" "Client pub-q2 received PUBREC (Mid: 1)" "trace: PUBREC"
expect_contains "$trace" "Client pub-q2 sending PUBREL (m1)" "trace: PUBREL"
expect_contains "$trace" "Client pub-q2 received PUBCOMP (Mid: 1, RC:0)" "trace: PUBCOMP"
expect_contains "$trace" "Client pub-q2 sending DISCONNECT" "trace: DISCONNECT"

# The same over IPv6 (::1), asked for explicitly with -6.
run_bg sub6 "$SUB" -6 -h ::1 -p "$port6" -i qsub6 -t brisa/v6 -q 1 -C 1 -W 20
sub6=$BG_PID
wait_subscribed "$BROKER_LOG" qsub6
"$PUB" -6 -h ::1 -p "$port6" -i pub-v6 -t brisa/v6 -m "over ipv6" -q 1
wait_pid "$sub6" 20
expect_eq "$WAIT_RC" 0 "brisa-sub over IPv6 exits 0"
expect_eq "$(cat "$TEST_DIR/sub6.out")" "over ipv6" "message over IPv6"

# brisa-sub -d: the subscription and each received packet, once.
wait_pid "$dsub" 20
expect_eq "$WAIT_RC" 0 "brisa-sub -d exits 0"
trace=$(cat "$TEST_DIR/dsub.out")
expect_contains "$trace" "Client dsub sending SUBSCRIBE (Mid: 1, Topic: brisa/qos, QoS: 2, Options: 0x00)" \
    "sub trace: SUBSCRIBE, first filter"
expect_contains "$trace" "Client dsub sending SUBSCRIBE (Mid: 1, Topic: other, QoS: 2, Options: 0x00)" \
    "sub trace: SUBSCRIBE, second filter"
expect_contains "$trace" $'Client dsub received SUBACK\nSubscribed (mid: 1): 2, 2' "sub trace: SUBACK"
expect_eq "$(grep -c "received PUBLISH" "$TEST_DIR/dsub.out")" 3 "sub trace: one line per PUBLISH"
expect_contains "$trace" $'Client dsub received PUBLISH (d0, q2, r0, m2, \'brisa/qos\', ... (3 bytes))\ntwo' \
    "sub trace: QoS 2 PUBLISH, then the message"
expect_contains "$trace" "Client dsub sending PUBREC (m2, rc0)" "sub trace: PUBREC"
expect_contains "$trace" "Client dsub received PUBREL (Mid: 2)" "sub trace: PUBREL"
expect_contains "$trace" "Client dsub sending PUBCOMP (m2)" "sub trace: PUBCOMP"
