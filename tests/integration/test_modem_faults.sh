#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The SIM7600 link under the faults brisa-modem-emu injects: a lost
# connection (+CMQTTCONNLOST) recovered with no QoS 1 message lost either
# way, answers written in small fragments, slow answers, ERROR and
# +CME ERROR, each reported by name.
source "$BRISA_SRC/tests/harness/lib.sh"
source "$BRISA_SRC/tests/integration/modem_common.sh"
PUB=$BRISA_BIN/brisa-pub
LIMIT=30

broker_start
modem_start m
H=(-h 127.0.0.1 -p "$BROKER_PORT")

# ---- connection lost and recovered, no QoS 1 message lost ----
run_bg out timeout $LIMIT mosquitto_sub "${H[@]}" -i out-sub -t /out -q 1 -C 3
outsub=$BG_PID
wait_subscribed "$BROKER_LOG" out-sub
run_bg probe timeout 60 "$MODEM_PROBE" echo "$MODEM" 127.0.0.1 "$BROKER_PORT" echo1 /in /out 3
probe=$BG_PID
wait_for 15 grep -q ready "$TEST_DIR/probe.out" || fail "probe not ready: $(cat "$TEST_DIR/probe.log")"
mosquitto_pub "${H[@]}" -t /in -m m1 -q 1
wait_for 10 grep -q "got 0 /in m1" "$TEST_DIR/probe.out" || fail "m1 not received"
modem_ctl connlost 0 1
# m2 is published while the module's client is down: the broker keeps it
# for the persistent session and delivers it after the reconnect.
mosquitto_pub "${H[@]}" -t /in -m m2 -q 1
wait_for 15 grep -q reconnected "$TEST_DIR/probe.out" || fail "no reconnect: $(cat "$TEST_DIR/probe.out")"
mosquitto_pub "${H[@]}" -t /in -m m3 -q 1
wait_pid "$probe" 30
expect_eq "$WAIT_RC" 0 "the driver echoed all three messages across the loss"
wait_pid "$outsub" 30
expect_eq "$(tr '\n' ' ' <"$TEST_DIR/out.out")" "echo:m1 echo:m2 echo:m3 " \
    "mosquitto_sub got every echo, in order, none lost"
expect_file_contains "$TEST_DIR/probe.out" "lost 0: socket is closed passively" \
    "+CMQTTCONNLOST: 0,1 reported by name"
expect_file_contains "$MODEM_LOG" "+CMQTTCONNLOST: 0,1" "the emulator sent +CMQTTCONNLOST"

# ---- the will, when the module's connection is lost; a module reset ----
run_bg will timeout $LIMIT mosquitto_sub "${H[@]}" -i will-watch -t dev/will -C 1
will=$BG_PID
wait_subscribed "$BROKER_LOG" will-watch
run_bg wsub timeout $LIMIT "$BRISA_BIN/brisa-sub" --modem "$MODEM" "${H[@]}" -i wdev -t dev/in \
    --will-topic dev/will --will-payload gone --will-qos 1
wsub=$BG_PID
wait_subscribed "$BROKER_LOG" wdev
modem_ctl connlost 0 2
wait_pid "$wsub" $LIMIT
expect_eq "$WAIT_RC" 1 "brisa-sub --modem ends with status 1 on a lost connection"
expect_file_contains "$TEST_DIR/wsub.log" "connection lost: socket is reset (+CMQTTCONNLOST cause 2)" \
    "the tool names the cause"
wait_pid "$will" $LIMIT
expect_eq "$(cat "$TEST_DIR/will.out")" gone "the broker published the will set with AT+CMQTTWILLTOPIC/WILLMSG"
run_bg rsub timeout $LIMIT "$BRISA_BIN/brisa-sub" --modem "$MODEM" "${H[@]}" -i rdev -t dev/in
rsub=$BG_PID
wait_subscribed "$BROKER_LOG" rdev
modem_ctl reset
wait_pid "$rsub" $LIMIT
expect_file_contains "$TEST_DIR/rsub.log" "connection lost: the module restarted" "a module reset (RDY) is noticed"

# ---- answers in 3-byte fragments, and slow ones ----
modem_ctl split 3
run_bg fsub timeout $LIMIT mosquitto_sub "${H[@]}" -i fsub -t frag -C 1
fsub=$BG_PID
wait_subscribed "$BROKER_LOG" fsub
timeout $LIMIT "$PUB" --modem "$MODEM" "${H[@]}" -t frag -m fragments -q 1 ||
    fail "brisa-pub over 3-byte fragments failed"
wait_pid "$fsub" $LIMIT
expect_eq "$(cat "$TEST_DIR/fsub.out")" fragments "every answer in 3-byte fragments: still understood"
modem_ctl split 0
modem_ctl delay 200
timeout $LIMIT "$PUB" --modem "$MODEM" "${H[@]}" -t slow -m slow -q 1 ||
    fail "brisa-pub with 200 ms answers failed"
pass "answers 200 ms late: still understood"
modem_ctl delay 0

# ---- ERROR and +CME ERROR, named ----
modem_ctl cme 10
expect_fails "+CME ERROR refused" timeout $LIMIT "$PUB" --modem "$MODEM" "${H[@]}" -t x -m x
expect_contains "$LAST_STDERR" "+CME ERROR: 10" "the +CME ERROR code is reported"
modem_ctl error 1
expect_fails "ERROR refused" timeout $LIMIT "$PUB" --modem "$MODEM" "${H[@]}" -t x -m x
expect_contains "$LAST_STDERR" "the module answered ERROR" "a plain ERROR is reported"
timeout $LIMIT "$PUB" --modem "$MODEM" "${H[@]}" -t x -m after -q 1 ||
    fail "the module did not work again after the injected errors"
pass "the module works again after the injected errors"
