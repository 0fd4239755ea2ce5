#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# brisa-device with [mqtt] url = wss://... and [mqtt] proxy: test mode's
# cycles go through an HTTP CONNECT proxy, TLS and WebSockets to
# mosquitto's websockets listener, with [tls] alpn offered; a url with
# ws:// reaches the plain websockets listener.
source "$BRISA_SRC/tests/harness/lib.sh"
source "$BRISA_SRC/scripts/lib/device-env.sh"
source "$BRISA_SRC/tests/integration/ws_common.sh"
DEVICE="$BRISA_BIN/brisa-device"

device_env_pki "$TEST_DIR/pki"
device_env_loopback_servers "$TEST_DIR/pki" >/dev/null
P=$TEST_DIR/pki
ws_listeners "$P/brokers/broker/broker-chain.crt" "$P/brokers/broker/broker.key" >"$TEST_DIR/ws.conf"
broker_start webbroker "$(cat "$TEST_DIR/ws.conf")"
wait_port "$WS"
wait_port "$WSS"
pf=$TEST_DIR/proxy.port
python3 "$BRISA_SRC/tests/harness/connectproxy.py" --port-file "$pf" --auth dev:pw \
    --host "broker.$DEVICE_DOMAIN=127.0.0.1" \
    2>"$TEST_DIR/proxy.log" &
track_pid $!
wait_for 10 test -s "$pf" || fail "the proxy did not start"
PROXY=$(cat "$pf")

run_device() { # NAME KEY=VALUE...
    local name=$1
    shift
    device_env_config "$TEST_DIR/$name.ini" "$P" "${DEVICE_LOOPBACK_KEYS[@]}" \
        "mqtt.broker=" "tls.client_auth=false" "tls.cert_file=" "tls.key_file=" "tls.enabled=" \
        "test.compare_tls=false" "test.cycles=5" "device.max_boot_attempts=1" "$@"
    RC=0
    timeout 60 "$DEVICE" --config "$TEST_DIR/$name.ini" --test-mode --csv "$TEST_DIR/$name.csv" \
        >"$TEST_DIR/$name.log" 2>&1 || RC=$?
}

run_device wss "mqtt.url=wss://broker.$DEVICE_DOMAIN:$WSS/mqtt" \
    "mqtt.proxy=http://dev:pw@127.0.0.1:$PROXY" "tls.alpn=mqtt"
expect_eq "$RC" 0 "test mode over wss:// through the proxy exits 0"
expect_eq "$(grep -c ',ok$' "$TEST_DIR/wss.csv")" 5 "5 cycles came back over wss://"
expect_file_contains "$TEST_DIR/proxy.log" "CONNECT broker.$DEVICE_DOMAIN:$WSS -> 200" \
    "the proxy carried the device to the broker by name"
expect_file_contains "$TEST_DIR/wss.log" "WebSocket open to broker.$DEVICE_DOMAIN:$WSS/mqtt" \
    "the device says it speaks WebSockets"

run_device ws "mqtt.url=ws://broker.$DEVICE_DOMAIN:$WS"
expect_eq "$RC" 0 "test mode over ws:// exits 0"
expect_eq "$(grep -c ',ok$' "$TEST_DIR/ws.csv")" 5 "5 cycles came back over ws://"

run_device badproxy "mqtt.url=ws://broker.$DEVICE_DOMAIN:$WS" "mqtt.proxy=http://127.0.0.1:$PROXY"
expect_eq "$RC" 1 "a proxy wanting credentials ends with status 1"
expect_file_contains "$TEST_DIR/badproxy.log" "proxy wants credentials for broker.$DEVICE_DOMAIN:$WS" \
    "the device names the proxy's refusal"
