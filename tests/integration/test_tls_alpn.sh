#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ALPN with both engines against openssl s_server listening with -alpn
# (a server that insists on a protocol name, as AWS IoT does on port 443):
# the right name is chosen and reported, a wrong one is refused with
# BRISA_ERR_TLS_ALPN (-60), and brisa-pub --alpn says so in one line;
# against mosquitto (no ALPN) offering one does no harm.
source "$BRISA_SRC/tests/harness/lib.sh"
source "$BRISA_SRC/tests/integration/tls_common.sh"
tls_pki pki ecdsa
D=$TEST_DIR/pki
B=$D/brokers/broker

SPORT=$(free_port)
openssl s_server -accept "127.0.0.1:$SPORT" -cert "$B/broker.crt" -cert_chain "$B/broker-chain.crt" \
    -key "$B/broker.key" -alpn x-amzn-mqtt-ca,mqtt -quiet >"$TEST_DIR/s_server.log" 2>&1 &
track_pid $!
wait_port "$SPORT"

for engine in mbedtls openssl; do
    probe_ok "$engine: the server's protocol is chosen" "alpn=x-amzn-mqtt-ca" --engine "$engine" \
        -h 127.0.0.1 -p "$SPORT" --cafile "$D/ca.crt" --alpn foo,x-amzn-mqtt-ca --handshake-only
    probe_ok "$engine: another name, by host name" "alpn=mqtt" --engine "$engine" \
        -h localhost -p "$SPORT" --cafile "$D/ca.crt" --alpn mqtt,foo --handshake-only
    probe_refused "$engine: a protocol the server does not speak" -60 "none of the protocols offered" \
        --engine "$engine" -h 127.0.0.1 -p "$SPORT" --cafile "$D/ca.crt" --alpn http/1.1 --handshake-only
    probe_ok "$engine: no ALPN offered, none chosen" "alpn= " --engine "$engine" \
        -h 127.0.0.1 -p "$SPORT" --cafile "$D/ca.crt" --handshake-only
done
probe_refused "a malformed list is refused before connecting" -1 "ALPN list" \
    -h 127.0.0.1 -p "$SPORT" --cafile "$D/ca.crt" --alpn "mqtt,,x" --handshake-only

expect_fails "brisa-pub with a wrong protocol" timeout 20 "$BRISA_BIN/brisa-pub" -h 127.0.0.1 \
    -p "$SPORT" --cafile "$D/ca.crt" --alpn http/1.1 -t t -m x
expect_contains "$LAST_STDERR" "TLS with 127.0.0.1 port $SPORT: no application protocol (ALPN) in common" \
    "brisa-pub names the ALPN refusal"

# mosquitto takes no part in ALPN: offering names must not break anything
L="$TEST_DIR/listener.conf"
tls_listener "$D" one-way broker >>"$L"
broker_start broker "$(cat "$L")"
wait_port "$TLS_PORT"
for engine in mbedtls openssl; do
    timeout 20 "$BRISA_BIN/brisa-pub" -h 127.0.0.1 -p "$TLS_PORT" --cafile "$D/ca.crt" \
        --tls-engine "$engine" --alpn mqtt -t alpn -m x -q 1 || fail "brisa-pub --alpn to mosquitto ($engine)"
    pass "$engine: ALPN offered to a broker without it"
done
