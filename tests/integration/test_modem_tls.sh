#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The SIM7600 link with TLS: certificates from brisa-pki uploaded to the
# emulated module through AT+CCERTDOWN, SSL context 0 set with AT+CSSLCFG,
# real mosquitto TLS listeners (one-way and two-way). Round trips both
# ways, files not uploaded again when the module has them, a wrong CA
# refused with the module's named error, and the seed's two-way TLS
# capture replayed with these certificates.
source "$BRISA_SRC/tests/harness/lib.sh"
source "$BRISA_SRC/tests/integration/modem_common.sh"
PKI="$BRISA_BIN/brisa-pki"
PUB=$BRISA_BIN/brisa-pub
SUB=$BRISA_BIN/brisa-sub
LIMIT=30

D=$TEST_DIR/pki
QUIET=1 "$PKI" init "$D" --ecdsa >/dev/null
QUIET=1 "$PKI" broker "$D" broker --ip 127.0.0.1 --dns localhost
QUIET=1 "$PKI" device "$D" dev2
QUIET=1 "$PKI" init "$TEST_DIR/other" --ecdsa >/dev/null
L="$TEST_DIR/listeners.conf"
ONE=$(free_port)
QUIET=1 "$PKI" mosquitto "$D" --port "$ONE" --mode one-way --broker broker >>"$L"
TWO=$(free_port)
QUIET=1 "$PKI" mosquitto "$D" --port "$TWO" --mode two-way --broker broker >>"$L"
broker_start broker "$(cat "$L")"
wait_port "$ONE"
wait_port "$TWO"
modem_start m
CA=(--cafile "$D/ca.crt")
DEV=(--cert "$D/devices/dev2/dev2.crt" --key "$D/devices/dev2/dev2.key")

n=0
for mode in one-way two-way; do
    port=$ONE
    extra=()
    if [ $mode = two-way ]; then port=$TWO; extra=("${DEV[@]}"); fi
    n=$((n + 1))
    H=(-h 127.0.0.1 -p "$port" "${CA[@]}" "${extra[@]}")
    # the driver receives what mosquitto_pub sends over TLS
    run_bg "bsub$n" timeout $LIMIT "$SUB" --modem "$MODEM" "${H[@]}" -i "msub$n" -t /SIM/7600 -q 1 -C 1
    bsub=$BG_PID
    wait_subscribed "$BROKER_LOG" "msub$n"
    mosquitto_pub -h 127.0.0.1 -p "$port" "${CA[@]}" \
        $([ $mode = two-way ] && echo "--cert $D/devices/dev2/dev2.crt --key $D/devices/dev2/dev2.key") \
        -t /SIM/7600 -m "Sigue al conejo blanco" -q 1
    wait_pid "$bsub" $LIMIT
    expect_eq "$(cat "$TEST_DIR/bsub$n.out")" "Sigue al conejo blanco" "$mode TLS: the driver receives the message"
    # mosquitto_sub sees what the driver publishes
    run_bg "msub$n" timeout $LIMIT mosquitto_sub -h 127.0.0.1 -p "$ONE" "${CA[@]}" -i "mpeer$n" -t /test/1 -C 1
    msub=$BG_PID
    wait_subscribed "$BROKER_LOG" "mpeer$n"
    timeout $LIMIT "$PUB" --modem "$MODEM" "${H[@]}" -t /test/1 -m HoLa -q 1 ||
        fail "$mode TLS: brisa-pub --modem failed"
    wait_pid "$msub" $LIMIT
    expect_eq "$(cat "$TEST_DIR/msub$n.out")" "HoLa" "$mode TLS: mosquitto_sub sees HoLa"
done
expect_file_contains "$MODEM_LOG" 'AT+CSSLCFG="authmode",0,2' "two-way sets authmode 2"
expect_file_contains "$MODEM_LOG" 'AT+CMQTTSSLCFG=0,0' "the client uses SSL context 0"
uploads=$(grep -c 'AT+CCERTDOWN="brisa-ca-' "$MODEM_LOG" || true)
expect_eq "$uploads" 1 "the CA went to the module once, however many connections used it"
uploads=$(grep -c 'AT+CCERTDOWN="brisa-key-' "$MODEM_LOG" || true)
expect_eq "$uploads" 1 "the device key went to the module once"

# ---- a wrong CA: refused, with the module's named error ----
expect_fails "wrong CA refused" timeout $LIMIT "$PUB" --modem "$MODEM" -h 127.0.0.1 -p "$ONE" \
    --cafile "$TEST_DIR/other/ca.crt" -t /test/1 -m x
expect_contains "$LAST_STDERR" "AT+CMQTTCONNECT: handshake fail (error 32)" "the refusal is named"

# ---- the seed's two-way TLS capture with these files ----
modem_start seed
sed "s|tcp://mibrokermqtt.midominio:8883|tcp://127.0.0.1:$TWO|" \
    "$BRISA_SRC/tests/vectors/sim7600_tls.txt" >"$TEST_DIR/tls.txt"
timeout $LIMIT python3 "$BRISA_SRC/tests/integration/modem_dte.py" \
    --cert "ca.pem=$D/ca.crt" --cert "ccert.pem=$D/devices/dev2/dev2.crt" \
    --cert "ckey.pem=$D/devices/dev2/dev2.key" \
    "$MODEM" "$TEST_DIR/tls.txt" >"$TEST_DIR/dte.out" 2>&1 ||
    fail "the seed's TLS capture did not replay: $(cat "$TEST_DIR/dte.out")"
pass "the seed's two-way TLS capture replays against the emulator and mosquitto"

# ---- brisa-modem: the seed's ssl1 / ssl2 scripts, list, delete ----
MODEMTOOL=$BRISA_BIN/brisa-modem
modem_start tool
"$MODEMTOOL" "$MODEM" ssl1 "$D/ca.crt" >"$TEST_DIR/ssl1.out" || fail "brisa-modem ssl1 failed"
expect_eq "$(cat "$TEST_DIR/ssl1.out")" "ca.pem" "ssl1 loads ca.pem and lists it"
"$MODEMTOOL" "$MODEM" ssl2 "$D/devices/dev2/dev2.crt" "$D/devices/dev2/dev2.key" >/dev/null ||
    fail "brisa-modem ssl2 failed"
expect_eq "$("$MODEMTOOL" "$MODEM" list | tr '\n' ' ')" "ca.pem ccert.pem ckey.pem " "list shows the three files"
for cmd in "AT+CCERTDOWN=\"ca.pem\",$(stat -c %s "$D/ca.crt")" 'AT+CSSLCFG="cacert",0,"ca.pem"' \
           'AT+CSSLCFG="authmode",0,1' 'AT+CSSLCFG="clientkey",0,"ckey.pem"' 'AT+CSSLCFG="authmode",0,2'; do
    expect_file_contains "$TEST_DIR/tool.emu.log" "$cmd" "brisa-modem sent $cmd"
done
out=$("$MODEMTOOL" "$MODEM" load "$D/ca.crt" ca.pem --if-missing)
expect_eq "$out" "ca.pem: uploaded" "--if-missing uploads a file this program cannot vouch for"
"$MODEMTOOL" "$MODEM" delete ckey.pem || fail "brisa-modem delete failed"
expect_eq "$("$MODEMTOOL" "$MODEM" list | tr '\n' ' ')" "ca.pem ccert.pem " "delete removes the file"
modem_ctl poweroff
sleep 1
expect_eq "$("$MODEMTOOL" "$MODEM" list)" "" "files are gone after a power-off, as the seed says"
expect_fails "deleting a missing file" "$MODEMTOOL" "$MODEM" delete nothing.pem
expect_contains "$LAST_STDERR" "AT+CCERTDELE" "the failed command is named"
