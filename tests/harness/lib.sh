# SPDX-License-Identifier: MIT
# Shared helpers for brisa's integration tests (bash). Source it first:
#
#   source "$BRISA_SRC/tests/harness/lib.sh"
#   broker_start                # a real mosquitto on 127.0.0.1:$BROKER_PORT
#   "$BRISA_BIN/brisa-pub" -p "$BROKER_PORT" -t a -m hi
#
# Everything started through these helpers is stopped by pid, and the
# scratch directory removed, when the script exits -- also when it fails.
# Tests only ever use loopback addresses.

set -euo pipefail

: "${BRISA_SRC:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${BRISA_BUILD:=$BRISA_SRC/build}"
BRISA_BIN="$BRISA_BUILD/bin"
export BRISA_SRC BRISA_BUILD BRISA_BIN

TEST_NAME=$(basename "${0%.sh}")
TEST_DIR=$(mktemp -d "${TMPDIR:-/tmp}/brisa-${TEST_NAME}.XXXXXX")
export TEST_DIR
_harness_pids=()
_harness_cleanups=()

# Registers a command to run at exit (runs in reverse order of registration).
on_exit() { _harness_cleanups+=("$*"); }

# Records the pid of a background process we started, to stop it at exit.
track_pid() { _harness_pids+=("$1"); }

# Stops one process we started: SIGTERM, then SIGKILL after 3 s.
stop_pid() {
    local pid=$1 i
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 30); do
        kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

_harness_exit() {
    local rc=$? i
    set +e
    for ((i = ${#_harness_cleanups[@]} - 1; i >= 0; i--)); do
        eval "${_harness_cleanups[$i]}"
    done
    for pid in "${_harness_pids[@]}"; do stop_pid "$pid"; done
    if [ "$rc" -ne 0 ]; then
        echo "--- $TEST_NAME failed (exit $rc); logs in $TEST_DIR:" >&2
        for f in "$TEST_DIR"/*.log; do
            [ -f "$f" ] || continue
            echo "--- $f (last 30 lines)" >&2
            tail -n 30 "$f" >&2
        done
        if [ -n "${CI:-}" ]; then rm -rf "$TEST_DIR"; fi
    else
        rm -rf "$TEST_DIR"
    fi
    exit "$rc"
}
trap _harness_exit EXIT
trap 'exit 130' INT TERM

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok - $*"; }

# expect_eq ACTUAL EXPECTED WHAT
expect_eq() {
    [ "$1" == "$2" ] || fail "$3: expected '$2', got '$1'"
    pass "$3"
}

# expect_contains HAYSTACK NEEDLE WHAT
expect_contains() {
    case "$1" in
        *"$2"*) pass "$3" ;;
        *) fail "$3: '$2' not found in: $1" ;;
    esac
}

# expect_file_contains FILE NEEDLE WHAT
expect_file_contains() {
    grep -qF -- "$2" "$1" || fail "$3: '$2' not in $1: $(tail -n 20 "$1")"
    pass "$3"
}

# expect_fails WHAT CMD... : the command must exit non-zero (stderr kept in
# $LAST_STDERR, stdout in $LAST_STDOUT).
expect_fails() {
    local what=$1; shift
    local rc=0
    "$@" >"$TEST_DIR/last.out" 2>"$TEST_DIR/last.err" || rc=$?
    LAST_STDOUT=$(cat "$TEST_DIR/last.out")
    LAST_STDERR=$(cat "$TEST_DIR/last.err")
    [ "$rc" -ne 0 ] || fail "$what: expected failure, got exit 0 (stdout: $LAST_STDOUT)"
    pass "$what (exit $rc)"
}

# A TCP port on 127.0.0.1 that nobody listens on right now.
free_port() {
    python3 - <<'PY'
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
PY
}

# wait_port PORT [SECONDS]: waits until something accepts on 127.0.0.1:PORT.
wait_port() {
    local port=$1 limit=${2:-10} i
    for ((i = 0; i < limit * 20; i++)); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
        sleep 0.05
    done
    fail "nothing listening on 127.0.0.1:$port after ${limit}s"
}

# wait_for SECONDS CMD...: retries CMD every 0.1 s until it succeeds.
wait_for() {
    local limit=$1 i; shift
    for ((i = 0; i < limit * 10; i++)); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        sleep 0.1
    done
    return 1
}

# broker_start [NAME] [EXTRA_CONFIG]: starts mosquitto with one plain
# listener on 127.0.0.1:$BROKER_PORT, anonymous access allowed, full
# logging to $TEST_DIR/NAME.log. EXTRA_CONFIG lines are appended (more
# listeners, password_file...). Sets BROKER_PORT, BROKER_PID, BROKER_LOG.
broker_start() {
    local name=${1:-broker} extra=${2:-}
    BROKER_PORT=$(free_port)
    BROKER_LOG="$TEST_DIR/$name.log"
    local conf="$TEST_DIR/$name.conf"
    {
        echo "per_listener_settings true"
        echo "listener $BROKER_PORT 127.0.0.1"
        echo "allow_anonymous true"
        echo "log_dest stderr"
        echo "log_type all"
        echo "persistence false"
        if [ "$(id -u)" -eq 0 ]; then echo "user root"; fi
        if [ -n "$extra" ]; then printf '%s\n' "$extra"; fi
    } >"$conf"
    mosquitto -c "$conf" >"$BROKER_LOG" 2>&1 &
    BROKER_PID=$!
    track_pid "$BROKER_PID"
    wait_port "$BROKER_PORT"
    kill -0 "$BROKER_PID" 2>/dev/null || fail "mosquitto exited: $(cat "$BROKER_LOG")"
    export BROKER_PORT BROKER_PID BROKER_LOG
}

# run_bg NAME CMD...: starts CMD in the background with stdout in
# $TEST_DIR/NAME.out and stderr in $TEST_DIR/NAME.log; sets BG_PID.
run_bg() {
    local name=$1; shift
    "$@" >"$TEST_DIR/$name.out" 2>"$TEST_DIR/$name.log" &
    BG_PID=$!
    track_pid "$BG_PID"
}

# wait_pid PID SECONDS: waits for a process we started to exit on its own;
# fails the test if it is still running after SECONDS. Returns its status
# in WAIT_RC.
wait_pid() {
    local pid=$1 limit=$2 i
    for ((i = 0; i < limit * 10; i++)); do
        if ! kill -0 "$pid" 2>/dev/null; then
            WAIT_RC=0
            wait "$pid" || WAIT_RC=$?
            return 0
        fi
        sleep 0.1
    done
    fail "process $pid still running after ${limit}s"
}

# wait_subscribed LOG CLIENT_ID: waits until the broker log shows a SUBACK
# sent to CLIENT_ID, so a following publish is not lost to a race.
wait_subscribed() {
    local log=$1 id=$2
    wait_for 10 grep -q "Sending SUBACK to $id" "$log" || fail "$id never subscribed"
}
