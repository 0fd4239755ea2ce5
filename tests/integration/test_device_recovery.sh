#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# brisa-device keeps going as a device should: it waits for a broker that
# is not up yet, reconnects after the broker crashes, notices a broker that
# stops answering (keepalive) and keeps its LED state throughout.
source "$BRISA_SRC/tests/harness/lib.sh"
source "$BRISA_SRC/scripts/lib/device-env.sh"
DEVICE="$BRISA_BIN/brisa-device"

device_env_pki "$TEST_DIR/pki"
device_env_loopback_servers "$TEST_DIR/pki" >/dev/null
device_env_config "$TEST_DIR/device.ini" "$TEST_DIR/pki" "${DEVICE_LOOPBACK_KEYS[@]}" \
    "device.retry_delay=1" "device.debug=false" "mqtt.keepalive=2" "time.publish_interval=3600"

# The broker is down when the device boots.
stop_pid "$BROKER_PID"
restart_broker() {
    mosquitto -c "$TEST_DIR/broker.conf" >>"$BROKER_LOG" 2>&1 &
    BROKER_PID=$!
    track_pid "$BROKER_PID"
    wait_port "$TLS_PORT"
}
count() { grep -c -- "$1" "$TEST_DIR/device.out" || true; }
wait_count() { # PATTERN N SECONDS WHAT
    local i
    for ((i = 0; i < $3 * 10; i++)); do
        [ "$(count "$1")" -ge "$2" ] && { pass "$4"; return 0; }
        sleep 0.1
    done
    fail "$4: '$1' seen $(count "$1") times, wanted $2"
}
command_to_device() {
    mosquitto_pub -p "$BROKER_PORT" -t "$DEVICE_SECRET_TOPIC" -q 1 -m "$1"
}

: >"$TEST_DIR/device.out"
"$DEVICE" --config "$TEST_DIR/device.ini" >"$TEST_DIR/device.out" 2>&1 &
device_pid=$!
track_pid "$device_pid"

wait_count "TLS    error: TCP 127.0.0.1:$TLS_PORT: .*Connection refused; retrying in 1 s" 2 20 \
    "broker down: the TLS step says why and retries"
restart_broker
wait_count "subscribed to secret topic" 1 20 "broker up: the device connects"
command_to_device "LED1 ON"
wait_count "EVENT  \[LED 1 ON\]" 1 10 "commands obeyed"

kill -KILL "$BROKER_PID"
wait_count "MQTT   error: connection lost" 1 10 "broker crash noticed"
restart_broker
wait_count "subscribed to secret topic" 2 20 "reconnected after the crash"
# The library's reconnection service did it: its backoff, its events.
wait_count "MQTT   reconnecting in [0-9]* ms" 1 1 "the reconnection service's backoff is logged"
wait_count "MQTT   reconnected (\(session present\|no session\))" 1 1 \
    "the reconnection says whether the broker kept the session"

# A broker that stops answering (SIGSTOP): keepalive 2 s, so the device
# must give up on it within 1.5 x 2 s (plus polling slack).
kill -STOP "$BROKER_PID"
stopped_at=$(date +%s%N)
wait_count "connection lost: timed out" 1 10 "silent broker detected by keepalive"
took_ms=$((($(date +%s%N) - stopped_at) / 1000000))
[ "$took_ms" -le 6000 ] || fail "silent broker took $took_ms ms to detect (keepalive 2 s)"
pass "silent broker detected in $took_ms ms"
kill -CONT "$BROKER_PID"
wait_count "subscribed to secret topic" 3 30 "reconnected after the broker came back"

command_to_device "STATUS"
wait_count "EVENT  \[STATUS LED1=ON LED2=OFF LED3=OFF\]" 1 10 "LED state kept across reconnects"

kill -USR1 "$device_pid"
wait_pid "$device_pid" 15
expect_eq "$WAIT_RC" 0 "button ends the device cleanly"
