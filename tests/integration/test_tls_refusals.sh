#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every refusal, through both backends, against real mosquitto listeners:
# each must fail fast with the brisa_err that names its cause and a clear
# one-line message. None may hang (tls_probe runs under a time limit).
source "$BRISA_SRC/tests/harness/lib.sh"
source "$BRISA_SRC/tests/integration/tls_common.sh"

tls_pki pki ecdsa
D=$TEST_DIR/pki
QUIET=1 "$PKI" broker "$D" expired --ip 127.0.0.1 --expired
QUIET=1 "$PKI" broker "$D" future --ip 127.0.0.1 --not-yet-valid
QUIET=1 "$PKI" broker "$D" revoked --ip 127.0.0.1
QUIET=1 "$PKI" broker "$D" elsewhere --dns broker.example --ip 10.1.2.3
QUIET=1 "$PKI" device "$D" stolen
QUIET=1 "$PKI" device "$D" old --expired
QUIET=1 "$PKI" revoke "$D" revoked
QUIET=1 "$PKI" revoke "$D" stolen
# Another CA altogether: the client does not trust it, nor the broker its devices.
QUIET=1 "$PKI" init "$TEST_DIR/other" --rsa
QUIET=1 "$PKI" device "$TEST_DIR/other" rogue

L="$TEST_DIR/listeners.conf"
tls_listener "$D" one-way broker >>"$L"; ONE=$TLS_PORT
tls_listener "$D" two-way broker >>"$L"; TWO=$TLS_PORT
tls_listener "$D" one-way expired >>"$L"; EXPIRED=$TLS_PORT
tls_listener "$D" one-way future >>"$L"; FUTURE=$TLS_PORT
tls_listener "$D" one-way revoked >>"$L"; REVOKED=$TLS_PORT
tls_listener "$D" one-way elsewhere >>"$L"; ELSEWHERE=$TLS_PORT
broker_start broker "$(cat "$L")"
PLAIN=$BROKER_PORT
for p in $ONE $TWO $EXPIRED $FUTURE $REVOKED $ELSEWHERE; do wait_port "$p"; done

CA=(--cafile "$D/ca.crt")
DEV=(--cert "$D/devices/dev1/dev1.crt" --key "$D/devices/dev1/dev1.key")
for engine in mbedtls openssl; do
    e=(--engine "$engine" -h 127.0.0.1)
    probe_refused "$engine: unknown CA" -41 "issued by CN=brisa Root CA, which is not among the trusted CAs" \
        "${e[@]}" -p "$ONE" --cafile "$TEST_DIR/other/ca.crt"
    probe_refused "$engine: hostname mismatch" -42 "CN=elsewhere is for DNS:broker.example, IP:10.1.2.3, not '127.0.0.1'" \
        "${e[@]}" -p "$ELSEWHERE" "${CA[@]}"
    probe_refused "$engine: hostname mismatch by name" -42 "not 'localhost'" \
        --engine "$engine" -h localhost -p "$ELSEWHERE" "${CA[@]}"
    probe_refused "$engine: expired broker certificate" -43 "certificate has expired: CN=expired, notAfter " \
        "${e[@]}" -p "$EXPIRED" "${CA[@]}"
    probe_refused "$engine: broker certificate not yet valid" -44 "certificate is not yet valid: CN=future, notBefore " \
        "${e[@]}" -p "$FUTURE" "${CA[@]}"
    probe_refused "$engine: revoked broker certificate" -45 "CN=revoked (serial 1004) is on the CRL of CN=MQTT CA" \
        "${e[@]}" -p "$REVOKED" "${CA[@]}" --crlfile "$D/crl.pem"
    probe_refused "$engine: device clock in 2001" -44 "(clock 2001-01-01 00:00:00 UTC)" \
        "${e[@]}" -p "$ONE" "${CA[@]}" --time 978307200
    probe_refused "$engine: device clock in 2099" -43 "(clock 2099-01-01 00:00:00 UTC)" \
        "${e[@]}" -p "$ONE" "${CA[@]}" --time 4070908800
    probe_refused "$engine: device clock not set yet" -17 "before the clock is set (NTP)" \
        "${e[@]}" -p "$ONE" "${CA[@]}" --time none
    probe_refused "$engine: no client certificate on a two-way listener" -47 \
        "server requires a client certificate: none is configured" \
        "${e[@]}" -p "$TWO" "${CA[@]}"
    probe_refused "$engine: client certificate from another CA" -46 "unknown_ca (48) -- the broker refused our client certificate" \
        "${e[@]}" -p "$TWO" "${CA[@]}" --cert "$TEST_DIR/other/devices/rogue/rogue.crt" \
        --key "$TEST_DIR/other/devices/rogue/rogue.key"
    probe_refused "$engine: revoked client certificate" -46 "certificate_revoked (44)" \
        "${e[@]}" -p "$TWO" "${CA[@]}" --cert "$D/devices/stolen/stolen.crt" \
        --key "$D/devices/stolen/stolen.key"
    probe_refused "$engine: expired client certificate" -46 "certificate_expired (45)" \
        "${e[@]}" -p "$TWO" "${CA[@]}" --cert "$D/devices/old/old.crt" --key "$D/devices/old/old.key"
    probe_refused "$engine: key that does not match its certificate" -49 \
        "key $D/devices/stolen/stolen.key does not belong to certificate $D/devices/dev1/dev1.crt" \
        "${e[@]}" -p "$TWO" "${CA[@]}" --cert "$D/devices/dev1/dev1.crt" --key "$D/devices/stolen/stolen.key"
    probe_refused "$engine: missing CA file" -50 "CA file $TEST_DIR/nope.crt: No such file or directory" \
        "${e[@]}" -p "$ONE" --cafile "$TEST_DIR/nope.crt"
    probe_refused "$engine: CA file that is not a certificate" -50 "CA file $D/crl.pem" \
        "${e[@]}" -p "$ONE" --cafile "$D/crl.pem"
    probe_refused "$engine: encrypted key without password" -50 "the key is encrypted and no password was given" \
        "${e[@]}" -p "$TWO" "${CA[@]}" --cert "$D/devices/dev1/dev1.crt" --key "$D/devices/dev1/dev1.enc.key"
    probe_refused "$engine: encrypted key, wrong password" -50 "wrong password" \
        "${e[@]}" -p "$TWO" "${CA[@]}" --cert "$D/devices/dev1/dev1.crt" \
        --key "$D/devices/dev1/dev1.enc.key" --key-password wrong
    probe_refused "$engine: TLS client to a plaintext port" -51 "peer does not speak TLS" \
        "${e[@]}" -p "$PLAIN" "${CA[@]}"
done

# Plaintext MQTT to a TLS port: the broker drops us; no CONNACK, no hang.
run_probe -h 127.0.0.1 -p "$ONE" --plain
[ "$PROBE_RC" -eq 1 ] || fail "plaintext client to a TLS port: exit $PROBE_RC ($PROBE_OUT)"
expect_contains "$PROBE_ERR" "tls_probe: mqtt: error " "plaintext client to a TLS port is refused"

# A listener that accepts and never answers: the handshake times out.
SILENT=$(free_port)
python3 - "$SILENT" <<'PY' &
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(4)
c, _ = s.accept(); time.sleep(30)
PY
track_pid $!
wait_port "$SILENT"
start=$(date +%s%N)
probe_refused "silent server: handshake timeout" -4 "TLS handshake with 127.0.0.1 not finished after 1500 ms (the server sent nothing)" \
    -h 127.0.0.1 -p "$SILENT" "${CA[@]}" --timeout 1500
ms=$((($(date +%s%N) - start) / 1000000))
[ "$ms" -lt 5000 ] || fail "timeout took ${ms} ms"
pass "handshake timeout honoured (${ms} ms)"

# A server that refuses our client certificate by hanging up, no alert
# (tests/harness/tls_mute_refuser.py): named as such, not "closed by peer".
QUIET=1 "$PKI" init "$TEST_DIR/mute-ca" --ecdsa >/dev/null
python3 "$BRISA_SRC/tests/harness/tls_mute_refuser.py" --port-file "$TEST_DIR/mute.port" \
    --cert "$D/brokers/broker/broker-chain.crt" --key "$D/brokers/broker/broker.key" \
    --ca "$TEST_DIR/mute-ca/ca.crt" 2>"$TEST_DIR/mute.log" &
track_pid $!
wait_for 10 test -s "$TEST_DIR/mute.port" || fail "tls_mute_refuser did not start"
MUTE=$(cat "$TEST_DIR/mute.port")
for engine in mbedtls openssl; do
    probe_refused "$engine: client certificate refused without an alert" -52 \
        "the broker closed the connection after receiving our client certificate (refused?)" \
        --engine "$engine" -h 127.0.0.1 -p "$MUTE" "${CA[@]}" \
        --cert "$D/devices/dev1/dev1.crt" --key "$D/devices/dev1/dev1.key"
done
expect_file_contains "$TEST_DIR/mute.log" "refused silently" "the server did refuse without an alert"
