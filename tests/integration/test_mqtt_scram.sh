#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# MQTT 5 enhanced authentication, SCRAM-SHA-256, end to end against a
# scripted broker (tests/harness/scrambroker.py; mosquitto has no such
# method without a plugin): the right password (with ',' and '=') connects
# and publishes, never sent in CONNECT; a wrong
# one is refused by name; a broker that cannot prove it knows the
# password is left with DISCONNECT 0x87; --scram-reauth re-authenticates
# on the open connection, and a broker that refuses it ends it, named.
source "$BRISA_SRC/tests/harness/lib.sh"
PUB=$BRISA_BIN/brisa-pub

# scram_broker NAME ARGS...: sets SCRAM_PORT and SCRAM_LOG.
scram_broker() {
    local name=$1; shift
    local pf="$TEST_DIR/$name.port"
    SCRAM_LOG="$TEST_DIR/$name.log"
    python3 "$BRISA_SRC/tests/harness/scrambroker.py" --port-file "$pf" "$@" 2>"$SCRAM_LOG" &
    track_pid $!
    wait_for 10 test -s "$pf" || fail "scrambroker did not start: $(cat "$SCRAM_LOG")"
    SCRAM_PORT=$(cat "$pf")
}

scram_broker good --user alice --password 's3cret,=x'
"$PUB" -V 5 -p "$SCRAM_PORT" --scram -u alice -P 's3cret,=x' -t s/t -m hello -q 1 ||
    fail "brisa-pub --scram failed"
wait_for 5 grep -q "publish s/t hello" "$SCRAM_LOG" || fail "no message after SCRAM: $(cat "$SCRAM_LOG")"
expect_file_contains "$SCRAM_LOG" "authenticated alice" "the broker verified the client's proof"
expect_file_contains "$SCRAM_LOG" "CONNECT level 5 method SCRAM-SHA-256" "CONNECT names the method"
expect_file_contains "$SCRAM_LOG" "CONNECT without credentials" "the password is not in CONNECT"
pass "SCRAM-SHA-256 connects and publishes"

rc=0
"$PUB" -V 5 -p "$SCRAM_PORT" --scram -u alice -P wrong -t s/t -m no >"$TEST_DIR/wrong.out" 2>&1 || rc=$?
expect_eq "$rc" 134 "a wrong password fails with the reason code, 134"
expect_contains "$(cat "$TEST_DIR/wrong.out")" "Bad User Name or Password (CONNACK 134)" \
    "and is named by the broker's reason code"
expect_file_contains "$SCRAM_LOG" "refused: proof rejected" "the broker rejected the proof"

scram_broker forged --user alice --password pw --forge
rc=0
"$PUB" -V 5 -p "$SCRAM_PORT" --scram -u alice -P pw -t s/t -m no >"$TEST_DIR/forged.out" 2>&1 || rc=$?
expect_eq "$rc" 1 "a broker with a wrong signature is not trusted"
expect_contains "$(cat "$TEST_DIR/forged.out")" "SCRAM signature did not verify" "and says so"
wait_for 5 grep -q "DISCONNECT 87" "$SCRAM_LOG" || fail "no DISCONNECT 0x87: $(cat "$SCRAM_LOG")"
grep -q "publish" "$SCRAM_LOG" && fail "published to a broker that failed to authenticate"
pass "the client disconnected with 0x87 before publishing"

# Re-authentication (AUTH 0x19) every second while brisa-pub waits for
# its next line; messages go on in between.
scram_broker reauth --user alice --password pw
{ echo one; sleep 3.5; echo two; } | "$PUB" -V 5 -p "$SCRAM_PORT" --scram -u alice -P pw \
    --scram-reauth 1 -t s/r -l -q 1 || fail "brisa-pub --scram-reauth failed"
n=$(grep -c "reauthenticated alice" "$SCRAM_LOG" || true)
[ "$n" -ge 2 ] || fail "expected at least 2 re-authentications, got $n: $(cat "$SCRAM_LOG")"
expect_file_contains "$SCRAM_LOG" "publish s/r one" "a message before re-authenticating"
expect_file_contains "$SCRAM_LOG" "publish s/r two" "and one after"
pass "re-authenticated $n times in 3.5 s with --scram-reauth 1"

scram_broker noreauth --user alice --password pw --refuse-reauth
rc=0
{ echo one; sleep 3; echo two; } | "$PUB" -V 5 -p "$SCRAM_PORT" --scram -u alice -P pw \
    --scram-reauth 1 -t s/r -l -q 1 --exit-on-loss 2>"$TEST_DIR/noreauth.err" || rc=$?
expect_eq "$rc" 1 "a refused re-authentication ends brisa-pub with status 1"
expect_eq "$(cat "$TEST_DIR/noreauth.err")" \
    "brisa-pub: connection lost: the broker disconnected: Not authorized (reason 0x87)" \
    "and the broker's reason is named on one line"
rc=0
"$PUB" -V 5 -p "$SCRAM_PORT" --scram-reauth 5 -t s/r -m x 2>"$TEST_DIR/usage.err" || rc=$?
expect_eq "$rc" 1 "--scram-reauth without --scram is a usage error"
