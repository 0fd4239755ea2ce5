#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# '+' and '#' filters, several -t at once: only matching topics print.
source "$BRISA_SRC/tests/harness/lib.sh"
PUB=$BRISA_BIN/brisa-pub
SUB=$BRISA_BIN/brisa-sub
broker_start

run_bg wild "$SUB" -p "$BROKER_PORT" -i wild -t 'home/+/temp' -t 'log/#' -q 1 -v -C 5 -W 20
wild=$BG_PID
wait_subscribed "$BROKER_LOG" wild

pub() { "$PUB" -p "$BROKER_PORT" -q 1 -t "$1" -m "$2"; }
pub home/kitchen/temp 21     # + matches one level
pub home/kitchen/oven/temp 0 # + does not match two
pub home/temp 0              # nor zero
pub log 1                    # '#' matches its parent level too
pub other/log 0
pub log/a/b/c 2              # and any depth
pub home/hall/temp 19
pub log/end 3

wait_pid "$wild" 20
expect_eq "$WAIT_RC" 0 "brisa-sub exits after 5 matches"
expect_eq "$(cat "$TEST_DIR/wild.out")" \
    $'home/kitchen/temp 21\nlog 1\nlog/a/b/c 2\nhome/hall/temp 19\nlog/end 3' \
    "exactly the matching topics, in order"
