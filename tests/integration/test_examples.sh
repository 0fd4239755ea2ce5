#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The programs under examples/ against a real mosquitto: each must do what
# its header says (messages back, events in order), within a time limit.
source "$BRISA_SRC/tests/harness/lib.sh"
source "$BRISA_SRC/tests/integration/tls_common.sh"

tls_pki pki ecdsa
QUIET=1 "$PKI" device "$TEST_DIR/pki" plain
L="$TEST_DIR/listeners.conf"
tls_listener "$TEST_DIR/pki" two-way broker >>"$L"
broker_start broker "$(cat "$L")"
wait_port "$TLS_PORT"

# example NAME ARGS...: runs build/bin/NAME (20 s at most); output in OUT.
example() {
    local name=$1 rc=0
    shift
    OUT=$(timeout 20 "$BRISA_BIN/$name" "$@" 2>&1) || rc=$?
    [ "$rc" -eq 0 ] || fail "$name: exit $rc: $OUT"
}

example pubsub_blocking 127.0.0.1 "$BROKER_PORT"
expect_contains "$OUT" "reading example/readings/t1 = 20.5 (QoS 0)" "pubsub_blocking: QoS 0 routed"
expect_contains "$OUT" "reading example/readings/t2 = 21.0 (QoS 1)" "pubsub_blocking: QoS 1 routed"
expect_contains "$OUT" "ALARM door open" "pubsub_blocking: QoS 2 on the other route"

example event_loop 127.0.0.1 "$BROKER_PORT"
for line in "connected (CONNACK 0)" "subscribed, granted QoS 1" \
            "published, packet 2 acknowledged" "message on example/loop: tick"; do
    expect_contains "$OUT" "$line" "event_loop: $line"
done
expect_eq "$(grep -v turns <<<"$OUT" | tail -n 1)" "disconnected: as asked" "event_loop: disconnected last"

D=$TEST_DIR/pki
for engine in mbedtls openssl; do
    example tls_two_way "$engine" 127.0.0.1 "$TLS_PORT" "$D/ca.crt" \
        "$D/devices/plain/plain.crt" "$D/devices/plain/plain.key" "example/$engine"
    expect_contains "$OUT" "received on example/$engine: hello from an installed brisa" \
        "tls_two_way with $engine"
done
