#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# TLS handshake benchmark: median time from TCP connect to CONNACK against
# a local mosquitto, for ECDSA P-256 and RSA-2048 chains (brisa-pki), one-way
# and two-way authentication, mbedTLS (TLS 1.2) and OpenSSL (TLS 1.2 and
# 1.3), each as full handshakes and as resumed ones (the session of the
# connection before offered again); then the heap mbedTLS needs per
# connection. Prints Markdown tables.
#
#   bench/tls-handshake/run.sh [BUILD_DIR]      (default: build)
#   CONNECTS=N   connects per row (default 50)
#
# A benchmark, not a test: it never fails for being slow.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
export BRISA_SRC=$src
export BRISA_BUILD=$(cd "${1:-$src/build}" && pwd)
CONNECTS=${CONNECTS:-50}
source "$src/tests/harness/lib.sh"
source "$src/tests/integration/tls_common.sh"
BENCH="$BRISA_BIN/tls_handshake"
MEM="$BRISA_BIN/tls_handshake_mem"
[ -x "$BENCH" ] || fail "build tls_handshake first ($BENCH)"

L="$TEST_DIR/listeners.conf"
for key in ecdsa rsa; do
    tls_pki "$key" "$key"
    for mode in one-way two-way; do
        tls_listener "$TEST_DIR/$key" "$mode" >>"$L"
        declare "PORT_${key}_${mode/-/_}=$TLS_PORT"
    done
done
# mosquitto leaves Nagle on by default; with TLS 1.3 its CONNACK then
# waits behind the session tickets for our delayed ACK (~40 ms), which
# would hide the handshake itself. Devices and tools see the default.
echo "set_tcp_nodelay true" >>"$L"
broker_start broker "$(cat "$L")"

field() { sed -n "s/.*[[:space:]]$1=\([^ ]*\).*/\1/p; s/^$1=\([^ ]*\).*/\1/p" <<<"$2" | head -n 1; }

echo "TLS handshake, TCP connect -> CONNACK, $CONNECTS connects each, mosquitto $(mosquitto -h | sed -n 's/^mosquitto version //p') on 127.0.0.1"
echo "($(nproc) CPUs, $(uptime | sed 's/.*load average: /load /'))"
echo
echo "| key | auth | backend | TLS | suite | median ms | p10 ms | p90 ms | resumed: median ms |"
echo "|---|---|---|---|---|---:|---:|---:|---:|"
line=$("$BENCH" -p "$BROKER_PORT" --plain --connects "$CONNECTS")
echo "| - | plain TCP | - | - | - | $(field median_ms "$line") | $(field p10_ms "$line") | $(field p90_ms "$line") | - |"
for key in ecdsa rsa; do
    D="$TEST_DIR/$key"
    for mode in one-way two-way; do
        port_var="PORT_${key}_${mode/-/_}"
        args=(-p "${!port_var}" --cafile "$D/ca.crt" --connects "$CONNECTS")
        if [ "$mode" = two-way ]; then
            args+=(--cert "$D/devices/dev1/dev1.crt" --key "$D/devices/dev1/dev1.key")
        fi
        for engine in mbedtls openssl:tlsv1.2 openssl:tlsv1.3; do
            extra=(--engine "${engine%%:*}")
            [ "$engine" = mbedtls ] || extra+=(--tls-version "${engine#*:}")
            line=$("$BENCH" "${args[@]}" "${extra[@]}") || fail "$key $mode $engine failed"
            resumed=$("$BENCH" "${args[@]}" "${extra[@]}" --resume) \
                || fail "$key $mode $engine (resumed) failed"
            echo "| $key | $mode | ${engine%%:*} | $(field version "$line") | $(field suite "$line") | $(field median_ms "$line") | $(field p10_ms "$line") | $(field p90_ms "$line") | $(field median_ms "$resumed") |"
        done
    done
done

[ -x "$MEM" ] || { echo; echo "(tls_handshake_mem not built: no mbedTLS RAM figures)"; exit 0; }
echo
echo "mbedTLS heap per connection (bytes, counted through calloc/free of the mbedTLS archives)"
echo
echo "| key | auth | after setup | peak in handshake | connected | allocations per connect |"
echo "|---|---|---:|---:|---:|---:|"
for key in ecdsa rsa; do
    D="$TEST_DIR/$key"
    for mode in one-way two-way; do
        port_var="PORT_${key}_${mode/-/_}"
        args=(-p "${!port_var}" --cafile "$D/ca.crt" --connects 5)
        if [ "$mode" = two-way ]; then
            args+=(--cert "$D/devices/dev1/dev1.crt" --key "$D/devices/dev1/dev1.key")
        fi
        line=$("$MEM" "${args[@]}")
        echo "| $key | $mode | $(field heap_setup "$line") | $(field heap_peak "$line") | $(field heap_connected "$line") | $(field allocs_per_connect "$line") |"
    done
done
echo
echo "Fixed parts: in_buf $(field in_buf "$line") + out_buf $(field out_buf "$line") bytes (MBEDTLS_SSL_IN/OUT_CONTENT_LEN 16384 + record overhead, inside the heap figures);"
echo "structs outside the heap figures: mbedtls_ssl_context $(field sizeof_ssl_context "$line"), mbedtls_ssl_config $(field sizeof_ssl_config "$line"), brisa backend state (context, config, DRBG, certificate and key holders) $(field sizeof_backend "$line"), brisa_tls $(field sizeof_brisa_tls "$line") (2048 of it the send coalescing buffer)."
