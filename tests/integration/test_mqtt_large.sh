#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A 256 KiB binary payload, 64 times the tools' receive buffer: brisa-pub
# streams it, brisa-sub prints it from chunks; bytes compared exactly, in
# every direction and with mosquitto's tools on the other side.
source "$BRISA_SRC/tests/harness/lib.sh"
PUB=$BRISA_BIN/brisa-pub
SUB=$BRISA_BIN/brisa-sub
broker_start

big=$TEST_DIR/big.bin
head -c 262144 /dev/urandom >"$big"

# brisa-pub -f -> brisa-sub, QoS 1
run_bg b2b "$SUB" -p "$BROKER_PORT" -i b2b -t big/b2b -q 1 -N -C 1 -W 30
sub=$BG_PID
wait_subscribed "$BROKER_LOG" b2b
"$PUB" -p "$BROKER_PORT" -t big/b2b -q 1 -f "$big"
wait_pid "$sub" 30
expect_eq "$WAIT_RC" 0 "brisa-sub received the large message"
cmp "$big" "$TEST_DIR/b2b.out" || fail "brisa-pub -> brisa-sub: bytes differ"
pass "256 KiB brisa-pub -f -> brisa-sub, identical"
expect_file_contains "$BROKER_LOG" "'big/b2b', ... (262144 bytes)" "broker saw the whole payload"

# brisa-pub -s (stdin) -> brisa-sub -v, QoS 2: 'topic ' then the bytes.
run_bg verbose "$SUB" -p "$BROKER_PORT" -i verbose -t big/v -q 2 -v -C 1 -W 30
sub=$BG_PID
wait_subscribed "$BROKER_LOG" verbose
"$PUB" -p "$BROKER_PORT" -t big/v -q 2 -s <"$big"
wait_pid "$sub" 30
{ printf 'big/v '; cat "$big"; printf '\n'; } >"$TEST_DIR/expected_v"
cmp "$TEST_DIR/expected_v" "$TEST_DIR/verbose.out" || fail "brisa-pub -s -> brisa-sub -v: bytes differ"
pass "256 KiB brisa-pub -s -> brisa-sub -v, identical"

# brisa-pub -> mosquitto_sub
mosquitto_sub -p "$BROKER_PORT" -i msub -t big/m -q 1 -N -C 1 -W 30 \
    >"$TEST_DIR/msub.out" 2>"$TEST_DIR/msub.log" &
msub=$!
track_pid "$msub"
wait_subscribed "$BROKER_LOG" msub
"$PUB" -p "$BROKER_PORT" -t big/m -q 0 -f "$big"
wait_pid "$msub" 30
cmp "$big" "$TEST_DIR/msub.out" || fail "brisa-pub -> mosquitto_sub: bytes differ"
pass "256 KiB brisa-pub -> mosquitto_sub, identical"

# mosquitto_pub -> brisa-sub
run_bg m2b "$SUB" -p "$BROKER_PORT" -i m2b -t big/in -q 2 -N -C 1 -W 30
sub=$BG_PID
wait_subscribed "$BROKER_LOG" m2b
mosquitto_pub -p "$BROKER_PORT" -t big/in -q 2 -f "$big"
wait_pid "$sub" 30
expect_eq "$WAIT_RC" 0 "brisa-sub received mosquitto's large message"
cmp "$big" "$TEST_DIR/m2b.out" || fail "mosquitto_pub -> brisa-sub: bytes differ"
pass "256 KiB mosquitto_pub -> brisa-sub, identical"

# -f streams the file: a 48 MiB message goes out of a brisa-pub whose data
# segment may not exceed 16 MiB (ulimit -d), so the file cannot have been
# read into its memory; the same limit stops -s, which must read stdin.
# (Not under valgrind, which needs more than 16 MiB itself.)
if [ -n "${BRISA_VALGRIND:-}" ]; then
    exit 0
fi
huge=$TEST_DIR/huge.bin
head -c $((48 * 1024 * 1024)) /dev/zero >"$huge"
rc=0
(ulimit -d 16384 && exec "$PUB" -p "$BROKER_PORT" -t big/huge -q 1 -f "$huge" --timeout 60) \
    2>"$TEST_DIR/huge.err" || rc=$?
[ "$rc" -eq 0 ] || fail "48 MiB -f under a 16 MiB data limit: exit $rc: $(cat "$TEST_DIR/huge.err")"
pass "48 MiB -f under a 16 MiB data limit"
expect_file_contains "$BROKER_LOG" "'big/huge', ... (50331648 bytes)" "broker received all 48 MiB"
rc=0
(ulimit -d 16384 && exec "$PUB" -p "$BROKER_PORT" -t big/huge -q 1 -s <"$huge") \
    2>"$TEST_DIR/huge.err" || rc=$?
[ "$rc" -ne 0 ] || fail "the 16 MiB limit did not stop reading 48 MiB from stdin: the check above proves nothing"
pass "the same limit stops -s, which reads the message into memory"
