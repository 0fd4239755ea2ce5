#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Successful TLS against real mosquitto listeners: one-way and two-way
# authentication, RSA and ECDSA chains (root -> "MQTT CA" -> leaf), both
# backends, versions and suites, credentials in PEM, DER, encrypted, from
# memory, a CA directory, a CRL that revokes nothing, and the key log.
source "$BRISA_SRC/tests/harness/lib.sh"
source "$BRISA_SRC/tests/integration/tls_common.sh"

tls_pki rsa rsa
tls_pki ec ecdsa
for pki in rsa ec; do
    for mode in one-way two-way; do
        tls_listener "$TEST_DIR/$pki" "$mode" >>"$TEST_DIR/listeners.conf"
        declare "PORT_${pki}_${mode/-/_}=$TLS_PORT"
    done
done
broker_start broker "$(cat "$TEST_DIR/listeners.conf")"
for p in $PORT_rsa_one_way $PORT_rsa_two_way $PORT_ec_one_way $PORT_ec_two_way; do
    wait_port "$p"
done

for engine in mbedtls openssl; do
    for pki in rsa ec; do
        D="$TEST_DIR/$pki"
        one="PORT_${pki}_one_way"
        two="PORT_${pki}_two_way"
        dev=(--cert "$D/devices/dev1/dev1.crt" --key "$D/devices/dev1/dev1.key")
        probe_ok "$engine $pki one-way" "ok: TLSv1." \
            --engine "$engine" -h 127.0.0.1 -p "${!one}" --cafile "$D/ca.crt" -i "one-$engine-$pki"
        probe_ok "$engine $pki one-way by name (SNI)" "ok: TLSv1." \
            --engine "$engine" -h localhost -p "${!one}" --cafile "$D/ca.crt"
        probe_ok "$engine $pki two-way" "ok: TLSv1." \
            --engine "$engine" -h 127.0.0.1 -p "${!two}" --cafile "$D/ca.crt" "${dev[@]}" \
            -i "two-$engine-$pki"
        # use_identity_as_username: the broker saw our certificate's CN.
        wait_for 5 grep -q "as two-$engine-$pki .*u'dev1'" "$BROKER_LOG" ||
            fail "broker did not see CN=dev1 for two-$engine-$pki"
        pass "$engine $pki: broker identified the client as dev1"
        probe_ok "$engine $pki two-way, DER cert and key" "ok:" \
            --engine "$engine" -h 127.0.0.1 -p "${!two}" --cafile "$D/ca.der" \
            --cert "$D/devices/dev1/dev1.der" --key "$D/devices/dev1/dev1.key.der" --keyform der
        probe_ok "$engine $pki two-way, encrypted key" "ok:" \
            --engine "$engine" -h 127.0.0.1 -p "${!two}" --cafile "$D/ca.crt" \
            --cert "$D/devices/dev1/dev1-chain.crt" --key "$D/devices/dev1/dev1.enc.key" \
            --key-password s3cret
        probe_ok "$engine $pki two-way, credentials from memory" "ok:" \
            --engine "$engine" -h 127.0.0.1 -p "${!two}" --mem --cafile "$D/ca.crt" "${dev[@]}" \
            --crlfile "$D/crl.pem"
        probe_ok "$engine $pki with a CRL that revokes nothing" "ok:" \
            --engine "$engine" -h 127.0.0.1 -p "${!one}" --cafile "$D/ca.crt" --crlfile "$D/crl.pem"
        probe_ok "$engine $pki insecure (name not checked)" "ok:" \
            --engine "$engine" -h 127.0.0.9 --connect-host 127.0.0.1 -p "${!one}" \
            --cafile "$D/ca.crt" --insecure
        probe_ok "$engine $pki clock check skipped" "ok:" \
            --engine "$engine" -h 127.0.0.1 -p "${!one}" --cafile "$D/ca.crt" --time none \
            --no-time-check
    done
done

# Versions and suites.
R=$TEST_DIR/rsa E=$TEST_DIR/ec
probe_ok "mbedtls picks the seed's suite for RSA" "ok: TLSv1.2 TLS-ECDHE-RSA-WITH-AES-256-GCM-SHA384" \
    -h 127.0.0.1 -p "$PORT_rsa_one_way" --cafile "$R/ca.crt"
probe_ok "mbedtls ECDSA suite" "ok: TLSv1.2 TLS-ECDHE-ECDSA-WITH-AES-256-GCM-SHA384" \
    -h 127.0.0.1 -p "$PORT_ec_one_way" --cafile "$E/ca.crt"
probe_ok "mbedtls --ciphers (IANA name)" "TLS-ECDHE-RSA-WITH-CHACHA20-POLY1305-SHA256" \
    -h 127.0.0.1 -p "$PORT_rsa_one_way" --cafile "$R/ca.crt" \
    --ciphers TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256
probe_refused "mbedtls --ciphers unknown name" -1 "unknown cipher suite 'NOPE'" \
    -h 127.0.0.1 -p "$PORT_rsa_one_way" --cafile "$R/ca.crt" --ciphers NOPE
probe_refused "mbedtls has no TLS 1.3" -14 "use the OpenSSL backend" \
    -h 127.0.0.1 -p "$PORT_rsa_one_way" --cafile "$R/ca.crt" --tls-version tlsv1.3
probe_ok "openssl negotiates TLS 1.3" "ok: TLSv1.3 " \
    --engine openssl -h 127.0.0.1 -p "$PORT_rsa_one_way" --cafile "$R/ca.crt"
probe_ok "openssl --tls-version tlsv1.2" "ok: TLSv1.2 ECDHE-RSA-AES256-GCM-SHA384" \
    --engine openssl -h 127.0.0.1 -p "$PORT_rsa_one_way" --cafile "$R/ca.crt" --tls-version tlsv1.2
probe_ok "openssl --ciphers for TLS 1.2" "ok: TLSv1.2 ECDHE-ECDSA-AES128-GCM-SHA256" \
    --engine openssl -h 127.0.0.1 -p "$PORT_ec_one_way" --cafile "$E/ca.crt" \
    --tls-version tlsv1.2 --ciphers ECDHE-ECDSA-AES128-GCM-SHA256
probe_ok "openssl --ciphers for TLS 1.3" "ok: TLSv1.3 TLS_CHACHA20_POLY1305_SHA256" \
    --engine openssl -h 127.0.0.1 -p "$PORT_ec_one_way" --cafile "$E/ca.crt" \
    --ciphers TLS_CHACHA20_POLY1305_SHA256

# A CA directory (hashed names, as OpenSSL and mosquitto's --capath want).
mkdir -p "$TEST_DIR/capath"
cp "$R/ca.crt" "$TEST_DIR/capath/brisa-root.pem"
openssl rehash "$TEST_DIR/capath" 2>/dev/null || c_rehash "$TEST_DIR/capath" >/dev/null
for engine in mbedtls openssl; do
    probe_ok "$engine --capath" "ok:" --engine "$engine" -h 127.0.0.1 -p "$PORT_rsa_one_way" \
        --capath "$TEST_DIR/capath"
done

# Key log: NSS format, one CLIENT_RANDOM line per TLS 1.2 session (mbedTLS),
# the TLS 1.3 traffic secrets (OpenSSL); also through SSLKEYLOGFILE.
probe_ok "mbedtls key log" "ok:" -h 127.0.0.1 -p "$PORT_ec_one_way" --cafile "$E/ca.crt" \
    --keylog "$TEST_DIR/mbed.keys"
grep -Eq '^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}$' "$TEST_DIR/mbed.keys" ||
    fail "mbedtls key log: $(cat "$TEST_DIR/mbed.keys")"
pass "mbedtls key log line"
[ "$(stat -c %a "$TEST_DIR/mbed.keys")" = 600 ] || fail "key log readable by others"
pass "key log file mode 600"
probe_ok "openssl key log" "ok: TLSv1.3" --engine openssl -h 127.0.0.1 -p "$PORT_ec_one_way" \
    --cafile "$E/ca.crt" --keylog "$TEST_DIR/ossl.keys"
for label in CLIENT_HANDSHAKE_TRAFFIC_SECRET SERVER_HANDSHAKE_TRAFFIC_SECRET \
             CLIENT_TRAFFIC_SECRET_0 SERVER_TRAFFIC_SECRET_0; do
    grep -Eq "^$label [0-9a-f]{64} [0-9a-f]{96}\$" "$TEST_DIR/ossl.keys" ||
        fail "openssl key log lacks $label: $(cat "$TEST_DIR/ossl.keys")"
done
pass "openssl TLS 1.3 key log lines"
SSLKEYLOGFILE="$TEST_DIR/env.keys" probe_ok "SSLKEYLOGFILE" "ok:" \
    -h 127.0.0.1 -p "$PORT_ec_one_way" --cafile "$E/ca.crt"
expect_file_contains "$TEST_DIR/env.keys" "CLIENT_RANDOM " "SSLKEYLOGFILE written"

# Debug output: level 2 shows the handshake states, 0 shows nothing.
probe_ok "debug level 2" "ok:" -h 127.0.0.1 -p "$PORT_ec_one_way" --cafile "$E/ca.crt" --debug 2
expect_contains "$PROBE_ERR" "handshake done: TLSv1.2" "debug level 2 output"
probe_ok "debug level 0" "ok:" -h 127.0.0.1 -p "$PORT_ec_one_way" --cafile "$E/ca.crt"
expect_eq "$PROBE_ERR" "" "no output at debug level 0"
