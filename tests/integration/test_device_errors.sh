#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# brisa-device when things are wrong: a bad configuration stops it with
# "file:line: what is wrong" before any traffic; a failing boot step says
# which step and why, is retried, and (with max_boot_attempts) gives up.
source "$BRISA_SRC/tests/harness/lib.sh"
source "$BRISA_SRC/scripts/lib/device-env.sh"
DEVICE="$BRISA_BIN/brisa-device"

device_env_pki "$TEST_DIR/pki"
device_env_loopback_servers "$TEST_DIR/pki" >/dev/null
base=("${DEVICE_LOOPBACK_KEYS[@]}" "device.retry_delay=1" "device.max_boot_attempts=2"
      "device.debug=false")

# run_device NAME [KEY=VALUE...] -- [DEVICE ARGS...]: writes NAME.ini and
# runs the device on it (at most 60 s); output in $OUT, status in $RC.
run_device() {
    local name=$1; shift
    local keys=() args=()
    while [ $# -gt 0 ] && [ "$1" != -- ]; do keys+=("$1"); shift; done
    [ "${1:-}" = -- ] && shift
    args=("$@")
    device_env_config "$TEST_DIR/$name.ini" "$TEST_DIR/pki" "${base[@]}" "${keys[@]}"
    RC=0
    timeout 60 "$DEVICE" --config "$TEST_DIR/$name.ini" "${args[@]}" \
        >"$TEST_DIR/$name.out" 2>"$TEST_DIR/$name.err" || RC=$?
    OUT=$(cat "$TEST_DIR/$name.out" "$TEST_DIR/$name.err")
    echo "# $name: $(grep -m1 'error:' <<<"$OUT" || echo "no error line")"
}

queries_before=$(grep -c 'query\[' "$TEST_DIR/dnsmasq.log" || true)
connections_before=$(grep -c 'New connection' "$BROKER_LOG" || true)

# --- configuration errors: exit 2, one line naming file and line ----------
device_env_config "$TEST_DIR/bad.ini" "$TEST_DIR/pki" "${base[@]}"
line=$(grep -n '^\[mqtt\]' "$TEST_DIR/bad.ini" | cut -d: -f1)
sed -i "${line}a brokr = typo.example" "$TEST_DIR/bad.ini"
expect_fails "unknown key" "$DEVICE" --config "$TEST_DIR/bad.ini"
expect_eq "$LAST_STDERR" "brisa-device: $TEST_DIR/bad.ini:$((line + 1)): [mqtt] unknown key 'brokr'" \
    "unknown key reported with file:line"

device_env_config "$TEST_DIR/bad2.ini" "$TEST_DIR/pki" "${base[@]}" "mqtt.keepalive=soon"
line=$(grep -n '^keepalive' "$TEST_DIR/bad2.ini" | cut -d: -f1)
expect_fails "bad value" "$DEVICE" --config "$TEST_DIR/bad2.ini"
expect_eq "$LAST_STDERR" \
    "brisa-device: $TEST_DIR/bad2.ini:$line: [mqtt] keepalive: 'soon' is not a whole number" \
    "bad value reported with file:line"

echo "not a certificate" >"$TEST_DIR/junk.pem"
device_env_config "$TEST_DIR/bad3.ini" "$TEST_DIR/pki" "${base[@]}" "tls.ca_file=$TEST_DIR/junk.pem"
line=$(grep -n '^ca_file' "$TEST_DIR/bad3.ini" | cut -d: -f1)
expect_fails "unreadable certificate" "$DEVICE" --config "$TEST_DIR/bad3.ini"
expect_eq "$LAST_STDERR" \
    "brisa-device: $TEST_DIR/bad3.ini:$line: ca_file: '$TEST_DIR/junk.pem' is neither PEM nor DER" \
    "bad certificate file reported with file:line"

expect_fails "missing configuration" "$DEVICE" --config "$TEST_DIR/none.ini"
expect_eq "$LAST_STDERR" "brisa-device: $TEST_DIR/none.ini: cannot open: No such file or directory" \
    "missing configuration file"
expect_fails "no --config" "$DEVICE"
expect_contains "$LAST_STDERR" "--config FILE is required" "usage error"

expect_eq "$(grep -c 'query\[' "$TEST_DIR/dnsmasq.log" || true)" "$queries_before" \
    "no DNS query was sent for a bad configuration"
expect_eq "$(grep -c 'New connection' "$BROKER_LOG" || true)" "$connections_before" \
    "no broker connection was made for a bad configuration"

# --- boot steps that fail: named, retried, then given up ------------------
run_device nxdomain "mqtt.broker=nosuch.$DEVICE_DOMAIN"
expect_eq "$RC" 1 "unknown broker name ends with status 1"
expect_contains "$OUT" "DNS    error: nosuch.$DEVICE_DOMAIN: NXDOMAIN (rcode 3)" "DNS failure named"
expect_contains "$OUT" "retrying in 1 s" "DNS failure retried"
expect_contains "$OUT" "giving up after 2 failed attempts" "DNS failure given up"

silent=$(free_port)
run_device ntp "time.ntp_server=127.0.0.1:$silent"
expect_eq "$RC" 1 "silent NTP server ends with status 1"
expect_contains "$OUT" "NTP    error: 127.0.0.1:$silent: timed out" "NTP timeout named"

mkdir -p "$TEST_DIR/other"
"$BRISA_BIN/brisa-pki" init "$TEST_DIR/other" --ecdsa >/dev/null
run_device unknown_ca "tls.ca_file=$TEST_DIR/other/ca.crt"
expect_eq "$RC" 1 "untrusted broker ends with status 1"
expect_contains "$OUT" "TLS    error: TLS with 127.0.0.1:$TLS_PORT:" "TLS failure named"
expect_contains "$OUT" "trusted CA" "unknown CA is the cause given"

run_device hostname "tls.server_name=wrong.$DEVICE_DOMAIN"
expect_eq "$RC" 1 "wrong broker name ends with status 1"
expect_contains "$OUT" "wrong.$DEVICE_DOMAIN" "hostname mismatch names the host"

"$BRISA_BIN/brisa-pki" device "$TEST_DIR/other" stranger >/dev/null
run_device stranger "tls.cert_file=$TEST_DIR/other/devices/stranger/stranger.crt" \
    "tls.key_file=$TEST_DIR/other/devices/stranger/stranger.key"
expect_eq "$RC" 1 "a device certificate from another CA ends with status 1"
expect_contains "$OUT" "TLS    error:" "refused client certificate reported in the TLS step"

# A key that is not the certificate's: the device's own fault, so no retry
# (even with max_boot_attempts = 0, retry for ever).
run_device mismatch "tls.key_file=$TEST_DIR/other/devices/stranger/stranger.key" \
    "device.max_boot_attempts=0"
expect_eq "$RC" 1 "a key that does not match its certificate ends with status 1"
expect_contains "$OUT" "not retrying: fix the configuration" "credential error not retried"
expect_eq "$(grep -c 'retrying in' <<<"$OUT")" 0 "no retry for a credential error"

# A broker that refuses the client: CONNACK's reason is shown.
broker_start closed "allow_anonymous false"
run_device refused "mqtt.port=$BROKER_PORT" -- --no-tls
expect_eq "$RC" 1 "refused CONNECT ends with status 1"
expect_contains "$OUT" "broker refused the connection: not authorized (CONNACK 5)" \
    "CONNACK reason shown"

# --- the shipped example configurations load (with real certificate paths)
for example in "$BRISA_SRC"/app/brisa-device/examples/*.ini; do
    sed -e "s|PKI/|$TEST_DIR/pki/|g" \
        -e "s|^ca_file = mosquitto.org.crt|ca_file = $TEST_DIR/pki/ca.crt|" \
        "$example" >"$TEST_DIR/example.ini"
    out=$("$DEVICE" --config "$TEST_DIR/example.ini" --check-config 2>&1) ||
        fail "example $(basename "$example") does not load: $out"
    pass "example $(basename "$example") loads"
done

# --- a hung broker (accepts, never answers CONNECT): SIGTERM still ends the
# device at once, not after the 10 s CONNACK wait.
python3 "$BRISA_SRC/tests/harness/fakepeer.py" --port-file "$TEST_DIR/hung.port" packet hold \
    2>"$TEST_DIR/hung.log" &
track_pid $!
wait_for 10 test -s "$TEST_DIR/hung.port" || fail "fakepeer did not start"
device_env_config "$TEST_DIR/hung.ini" "$TEST_DIR/pki" "${base[@]}" "mqtt.port=$(cat "$TEST_DIR/hung.port")"
"$DEVICE" --config "$TEST_DIR/hung.ini" --no-tls >"$TEST_DIR/hung.out" 2>&1 &
hung_pid=$!
track_pid "$hung_pid"
wait_for 20 grep -q "received CONNECT" "$TEST_DIR/hung.log" || fail "the device never sent CONNECT"
t0=$(date +%s%N)
kill -TERM "$hung_pid"
RC=0
wait "$hung_pid" || RC=$?
ms=$((($(date +%s%N) - t0) / 1000000))
[ "$ms" -le 500 ] || fail "SIGTERM while waiting for CONNACK took ${ms} ms"
pass "SIGTERM while waiting for CONNACK ended the device after ${ms} ms (status $RC)"
