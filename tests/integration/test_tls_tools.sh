#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# brisa-pub and brisa-sub over TLS against real mosquitto listeners:
# QoS 0/1/2 round trips over one-way and two-way TLS with both engines,
# brisa <-> brisa and brisa <-> mosquitto_pub/sub, and every refusal
# through the tools: one clear stderr line each, exit status 1, no hang.
source "$BRISA_SRC/tests/harness/lib.sh"
source "$BRISA_SRC/tests/integration/tls_common.sh"
PUB=$BRISA_BIN/brisa-pub
SUB=$BRISA_BIN/brisa-sub
LIMIT=20

tls_pki pki ecdsa
tls_pki rsa rsa
D=$TEST_DIR/pki
R=$TEST_DIR/rsa
QUIET=1 "$PKI" broker "$D" expired --ip 127.0.0.1 --expired
QUIET=1 "$PKI" broker "$D" future --ip 127.0.0.1 --not-yet-valid
QUIET=1 "$PKI" broker "$D" revoked --ip 127.0.0.1
QUIET=1 "$PKI" broker "$D" elsewhere --dns broker.example
QUIET=1 "$PKI" revoke "$D" revoked
QUIET=1 "$PKI" init "$TEST_DIR/other" --ecdsa
QUIET=1 "$PKI" device "$TEST_DIR/other" rogue

L="$TEST_DIR/listeners.conf"
tls_listener "$D" one-way broker >>"$L"; ONE=$TLS_PORT
tls_listener "$D" two-way broker >>"$L"; TWO=$TLS_PORT
tls_listener "$R" two-way broker >>"$L"; RSA_TWO=$TLS_PORT
for b in expired future revoked elsewhere; do
    tls_listener "$D" one-way "$b" >>"$L"
    declare "PORT_$b=$TLS_PORT"
done
broker_start broker "$(cat "$L")"
for p in $ONE $TWO $RSA_TWO $PORT_expired $PORT_future $PORT_revoked $PORT_elsewhere; do
    wait_port "$p"
done

tls_args() { # PKI_DIR MODE ENGINE
    local d=$1
    echo --cafile "$d/ca.crt" --tls-engine "$3"
    [ "$2" = one-way ] || echo --cert "$d/devices/dev1/dev1.crt" --key "$d/devices/dev1/dev1.key"
}

# ---- round trips, brisa <-> brisa ----
n=0
for mode in one-way two-way; do
    port=$ONE
    [ "$mode" = one-way ] || port=$TWO
    for engine in mbedtls openssl; do
        # shellcheck disable=SC2207
        t=($(tls_args "$D" "$mode" "$engine"))
        n=$((n + 1))
        run_bg "sub$n" timeout $LIMIT "$SUB" -h 127.0.0.1 -p "$port" "${t[@]}" -i "tsub$n" \
            -t "tls/$n" -q 2 -v -C 3 -W $LIMIT
        sub=$BG_PID
        wait_subscribed "$BROKER_LOG" "tsub$n"
        for q in 0 1 2; do
            timeout $LIMIT "$PUB" -h 127.0.0.1 -p "$port" "${t[@]}" -i "tpub$n-$q" -t "tls/$n" \
                -m "q$q over $mode $engine" -q "$q" || fail "brisa-pub $mode $engine q$q failed"
        done
        wait_pid "$sub" $LIMIT
        expect_eq "$WAIT_RC" 0 "brisa-sub $mode $engine exits 0"
        expect_eq "$(cat "$TEST_DIR/sub$n.out")" \
            "tls/$n q0 over $mode $engine"$'\n'"tls/$n q1 over $mode $engine"$'\n'"tls/$n q2 over $mode $engine" \
            "QoS 0/1/2 over $mode TLS, $engine <-> $engine"
    done
done
expect_file_contains "$BROKER_LOG" "Received PUBCOMP from tsub4" "QoS 2 flow completed over TLS"
expect_file_contains "$BROKER_LOG" "u'dev1'" "two-way: the broker knows the client as dev1 (its CN)"

# RSA chain, two-way, TLS 1.3.
run_bg rsub timeout $LIMIT "$SUB" -h 127.0.0.1 -p "$RSA_TWO" $(tls_args "$R" two-way openssl) \
    --tls-version tlsv1.3 -i rsub -t tls/rsa -q 1 -C 1 -W $LIMIT
sub=$BG_PID
wait_subscribed "$BROKER_LOG" rsub
timeout $LIMIT "$PUB" -h 127.0.0.1 -p "$RSA_TWO" $(tls_args "$R" two-way mbedtls) -t tls/rsa -m rsa -q 1
wait_pid "$sub" $LIMIT
expect_eq "$(cat "$TEST_DIR/rsub.out")" "rsa" "RSA two-way: mbedTLS TLS 1.2 publisher, OpenSSL TLS 1.3 subscriber"

# ---- brisa <-> mosquitto clients ----
MCERT=(--cafile "$D/ca.crt" --cert "$D/devices/dev1/dev1.crt" --key "$D/devices/dev1/dev1.key")
run_bg msub timeout $LIMIT mosquitto_sub -h 127.0.0.1 -p "$TWO" "${MCERT[@]}" -i msub -t tls/m -q 2 -C 2 -W $LIMIT
sub=$BG_PID
wait_subscribed "$BROKER_LOG" msub
timeout $LIMIT "$PUB" -h 127.0.0.1 -p "$TWO" $(tls_args "$D" two-way mbedtls) -t tls/m -m from-mbedtls -q 2
timeout $LIMIT "$PUB" -h 127.0.0.1 -p "$TWO" $(tls_args "$D" two-way openssl) -t tls/m -m from-openssl -q 1
wait_pid "$sub" $LIMIT
expect_eq "$(cat "$TEST_DIR/msub.out")" $'from-mbedtls\nfrom-openssl' "brisa-pub over TLS -> mosquitto_sub"

run_bg bsub timeout $LIMIT "$SUB" -h 127.0.0.1 -p "$ONE" --cafile "$D/ca.crt" -i bsub -t tls/b -q 2 -C 2 -W $LIMIT
sub=$BG_PID
wait_subscribed "$BROKER_LOG" bsub
timeout $LIMIT mosquitto_pub -h 127.0.0.1 -p "$ONE" --cafile "$D/ca.crt" -t tls/b -m one-way -q 1
timeout $LIMIT mosquitto_pub -h 127.0.0.1 -p "$ONE" --cafile "$D/ca.crt" -t tls/b -m tls12 -q 2 --tls-version tlsv1.2
wait_pid "$sub" $LIMIT
expect_eq "$(cat "$TEST_DIR/bsub.out")" $'one-way\ntls12' "mosquitto_pub over TLS -> brisa-sub"

# ---- options ----
# No --tls-engine: OpenSSL, the default on Linux, so TLS 1.3 unless capped.
timeout $LIMIT "$PUB" -h 127.0.0.1 -p "$ONE" --cafile "$D/ca.crt" -t tls/k -m k \
    --keylog "$TEST_DIR/tool.keys" --tls-debug 2 2>"$TEST_DIR/debug.log" || fail "--keylog/--tls-debug run"
expect_file_contains "$TEST_DIR/tool.keys" "CLIENT_HANDSHAKE_TRAFFIC_SECRET " "--keylog writes the TLS 1.3 secrets"
expect_file_contains "$TEST_DIR/debug.log" "tls: handshake done: TLSv1.3" \
    "--tls-debug 2 shows the handshake: the default engine (openssl) speaks TLS 1.3"
timeout $LIMIT "$PUB" -h 127.0.0.1 -p "$ONE" --cafile "$D/ca.crt" -t tls/k -m k --tls-engine mbedtls \
    --keylog "$TEST_DIR/mbed.keys" --tls-debug 2 2>"$TEST_DIR/debug.log" || fail "mbedtls --keylog/--tls-debug run"
expect_file_contains "$TEST_DIR/mbed.keys" "CLIENT_RANDOM " "--keylog writes the TLS 1.2 session secret (mbedtls)"
expect_file_contains "$TEST_DIR/debug.log" "tls: handshake done: TLSv1.2" "--tls-debug 2 shows the handshake (mbedtls)"
timeout $LIMIT "$PUB" -h 127.0.0.1 -p "$ONE" --cafile "$D/ca.crt" -t tls/k -m k --tls-version tlsv1.3 ||
    fail "--tls-version tlsv1.3 without --tls-engine"
pass "--tls-version tlsv1.3 needs no --tls-engine (openssl is the default)"
timeout $LIMIT "$PUB" -h localhost -p "$PORT_elsewhere" --cafile "$D/ca.crt" --insecure -t tls/i -m i ||
    fail "--insecure should accept a certificate for another name"
pass "--insecure skips the host-name check"
timeout $LIMIT "$PUB" -h 127.0.0.1 -p "$ONE" --cafile "$D/ca.crt" --crlfile "$D/crl.pem" -t tls/c -m c ||
    fail "--crlfile with a valid broker"
pass "--crlfile accepts a broker that is not revoked"

# ---- refusals: exit 1, one line on stderr saying why ----
refused() { # WHAT NEEDLE CMD...
    local what=$1 needle=$2
    shift 2
    local rc=0
    timeout $LIMIT "$@" >"$TEST_DIR/r.out" 2>"$TEST_DIR/r.err" || rc=$?
    [ "$rc" -ne 124 ] || fail "$what: hung"
    [ "$rc" -eq 1 ] || fail "$what: exit $rc, want 1 ($(cat "$TEST_DIR/r.err"))"
    local lines
    lines=$(wc -l <"$TEST_DIR/r.err")
    [ "$lines" -eq 1 ] || fail "$what: $lines lines on stderr: $(cat "$TEST_DIR/r.err")"
    expect_file_contains "$TEST_DIR/r.err" "$needle" "$what: $(cat "$TEST_DIR/r.err")"
}
for engine in mbedtls openssl; do
    e=(--tls-engine "$engine" -h 127.0.0.1 -t tls/x -m x)
    refused "$engine unknown CA" "TLS with 127.0.0.1 port $ONE: certificate not signed by a trusted CA" \
        "$PUB" "${e[@]}" -p "$ONE" --cafile "$TEST_DIR/other/ca.crt"
    refused "$engine hostname" "certificate does not match the host name: CN=elsewhere is for DNS:broker.example, not '127.0.0.1'" \
        "$PUB" "${e[@]}" -p "$PORT_elsewhere" --cafile "$D/ca.crt"
    refused "$engine expired" "certificate has expired: CN=expired" \
        "$SUB" --tls-engine "$engine" -h 127.0.0.1 -t tls/x -p "$PORT_expired" --cafile "$D/ca.crt"
    refused "$engine not yet valid" "certificate is not yet valid: CN=future" \
        "$PUB" "${e[@]}" -p "$PORT_future" --cafile "$D/ca.crt"
    refused "$engine revoked" "certificate has been revoked: CN=revoked" \
        "$PUB" "${e[@]}" -p "$PORT_revoked" --cafile "$D/ca.crt" --crlfile "$D/crl.pem"
    refused "$engine no client certificate" "server requires a client certificate: none is configured" \
        "$PUB" "${e[@]}" -p "$TWO" --cafile "$D/ca.crt"
    refused "$engine client certificate from another CA" "unknown_ca (48) -- the broker refused our client certificate" \
        "$PUB" "${e[@]}" -p "$TWO" --cafile "$D/ca.crt" --cert "$TEST_DIR/other/devices/rogue/rogue.crt" \
        --key "$TEST_DIR/other/devices/rogue/rogue.key"
    refused "$engine key mismatch" "private key does not match the certificate" \
        "$PUB" "${e[@]}" -p "$TWO" --cafile "$D/ca.crt" --cert "$D/devices/dev1/dev1.crt" \
        --key "$TEST_DIR/other/devices/rogue/rogue.key"
    refused "$engine missing key file" "client key $TEST_DIR/none.key: No such file or directory" \
        "$PUB" "${e[@]}" -p "$TWO" --cafile "$D/ca.crt" --cert "$D/devices/dev1/dev1.crt" --key "$TEST_DIR/none.key"
    refused "$engine TLS to a plaintext port" "peer does not speak TLS" \
        "$PUB" "${e[@]}" -p "$BROKER_PORT" --cafile "$D/ca.crt"
done
refused "plaintext to a TLS port" "if this is a TLS port, add --cafile" "$PUB" -h 127.0.0.1 -p "$ONE" -t tls/x -m x --timeout 5

# ---- usage errors: exit 1, as mosquitto_pub ----
usage() { # WHAT NEEDLE ARGS...
    local what=$1 needle=$2 rc=0
    shift 2
    "$PUB" -t a -m b "$@" >/dev/null 2>"$TEST_DIR/u.err" || rc=$?
    [ "$rc" -eq 1 ] || fail "$what: exit $rc, want 1"
    expect_file_contains "$TEST_DIR/u.err" "$needle" "$what"
}
usage "TLS option without a CA" "TLS options need --cafile or --capath" --cert a.crt --key a.key
usage "--cert without --key" "--cert and --key go together" --cafile ca.crt --cert a.crt
usage "bad engine" "invalid --tls-engine 'gnutls'" --cafile ca.crt --tls-engine gnutls
usage "TLS 1.3 with mbedTLS" "--tls-version tlsv1.3 needs --tls-engine openssl" --cafile ca.crt \
    --tls-engine mbedtls --tls-version tlsv1.3
usage "bad keyform" "invalid --keyform 'p12'" --cafile ca.crt --keyform p12

# Port 8883 by default with TLS (checked only when nothing listens there).
if python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 8883))' 2>/dev/null; then
    refused "default TLS port" "port 8883" "$PUB" -h 127.0.0.1 --cafile "$D/ca.crt" -t a -m b --timeout 2
else
    echo "skip - 127.0.0.1:8883 is in use: default TLS port not checked"
fi
