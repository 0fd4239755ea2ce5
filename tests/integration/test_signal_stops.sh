#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# SIGTERM ends brisa-device, brisa-pub and brisa-sub at once while their
# link is being set up, not after a connect or handshake timeout: against
# a port that black-holes the SYN (tests/harness/synhole.py: a listener
# whose accept queue is full) and one that accepts TCP but never answers
# the TLS ClientHello (tests/harness/fakepeer.py hold). Each stop is timed
# (the goal is 100 ms; failed above 1 s, a slow machine's margin).
source "$BRISA_SRC/tests/harness/lib.sh"
source "$BRISA_SRC/scripts/lib/device-env.sh"
DEVICE="$BRISA_BIN/brisa-device"

device_env_pki "$TEST_DIR/pki" >/dev/null
device_env_loopback_servers "$TEST_DIR/pki" >/dev/null

python3 "$BRISA_SRC/tests/harness/synhole.py" "$TEST_DIR/hole.port" 2>"$TEST_DIR/hole.log" &
track_pid $!
python3 "$BRISA_SRC/tests/harness/fakepeer.py" --port-file "$TEST_DIR/mute.port" hold \
    2>"$TEST_DIR/mute.log" &
track_pid $!
wait_for 10 test -s "$TEST_DIR/hole.port" || fail "synhole did not start: $(cat "$TEST_DIR/hole.log")"
wait_for 10 test -s "$TEST_DIR/mute.port" || fail "fakepeer did not start"
HOLE=$(cat "$TEST_DIR/hole.port")
MUTE=$(cat "$TEST_DIR/mute.port")

# stop_timed LABEL READY_CMD... -- CMD...: runs CMD, waits until READY_CMD
# succeeds (it is in the state to test), sends SIGTERM and times the end.
stop_timed() {
    local label=$1; shift
    local ready=()
    while [ "$1" != -- ]; do ready+=("$1"); shift; done
    shift
    "$@" >"$TEST_DIR/$label.out" 2>&1 &
    local pid=$!
    track_pid "$pid"
    wait_for 20 "${ready[@]}" || fail "$label: never reached the state: $(tail -n 3 "$TEST_DIR/$label.out")"
    sleep 0.3 # well inside the wait: the connect or the handshake
    kill -0 "$pid" 2>/dev/null || fail "$label: ended by itself: $(tail -n 3 "$TEST_DIR/$label.out")"
    local t0 rc=0 ms
    t0=$(date +%s%N)
    kill -TERM "$pid"
    wait "$pid" || rc=$?
    ms=$((($(date +%s%N) - t0) / 1000000))
    echo "measured: $label: SIGTERM -> exit in $ms ms (status $rc)"
    [ "$ms" -lt 1000 ] || fail "$label: SIGTERM took $ms ms: $(tail -n 3 "$TEST_DIR/$label.out")"
    pass "$label ended $ms ms after SIGTERM"
}

accepted() { [ "$(grep -c 'connection from' "$TEST_DIR/mute.log")" -gt "$1" ]; }

# The device: TCP connect to a black hole, then a TLS handshake left unanswered.
device_env_config "$TEST_DIR/hole.ini" "$TEST_DIR/pki" "${DEVICE_LOOPBACK_KEYS[@]}" \
    "mqtt.port=$HOLE" "device.debug=false"
device_env_config "$TEST_DIR/mute.ini" "$TEST_DIR/pki" "${DEVICE_LOOPBACK_KEYS[@]}" \
    "tls.port=$MUTE" "device.debug=false"
stop_timed device-tcp grep -q READY "$TEST_DIR/device-tcp.out" -- \
    "$DEVICE" --config "$TEST_DIR/hole.ini" --no-tls
expect_file_contains "$TEST_DIR/device-tcp.out" "stopped during the link setup" \
    "the device says the stop ended its TCP connect"
n=$(grep -c 'connection from' "$TEST_DIR/mute.log" || true)
stop_timed device-tls accepted "$n" -- "$DEVICE" --config "$TEST_DIR/mute.ini"
expect_file_contains "$TEST_DIR/device-tls.out" "stopped during the link setup (TLS" \
    "the device says the stop ended its TLS handshake"

# The device reconnecting: connected to the broker, which dies and leaves
# its port to a black hole, so the reconnection's TCP connect hangs.
device_env_config "$TEST_DIR/re.ini" "$TEST_DIR/pki" "${DEVICE_LOOPBACK_KEYS[@]}" \
    "device.debug=false" "device.retry_delay=1"
"$DEVICE" --config "$TEST_DIR/re.ini" --no-tls >"$TEST_DIR/device-re.out" 2>&1 &
re_pid=$!
track_pid "$re_pid"
wait_for 20 grep -q "subscribed to secret topic" "$TEST_DIR/device-re.out" ||
    fail "device-reconnect: never connected: $(tail -n 3 "$TEST_DIR/device-re.out")"
stop_pid "$BROKER_PID"
python3 "$BRISA_SRC/tests/harness/synhole.py" "$TEST_DIR/re.port" "$BROKER_PORT" \
    2>"$TEST_DIR/re-hole.log" &
track_pid $!
wait_for 10 test -s "$TEST_DIR/re.port" || fail "synhole on the broker's port: $(cat "$TEST_DIR/re-hole.log")"
wait_for 10 grep -q "reconnecting in" "$TEST_DIR/device-re.out" || fail "device-reconnect: no reconnection"
sleep 1.5 # past the first backoff: inside a connect to the black hole
t0=$(date +%s%N)
kill -TERM "$re_pid"
rc=0
wait "$re_pid" || rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
echo "measured: device-reconnect: SIGTERM -> exit in $ms ms (status $rc)"
[ "$ms" -lt 1000 ] || fail "device-reconnect: SIGTERM took $ms ms: $(tail -n 3 "$TEST_DIR/device-re.out")"
pass "device-reconnect ended $ms ms after SIGTERM"
expect_file_contains "$TEST_DIR/device-re.out" "stopped during the link setup (TCP" \
    "the stop ended the reconnection's TCP connect"

# The tools, the same two states, for 30 s of --timeout each.
CA="$TEST_DIR/pki/devices/nucleo-1/ca.crt"
for tool in pub sub; do
    if [ "$tool" = pub ]; then args=(-t sig/stop -m x); else args=(-t sig/stop); fi
    stop_timed "brisa-$tool-tcp" true -- \
        "$BRISA_BIN/brisa-$tool" -h 127.0.0.1 -p "$HOLE" --timeout 30 "${args[@]}"
    n=$(grep -c 'connection from' "$TEST_DIR/mute.log" || true)
    stop_timed "brisa-$tool-tls" accepted "$n" -- \
        "$BRISA_BIN/brisa-$tool" -h 127.0.0.1 -p "$MUTE" --cafile "$CA" --timeout 30 "${args[@]}"
done
