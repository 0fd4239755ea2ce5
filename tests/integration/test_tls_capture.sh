#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The seed's protocol-analysis slide, automated: capture an MQTT session
# over TLS on loopback, show that topic and payload cannot be read from the
# capture, then decrypt it with the key log and find the PUBLISH -- for a
# TLS 1.2 session (mbedTLS, CLIENT_RANDOM) and a TLS 1.3 one (OpenSSL).
source "$BRISA_SRC/tests/harness/lib.sh"
source "$BRISA_SRC/tests/integration/tls_common.sh"

command -v tshark >/dev/null || fail "tshark not installed (scripts/bootstrap.sh)"

tls_pki pki ecdsa
D=$TEST_DIR/pki
tls_listener "$D" one-way broker >"$TEST_DIR/listener.conf"
PORT=$TLS_PORT
broker_start broker "$(cat "$TEST_DIR/listener.conf")"
wait_port "$PORT"

# Only loopback, only our port. tshark as root warns; its stderr is a log.
PCAP=$TEST_DIR/session.pcap
tshark -i lo -f "tcp port $PORT" -w "$PCAP" -a duration:60 -l -P \
    >"$TEST_DIR/tshark.out" 2>"$TEST_DIR/tshark.log" &
TSHARK=$!
track_pid "$TSHARK"
# "Capturing on" comes before the capture really runs: open connections
# until tshark shows one (-P -l: a summary line per packet, unbuffered).
syns() { grep -c '\[SYN\]' "$TEST_DIR/tshark.out" || true; }
wait_for 60 grep -q "Capturing on" "$TEST_DIR/tshark.log" ||
    fail "tshark did not start: $(cat "$TEST_DIR/tshark.log")"
for i in $(seq 100); do
    wait_port "$PORT"
    [ "$(syns)" -eq 0 ] || break
    sleep 0.2
done
[ "$(syns)" -gt 0 ] || fail "tshark does not capture: $(cat "$TEST_DIR/tshark.log")"
before=$(syns)

TOPIC="brisa/TEMA_SECRETO"
KEYS=$TEST_DIR/keys.log
secret12="Hola XD tls12 $RANDOM$RANDOM"
secret13="Hola XD tls13 $RANDOM$RANDOM"
probe_ok "publish over TLS 1.2 (mbedtls)" "ok: TLSv1.2" -h 127.0.0.1 -p "$PORT" \
    --cafile "$D/ca.crt" --keylog "$KEYS" -t "$TOPIC" -m "$secret12"
probe_ok "publish over TLS 1.3 (openssl)" "ok: TLSv1.3" --engine openssl -h 127.0.0.1 -p "$PORT" \
    --cafile "$D/ca.crt" --keylog "$KEYS" -t "$TOPIC" -m "$secret13"
# Two more sessions by name: those must carry SNI, the ones by IP not.
probe_ok "by name (mbedtls)" "ok:" -h localhost -p "$PORT" --cafile "$D/ca.crt"
probe_ok "by name (openssl)" "ok:" --engine openssl -h localhost -p "$PORT" --cafile "$D/ca.crt"
# Packets reach tshark in order: once it has seen a connection opened
# after both sessions, it has all of them.
wait_port "$PORT"
wait_for 10 bash -c "[ \$(grep -c '\[SYN\]' '$TEST_DIR/tshark.out') -ge $((before + 5)) ]" ||
    fail "capture did not keep up: $(tail -n 5 "$TEST_DIR/tshark.out")"
kill -INT "$TSHARK"
wait_pid "$TSHARK" 15

hex() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }

# Without the keys: nothing readable, even decoded as MQTT.
for s in "$TOPIC" "$secret12" "$secret13"; do
    if grep -aqF -- "$s" "$PCAP"; then fail "'$s' is in the clear in the capture"; fi
done
pass "topic and payloads are not in the captured bytes"
clear=$(tshark -r "$PCAP" -d "tcp.port==$PORT,mqtt" -T fields -e mqtt.topic 2>/dev/null | sort -u | tr -d '\n')
case "$clear" in *"$TOPIC"*) fail "topic readable without keys" ;; esac
pass "no PUBLISH topic without the key log"

# With the key log: TLS decrypted, MQTT inside, both PUBLISH found.
decoded=$(tshark -r "$PCAP" -o "tls.keylog_file:$KEYS" -d "tcp.port==$PORT,tls" \
    -d "tls.port==$PORT,mqtt" -Y "mqtt.msgtype == 3" -T fields -e mqtt.topic -e mqtt.msg \
    2>>"$TEST_DIR/tshark.log")
echo "$decoded" >"$TEST_DIR/decoded.log"
expect_contains "$decoded" "$TOPIC	$(hex "$secret12")" "TLS 1.2 PUBLISH decrypted with CLIENT_RANDOM"
expect_contains "$decoded" "$TOPIC	$(hex "$secret13")" "TLS 1.3 PUBLISH decrypted with the traffic secrets"

# SNI: sent for a name, never for an IP literal (RFC 6066).
sni=$(tshark -r "$PCAP" -d "tcp.port==$PORT,tls" -Y "tls.handshake.type == 1" \
    -T fields -e tls.handshake.extensions_server_name 2>>"$TEST_DIR/tshark.log")
expect_eq "$(echo "$sni" | sed 's/^$/-/' | tr '\n' ' ')" "- - localhost localhost " \
    "ClientHello server_name: none for 127.0.0.1, 'localhost' for localhost"
