#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# OCSP stapling (OpenSSL engine): responses made by `openssl ocsp` from
# the test PKI's own CA database, stapled by openssl s_server
# (-status_file). Good, revoked, missing, forged and stale staples, each
# under the prefer and require policies, over TLS 1.2 and 1.3; mbedTLS
# says plainly that it cannot.
source "$BRISA_SRC/tests/harness/lib.sh"
source "$BRISA_SRC/tests/integration/tls_common.sh"
tls_pki pki ecdsa
D=$TEST_DIR/pki
QUIET=1 "$PKI" broker "$D" revoked --ip 127.0.0.1
QUIET=1 "$PKI" revoke "$D" revoked
QUIET=1 "$PKI" init "$TEST_DIR/other" --ecdsa >/dev/null
CA=$D/mqtt-ca

# respond NAME BROKER [SIGNER_CA_DIR]: $TEST_DIR/NAME.der, the CA
# database's answer about BROKER's certificate, valid for one day
respond() {
    local name=$1 b=$D/brokers/$2/$2.crt signer=${3:-$CA}
    openssl ocsp -issuer "$CA/cert.pem" -cert "$b" -no_nonce -reqout "$TEST_DIR/$name.req" 2>/dev/null
    openssl ocsp -index "$CA/index.txt" -CA "$CA/cert.pem" -rsigner "$signer/cert.pem" \
        -rkey "$signer/key.pem" -reqin "$TEST_DIR/$name.req" -respout "$TEST_DIR/$name.der" -ndays 1 \
        2>>"$TEST_DIR/ocsp.log" >/dev/null
    [ -s "$TEST_DIR/$name.der" ] || fail "openssl ocsp made no response for $name"
}
respond good broker
respond revoked revoked
respond forged broker "$TEST_DIR/other/mqtt-ca"
openssl ocsp -respin "$TEST_DIR/revoked.der" -resp_text -noverify | grep -q "Cert Status: revoked" ||
    fail "the responder does not see the revocation"

# serve NAME BROKER [STATUS_FILE]: an s_server stapling it; sets SPORT
serve() {
    local b=$D/brokers/$2
    SPORT=$(free_port)
    openssl s_server -accept "127.0.0.1:$SPORT" -cert "$b/$2.crt" -cert_chain "$b/$2-chain.crt" \
        -key "$b/$2.key" ${3:+-status_file "$3"} -quiet >"$TEST_DIR/s_$1.log" 2>&1 &
    track_pid $!
    wait_port "$SPORT"
}
serve good broker "$TEST_DIR/good.der"; GOOD=$SPORT
serve revoked revoked "$TEST_DIR/revoked.der"; REVOKED=$SPORT
serve none broker; NONE=$SPORT
serve forged broker "$TEST_DIR/forged.der"; FORGED=$SPORT

P=(--engine openssl -h 127.0.0.1 --cafile "$D/ca.crt" --handshake-only)
for v in tlsv1.2 tlsv1.3; do
    for pol in prefer require; do
        probe_ok "$v $pol: a good staple" "ocsp=good" "${P[@]}" --tls-version $v --ocsp $pol -p "$GOOD"
        probe_refused "$v $pol: a revoked certificate" -45 "CN=revoked (serial 1002), says the stapled OCSP response: keyCompromise" \
            "${P[@]}" --tls-version $v --ocsp $pol -p "$REVOKED"
        probe_refused "$v $pol: a staple signed by a stranger" -62 "signature does not lead to a trusted CA" \
            "${P[@]}" --tls-version $v --ocsp $pol -p "$FORGED"
    done
    probe_ok "$v prefer: no staple, go on" "ocsp=none" "${P[@]}" --tls-version $v --ocsp prefer -p "$NONE"
    probe_refused "$v require: no staple" -61 "127.0.0.1 sent no OCSP response" \
        "${P[@]}" --tls-version $v --ocsp require -p "$NONE"
done
probe_ok "OCSP off: the revoked certificate is not caught (the staple is what catches it)" "ok: TLS" \
    "${P[@]}" -p "$REVOKED"
probe_refused "a staple out of date by the device's clock" -62 "out of date" \
    "${P[@]}" --ocsp prefer -p "$GOOD" --time $(( $(date +%s) + 3 * 86400 ))
probe_refused "mbedTLS cannot" -14 "mbedTLS 2.28 cannot ask for or check an OCSP staple" \
    --engine mbedtls -h 127.0.0.1 --cafile "$D/ca.crt" --handshake-only --ocsp prefer -p "$GOOD"

expect_fails "brisa-pub --ocsp require without a staple" timeout 20 "$BRISA_BIN/brisa-pub" -h 127.0.0.1 \
    -p "$NONE" --cafile "$D/ca.crt" --tls-engine openssl --ocsp require -t t -m x
expect_contains "$LAST_STDERR" "server sent no OCSP staple" "brisa-pub names the missing staple"
