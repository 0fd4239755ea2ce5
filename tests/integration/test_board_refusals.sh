#!/usr/bin/env bash
# What the board refuses, and how it says so: a bad INI file fails the
# firmware's build with file:line; a firmware built with the wrong CA is
# refused by the TLS handshake with the named error and ends with a failing
# exit status; test mode without TLS ends with its result as QEMU's exit
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
lab_start --mosquitto-conf "$TEST_DIR/tls-listener.conf"
board_net_up

# The wrong CA: another PKI's root. One boot attempt, then give up.
"$BRISA_BIN/brisa-pki" init "$TEST_DIR/other" --ecdsa >/dev/null
device_env_config "$TEST_DIR/wrong-ca.ini" "$TEST_DIR/pki" "network.interface=eth0" \
    "tls.ca_file=$TEST_DIR/other/ca.crt" "device.max_boot_attempts=1"
elf=$(board_fw "$TEST_DIR/wrong-ca.ini") || fail "firmware build (wrong CA)"
board_start "$elf" "$TEST_DIR/wrong-ca.out"
board_wait 120
cat "$TEST_DIR/wrong-ca.out"
expect_eq "$BOARD_RC" 1 "the board gave up: QEMU's exit status is 1"
expect_file_contains "$TEST_DIR/wrong-ca.out" "certificate not signed by a trusted CA" \
    "the handshake was refused with the named error"
if grep -q "New client connected from .* as $DEVICE_NAME" "$LAB_DIR/mosquitto.log"; then
    fail "the broker accepted a client that does not trust it"
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
