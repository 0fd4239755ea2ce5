#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Read and write medians through WebSockets beside plain TCP and TLS:
# bench_brisa against one mosquitto of our own with four listeners (MQTT,
# MQTT over TLS, websockets, websockets over TLS) on 127.0.0.1, each
# transport run in turn, rounds interleaved; prints a Markdown table of the
# median of the rounds' medians (microseconds). The broker is set up as
# bench/run.sh sets it: TCP_NODELAY, TLS 1.2 (what mbedTLS speaks), no
# queue limit.
#
#   bench/ws/run.sh [--build DIR] [--rounds R] [--cycles N] [--sizes "16 1024"] [--qos "0 1"]
set -euo pipefail
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=$SRC/build
ROUNDS=3
CYCLES=500
SIZES="16 1024"
QOS="0 1"
while [ $# -gt 0 ]; do
    case $1 in
        --build) BUILD=$2; shift 2 ;;
        --rounds) ROUNDS=$2; shift 2 ;;
        --cycles) CYCLES=$2; shift 2 ;;
        --sizes) SIZES=$2; shift 2 ;;
        --qos) QOS=$2; shift 2 ;;
        *) echo "usage: bench/ws/run.sh [--build DIR] [--rounds R] [--cycles N] [--sizes L] [--qos L]" >&2
           exit 2 ;;
    esac
done
export BRISA_SRC=$SRC BRISA_BUILD=$BUILD
source "$SRC/tests/harness/lib.sh"
source "$SRC/tests/integration/tls_common.sh"
source "$SRC/tests/integration/ws_common.sh"
BENCH=$BRISA_BIN/bench_brisa
[ -x "$BENCH" ] || fail "bench_brisa not built in $BUILD"

tls_pki pki ecdsa
D=$TEST_DIR/pki
L=$TEST_DIR/listeners.conf
tls_listener "$D" one-way broker >>"$L"
ws_listeners "$D/brokers/broker/broker-chain.crt" "$D/brokers/broker/broker.key" >>"$L"
printf '%s\n' "openssl_conf = c" "[c]" "ssl_conf = s" "[s]" "system_default = d" "[d]" \
    "MaxProtocol = TLSv1.2" >"$TEST_DIR/openssl.cnf"
OPENSSL_CONF=$TEST_DIR/openssl.cnf broker_start broker "$(cat "$L")
set_tcp_nodelay true
max_queued_messages 0
log_type error"
for p in "$TLS_PORT" "$WS" "$WSS"; do wait_port "$p"; done

# name ws? port tls engine
TRANSPORTS="tcp 0 $BROKER_PORT none mbedtls
tls-mbedtls 0 $TLS_PORT oneway mbedtls
tls-openssl 0 $TLS_PORT oneway openssl
ws 1 $WS none mbedtls
wss-mbedtls 1 $WSS oneway mbedtls
wss-openssl 1 $WSS oneway openssl"
csv=$TEST_DIR/all.csv
for r in $(seq "$ROUNDS"); do
    while read -r name ws port tls engine; do
        for q in $QOS; do
            for s in $SIZES; do
                BRISA_BENCH_WS=$ws "$BENCH" -p "$port" --tls "$tls" --cafile "$D/ca.crt" --backend "$engine" \
                    --label "$name" -q "$q" -s "$s" -n "$CYCLES" -w 50 --round "$r" >>"$csv" 2>"$TEST_DIR/err.log" ||
                    fail "$name q$q ${s} B: $(cat "$TEST_DIR/err.log")"
            done
        done
    done <<<"$TRANSPORTS"
done
python3 - "$csv" <<'PY'
import csv, statistics, sys
rows = {}
for r in csv.reader(open(sys.argv[1])):
    if r[0] == "lib":
        continue
    lib, qos, size, metric, median = r[0], r[3], int(r[4]), r[5], float(r[8])
    rows.setdefault((qos, size, metric), {}).setdefault(lib, []).append(median)
libs = ["tcp", "tls-mbedtls", "tls-openssl", "ws", "wss-mbedtls", "wss-openssl"]
print("| QoS | payload | metric | " + " | ".join(libs) + " |")
print("|---|---|---|" + "---|" * len(libs))
for (qos, size, metric) in sorted(rows):
    cell = rows[(qos, size, metric)]
    vals = ["%.1f" % statistics.median(cell[l]) if l in cell else "-" for l in libs]
    print("| %s | %d B | %s | %s |" % (qos, size, metric, " | ".join(vals)))
print("(median over rounds of each run's median, microseconds)")
PY
