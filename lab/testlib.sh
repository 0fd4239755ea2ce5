# SPDX-License-Identifier: MIT
# Helpers for integration tests that run in the lab (tests/integration/
# test_lab_*.sh). Source it first, call lab_require_root, then source
# tests/harness/lib.sh (so that a skip is not reported as a failure):
#
#   lab_require_root             exit 77 (skipped) unless root
#   lab_start [UP OPTIONS...]    a lab with a name unique to this test run,
#                                torn down at exit even when the test fails;
#                                its variables (LAB_*) are set here
#   in_device CMD... / in_router CMD... / in_host CMD...
#   device_ipv4                  "ADDR/PREFIX" on the device's eth0 (or "")

LAB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lab"

lab_require_root() {
    if [ "$(id -u)" -ne 0 ]; then
        echo "SKIP: $(basename "${0%.sh}") needs root (network namespaces); run ctest as root"
        exit 77
    fi
}

lab_start() {
    # Short and unique: test pid plus a random suffix (names are <= 24 chars).
    LAB_TEST_NAME="t$$-$RANDOM"
    export BRISA_LAB_DIR="$TEST_DIR/lab"
    # Keep the servers' logs for the failure report, then remove everything.
    on_exit "cp '$BRISA_LAB_DIR/$LAB_TEST_NAME'/*.log '$TEST_DIR'/ 2>/dev/null; '$LAB' down --name '$LAB_TEST_NAME' >/dev/null 2>&1"
    "$LAB" up --name "$LAB_TEST_NAME" "$@" >"$TEST_DIR/lab-up.log" 2>&1 \
        || fail "lab up: $(cat "$TEST_DIR/lab-up.log")"
    eval "$("$LAB" env --name "$LAB_TEST_NAME")"
}

in_device() { ip netns exec "$LAB_NS_DEVICE" "$@"; }
in_router() { ip netns exec "$LAB_NS_ROUTER" "$@"; }
in_host() { ip netns exec "$LAB_NS_HOST" "$@"; }

device_ipv4() {
    in_device ip -o -4 addr show dev eth0 | awk '{print $4}' | head -n 1
}

# device_connects IP PORT: a TCP connection from the device namespace works.
device_connects() {
    in_device timeout 5 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null
}
