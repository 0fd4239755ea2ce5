#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
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

# mosquitto 2 answers a wrong password with CONNACK 5; the tool must show
# the code the broker sent and what it means.
expect_fails "wrong password" "$PUB" -p "$BROKER_PORT" -i badpw -u alice -P wrong -t secure -m x
expect_file_contains "$BROKER_LOG" "Sending CONNACK to 127.0.0.1 (0, 5)" "broker refused with code 5"
expect_eq "$LAST_STDERR" "brisa-pub: connection refused: not authorized (CONNACK 5)" \
    "reason of the refusal"
expect_fails "unknown user" "$SUB" -p "$BROKER_PORT" -u mallory -P x -t secure -W 5
expect_eq "$LAST_STDERR" "brisa-sub: connection refused: not authorized (CONNACK 5)" \
    "brisa-sub shows the reason"
expect_fails "no credentials" "$PUB" -p "$BROKER_PORT" -t secure -m x
expect_eq "$LAST_STDERR" "brisa-pub: connection refused: not authorized (CONNACK 5)" \
    "anonymous refused as not authorized"
