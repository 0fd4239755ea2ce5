#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The SIM7600 link without TLS: brisa-pub/brisa-sub --modem and the driver
# (modem_probe) on brisa-modem-emu's pty, a real mosquitto behind it.
# The seed's two operations ("HoLa" on /test/1 seen by mosquitto_sub;
# "Sigue al conejo blanco" from mosquitto_pub reaching the driver), a
# 10,240-byte payload both ways (in RX pieces too), one byte more refused
# before anything is sent, both client indexes at once, the exact commands
# in the emulator's log, and the seed's plain capture replayed on the pty.
source "$BRISA_SRC/tests/harness/lib.sh"
source "$BRISA_SRC/tests/integration/modem_common.sh"
PUB=$BRISA_BIN/brisa-pub
SUB=$BRISA_BIN/brisa-sub
LIMIT=30

broker_start
modem_start m
H=(-h 127.0.0.1 -p "$BROKER_PORT")

# ---- "HoLa" on /test/1, seen by mosquitto_sub ----
run_bg msub timeout $LIMIT mosquitto_sub "${H[@]}" -i msub -t /test/1 -C 1
msub=$BG_PID
wait_subscribed "$BROKER_LOG" msub
timeout $LIMIT "$PUB" --modem "$MODEM" "${H[@]}" -i modem-pub -t /test/1 -m HoLa -q 1 ||
    fail "brisa-pub --modem failed: $(cat "$MODEM_LOG" | tail -5)"
wait_pid "$msub" $LIMIT
expect_eq "$(cat "$TEST_DIR/msub.out")" "HoLa" "mosquitto_sub sees HoLa published through the modem"
for cmd in 'AT+CMQTTACCQ=0,"modem-pub",0' 'AT+CMQTTTOPIC=0,7' 'AT+CMQTTPAYLOAD=0,4' \
           'AT+CMQTTPUB=0,1,' 'AT+CMQTTDISC=0,' 'AT+CMQTTREL=0' 'AT+CMQTTSTOP'; do
    expect_file_contains "$MODEM_LOG" "$cmd" "the emulator received $cmd"
done

# ---- "Sigue al conejo blanco" from mosquitto_pub, through the RX URCs ----
run_bg bsub timeout $LIMIT "$SUB" --modem "$MODEM" "${H[@]}" -i modem-sub -t /SIM/7600 -q 1 -v -C 1
bsub=$BG_PID
wait_subscribed "$BROKER_LOG" modem-sub
mosquitto_pub "${H[@]}" -t /SIM/7600 -m "Sigue al conejo blanco" -q 1
wait_pid "$bsub" $LIMIT
expect_eq "$WAIT_RC" 0 "brisa-sub --modem exits 0 after -C 1"
expect_eq "$(cat "$TEST_DIR/bsub.out")" "/SIM/7600 Sigue al conejo blanco" \
    "the driver receives the message mosquitto_pub sent"
expect_file_contains "$MODEM_LOG" "+CMQTTRXSTART: 0,9,22" "the message came as +CMQTTRX URCs"

# ---- 10,240 bytes both ways; RX in pieces; 10,241 refused up front ----
head -c 7680 /dev/urandom | base64 -w 0 >"$TEST_DIR/big"
expect_eq "$(stat -c %s "$TEST_DIR/big")" 10240 "test payload is 10240 bytes"
modem_ctl rxsplit 1000
run_bg bigsub timeout $LIMIT "$SUB" --modem "$MODEM" "${H[@]}" -i big-sub -t big/in -q 1 -C 1 -N
bigsub=$BG_PID
wait_subscribed "$BROKER_LOG" big-sub
mosquitto_pub "${H[@]}" -t big/in -f "$TEST_DIR/big" -q 1
wait_pid "$bigsub" $LIMIT
cmp -s "$TEST_DIR/big" "$TEST_DIR/bigsub.out" || fail "10240-byte message received through the modem differs"
pass "10240-byte message from the broker, delivered in 1000-byte RX pieces, arrives whole"
modem_ctl rxsplit 0
run_bg bigm timeout $LIMIT mosquitto_sub "${H[@]}" -i bigm -t big/out -C 1 -N
bigm=$BG_PID
wait_subscribed "$BROKER_LOG" bigm
timeout $LIMIT "$PUB" --modem "$MODEM" "${H[@]}" -t big/out -f "$TEST_DIR/big" -q 1 ||
    fail "brisa-pub --modem of 10240 bytes failed"
wait_pid "$bigm" $LIMIT
cmp -s "$TEST_DIR/big" "$TEST_DIR/bigm.out" || fail "10240-byte message published through the modem differs"
pass "10240-byte message published through the modem arrives whole"
printf x >>"$TEST_DIR/big"
lines_before=$(wc -l <"$MODEM_LOG")
expect_fails "10241 bytes refused" timeout $LIMIT "$PUB" --modem "$MODEM" "${H[@]}" -t big/out \
    -f "$TEST_DIR/big" -q 1
expect_contains "$LAST_STDERR" "over the module's limits (topic 1024, payload 10240 bytes)" \
    "the refusal names the limit"
tail -n +"$lines_before" "$MODEM_LOG" | grep -q 'AT+CMQTTTOPIC' &&
    fail "a command of the refused publish reached the module"
pass "nothing of the refused publish was sent to the module"

# ---- a null message (-n): no AT+CMQTTPAYLOAD, an empty PUBLISH ----
run_bg nsub timeout $LIMIT mosquitto_sub "${H[@]}" -i nsub -t null/t -C 1 -v
nsub=$BG_PID
wait_subscribed "$BROKER_LOG" nsub
timeout $LIMIT "$PUB" --modem "$MODEM" "${H[@]}" -t null/t -n -q 1 || fail "brisa-pub -n --modem failed"
wait_pid "$nsub" $LIMIT
expect_eq "$(cat "$TEST_DIR/nsub.out")" "null/t (null)" "a zero-length message goes through the modem"

# ---- both client indexes at once ----
timeout $LIMIT "$MODEM_PROBE" both "$MODEM" 127.0.0.1 "$BROKER_PORT" >"$TEST_DIR/both.out" 2>&1 ||
    fail "clients 0 and 1 at once: $(cat "$TEST_DIR/both.out")"
expect_file_contains "$TEST_DIR/both.out" "client 0 got 1, client 1 got 2" \
    "clients 0 and 1 at once each receive the other's messages; none after client 0 unsubscribed"
expect_file_contains "$MODEM_LOG" 'AT+CMQTTUNSUB=0,0' "the unsubscribe went through AT+CMQTTUNSUB"
expect_file_contains "$MODEM_LOG" 'AT+CMQTTACCQ=1,"probe-idx1",0' "client index 1 acquired"

# ---- the seed's plain capture, replayed on a fresh module ----
modem_start seed
sed "s|tcp://mibrokermqtt.midominio|tcp://127.0.0.1:$BROKER_PORT|" \
    "$BRISA_SRC/tests/vectors/sim7600_plain.txt" >"$TEST_DIR/plain.txt"
timeout $LIMIT python3 "$BRISA_SRC/tests/integration/modem_dte.py" \
    --before-rx "mosquitto_pub -h 127.0.0.1 -p $BROKER_PORT -t /SIM/7600 -m 'Sigue al conejo blanco' -q 1" \
    "$MODEM" "$TEST_DIR/plain.txt" >"$TEST_DIR/dte.out" 2>&1 ||
    fail "the seed's capture did not replay: $(cat "$TEST_DIR/dte.out")"
pass "the seed's plain capture replays byte for byte against the emulator and mosquitto"
