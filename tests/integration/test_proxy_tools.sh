#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# brisa-pub and brisa-sub through an HTTP CONNECT proxy (our own small one,
# tests/harness/connectproxy.py) in front of a real mosquitto: plain MQTT,
# TLS and wss:// through the tunnel, with and without basic
# authentication; the refusals (407 without or with wrong credentials, 403,
# 502) as one clear line each; --proxy env honours https_proxy and no_proxy.
source "$BRISA_SRC/tests/harness/lib.sh"
source "$BRISA_SRC/tests/integration/tls_common.sh"
source "$BRISA_SRC/tests/integration/ws_common.sh"
PUB=$BRISA_BIN/brisa-pub
SUB=$BRISA_BIN/brisa-sub
LIMIT=20

tls_pki pki ecdsa
D=$TEST_DIR/pki
L="$TEST_DIR/listeners.conf"
tls_listener "$D" one-way broker >>"$L"
ws_listeners "$D/brokers/broker/broker-chain.crt" "$D/brokers/broker/broker.key" >>"$L"
broker_start broker "$(cat "$L")"
wait_port "$TLS_PORT"
wait_port "$WSS"

proxy_start() { # NAME [ARGS...]: sets PROXY_PORT, PROXY_LOG
    local name=$1 pf="$TEST_DIR/$1.port"
    shift
    PROXY_LOG="$TEST_DIR/$name.log"
    python3 "$BRISA_SRC/tests/harness/connectproxy.py" --port-file "$pf" "$@" 2>"$PROXY_LOG" &
    track_pid $!
    wait_for 10 test -s "$pf" || fail "proxy $name did not start: $(cat "$PROXY_LOG")"
    PROXY_PORT=$(cat "$pf")
}
proxy_start open --deny-port 9
OPEN=$PROXY_PORT
OPEN_LOG=$PROXY_LOG
proxy_start auth --auth 'dev1:s3cr:t'
AUTH=$PROXY_PORT
AUTH_LOG=$PROXY_LOG

# ---- plain, TLS and wss:// through the tunnel, QoS 1 and 2 ----
run_bg sub timeout $LIMIT "$SUB" -h 127.0.0.1 -p "$BROKER_PORT" --proxy "http://127.0.0.1:$OPEN" \
    -i psub -t 'proxy/#' -q 2 -v -C 3 -W $LIMIT
sub=$BG_PID
wait_subscribed "$BROKER_LOG" psub
timeout $LIMIT "$PUB" -h 127.0.0.1 -p "$BROKER_PORT" --proxy "http://dev1:s3cr:t@127.0.0.1:$AUTH" \
    -t proxy/plain -q 1 -m plain || fail "brisa-pub through the authenticating proxy"
timeout $LIMIT "$PUB" -h 127.0.0.1 -p "$TLS_PORT" --cafile "$D/ca.crt" --proxy "http://127.0.0.1:$OPEN" \
    -t proxy/tls -q 2 -m tls || fail "brisa-pub over TLS through the proxy"
timeout $LIMIT "$PUB" -L "wss://localhost:$WSS/proxy/wss" --cafile "$D/ca.crt" --tls-engine openssl \
    --proxy "http://dev1:s3cr:t@127.0.0.1:$AUTH" -q 2 -m wss || fail "brisa-pub wss:// through the proxy"
wait_pid "$sub" $LIMIT
expect_eq "$WAIT_RC" 0 "the subscriber behind the proxy exits 0"
expect_eq "$(cat "$TEST_DIR/sub.out")" "proxy/plain plain"$'\n'"proxy/tls tls"$'\n'"proxy/wss wss" \
    "plain, TLS and wss:// messages through the tunnels"
expect_file_contains "$OPEN_LOG" "CONNECT 127.0.0.1:$BROKER_PORT -> 200" "the proxy carried the subscriber"
expect_file_contains "$OPEN_LOG" "CONNECT 127.0.0.1:$TLS_PORT -> 200" "the proxy carried the TLS session"
expect_file_contains "$AUTH_LOG" "CONNECT localhost:$WSS -> 200" "credentials accepted for wss://"

# ---- refusals ----
must_refuse() { # WHAT NEEDLE ARGS...
    local what=$1 needle=$2
    shift 2
    expect_fails "$what" timeout $LIMIT "$PUB" -t x -m x "$@"
    expect_contains "$LAST_STDERR" "$needle" "$what: says why"
    [ "$(wc -l <<<"$LAST_STDERR")" -eq 1 ] || fail "$what: more than one line: $LAST_STDERR"
}
must_refuse "no credentials" "proxy wants credentials for 127.0.0.1:$BROKER_PORT: 'HTTP/1.1 407" \
    -h 127.0.0.1 -p "$BROKER_PORT" --proxy "http://127.0.0.1:$AUTH"
must_refuse "wrong credentials" "proxy refused our credentials" \
    -h 127.0.0.1 -p "$BROKER_PORT" --proxy "http://dev1:nope@127.0.0.1:$AUTH"
must_refuse "a forbidden port" "proxy refused the tunnel to 127.0.0.1:9: 'HTTP/1.1 403 Forbidden'" \
    -h 127.0.0.1 -p 9 --proxy "http://127.0.0.1:$OPEN"
dead=$(free_port)
must_refuse "nothing behind the proxy" "'HTTP/1.1 502 Bad Gateway'" \
    -h 127.0.0.1 -p "$dead" --proxy "http://127.0.0.1:$OPEN"
must_refuse "no proxy there" "cannot connect to 127.0.0.1 port $dead" \
    -h 127.0.0.1 -p "$BROKER_PORT" --proxy "http://127.0.0.1:$dead"
expect_fails "a proxy URL of another scheme" "$PUB" -t x -m x --proxy "socks5://127.0.0.1:1080"
expect_contains "$LAST_STDERR" "only http:// proxies" "socks5 refused on the command line"

# ---- --proxy env: https_proxy, no_proxy ----
before=$(grep -c "CONNECT" "$OPEN_LOG")
https_proxy="http://127.0.0.1:$OPEN" timeout $LIMIT "$PUB" -h 127.0.0.1 -p "$BROKER_PORT" \
    --proxy env -t env -m 1 || fail "brisa-pub --proxy env"
expect_eq "$(grep -c "CONNECT" "$OPEN_LOG")" "$((before + 1))" "https_proxy used with --proxy env"
https_proxy="http://127.0.0.1:$OPEN" no_proxy="example.com,127.0.0.1" timeout $LIMIT "$PUB" \
    -h 127.0.0.1 -p "$BROKER_PORT" --proxy env -t env -m 2 || fail "brisa-pub --proxy env, no_proxy"
https_proxy="http://127.0.0.1:$OPEN" no_proxy=".localdomain,localhost" timeout $LIMIT "$PUB" \
    -h localhost -p "$BROKER_PORT" --proxy env -t env -m 3 || fail "brisa-pub --proxy env, no_proxy"
https_proxy="http://127.0.0.1:$OPEN" timeout $LIMIT "$PUB" -h 127.0.0.1 -p "$BROKER_PORT" \
    -t env -m 4 || fail "brisa-pub without --proxy"
expect_eq "$(grep -c "CONNECT" "$OPEN_LOG")" "$((before + 1))" \
    "no_proxy honoured, and the environment ignored unless asked"
