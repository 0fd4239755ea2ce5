#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Round trip of a QoS 1 publish through brisa-modem-emu (AT+CMQTTPUB sent ->
# +CMQTTPUB: 0,0 read) next to brisa's direct link (bench_brisa: publish ->
# PUBACK), plain and one-way TLS, against one local mosquitto.
#
#   bench/modem-rtt/at_pub.sh [BUILD_DIR] [CYCLES]     (default: build, 1000)
#
# Needs brisa-modem-emu, bench_brisa and brisa-pki built in BUILD_DIR.
set -euo pipefail
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "${1:-$SRC/build}" && pwd)
N=${2:-1000}
BIN=$BUILD/bin
for p in brisa-modem-emu bench_brisa brisa-pki; do
    [ -x "$BIN/$p" ] || { echo "at_pub: $BIN/$p not built" >&2; exit 1; }
done
DIR=$(mktemp -d "${TMPDIR:-/tmp}/brisa-modem-rtt.XXXXXX")
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$DIR"
}
trap cleanup EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() {
    for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done
    echo "at_pub: nothing on port $1" >&2; exit 1
}

QUIET=1 "$BIN/brisa-pki" init "$DIR/pki" --ecdsa >/dev/null
QUIET=1 "$BIN/brisa-pki" broker "$DIR/pki" broker --ip 127.0.0.1
PLAIN=$(port)
TLS=$(port)
{
    echo "per_listener_settings true"
    echo "listener $PLAIN 127.0.0.1"
    echo "allow_anonymous true"
    [ "$(id -u)" -ne 0 ] || echo "user root"
    QUIET=1 "$BIN/brisa-pki" mosquitto "$DIR/pki" --port "$TLS" --mode one-way --no-crl
} >"$DIR/mosquitto.conf"
mosquitto -c "$DIR/mosquitto.conf" >"$DIR/mosquitto.log" 2>&1 &
pids+=($!)
wait_port "$PLAIN"
wait_port "$TLS"
"$BIN/brisa-modem-emu" --pty "$DIR/tty" --log "$DIR/emu-at.log" >"$DIR/emu.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -L "$DIR/tty" ] && break; sleep 0.1; done

echo "path,qos,size,count,median_us,p99_us,mean_us,min_us,max_us"
python3 "$SRC/bench/modem-rtt/at_pub_rtt.py" "$DIR/tty" "tcp://127.0.0.1:$PLAIN" -n "$N"
python3 "$SRC/bench/modem-rtt/at_pub_rtt.py" "$DIR/tty" "tcp://127.0.0.1:$TLS" -n "$N" \
    --ssl-ctx 0 --ca "$DIR/pki/ca.crt"
grep -q "broker client 0: TLSv1" "$DIR/emu-at.log" || { echo "at_pub: the TLS run was not TLS" >&2; exit 1; }
# bench_brisa's write figure at QoS 1 is the same flow without the modem.
for tls in none oneway; do
    p=$PLAIN
    [ "$tls" = none ] || p=$TLS
    "$BIN/bench_brisa" -p "$p" --tls "$tls" --cafile "$DIR/pki/ca.crt" -q 1 -s 16 -n "$N" \
        --mode rw | awk -F, -v t="$tls" '$6 == "write" {
            printf "direct%s,1,%s,%s,%s,%s,%s,%s,%s\n", (t == "none" ? "" : "-tls"),
                   $5, $8, $9, $10, $11, $12, $13 }'
done
