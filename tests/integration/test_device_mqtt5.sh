#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# brisa-device at [mqtt] version = 5 with a session expiry: normal mode
# connects at MQTT 5 and obeys a command, and test mode's echo cycles run
# with TLS and without, as they do at 3.1.1 (the demo's test). Normal mode
# uses the default TLS engine (OpenSSL on Linux), test mode mbedTLS.
source "$BRISA_SRC/tests/harness/lib.sh"
source "$BRISA_SRC/scripts/lib/device-env.sh"
DEVICE="$BRISA_BIN/brisa-device"

device_env_pki "$TEST_DIR/pki"
device_env_loopback_servers "$TEST_DIR/pki" >/dev/null
device_env_config "$TEST_DIR/device.ini" "$TEST_DIR/pki" "${DEVICE_LOOPBACK_KEYS[@]}" \
    "device.retry_delay=1" "time.publish_interval=3600" "test.cycles=3" \
    "mqtt.version=5" "mqtt.session_expiry=300"
device_env_config "$TEST_DIR/device-mbedtls.ini" "$TEST_DIR/pki" "${DEVICE_LOOPBACK_KEYS[@]}" \
    "device.retry_delay=1" "time.publish_interval=3600" "test.cycles=3" \
    "mqtt.version=5" "mqtt.session_expiry=300" "tls.backend=mbedtls"

"$DEVICE" --config "$TEST_DIR/device.ini" >"$TEST_DIR/device.out" 2>&1 &
device_pid=$!
track_pid "$device_pid"
wait_for 20 grep -q "subscribed to secret topic" "$TEST_DIR/device.out" ||
    fail "the device never subscribed: $(tail -n 5 "$TEST_DIR/device.out")"
expect_file_contains "$TEST_DIR/device.out" "MQTT 5, keepalive" "the device says it speaks MQTT 5"
expect_file_contains "$TEST_DIR/device.out" "TLS    TLSv1.3 " \
    "no [tls] backend: OpenSSL, the default on Linux, speaks TLS 1.3"
grep -q "as $DEVICE_NAME (p5, c0, k" "$BROKER_LOG" ||
    fail "mosquitto did not see a level 5 CONNECT: $(grep 'New client' "$BROKER_LOG")"
pass "mosquitto saw an MQTT 5 CONNECT with a persistent session"
mosquitto_pub -V 5 -p "$BROKER_PORT" -t "$DEVICE_SECRET_TOPIC" -q 1 -m "LED1 ON"
wait_for 10 grep -q "EVENT  \[LED 1 ON\]" "$TEST_DIR/device.out" || fail "command not obeyed at MQTT 5"
pass "a command is obeyed at MQTT 5"
stop_pid "$device_pid"

"$DEVICE" --config "$TEST_DIR/device-mbedtls.ini" --test-mode --csv "$TEST_DIR/test.csv" \
    >"$TEST_DIR/test.out" 2>&1 &
test_pid=$!
track_pid "$test_pid"
wait_pid "$test_pid" 120
expect_eq "$WAIT_RC" 0 "test mode at MQTT 5: every message came back as sent"
expect_eq "$(grep -c ',ok$' "$TEST_DIR/test.csv")" 6 "test mode at MQTT 5: 6 cycles timed"
expect_file_contains "$TEST_DIR/test.out" "TLS    TLSv1.2 " "[tls] backend = mbedtls: TLS 1.2 through mbedTLS"
