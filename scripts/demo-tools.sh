#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# brisa tools demo: installs what is missing, builds the tools,
# starts a private Mosquitto on 127.0.0.1, and shows brisa-pub publishing
# at QoS 0, 1 and 2 to a brisa-sub that prints what it receives, then the
# packet-by-packet trace (-d) of one QoS 2 exchange.
#
#   scripts/demo-tools.sh      exit status 0 only if every message arrived
#   BRISA_BUILD=DIR            build directory (default: build)
#   BRISA_JOBS=N               parallel build jobs (default: CPUs)
#
# Only loopback is used; the broker and the subscriber are stopped by pid
# when the script ends, also when it fails.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
cd "$src"
export BRISA_SRC=$src
export BRISA_BUILD=${BRISA_BUILD:-$src/build}
jobs=${BRISA_JOBS:-$(nproc)}

if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold= plain=; fi
heading() { printf '\n%s== %s%s\n' "$bold" "$*" "$plain"; }

heading "Packages"
bash scripts/bootstrap.sh

heading "Build ($BRISA_BUILD)"
cmake -S . -B "$BRISA_BUILD" >/dev/null
cmake --build "$BRISA_BUILD" -j "$jobs" --target brisa-pub brisa-sub >"$BRISA_BUILD/demo-build.log" 2>&1 ||
    { tail -n 30 "$BRISA_BUILD/demo-build.log"; echo "demo: build failed" >&2; exit 1; }
echo "built brisa-pub and brisa-sub in $BRISA_BUILD/bin"

# The test harness gives us a broker on a free port and cleanup by pid.
source "$src/tests/harness/lib.sh"
PUB=$BRISA_BIN/brisa-pub
SUB=$BRISA_BIN/brisa-sub

heading "Broker"
broker_start
echo "mosquitto listening on 127.0.0.1 port $BROKER_PORT (pid $BROKER_PID)"

heading "Subscriber"
topic_filter='demo/#'
echo "\$ brisa-sub -p $BROKER_PORT -t '$topic_filter' -q 2 -v"
run_bg sub "$SUB" -p "$BROKER_PORT" -i demo-sub -t "$topic_filter" -q 2 -v -W 120
sub_pid=$BG_PID
wait_subscribed "$BROKER_LOG" demo-sub
echo "brisa-sub is subscribed (pid $sub_pid)"

arrived=0
# show_delivery LINE: waits for brisa-sub to print LINE, and says so.
show_delivery() {
    if wait_for 10 grep -qxF -- "$1" "$TEST_DIR/sub.out"; then
        echo "  brisa-sub printed:  $1"
        arrived=$((arrived + 1))
    else
        echo "  brisa-sub did NOT print: $1" >&2
    fi
}

for q in 0 1 2; do
    heading "QoS $q"
    msg="hello at QoS $q"
    echo "\$ brisa-pub -p $BROKER_PORT -t demo/qos$q -q $q -m '$msg'"
    "$PUB" -p "$BROKER_PORT" -t "demo/qos$q" -q "$q" -m "$msg" || echo "  brisa-pub failed" >&2
    show_delivery "demo/qos$q $msg"
done

heading "Trace of a QoS 2 publish (-d)"
echo "\$ brisa-pub -p $BROKER_PORT -t demo/trace -q 2 -m 'exactly once' -d -i demo-pub"
"$PUB" -p "$BROKER_PORT" -t demo/trace -q 2 -m "exactly once" -d -i demo-pub | sed 's/^/  /' ||
    echo "  brisa-pub failed" >&2
show_delivery "demo/trace exactly once"

heading "Result"
stop_pid "$sub_pid" # SIGTERM: brisa-sub says DISCONNECT and exits
if [ "$arrived" -eq 4 ]; then
    echo "all 4 messages arrived"
    exit 0
fi
echo "only $arrived of 4 messages arrived" >&2
exit 1
