#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Brokers that misbehave, played by tests/harness/fakepeer.py on loopback:
# silent after accepting, silent after CONNACK, malformed or unexpected
# answers, a cut connection. The tools must end within a bounded time with
# one clear line and status 1 -- never hang, never crash.
source "$BRISA_SRC/tests/harness/lib.sh"
PUB=$BRISA_BIN/brisa-pub
SUB=$BRISA_BIN/brisa-sub

n=0
# fakepeer STEP...: starts a fake broker; sets FAKE_PORT and FAKE_LOG.
fakepeer() {
    n=$((n + 1))
    local pf="$TEST_DIR/fake$n.port"
    FAKE_LOG="$TEST_DIR/fake$n.log"
    python3 "$BRISA_SRC/tests/harness/fakepeer.py" --port-file "$pf" "$@" 2>"$FAKE_LOG" &
    track_pid $!
    wait_for 10 test -s "$pf" || fail "fakepeer did not start: $(cat "$FAKE_LOG")"
    FAKE_PORT=$(cat "$pf")
}

# must_fail_within SECONDS WHAT CMD...: status 1 (not a signal; WANT=N: N),
# one line.
must_fail_within() {
    local limit=$1 what=$2; shift 2
    local t0 t1 rc=0 want=${WANT:-1}
    t0=$(date +%s%N)
    timeout -s KILL $((limit + 5)) "$@" >"$TEST_DIR/out" 2>"$TEST_DIR/err" || rc=$?
    t1=$(date +%s%N)
    LAST_STDERR=$(cat "$TEST_DIR/err")
    ELAPSED_MS=$(((t1 - t0) / 1000000))
    [ "$rc" -eq "$want" ] || fail "$what: expected status $want, got $rc (stderr: $LAST_STDERR)"
    [ "$ELAPSED_MS" -le $((limit * 1000)) ] || fail "$what: took ${ELAPSED_MS} ms (limit ${limit} s)"
    expect_eq "$(printf '%s\n' "$LAST_STDERR" | wc -l)" 1 "$what: one line"
    pass "$what: status $want after ${ELAPSED_MS} ms"
}

# Accepts TCP, reads CONNECT, never answers.
fakepeer packet hold
must_fail_within 5 "silent broker, --timeout 2" "$PUB" -p "$FAKE_PORT" -t t -m x --timeout 2
expect_eq "$LAST_STDERR" \
    "brisa-pub: no CONNACK from localhost port $FAKE_PORT within 2 s: is it an MQTT broker?" \
    "silent broker explained"
[ "$ELAPSED_MS" -ge 1900 ] || fail "gave up after ${ELAPSED_MS} ms, before the 2 s asked"
expect_file_contains "$FAKE_LOG" "received CONNECT" "the tool did send CONNECT"
must_fail_within 14 "silent broker, default timeout" "$SUB" -h 127.0.0.1 -p "$FAKE_PORT" -t t
expect_contains "$LAST_STDERR" "no CONNACK from 127.0.0.1 port $FAKE_PORT within 10 s" \
    "default timeout is 10 s"

# Accepts the connection, then goes silent: no SUBACK, no PUBACK.
fakepeer packet send:20020000 hold
must_fail_within 5 "no SUBACK" "$SUB" -p "$FAKE_PORT" -t t --timeout 2
expect_eq "$LAST_STDERR" "brisa-sub: subscribe: no answer from the broker within 2 s" "no SUBACK explained"
must_fail_within 5 "no PUBACK" "$PUB" -p "$FAKE_PORT" -t t -m x -q 1 --timeout 2
expect_contains "$LAST_STDERR" "no answer from the broker within 2 s" "no PUBACK explained"

# -W counts from the connection, as mosquitto_sub's does: a SUBACK that
# comes 2 s late leaves nothing of a 1 s wait (status 27, the timeout).
fakepeer packet send:20020000 packet sleep:2 send:9003000100 hold
rc=0
t0=$(date +%s%N)
timeout -s KILL 10 "$SUB" -p "$FAKE_PORT" -t t -W 1 >"$TEST_DIR/out" 2>"$TEST_DIR/err" || rc=$?
elapsed_ms=$((($(date +%s%N) - t0) / 1000000))
expect_eq "$rc" 27 "-W ran out: status 27"
expect_contains "$(cat "$TEST_DIR/err")" "timed out after 1 s" "-W timeout explained"
expect_file_contains "$FAKE_LOG" "sent 9003000100" "the late SUBACK was sent"
[ "$elapsed_ms" -lt 2700 ] || fail "-W 1 ended ${elapsed_ms} ms after start: counted from SUBACK"
pass "-W 1 with a SUBACK 2 s late ended after ${elapsed_ms} ms"

# Malformed or unexpected answers to CONNECT.
check_bad_connack() {
    local hex=$1 what=$2
    fakepeer packet "send:$hex" hold
    must_fail_within 5 "$what" "$PUB" -p "$FAKE_PORT" -t t -m x --timeout 3
    expect_contains "$LAST_STDERR" "brisa-pub: invalid answer to CONNECT from localhost port $FAKE_PORT: " \
        "$what explained"
}
check_bad_connack 2003000000 "CONNACK with remaining length 3"
check_bad_connack 21020000 "CONNACK with reserved flags set"
check_bad_connack 20020200 "CONNACK with reserved acknowledge bits"
check_bad_connack 9003000100 "SUBACK instead of CONNACK"
check_bad_connack 20ffffffff7f "remaining length over four bytes"

# Refusals mosquitto does not produce on demand (it answers a wrong
# password with 5, see test_mqtt_auth).
fakepeer packet send:20020003 hold
# The status is the CONNACK code, as mosquitto_pub's.
WANT=3 must_fail_within 5 "server unavailable" "$PUB" -p "$FAKE_PORT" -t t -m x
expect_eq "$LAST_STDERR" "brisa-pub: connection refused: server unavailable (CONNACK 3)" \
    "CONNACK 3 explained"
fakepeer packet send:20020004 hold
WANT=4 must_fail_within 5 "bad credentials" "$PUB" -p "$FAKE_PORT" -t t -m x -u u -P p
expect_eq "$LAST_STDERR" "brisa-pub: connection refused: bad user name or password (CONNACK 4)" \
    "CONNACK 4 explained"

# The connection cut before CONNACK, with a FIN or with a reset.
fakepeer packet close
must_fail_within 5 "closed before CONNACK" "$PUB" -p "$FAKE_PORT" -t t -m x
expect_eq "$LAST_STDERR" "brisa-pub: the broker closed the connection before CONNACK (if this is a TLS port, add --cafile)" "FIN explained"
fakepeer packet reset
must_fail_within 5 "reset before CONNACK" "$SUB" -p "$FAKE_PORT" -t t
expect_contains "$LAST_STDERR" "Connection reset by peer" "reset explained"

# Connection lost while subscribed: with --exit-on-loss the old way (one
# line, status 1); without, brisa-sub reconnects as mosquitto_sub does.
fakepeer packet send:20020000 packet send:9003000100 sleep:0.5 reset
must_fail_within 5 "connection lost" "$SUB" -p "$FAKE_PORT" -t t --exit-on-loss
expect_contains "$LAST_STDERR" "brisa-sub: connection lost: " "lost connection explained"
run_bg lost "$SUB" -p "$FAKE_PORT" -t t
wait_for 10 grep -q "reconnecting in" "$TEST_DIR/lost.log" || fail "no reconnection: $(cat "$TEST_DIR/lost.log")"
wait_for 10 grep -q "reconnected" "$TEST_DIR/lost.log" || fail "no second connection"
pass "brisa-sub reconnects after a reset: $(grep -m1 reconnecting "$TEST_DIR/lost.log")"
stop_pid "$BG_PID"

# A SUBACK for an id that is not in flight is named at once, not left to
# the timeout.
fakepeer packet send:20020000 packet send:9003000700 hold
must_fail_within 2 "SUBACK with the wrong id" "$SUB" -p "$FAKE_PORT" -t t --timeout 5
expect_eq "$LAST_STDERR" \
    "brisa-sub: subscribe: protocol violation: SUBACK for packet id 7, which is not in flight" \
    "wrong SUBACK id explained"
fakepeer packet send:20020000 packet send:40020009 hold
must_fail_within 2 "PUBACK with the wrong id" "$PUB" -p "$FAKE_PORT" -t t -m x -q 1 --timeout 5 --exit-on-loss
expect_contains "$LAST_STDERR" "protocol violation: PUBACK for packet id 9, which is not in flight" \
    "wrong PUBACK id explained"

# A broker that stalls in the middle of a packet: named with the packet.
fakepeer packet send:20020000 packet send:9003 hold
must_fail_within 4 "stalled mid-SUBACK" "$SUB" -p "$FAKE_PORT" -t t --timeout 2
expect_eq "$LAST_STDERR" \
    "brisa-sub: subscribe: no answer from the broker within 2 s (stalled in the middle of a SUBACK: 2 of 5 bytes)" \
    "mid-packet stall explained"
fakepeer packet send:20020000 packet send:9003000100 send:3010 hold
must_fail_within 5 "stalled mid-PUBLISH, keepalive 2 s" "$SUB" -p "$FAKE_PORT" -t t -k 2 --exit-on-loss
expect_eq "$LAST_STDERR" \
    "brisa-sub: connection lost: no PINGRESP within 1.5 x keepalive (3.0 s) (stalled in the middle of a PUBLISH: 2 of 18 bytes)" \
    "keepalive timeout names the keepalive, not --timeout"

# SIGTERM ends each tool within 100 ms whatever it waits for, saying
# goodbye (DISCONNECT) when connected. ends_at_once WHAT STATUS CMD...
ends_at_once() {
    local what=$1 want=$2; shift 2
    "$@" <"${SIG_STDIN:-/dev/null}" >"$TEST_DIR/sig.out" 2>"$TEST_DIR/sig.log" &
    local pid=$! rc=0
    track_pid "$pid"
    sleep 0.7
    kill -0 "$pid" 2>/dev/null || fail "$what: ended before the signal: $(cat "$TEST_DIR/sig.log")"
    local t0
    t0=$(date +%s%N)
    kill -TERM "$pid"
    wait "$pid" || rc=$?
    local ms=$((($(date +%s%N) - t0) / 1000000))
    expect_eq "$rc" "$want" "$what: status after SIGTERM"
    # 100 ms is the promise; the margin is for a loaded 2-CPU machine.
    [ "$ms" -le 250 ] || fail "$what: SIGTERM took ${ms} ms"
    pass "$what: ended ${ms} ms after SIGTERM"
}
fakepeer packet hold
ends_at_once "brisa-sub waiting for CONNACK" 0 "$SUB" -p "$FAKE_PORT" -t t --timeout 30
ends_at_once "brisa-pub waiting for CONNACK" 1 "$PUB" -p "$FAKE_PORT" -t t -m x --timeout 30
fakepeer packet send:20020000 packet packet hold
ends_at_once "brisa-sub waiting for SUBACK" 0 "$SUB" -p "$FAKE_PORT" -t t --timeout 30
wait_for 5 grep -q "received DISCONNECT" "$FAKE_LOG" || fail "no DISCONNECT after SIGTERM"
pass "DISCONNECT sent on SIGTERM while waiting for SUBACK"
ends_at_once "brisa-pub waiting for PUBACK" 1 "$PUB" -p "$FAKE_PORT" -t t -m x -q 1 --timeout 30
fakepeer packet send:20020000 packet send:9003000100 hold
ends_at_once "brisa-sub subscribed" 0 "$SUB" -p "$FAKE_PORT" -t t
mkfifo "$TEST_DIR/lines"
exec 7<>"$TEST_DIR/lines" # a writer that never writes: stdin stays open
SIG_STDIN=$TEST_DIR/lines ends_at_once "brisa-pub -l waiting for lines" 0 "$PUB" -p "$FAKE_PORT" -t t -l
exec 7>&-

# SUBACK 0x80 (mosquitto's own ACL never refuses a SUBSCRIBE, so a fake
# broker plays it): subscribe_sync fails with BRISA_ERR_REFUSED and keeps
# the codes, so brisa-sub names the refused filter and goes on with the
# granted one ("open/a": a QoS 0 PUBLISH of "still-here" follows).
open_publish=30120006$(printf 'open/a' | od -An -tx1 | tr -d ' \n')$(printf 'still-here' | od -An -tx1 | tr -d ' \n')
fakepeer packet send:20020000 packet send:900400010080 "send:$open_publish" hold
rc=0
timeout 10 "$SUB" -p "$FAKE_PORT" -t open/a -t secret/a -C 1 >"$TEST_DIR/out" 2>"$TEST_DIR/err" || rc=$?
expect_eq "$rc" 0 "one filter of two refused: brisa-sub goes on"
expect_eq "$(cat "$TEST_DIR/out")" "still-here" "message on the granted filter"
expect_eq "$(cat "$TEST_DIR/err")" \
    "brisa-sub: subscription to 'secret/a' refused by the broker: failure (SUBACK 0x80)" \
    "the refused filter is named"
fakepeer packet send:20020000 packet send:900400018080 hold
rc=0
timeout 10 "$SUB" -p "$FAKE_PORT" -t secret/a -t secret/b >"$TEST_DIR/out" 2>"$TEST_DIR/err" || rc=$?
expect_eq "$rc" 1 "every filter refused: brisa-sub fails"
expect_contains "$(cat "$TEST_DIR/err")" "subscription to 'secret/b' refused by the broker: failure (SUBACK 0x80)" \
    "each refusal reported"
