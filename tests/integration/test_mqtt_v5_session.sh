#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# MQTT 5 sessions against a real mosquitto 2.0: a QoS 1 message left in
# brisa-pub's --store by a broker that never acknowledged it goes out
# after the restart with its properties; No Local keeps brisa-rr's own
# request from coming back to it; a second client with the same id takes
# the session over and the first one exits with status 1 and one line; a
# broker's DISCONNECT (scripted: mosquitto 2.0 sends none) is named by its
# reason code and reason string.
source "$BRISA_SRC/tests/harness/lib.sh"
PUB=$BRISA_BIN/brisa-pub
SUB=$BRISA_BIN/brisa-sub
RR=$BRISA_BIN/brisa-rr
broker_start broker
P=(-V 5 -p "$BROKER_PORT")

# ---- the store keeps a message's properties across a restart ---------------
# mosquitto holds a session for p-store, so the restarted publisher's
# CONNACK says "session present" and the restored flow is resent.
"$SUB" "${P[@]}" -i p-store -c -x 300 -t v5s/none -W 1 >/dev/null 2>&1 || true
grep -q "New client connected .* as p-store" "$BROKER_LOG" || fail "p-store never connected"
# The first publisher's broker (fakepeer.py) accepts CONNECT and the
# PUBLISH, and never sends PUBACK: the message stays in the store.
python3 "$BRISA_SRC/tests/harness/fakepeer.py" --port-file "$TEST_DIR/fake.port" \
    packet send:2003000000 packet hold 2>"$TEST_DIR/fake.log" &
track_pid $!
wait_for 10 test -s "$TEST_DIR/fake.port" || fail "fakepeer did not start"
store=$TEST_DIR/store
props=(-D publish content-type text/x -D publish user-property k v
       -D publish message-expiry-interval 600)
rc=0
"$PUB" -V 5 -p "$(cat "$TEST_DIR/fake.port")" -i p-store -c -x 300 -q 1 --store "$store" \
    -t v5s/t -m kept "${props[@]}" --timeout 2 2>"$TEST_DIR/pub1.err" || rc=$?
expect_eq "$rc" 1 "no PUBACK: brisa-pub gives up ($(cat "$TEST_DIR/pub1.err"))"
expect_eq "$(head -c 4 "$store/out-1")" BRQ2 "the stored record carries properties"
run_bg msub mosquitto_sub "${P[@]}" -i s-store -q 1 -t v5s/t -F '%p|%C|%P' -C 2 -W 20
msub=$BG_PID
wait_subscribed "$BROKER_LOG" s-store
"$PUB" "${P[@]}" -i p-store -c -x 300 -q 1 --store "$store" -t v5s/t -m fresh \
    || fail "the restarted brisa-pub failed"
wait_pid "$msub" 20
expect_eq "$(cat "$TEST_DIR/msub.out")" $'kept|text/x|k:v\nfresh||' \
    "the restored message arrives first, with its properties"
grep -q "Received PUBLISH from p-store (d1, q1, r0, m1, 'v5s/t'" "$BROKER_LOG" ||
    fail "the restored message was not resent with DUP as id 1"
pass "resent with DUP under its stored id"
expect_eq "$(find "$store" -name 'out-*' | wc -l)" 0 "the store is empty once acknowledged"

# ---- No Local ----------------------------------------------------------------
# brisa-rr subscribes to its own request topic. Without No Local the
# broker hands it its request back as the "response"; with it, only a
# message from another client answers.
out=$("$RR" "${P[@]}" -i rr-echo -t nl/echo -e nl/echo -m ping -W 10)
expect_eq "$out" ping "without --no-local our own request comes back"
run_bg mon mosquitto_sub "${P[@]}" -i mon -t nl/t -C 1 -W 20
mon=$BG_PID
wait_subscribed "$BROKER_LOG" mon
run_bg rr "$RR" "${P[@]}" -i rr-nl -t nl/t -e nl/t -m ping --no-local -W 20
rr=$BG_PID
wait_pid "$mon" 20
expect_eq "$(cat "$TEST_DIR/mon.out")" ping "brisa-rr --no-local sent its request"
sleep 1 # the broker would have sent ping back to rr-nl by now
mosquitto_pub "${P[@]}" -t nl/t -m pong
wait_pid "$rr" 20
expect_eq "$WAIT_RC" 0 "brisa-rr --no-local got an answer"
expect_eq "$(cat "$TEST_DIR/rr.out")" pong "with --no-local only the other client's message arrives"

# ---- session taken over --------------------------------------------------------
# mosquitto 2.0.11 closes the connection it takes over without the
# DISCONNECT 0x8E MQTT 5 allows (nor does it send one when it shuts down):
# brisa-sub says the peer closed the connection. A later broker that sends
# it gets its reason named, as the scripted one below shows.
run_bg twin "$SUB" "${P[@]}" -i twin -t tk/t -W 30 --exit-on-loss
twin=$BG_PID
wait_subscribed "$BROKER_LOG" twin
mosquitto_sub "${P[@]}" -i twin -t tk/t -W 1 >/dev/null 2>&1 || true
wait_pid "$twin" 10
expect_eq "$WAIT_RC" 1 "session taken over: the first client exits with status 1"
err=$(cat "$TEST_DIR/twin.log")
case "$err" in
    *"connection closed by peer"* | *"Session taken over (reason 0x8e)"*)
        pass "session taken over: $err" ;;
    *) fail "session taken over: unexpected message '$err'" ;;
esac
expect_eq "$(wc -l <"$TEST_DIR/twin.log")" 1 "session taken over: one line on stderr"

# The broker's DISCONNECT 0x8E with a Reason String, from fakepeer.py
# after CONNACK and SUBACK.
python3 "$BRISA_SRC/tests/harness/fakepeer.py" --port-file "$TEST_DIR/fake2.port" \
    packet send:2003000000 packet send:900400010000 send:e00a8e081f000574616b656e hold \
    2>"$TEST_DIR/fake2.log" &
track_pid $!
wait_for 10 test -s "$TEST_DIR/fake2.port" || fail "fakepeer did not start"
rc=0
"$SUB" -V 5 -p "$(cat "$TEST_DIR/fake2.port")" -t tk/t -W 10 --exit-on-loss \
    2>"$TEST_DIR/dis.err" || rc=$?
expect_eq "$rc" 1 "server DISCONNECT: status 1"
expect_eq "$(cat "$TEST_DIR/dis.err")" \
    "brisa-sub: connection lost: the broker disconnected: Session taken over (reason 0x8e): taken" \
    "server DISCONNECT: named with its reason string, on one line"
