#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# brisa-pub and brisa-sub over WebSockets (-L ws:// and wss://) against
# mosquitto's own websockets listeners, plain and TLS: QoS 0/1/2 both
# ways, a 256 KiB message, interop with mosquitto_pub/sub on the broker's
# plain MQTT listener, and the refusals (not a WebSocket server, an HTTP
# error, a TLS listener spoken to in clear) as one clear line each.
source "$BRISA_SRC/tests/harness/lib.sh"
source "$BRISA_SRC/tests/integration/tls_common.sh"
source "$BRISA_SRC/tests/integration/ws_common.sh"
PUB=$BRISA_BIN/brisa-pub
SUB=$BRISA_BIN/brisa-sub
LIMIT=30

tls_pki pki ecdsa
D=$TEST_DIR/pki
ws_listeners "$D/brokers/broker/broker-chain.crt" "$D/brokers/broker/broker.key" >"$TEST_DIR/ws.conf"
broker_start broker "$(cat "$TEST_DIR/ws.conf")"
wait_port "$WS"
wait_port "$WSS"
TLSOPT=(--cafile "$D/ca.crt")

# ---- QoS 0/1/2, publisher and subscriber both over WebSockets ----
roundtrip() { # NAME URL_BASE [OPTIONS...]
    local name=$1 base=$2
    shift 2
    run_bg "$name" timeout $LIMIT "$SUB" -L "$base/ws/$name" "$@" -i "s-$name" -q 2 -v -C 3 -W $LIMIT
    local sub=$BG_PID
    wait_subscribed "$BROKER_LOG" "s-$name"
    for q in 0 1 2; do
        timeout $LIMIT "$PUB" -L "$base/ws/$name" "$@" -i "p-$name-$q" -q "$q" -m "q$q $name" ||
            fail "brisa-pub $name q$q failed"
    done
    wait_pid "$sub" $LIMIT
    expect_eq "$WAIT_RC" 0 "brisa-sub $name exits 0"
    expect_eq "$(cat "$TEST_DIR/$name.out")" \
        "ws/$name q0 $name"$'\n'"ws/$name q1 $name"$'\n'"ws/$name q2 $name" \
        "QoS 0/1/2 both ways over $name"
}
roundtrip plain "ws://127.0.0.1:$WS"
roundtrip tls-mbedtls "wss://127.0.0.1:$WSS" "${TLSOPT[@]}" --tls-engine mbedtls
roundtrip tls-openssl "wss://localhost:$WSS" "${TLSOPT[@]}" --tls-engine openssl
expect_file_contains "$BROKER_LOG" "Received PUBCOMP from s-plain" "QoS 2 to a WebSocket subscriber completed"
expect_file_contains "$BROKER_LOG" "Received PUBREL from p-tls-openssl-2" "QoS 2 from a wss publisher completed"

# ---- 256 KiB, many frames each way ----
big=$TEST_DIR/big.bin
head -c 262144 /dev/urandom >"$big"
for scheme in ws wss; do
    port=$WS
    opts=()
    [ $scheme = ws ] || { port=$WSS; opts=("${TLSOPT[@]}"); }
    run_bg "big$scheme" timeout $LIMIT "$SUB" -L "$scheme://127.0.0.1:$port/big/$scheme" "${opts[@]}" \
        -i "big$scheme" -q 1 -N -C 1 -W $LIMIT
    sub=$BG_PID
    wait_subscribed "$BROKER_LOG" "big$scheme"
    timeout $LIMIT "$PUB" -L "$scheme://127.0.0.1:$port/big/$scheme" "${opts[@]}" -q 1 -f "$big" ||
        fail "brisa-pub 256 KiB over $scheme failed"
    wait_pid "$sub" $LIMIT
    cmp "$big" "$TEST_DIR/big$scheme.out" || fail "256 KiB over $scheme: bytes differ"
    pass "256 KiB over $scheme://, identical"
done

# ---- interop with mosquitto's clients on the plain MQTT listener ----
mosquitto_sub -p "$BROKER_PORT" -i msub -t interop/in -q 2 -C 2 -W $LIMIT \
    >"$TEST_DIR/msub.out" 2>"$TEST_DIR/msub.log" &
msub=$!
track_pid "$msub"
wait_subscribed "$BROKER_LOG" msub
timeout $LIMIT "$PUB" -L "ws://127.0.0.1:$WS/interop/in" -q 2 -m "from ws"
timeout $LIMIT "$PUB" -L "mqtt://127.0.0.1:$BROKER_PORT/interop/in" -q 1 -m "from mqtt url"
wait_pid "$msub" $LIMIT
expect_eq "$(cat "$TEST_DIR/msub.out")" "from ws"$'\n'"from mqtt url" "brisa-pub ws:// and mqtt:// -> mosquitto_sub"

run_bg wsub timeout $LIMIT "$SUB" -L "ws://127.0.0.1:$WS/interop/out" -i wsub -q 2 -C 2 -W $LIMIT
sub=$BG_PID
wait_subscribed "$BROKER_LOG" wsub
mosquitto_pub -p "$BROKER_PORT" -t interop/out -q 2 -m "mosq q2"
mosquitto_pub -p "$BROKER_PORT" -t interop/out -q 0 -f "$TEST_DIR/msub.out"
wait_pid "$sub" $LIMIT
expect_eq "$(cat "$TEST_DIR/wsub.out")" "mosq q2"$'\n'"from ws"$'\n'"from mqtt url" \
    "mosquitto_pub -> brisa-sub ws://"

# ---- refusals: one line, exit 1, no hang ----
expect_fails "ws:// to a plain MQTT port" timeout $LIMIT "$PUB" -L "ws://127.0.0.1:$BROKER_PORT/x" -m x --timeout 5
expect_contains "$LAST_STDERR" "WebSocket with 127.0.0.1 port $BROKER_PORT:" "the MQTT port refusal names the WebSocket step"
[ "$(wc -l <<<"$LAST_STDERR")" -eq 1 ] || fail "more than one line: $LAST_STDERR"

# an HTTP server without WebSockets, played by fakepeer (it reads the
# request, so the answer is not lost to a reset)
pf=$TEST_DIR/http.port
python3 "$BRISA_SRC/tests/harness/fakepeer.py" --port-file "$pf" \
    "send:$(printf 'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n' | od -An -tx1 | tr -d ' \n')" \
    hold 2>"$TEST_DIR/http.log" &
track_pid $!
wait_for 10 test -s "$pf" || fail "fakepeer did not start"
HTTP=$(cat "$pf")
expect_fails "an HTTP server without WebSockets" timeout $LIMIT "$SUB" -L "ws://127.0.0.1:$HTTP/x" -C 1
expect_contains "$LAST_STDERR" "WebSocket upgrade refused: the server answered 'HTTP/1.1 404 Not Found'" \
    "the HTTP status is quoted"

expect_fails "ws:// to the wss listener" timeout $LIMIT "$PUB" -L "ws://127.0.0.1:$WSS/x" -m x --timeout 5
expect_contains "$LAST_STDERR" "WebSocket with 127.0.0.1 port $WSS" "clear text to TLS refused at the WebSocket step"

expect_fails "wss:// with an unknown CA" timeout $LIMIT "$PUB" -L "wss://127.0.0.1:$WSS/x" -m x \
    --cafile /etc/ssl/certs/ca-certificates.crt
expect_contains "$LAST_STDERR" "TLS with 127.0.0.1 port $WSS" "TLS failure under wss:// reported as TLS"

expect_fails "bad URL" "$PUB" -L "gopher://127.0.0.1/x" -m x
expect_contains "$LAST_STDERR" "unknown scheme" "an unknown scheme is a usage error"
expect_fails "URL without topic" "$SUB" -L "ws://127.0.0.1:$WS"
expect_contains "$LAST_STDERR" "no topic" "a URL without a topic is a usage error"
