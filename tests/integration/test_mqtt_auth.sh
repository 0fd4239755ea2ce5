#!/usr/bin/env bash
# A broker with a password file and no anonymous access: the right
# credentials work; wrong or missing ones are refused with the reason shown.
source "$BRISA_SRC/tests/harness/lib.sh"
PUB=$BRISA_BIN/brisa-pub
SUB=$BRISA_BIN/brisa-sub

mosquitto_passwd -c -b "$TEST_DIR/passwd" alice 's3cret pass' >/dev/null 2>&1
broker_start broker "allow_anonymous false
password_file $TEST_DIR/passwd"

run_bg ok "$SUB" -p "$BROKER_PORT" -i authsub -u alice -P 's3cret pass' -t secure -C 1 -W 20
sub=$BG_PID
wait_subscribed "$BROKER_LOG" authsub
"$PUB" -p "$BROKER_PORT" -u alice -P 's3cret pass' -t secure -m granted -q 1
wait_pid "$sub" 20
expect_eq "$(cat "$TEST_DIR/ok.out")" "granted" "right credentials accepted"

expect_fails "wrong password" "$PUB" -p "$BROKER_PORT" -u alice -P wrong -t secure -m x
expect_eq "$LAST_STDERR" "brisa-pub: connection refused: bad user name or password (CONNACK 4)" \
    "reason of the refusal"
expect_fails "unknown user" "$SUB" -p "$BROKER_PORT" -u mallory -P x -t secure -W 5
expect_contains "$LAST_STDERR" "(CONNACK " "brisa-sub shows the CONNACK code"
expect_eq "$(printf '%s\n' "$LAST_STDERR" | wc -l)" 1 "one line of error"
expect_fails "no credentials" "$PUB" -p "$BROKER_PORT" -t secure -m x
expect_eq "$LAST_STDERR" "brisa-pub: connection refused: not authorized (CONNACK 5)" \
    "anonymous refused as not authorized"
