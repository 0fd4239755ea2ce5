#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The benchmark: brisa beside a floor (a minimal raw client), libmosquitto
# and Eclipse Paho MQTT C, all in one run against one Mosquitto broker of our
# own on 127.0.0.1, pinned with taskset.
#
#   bench/run.sh                 bootstrap, build, full matrix, write
#                                bench/results/ and the tables in BENCH.md
#   bench/run.sh --quick         a tiny matrix (a few cycles, one round)
#   bench/run.sh --help          every option
#
# Matrix: library x TLS {none, oneway, twoway} x QoS {0,1,2} x payload
# {16 B, 1 KiB, 64 KiB} for write/read times, plus QoS 0 throughput per TLS
# mode and payload, plus connect time per TLS mode. Two placements: the
# client on the broker's CPU (same) and on another one (split). Placements
# and libraries are interleaved cell by cell, and the order of the
# libraries rotates every round, so a machine that speeds up or slows down
# during the run hits them alike.
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

usage() {
    cat <<'EOF'
usage: bench/run.sh [options]
  --quick            tiny matrix: 20 cycles, 1 round, 200 messages, 5 connects
  --rounds R         rounds over the whole matrix (3)
  --cycles N         timed write/read cycles per run (500)
  --warmup W         untimed warm-up cycles per run (50)
  --messages M       throughput burst (default: 10000, 1024 for 64 KiB)
  --connects K       timed connects per run (50)
  --libs LIST        columns (default "floor brisa-mbedtls brisa-openssl mosquitto paho
                     paho-nodelay"):
                     floor = bench_floor, a minimal raw client (one socket,
                     hand-encoded packets, OpenSSL directly, one blocking
                     read per packet): the cost any client pays,
                     brisa-mbedtls, brisa-openssl = brisa over each TLS
                     backend (brisa = its default one),
                     paho-nodelay = Paho with TCP_NODELAY forced by an
                     LD_PRELOAD shim (Paho itself cannot turn Nagle off)
  --tls LIST         "none oneway twoway"
  --qos LIST         "0 1 2"
  --sizes LIST       "16 1024 65536"
  --only LIST        which measurements: "rw throughput connect"
  --placements LIST  "same split": the client pinned to the broker's CPU,
                     and to another CPU (--quick: "same"; one CPU: "same")
  --connect-kinds L  "reuse fresh resume": full handshakes with one TLS
                     context (every library), with a new context per connect
                     and resumed sessions (brisa and floor only)
  --out DIR          results directory (bench/results; --quick: BUILD/bench-quick)
  --build DIR        build directory (build-bench)
  --no-build         use the binaries already in the build directory
  --no-doc           do not rewrite the results section of BENCH.md
  --no-plot          skip gnuplot
  --no-pmqos         do not hold /dev/cpu_dma_latency at 0 during the run
                     (default for full runs: see BENCH.md, "Idle CPUs")
  --tls13            let the broker speak TLS 1.3 too (OpenSSL clients then
                     use it; brisa over mbedTLS 2.28 stays on TLS 1.2)
EOF
}

rounds=3 cycles=500 warmup=50 messages="" connects=50
libs="floor brisa-mbedtls brisa-openssl mosquitto paho paho-nodelay" tls_modes="none oneway twoway" qos_list="0 1 2"
sizes="16 1024 65536" only="rw throughput connect"
placements="" connect_kinds="reuse fresh resume"
out="" build="$SRC/build-bench" do_build=1 do_doc=1 do_plot=1 quick=0 tls13=0 pmqos=1
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) quick=1; do_doc=0; pmqos=0; rounds=1; cycles=20; warmup=5; messages=200; connects=5 ;;
        --rounds) rounds=$2; shift ;;
        --cycles) cycles=$2; shift ;;
        --warmup) warmup=$2; shift ;;
        --messages) messages=$2; shift ;;
        --connects) connects=$2; shift ;;
        --libs) libs=$2; shift ;;
        --tls) tls_modes=$2; shift ;;
        --qos) qos_list=$2; shift ;;
        --sizes) sizes=$2; shift ;;
        --only) only=$2; shift ;;
        --placements) placements=$2; shift ;;
        --connect-kinds) connect_kinds=$2; shift ;;
        --out) out=$2; shift ;;
        --build) build=$2; shift ;;
        --no-build) do_build=0 ;;
        --no-doc) do_doc=0 ;;
        --no-plot) do_plot=0 ;;
        --tls13) tls13=1 ;;
        --no-pmqos) pmqos=0 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "bench/run.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done
build=$(mkdir -p "$build" && cd "$build" && pwd)
if [ -z "$placements" ]; then
    if [ "$quick" = 1 ] || [ "$(nproc)" -lt 2 ]; then placements="same"; else placements="same split"; fi
fi

if [ "$do_build" = 1 ]; then
    bash "$SRC/scripts/bootstrap.sh"
    cmake -S "$SRC" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build "$build" -j 2 --target bench_floor bench_brisa bench_mosquitto bench_paho bench_paho_nodelay
fi

# The harness gives us free ports, port waits, and stopping what we start
# by pid at exit (also on failure).
export BRISA_SRC="$SRC" BRISA_BUILD="$build"
# shellcheck source=../tests/harness/lib.sh
source "$SRC/tests/harness/lib.sh"

if [ -z "$out" ]; then
    if [ "$quick" = 1 ]; then out="$build/bench-quick"; else out="$SRC/bench/results"; fi
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
work="$TEST_DIR"
log() { printf 'bench: %s\n' "$*" >&2; }

# Which program and environment run a library column.
lib_cmd() {
    case "$1" in
        floor) echo "$BRISA_BIN/bench_floor" ;;
        brisa) echo "$BRISA_BIN/bench_brisa" ;;
        brisa-mbedtls) echo "$BRISA_BIN/bench_brisa --backend mbedtls --label brisa-mbedtls" ;;
        brisa-openssl) echo "$BRISA_BIN/bench_brisa --backend openssl --label brisa-openssl" ;;
        mosquitto) echo "$BRISA_BIN/bench_mosquitto" ;;
        paho) echo "$BRISA_BIN/bench_paho" ;;
        paho-nodelay) echo "env LD_PRELOAD=$build/lib/bench_paho_nodelay.so $BRISA_BIN/bench_paho --label paho-nodelay" ;;
        *) fail "unknown library column '$1'" ;;
    esac
}
for l in $libs; do
    set -- $(lib_cmd "$l")
    [ "$1" = env ] && set -- "${@:3}"
    [ -x "$1" ] || fail "$1 is not built (library column '$l')"
done

# --- certificates: Root CA -> MQTT CA -> broker / device -------------------
pki="$work/pki"
pki_tool=""
for t in "$BRISA_BIN/brisa-pki" "$SRC/tools/pki/brisa-pki"; do
    if [ -x "$t" ]; then pki_tool=$t; break; fi
done
[ -n "$pki_tool" ] || fail "tools/pki/brisa-pki not found"
QUIET=1 "$pki_tool" init "$pki" --ecdsa >/dev/null
QUIET=1 "$pki_tool" broker "$pki" broker --ip 127.0.0.1 --dns localhost >/dev/null
QUIET=1 "$pki_tool" device "$pki" bench-device >/dev/null
pki_how="brisa-pki, ECDSA P-256 (Root CA -> MQTT CA -> broker, device)"
ca="$pki/ca.crt"
broker_chain="$pki/brokers/broker/broker-chain.crt"
broker_key="$pki/brokers/broker/broker.key"
dev_chain="$pki/devices/bench-device/bench-device-chain.crt"
dev_key="$pki/devices/bench-device/bench-device.key"

# --- the broker -----------------------------------------------------------
# Every client meets the same broker: TLS 1.2 (what mbedTLS 2.28 speaks)
# with one AEAD suite, TCP_NODELAY on the broker's side, no logging of
# packets, no persistence. Mosquitto 2.0's tls_version is only a minimum,
# so TLS 1.3 is taken away from the broker's OpenSSL by its configuration
# file (OPENSSL_CONF, for the broker process only).
ossl_conf="$work/broker-openssl.cnf"
{
    echo "openssl_conf = bench_conf"
    echo "[bench_conf]"
    echo "ssl_conf = bench_ssl"
    echo "[bench_ssl]"
    echo "system_default = bench_sys"
    echo "[bench_sys]"
    if [ "$tls13" = 0 ]; then echo "MaxProtocol = TLSv1.2"; fi
} >"$ossl_conf"
port_none=$(free_port); port_oneway=$(free_port); port_twoway=$(free_port)
while [ "$port_oneway" = "$port_none" ]; do port_oneway=$(free_port); done
while [ "$port_twoway" = "$port_none" ] || [ "$port_twoway" = "$port_oneway" ]; do
    port_twoway=$(free_port)
done
suites="ECDHE-ECDSA-AES128-GCM-SHA256"
conf="$work/broker.conf"
{
    echo "per_listener_settings false"
    echo "allow_anonymous true"
    echo "persistence false"
    echo "log_dest stderr"
    echo "log_type error"
    echo "log_type warning"
    echo "set_tcp_nodelay true"
    # Mosquitto drops QoS 0 messages for a client with 1000 packets already
    # waiting; a throughput burst must measure the client, not that limit.
    echo "max_queued_messages 0"
    if [ "$(id -u)" -eq 0 ]; then echo "user root"; fi
    echo "listener $port_none 127.0.0.1"
    for mode in oneway twoway; do
        port_var="port_$mode"
        echo "listener ${!port_var} 127.0.0.1"
        echo "cafile $pki/ca.crt"
        echo "certfile $broker_chain"
        echo "keyfile $broker_key"
        echo "tls_version tlsv1.2"
        echo "ciphers $suites"
        if [ "$mode" = twoway ]; then echo "require_certificate true"; fi
    done
} >"$conf"
# The broker lives on CPU 0; a client runs on CPU 0 too (same) or on CPU 1
# (split): where the scheduler would put them moved latency up to 7x.
broker_cpu=0 other_cpu=$(($(nproc) > 1 ? 1 : 0))
OPENSSL_CONF="$ossl_conf" taskset -c "$broker_cpu" mosquitto -c "$conf" >"$work/broker.log" 2>&1 &
broker_pid=$!
track_pid "$broker_pid"
for p in $port_none $port_oneway $port_twoway; do wait_port "$p"; done
kill -0 "$broker_pid" 2>/dev/null || fail "mosquitto exited: $(cat "$work/broker.log")"
log "broker pid $broker_pid: plain $port_none, TLS one-way $port_oneway, two-way $port_twoway"
# What an OpenSSL client actually gets from the TLS listener, for the record.
negotiated=$(openssl s_client -connect "127.0.0.1:$port_oneway" -CAfile "$ca" </dev/null 2>/dev/null |
             sed -n 's/^New, //p' | head -n 1)
log "TLS listener gives an OpenSSL client: ${negotiated:-?}"

# --- idle CPUs ------------------------------------------------------------
# In a VM an idle vCPU halts, and waking it costs tens of microseconds --
# more than a whole MQTT round trip -- so latency would depend on how busy
# other users keep the machine. A PM QoS request of 0 us keeps idle CPUs
# polling instead; the kernel drops it when this script's descriptor closes.
pmqos_how="off"
if [ "$pmqos" = 1 ]; then
    if [ -w /dev/cpu_dma_latency ] && exec {pmqos_fd}>/dev/cpu_dma_latency; then
        printf '\x00\x00\x00\x00' >&"$pmqos_fd"
        pmqos_how="cpu_dma_latency held at 0 us (idle CPUs poll)"
    else
        log "cannot open /dev/cpu_dma_latency: idle CPUs may add wake-up latency"
    fi
fi

# --- the matrix -----------------------------------------------------------
runs="$work/runs.csv" samples="$work/samples.csv" failures="$work/failures.txt"
: >"$runs"; : >"$samples"; : >"$failures"
for pl in $placements; do
    case "$pl" in same|split) : >"$work/samples-$pl.csv" ;; *) fail "unknown placement '$pl'" ;; esac
done
cpu_for() { if [ "$1" = same ]; then echo "$broker_cpu"; else echo "$other_cpu"; fi; }

tls_args() {
    local port_var="port_$1"
    printf -- '-p %s --tls %s' "${!port_var}" "$1"
    case "$1" in
        oneway) printf -- ' --cafile %s' "$ca" ;;
        twoway) printf -- ' --cafile %s --cert %s --key %s' "$ca" "$dev_chain" "$dev_key" ;;
    esac
}

burst_for() {
    if [ -n "$messages" ]; then echo "$messages"
    elif [ "$1" -ge 65536 ]; then echo 1024
    else echo 10000; fi
}

# run PLACEMENT LIB ROUND ARGS...: one program run, pinned; its summary
# rows go to runs.csv, its samples to samples-PLACEMENT.csv.
run() {
    local pl=$1 lib=$2 round=$3; shift 3
    local cmd
    cmd=$(lib_cmd "$lib")
    # shellcheck disable=SC2086
    if ! timeout 600 taskset -c "$(cpu_for "$pl")" $cmd -w "$warmup" --round "$round" \
            --samples "$work/samples-$pl.csv" "$@" >>"$runs" 2>>"$work/programs.log"; then
        echo "$lib $pl round $round: $*" >>"$failures"
        log "FAILED: $lib $* (see $work/programs.log)"
    fi
}

# The libraries in round-robin order, starting one further every round.
rotated() {
    local -a l=($libs)
    local n=${#l[@]} i
    for ((i = 0; i < n; i++)); do printf '%s ' "${l[$(((i + $1) % n))]}"; done
}

has() { case " $only " in *" $1 "*) return 0 ;; esac; return 1; }

# every ROUND ARGS...: one cell -- each placement, each library in order.
every() {
    local round=$1 pl l; shift
    for pl in $placements; do
        for l in $order; do run "$pl" "$l" "$round" "$@"; done
    done
}

# Only brisa and the floor can make a new context per connect or resume.
kind_ok() {
    [ "$1" = reuse ] && return 0
    [ "$2" != none ] || return 1
    case "$3" in floor|brisa|brisa-*) return 0 ;; esac
    return 1
}

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date +%s)
for ((r = 1; r <= rounds; r++)); do
    order=$(rotated $((r - 1)))
    log "round $r/$rounds (order: $order)"
    for t in $tls_modes; do
        if has connect; then
            for k in $connect_kinds; do
                for pl in $placements; do
                    for l in $order; do
                        kind_ok "$k" "$t" "$l" || continue
                        run "$pl" "$l" "$r" $(tls_args "$t") --mode connect -k "$connects" \
                            --connect-kind "$k"
                    done
                done
            done
        fi
        if has rw; then
            for q in $qos_list; do
                for s in $sizes; do
                    every "$r" $(tls_args "$t") --mode rw -q "$q" -s "$s" -n "$cycles"
                done
            done
        fi
        if has throughput; then
            for s in $sizes; do
                every "$r" $(tls_args "$t") --mode throughput -q 0 -s "$s" -m "$(burst_for "$s")"
            done
        fi
    done
done
elapsed=$(($(date +%s) - started))
log "matrix done in ${elapsed}s"

# --- the machine and the libraries ----------------------------------------
pkgver() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo "?"; }
{
    echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "commit=$(git -C "$SRC" rev-parse --short HEAD 2>/dev/null || echo '?')"
    echo "nproc=$(nproc)"
    echo "cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
    echo "kernel=$(uname -sr)"
    echo "loadavg=$(cut -d' ' -f1-3 /proc/loadavg)"
    echo "compiler=$(cc --version | head -n 1)"
    echo "build=RelWithDebInfo (-O2 -g)"
    echo "mosquitto=$(pkgver mosquitto)"
    echo "libmosquitto=$(pkgver libmosquitto1)"
    echo "paho=$(pkgver libpaho-mqtt1.3)"
    echo "mbedtls=$(pkgver libmbedtls14)"
    echo "openssl=$(pkgver libssl3)"
    echo "pki=$pki_how"
    echo "negotiated=$negotiated"
    echo "pmqos=$pmqos_how"
    if [ "$tls13" = 0 ]; then
        echo "tls=TLS 1.2 only, suite $suites, pinned by the broker"
    else
        echo "tls=TLS 1.3 allowed (OpenSSL clients: TLS_AES_256_GCM_SHA384), TLS 1.2 suites $suites"
    fi
    echo "matrix=$rounds rounds; $cycles cycles + $warmup warm-up per run; $connects connects; throughput burst ${messages:-10000 (1024 at 64 KiB)}"
    echo "libs=$libs"
    echo "placements=$placements"
    echo "pinning=broker on CPU $broker_cpu; same: client on CPU $broker_cpu; split: client on CPU $other_cpu (taskset)"
    echo "load_start=$load_start"
    echo "elapsed_s=$elapsed"
} >"$out/env.txt"

# --- tables, CSV, plots ---------------------------------------------------
cp "$runs" "$out/runs.csv"
rm -f "$out"/*.dat "$out"/rw*.png "$out"/rw*.svg "$out"/tput_connect*.png "$out"/tput_connect*.svg
for pl in $placements; do sed "s/^/$pl,/" "$work/samples-$pl.csv" >>"$samples"; done
python3 "$SRC/bench/report.py" --samples "$samples" --runs "$runs" --env "$out/env.txt" \
    --libs "$libs" --out "$out" --failures "$failures"
if [ "$do_plot" = 1 ]; then
    for pl in $placements; do
        for fmt in png svg; do
            gnuplot -e "dir='$out'; fmt='$fmt'; pl='$pl'" "$SRC/bench/plot.gp" 2>>"$work/gnuplot.log" ||
                log "gnuplot failed ($pl, $fmt): $(tail -n 3 "$work/gnuplot.log")"
        done
    done
fi
if [ "$do_doc" = 1 ] && [ -f "$SRC/BENCH.md" ]; then
    python3 "$SRC/bench/report.py" --splice "$SRC/BENCH.md" --out "$out"
fi
log "results in $out (report.md, results.csv, rw_PLACEMENT.png/svg, tput_connect_PLACEMENT.png/svg)"
if [ -s "$failures" ]; then
    log "some runs failed:"; cat "$failures" >&2
    exit 1
fi
