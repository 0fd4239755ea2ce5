#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# What the board refuses, and how it says so: a bad INI file fails the
# firmware's build with file:line; the board's TLS handshake refuses, each
# with its named error and a failing exit status, a broker signed by a CA
# it was not built with, a broker certificate for another name, and one
# that expired (by the time the board got from NTP: mbedTLS has no other
# clock there); test mode without TLS ends with its result as QEMU's exit
# status, 0 when the broker is there and 1 when it is not.
source "$BRISA_SRC/lab/testlib.sh"
lab_require_root
source "$BRISA_SRC/tests/harness/lib.sh"
source "$BRISA_SRC/scripts/lib/device-env.sh"
source "$BRISA_SRC/scripts/lib/board-env.sh"
for tool in qemu-system-arm arm-none-eabi-gcc; do
    command -v "$tool" >/dev/null || { echo "SKIP: $tool missing"; exit 77; }
done

# A bad value is caught on the build host, before any firmware exists.
device_env_pki "$TEST_DIR/pki"
device_env_config "$TEST_DIR/bad.ini" "$TEST_DIR/pki" "mqtt.qos=7"
if board_fw "$TEST_DIR/bad.ini" 2>"$TEST_DIR/bad.err" >/dev/null; then
    fail "a firmware was built from an INI file with qos = 7"
fi
expect_contains "$(cat "$TEST_DIR/bad.err")" "bad.ini:" "the build names the INI file and line"
expect_contains "$(cat "$TEST_DIR/bad.err")" "[mqtt] qos: 7 is out of range 0..2" "and what is wrong"

device_env_tls_listener "$TEST_DIR/pki" 8883 @BROKER_IP@ "$TEST_DIR/tls-listener.conf"
# A second listener whose certificate expired (the lab's names, the same CA).
"$BRISA_BIN/brisa-pki" broker "$TEST_DIR/pki" expired --dns "broker.$DEVICE_DOMAIN" --expired \
    >/dev/null 2>&1
"$BRISA_BIN/brisa-pki" mosquitto "$TEST_DIR/pki" --port 8884 --mode two-way --host @BROKER_IP@ \
    --broker expired --out "$TEST_DIR/expired-listener.conf" >/dev/null 2>&1
lab_start --mosquitto-conf "$TEST_DIR/tls-listener.conf" \
    --mosquitto-conf "$TEST_DIR/expired-listener.conf"
board_net_up

# refused NAME WHAT KEY=VALUE...: a firmware with these settings makes one
# boot attempt, is refused with WHAT and ends with exit status 1.
refused() {
    local name=$1 what=$2 elf
    shift 2
    device_env_config "$TEST_DIR/$name.ini" "$TEST_DIR/pki" "network.interface=eth0" \
        "device.max_boot_attempts=1" "$@"
    elf=$(board_fw "$TEST_DIR/$name.ini") || fail "firmware build ($name)"
    board_start "$elf" "$TEST_DIR/$name.out"
    board_wait 120
    grep -E "TLS|END" "$TEST_DIR/$name.out"
    expect_eq "$BOARD_RC" 1 "$name: the board gave up, QEMU's exit status is 1"
    expect_file_contains "$TEST_DIR/$name.out" "$what" "$name: refused with the named error"
}
# The wrong CA: another PKI's root.
"$BRISA_BIN/brisa-pki" init "$TEST_DIR/other" --ecdsa >/dev/null
refused wrong-ca "certificate not signed by a trusted CA" "tls.ca_file=$TEST_DIR/other/ca.crt"
refused wrong-name "certificate does not match the host name" \
    "tls.server_name=other.$DEVICE_DOMAIN"
refused expired "certificate has expired: CN=expired" "tls.port=8884"
if grep -q "New client connected from .* as $DEVICE_NAME" "$LAB_DIR/mosquitto.log"; then
    fail "the broker accepted a client that refused it"
fi
pass "no MQTT session was opened"

# Test mode without TLS: 0 when every message comes back...
device_env_config "$TEST_DIR/plain.ini" "$TEST_DIR/pki" "network.interface=eth0" \
    "test.enabled=true" "test.cycles=5" "test.compare_tls=false" "tls.enabled=false" \
    "device.max_boot_attempts=1"
elf=$(board_fw "$TEST_DIR/plain.ini") || fail "firmware build (test mode, no TLS)"
board_start "$elf" "$TEST_DIR/plain.out"
board_wait 120
grep -v ' cycle ' "$TEST_DIR/plain.out"
expect_eq "$BOARD_RC" 0 "test mode without TLS: QEMU's exit status 0"
expect_file_contains "$TEST_DIR/plain.out" "Test mode without TLS: 5 ok, 0 lost" "5 cycles came back"

# ...and 1 when the broker is gone.
"$LAB" stop --name "$LAB_TEST_NAME" mosquitto >/dev/null
board_start "$elf" "$TEST_DIR/nobroker.out"
board_wait 120
grep -v ' cycle ' "$TEST_DIR/nobroker.out"
expect_eq "$BOARD_RC" 1 "test mode without a broker: QEMU's exit status 1"
