#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# brisa-pub and brisa-sub end with the statuses mosquitto_pub and
# mosquitto_sub 2.0 end with, each case run with both side by side: a
# refused CONNECT (the CONNACK code itself, 1-5 at 3.1.1 and the reason
# code at MQTT 5), a refused port, a name that cannot be resolved, a TLS
# broker whose CA is not trusted, a bad option, -W running out, SIGINT
# while connected. Where the two differ on purpose (see EXIT STATUS in
# docs/man/brisa-pub.1), brisa's status is checked and mosquitto's reported.
source "$BRISA_SRC/tests/harness/lib.sh"
PUB=$BRISA_BIN/brisa-pub
SUB=$BRISA_BIN/brisa-sub

# status CMD...: the command's exit status (at most 20 s), output dropped.
status() {
    local rc=0
    timeout 20 "$@" >/dev/null 2>&1 </dev/null || rc=$?
    echo "$rc"
}

# same WHAT WANT BRISA_CMD... -- MOSQUITTO_CMD...: both end with WANT.
same() {
    local what=$1 want=$2; shift 2
    local brisa=() ref=()
    while [ "$1" != -- ]; do brisa+=("$1"); shift; done
    shift
    ref=("$@")
    local b m
    b=$(status "${brisa[@]}")
    m=$(status "${ref[@]}")
    echo "measured: $what: brisa $b, mosquitto $m"
    # REF_ALSO: another status mosquitto's client gives for the same case,
    # depending on a race of its own (a TLS alert before or after its
    # connect call returns: 1, or MOSQ_ERR_TLS 8 from its loop).
    if [ -n "${REF_ALSO:-}" ] && [ "$m" = "$REF_ALSO" ]; then m=$want; fi
    expect_eq "$m" "$want" "$what: mosquitto's client ends with $want"
    expect_eq "$b" "$want" "$what: brisa ends with $want, as mosquitto's client"
}

# A fake broker answering CONNECT with CONNACK HEX (fakepeer.py).
fake_connack() {
    local pf="$TEST_DIR/fake.$1.port"
    python3 "$BRISA_SRC/tests/harness/fakepeer.py" --port-file "$pf" packet "send:$1" \
        2>>"$TEST_DIR/fake.log" &
    track_pid $!
    wait_for 10 test -s "$pf" || fail "fakepeer did not start"
    FAKE_PORT=$(cat "$pf")
}

# ---- refused by the broker: the CONNACK code is the status
for code in 1 2 3 4 5; do
    fake_connack "2002000$code"
    for tool in pub sub; do
        if [ "$tool" = pub ]; then args=(-t x/y -m z); else args=(-t x/y); fi
        same "CONNACK $code, $tool" "$code" "$BRISA_BIN/brisa-$tool" -p "$FAKE_PORT" "${args[@]}" \
            -- "mosquitto_$tool" -p "$FAKE_PORT" "${args[@]}"
    done
done
fake_connack 2003008700 # MQTT 5: 0x87 not authorized
same "MQTT 5 CONNACK 0x87, pub" 135 "$PUB" -V 5 -p "$FAKE_PORT" -t x/y -m z \
    -- mosquitto_pub -V 5 -p "$FAKE_PORT" -t x/y -m z
same "MQTT 5 CONNACK 0x87, sub" 135 "$SUB" -V 5 -p "$FAKE_PORT" -t x/y \
    -- mosquitto_sub -V 5 -p "$FAKE_PORT" -t x/y

# ---- not reached
CLOSED=$(free_port) # nothing listens there
same "refused port" 1 "$PUB" -p "$CLOSED" -t x -m z -- mosquitto_pub -p "$CLOSED" -t x -m z
# A 70-byte label cannot go into a DNS query: the resolver fails locally.
NONAME="$(printf 'n%.0s' $(seq 70)).invalid"
same "unresolvable host" 1 "$SUB" -h "$NONAME" -t x -- mosquitto_sub -h "$NONAME" -t x

# ---- TLS: a broker whose certificate the client's CA did not issue
"$BRISA_BIN/brisa-pki" init "$TEST_DIR/pki" --ecdsa >/dev/null
"$BRISA_BIN/brisa-pki" broker "$TEST_DIR/pki" broker --dns localhost --ip 127.0.0.1 >/dev/null
"$BRISA_BIN/brisa-pki" init "$TEST_DIR/other" --ecdsa >/dev/null
TLS_PORT=$(free_port)
"$BRISA_BIN/brisa-pki" mosquitto "$TEST_DIR/pki" --port "$TLS_PORT" --mode one-way \
    --host 127.0.0.1 --broker broker --out "$TEST_DIR/tls.conf" >/dev/null
broker_start tls "$(cat "$TEST_DIR/tls.conf")"
wait_port "$TLS_PORT"
REF_ALSO=8 same "TLS: unknown CA" 1 "$PUB" -h localhost -p "$TLS_PORT" --cafile "$TEST_DIR/other/ca.crt" -t x -m z \
    -- mosquitto_pub -h localhost -p "$TLS_PORT" --cafile "$TEST_DIR/other/ca.crt" -t x -m z
same "TLS: trusted CA (the control)" 0 "$PUB" -h localhost -p "$TLS_PORT" --cafile "$TEST_DIR/pki/ca.crt" -t x -m z \
    -- mosquitto_pub -h localhost -p "$TLS_PORT" --cafile "$TEST_DIR/pki/ca.crt" -t x -m z

# ---- the command line and the clock
broker_start plain
same "bad option, pub" 1 "$PUB" --no-such-option -- mosquitto_pub --no-such-option
same "bad option, sub" 1 "$SUB" -p "$BROKER_PORT" -- mosquitto_sub -p "$BROKER_PORT"
same "-W ran out" 27 "$SUB" -p "$BROKER_PORT" -t quiet/x -W 1 -- mosquitto_sub -p "$BROKER_PORT" -t quiet/x -W 1

# ---- SIGINT while connected: a normal end
sigint_status() { # CMD...: started, connected, SIGINT: its status
    local before
    before=$(grep -c "New client connected" "$BROKER_LOG" || true)
    "$@" >/dev/null 2>&1 < <(sleep 30) &
    local pid=$!
    track_pid "$pid"
    wait_for 10 test "$(grep -c "New client connected" "$BROKER_LOG")" -gt "$before" || true
    sleep 0.2
    kill -INT "$pid"
    local rc=0
    wait "$pid" || rc=$?
    echo "$rc"
}
b=$(sigint_status "$SUB" -p "$BROKER_PORT" -t x/y)
m=$(sigint_status mosquitto_sub -p "$BROKER_PORT" -t x/y)
echo "measured: SIGINT connected, sub: brisa $b, mosquitto $m"
expect_eq "$m" 0 "SIGINT connected, sub: mosquitto_sub ends with 0"
expect_eq "$b" 0 "SIGINT connected, sub: brisa-sub ends with 0, as mosquitto_sub"
# mosquitto_pub -l ends only once its input does (not run); brisa-pub ends
# at once, with 0 as mosquitto_sub.
b=$(sigint_status "$PUB" -p "$BROKER_PORT" -t x/y -l)
echo "measured: SIGINT connected, pub -l: brisa $b"
expect_eq "$b" 0 "SIGINT connected, pub -l: brisa-pub ends with 0"

# ---- on purpose different: a broker that never sends CONNACK ends brisa
# with 1 after --timeout (mosquitto's clients wait for ever: not run).
python3 "$BRISA_SRC/tests/harness/fakepeer.py" --port-file "$TEST_DIR/hung.port" hold \
    2>/dev/null &
track_pid $!
wait_for 10 test -s "$TEST_DIR/hung.port" || fail "fakepeer did not start"
b=$(status "$PUB" -p "$(cat "$TEST_DIR/hung.port")" -t x -m z --timeout 2)
echo "measured: no CONNACK, pub: brisa $b after --timeout 2, mosquitto waits for ever"
expect_eq "$b" 1 "no CONNACK: brisa-pub ends with 1 after --timeout"
