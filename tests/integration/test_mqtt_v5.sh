#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# MQTT 5 against a real mosquitto 2.0: properties round trip (with -F),
# interop with mosquitto_pub/sub -V 5 both ways, subscription identifiers,
# retain handling, retain as published, shared subscriptions, message
# expiry, request/response with brisa-rr, the broker's Maximum Packet
# Size refused before sending, a refusal named by its reason code, and
# -D / -x checked on the command line.
source "$BRISA_SRC/tests/harness/lib.sh"
PUB=$BRISA_BIN/brisa-pub
SUB=$BRISA_BIN/brisa-sub
RR=$BRISA_BIN/brisa-rr
broker_start broker "max_packet_size 300"
P=(-V 5 -p "$BROKER_PORT")

# Properties both ways, and the subscription identifier coming back.
run_bg props "$SUB" "${P[@]}" -i props -q 1 -t 'v5/#' -D subscribe subscription-identifier 7 \
    -F '%t|%p|%C|%R|%D|%E|%F|%P|%S|%q' -C 1 -W 20
props=$BG_PID
wait_subscribed "$BROKER_LOG" props
"$PUB" "${P[@]}" -t v5/a -m hi -q 1 -D publish content-type text/plain \
    -D publish response-topic r/1 -D publish correlation-data abc \
    -D publish message-expiry-interval 60 -D publish payload-format-indicator 1 \
    -D publish user-property k v
wait_pid "$props" 20
out=$(cat "$TEST_DIR/props.out")
case "$out" in
    "v5/a|hi|text/plain|r/1|abc|"[56][0-9]"|1|k:v|7|1") pass "every property round trips: $out" ;;
    *) fail "properties did not round trip: '$out'" ;;
esac

# Interop: mosquitto_sub hears brisa-pub's properties, brisa-sub hears
# mosquitto_pub's.
run_bg msub mosquitto_sub "${P[@]}" -i msub -t 'i/#' -F '%t %p %C %P' -C 1 -W 20
msub=$BG_PID
wait_subscribed "$BROKER_LOG" msub
"$PUB" "${P[@]}" -t i/x -m yo -D publish content-type ct -D publish user-property a b
wait_pid "$msub" 20
expect_eq "$(cat "$TEST_DIR/msub.out")" "i/x yo ct a:b" "mosquitto_sub -V 5 reads brisa-pub's properties"
run_bg bsub "$SUB" "${P[@]}" -i bsub -t 'j/#' -F '%t %p %P %C' -C 1 -W 20
bsub=$BG_PID
wait_subscribed "$BROKER_LOG" bsub
mosquitto_pub "${P[@]}" -t j/y -m yo2 -D publish user-property c d -D publish content-type z
wait_pid "$bsub" 20
expect_eq "$(cat "$TEST_DIR/bsub.out")" "j/y yo2 c:d z" "brisa-sub -V 5 reads mosquitto_pub's properties"

# Retain handling: 2 never sends retained messages, 0 does.
"$PUB" "${P[@]}" -t rh/t -m kept -r
rc=0
"$SUB" "${P[@]}" -t rh/t --retain-handling 2 -W 1 >"$TEST_DIR/rh2.out" 2>&1 || rc=$?
expect_eq "$rc" 27 "retain handling 2: nothing retained arrives"
out=$("$SUB" "${P[@]}" -t rh/t --retain-handling 0 -C 1 -W 10 -F '%p %r')
expect_eq "$out" "kept 1" "retain handling 0: the retained message arrives"

# Retain as published: a live retained message keeps its flag only then.
for rap in yes no; do
    extra=(); [ "$rap" = yes ] && extra=(--retain-as-published)
    run_bg "rap_$rap" "$SUB" "${P[@]}" -i "rap_$rap" -t rap/t --retain-handling 2 "${extra[@]}" \
        -F '%p %r' -C 1 -W 20
    pid=$BG_PID
    wait_subscribed "$BROKER_LOG" "rap_$rap"
    "$PUB" "${P[@]}" -t rap/t -m "live-$rap" -r
    wait_pid "$pid" 20
done
expect_eq "$(cat "$TEST_DIR/rap_yes.out")" "live-yes 1" "retain as published keeps the flag"
expect_eq "$(cat "$TEST_DIR/rap_no.out")" "live-no 0" "without it the flag is cleared"

# Shared subscription: ten messages split between two members.
for m in sa sb; do
    run_bg "$m" "$SUB" "${P[@]}" -i "$m" -t '$share/g/sh/#' -W 8
    track_pid "$BG_PID"
    wait_subscribed "$BROKER_LOG" "$m"
done
for i in $(seq 1 10); do "$PUB" "${P[@]}" -t sh/x -m "m$i" -q 1; done
wait_for 10 bash -c "[ \$(cat '$TEST_DIR/sa.out' '$TEST_DIR/sb.out' | wc -l) -ge 10 ]" ||
    fail "the group received $(cat "$TEST_DIR/sa.out" "$TEST_DIR/sb.out" | wc -l) of 10"
a=$(wc -l <"$TEST_DIR/sa.out"); b=$(wc -l <"$TEST_DIR/sb.out")
[ "$a" -ge 1 ] && [ "$b" -ge 1 ] && [ $((a + b)) -eq 10 ] ||
    fail "shared subscription split $a + $b, want 10 with both members served"
pass "shared subscription: $a + $b messages, each once"

# Message expiry: a retained message that expired is not delivered.
"$PUB" "${P[@]}" -t exp/t -m soon -r -D publish message-expiry-interval 1
sleep 2.2
rc=0
"$SUB" "${P[@]}" -t exp/t -W 1 >"$TEST_DIR/exp.out" 2>&1 || rc=$?
expect_eq "$rc" 27 "an expired retained message is not delivered"
"$PUB" "${P[@]}" -t exp/u -m later -r -D publish message-expiry-interval 60
expect_eq "$("$SUB" "${P[@]}" -t exp/u -C 1 -W 10)" "later" "an unexpired one is"

# Request/response: brisa-rr asks, a responder answers on the Response
# Topic with the request's correlation data.
run_bg responder "$SUB" "${P[@]}" -i responder -t rr/req -C 1 -F '%R|%D|%p' -W 20
responder=$BG_PID
wait_subscribed "$BROKER_LOG" responder
run_bg rr "$RR" -p "$BROKER_PORT" -t rr/req -e rr/rep/1 -m ping -D publish correlation-data c42 -W 20
rr=$BG_PID
wait_pid "$responder" 20
IFS='|' read -r rtopic corr payload <"$TEST_DIR/responder.out"
expect_eq "$rtopic|$corr|$payload" "rr/rep/1|c42|ping" "the request carries response topic and correlation data"
mosquitto_pub "${P[@]}" -t "$rtopic" -m "pong:$payload" -D publish correlation-data "$corr"
wait_pid "$rr" 20
expect_eq "$WAIT_RC" 0 "brisa-rr exits 0 after the response"
expect_eq "$(cat "$TEST_DIR/rr.out")" "pong:ping" "brisa-rr prints the response"

# The broker's Maximum Packet Size (300) is honoured: refused, not sent.
big=$(head -c 400 /dev/zero | tr '\0' x)
rc=0
"$PUB" "${P[@]}" -i bigpub -t big/t -m "$big" >"$TEST_DIR/big.out" 2>&1 || rc=$?
expect_eq "$rc" 1 "a message over the broker's maximum packet size fails"
expect_contains "$(cat "$TEST_DIR/big.out")" "too large" "and says why"
grep -q "Received PUBLISH from bigpub" "$BROKER_LOG" && fail "the oversized PUBLISH was sent"
pass "oversized PUBLISH never reached the broker"

# A refusal named by its MQTT 5 reason code.
broker_start closed "allow_anonymous false"
rc=0
"$PUB" -V 5 -p "$BROKER_PORT" -t a -m b >"$TEST_DIR/refused.out" 2>&1 || rc=$?
expect_eq "$rc" 135 "an anonymous client is refused: status 135, the reason code (as mosquitto_pub)"
expect_contains "$(cat "$TEST_DIR/refused.out")" "connection refused: Not authorized (CONNACK 135)" \
    "the refusal is named by its reason code"

# Command-line checks.
rc=0; "$PUB" -V 5 -t a -m b -D publish session-expiry-interval 5 2>"$TEST_DIR/d.err" || rc=$?
expect_eq "$rc" 1 "-D refuses a property the packet may not carry"
expect_contains "$(cat "$TEST_DIR/d.err")" "not allowed in publish" "and names it"
rc=0; "$SUB" -t a -x 10 2>"$TEST_DIR/x.err" || rc=$?
expect_eq "$rc" 1 "-x needs -V 5"
