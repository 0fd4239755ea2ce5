# SPDX-License-Identifier: MIT
# Helpers for the TLS integration tests (sourced after tests/harness/lib.sh).
#
#   tls_pki NAME rsa|ecdsa       a PKI in $TEST_DIR/NAME with broker "broker"
#                                (127.0.0.1, localhost) and device "dev1"
#   tls_listener DIR MODE [BROKER] [ARGS...] >>FILE
#                                mosquitto listener lines on a free port
#                                (not in a subshell: the port is left in $TLS_PORT)
#   probe_ok WHAT NEEDLE ARGS...   tls_probe must succeed, stdout has NEEDLE
#   probe_refused WHAT CODE NEEDLE ARGS...
#                                tls_probe must fail with brisa_err CODE and
#                                NEEDLE in its one-line message
# tls_probe never runs longer than PROBE_LIMIT seconds: a hang fails.

PKI="$BRISA_BIN/brisa-pki"
PROBE="$BRISA_BIN/tls_probe"
PROBE_LIMIT=${PROBE_LIMIT:-20}
[ -x "$PKI" ] || fail "brisa-pki not built ($PKI)"
[ -x "$PROBE" ] || fail "tls_probe not built ($PROBE)"

tls_pki() {
    local dir="$TEST_DIR/$1" type=$2
    QUIET=1 "$PKI" init "$dir" "--$type" >/dev/null
    QUIET=1 "$PKI" broker "$dir" broker --ip 127.0.0.1 --dns localhost
    QUIET=1 "$PKI" device "$dir" dev1 --key-password s3cret
}

tls_listener() {
    local dir=$1 mode=$2 broker=${3:-broker}
    shift 3 || shift $#
    TLS_PORT=$(free_port)
    QUIET=1 "$PKI" mosquitto "$dir" --port "$TLS_PORT" --mode "$mode" --broker "$broker" "$@"
}

# Runs tls_probe with a time limit; status in PROBE_RC, output in
# PROBE_OUT / PROBE_ERR.
run_probe() {
    PROBE_RC=0
    timeout "$PROBE_LIMIT" "$PROBE" "$@" >"$TEST_DIR/probe.out" 2>"$TEST_DIR/probe.err" ||
        PROBE_RC=$?
    PROBE_OUT=$(cat "$TEST_DIR/probe.out")
    PROBE_ERR=$(cat "$TEST_DIR/probe.err")
    [ "$PROBE_RC" -ne 124 ] || fail "tls_probe hung (> ${PROBE_LIMIT}s): $* -- $PROBE_ERR"
}

probe_ok() {
    local what=$1 needle=$2
    shift 2
    run_probe "$@"
    [ "$PROBE_RC" -eq 0 ] || fail "$what: tls_probe failed ($PROBE_RC): $PROBE_ERR"
    expect_contains "$PROBE_OUT" "$needle" "$what"
}

probe_refused() {
    local what=$1 code=$2 needle=$3
    shift 3
    run_probe "$@"
    [ "$PROBE_RC" -ne 0 ] || fail "$what: tls_probe succeeded: $PROBE_OUT"
    case "$PROBE_ERR" in
        *"error $code: "*"$needle"*) pass "$what: $(tail -n 1 <<<"$PROBE_ERR")" ;;
        *) fail "$what: expected error $code with '$needle', got: $PROBE_ERR" ;;
    esac
}
