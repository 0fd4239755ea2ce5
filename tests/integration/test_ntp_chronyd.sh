#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# brisa-net ntp against a real chronyd serving its local clock on loopback
# (stratum 8, unprivileged port). chronyd runs with -x: it never touches
# the machine's clock, and neither does brisa-net. Same machine, so the
# true offset is ~0: ours must be within +-50 ms, the delay sane, and the
# local time printed must be the machine's, shifted by the GMT offset.
source "$BRISA_SRC/tests/harness/lib.sh"

NET="$BRISA_BIN/brisa-net"
[ -x "$NET" ] || fail "$NET not built"

PORT=$(free_port)
conf="$TEST_DIR/chrony.conf"
{
    echo "port $PORT"
    echo "bindaddress 127.0.0.1"
    echo "local stratum 8"
    echo "allow 127.0.0.1"
    echo "cmdport 0"
    echo "pidfile $TEST_DIR/chronyd.pid"
    echo "driftfile $TEST_DIR/chrony.drift"
    if [ "$(id -u)" -eq 0 ]; then echo "user root"; fi
} >"$conf"
run_bg chronyd chronyd -x -d -f "$conf"
CHRONYD=$BG_PID
udp_listening() { ss -Hlun "sport = :$PORT" | grep -q .; }
wait_for 10 udp_listening || fail "chronyd not listening on UDP $PORT: $(cat "$TEST_DIR/chronyd.log")"
kill -0 "$CHRONYD" 2>/dev/null || fail "chronyd exited"
grep -q "Disabled control of system clock" "$TEST_DIR/chronyd.log" || fail "chronyd would control the clock"
pass "chronyd up with clock control disabled"

# milliseconds "+0.123" -> absolute value in microseconds
abs_us() { local v=${1#[+-]}; echo $((10#${v%.*} * 1000 + 10#${v#*.})); }

out=$("$NET" ntp "127.0.0.1:$PORT" --samples 3 --gmt-offset +1)
echo "$out"
expect_contains "$out" "server:  127.0.0.1 port $PORT (stratum 8" "stratum 8 from chronyd"
expect_contains "$out" "samples: 3 of 3" "three samples"
offset=$(sed -n 's/^offset:  \([-+][0-9]*\.[0-9]*\) ms$/\1/p' <<<"$out")
delay=$(sed -n 's/^delay:   \([0-9]*\.[0-9]*\) ms$/\1/p' <<<"$out")
[ -n "$offset" ] && [ -n "$delay" ] || fail "no offset/delay in: $out"
[ "$(abs_us "$offset")" -le 50000 ] || fail "offset $offset ms beyond +-50 ms"
pass "offset $offset ms within +-50 ms"
[ "$(abs_us "$delay")" -lt 100000 ] || fail "delay $delay ms on loopback"
pass "delay $delay ms"

# The corrected local time, read back in the same zone, is the machine's.
shown=$(sed -n 's/^time:    \(.*\) GMT+1$/\1/p' <<<"$out")
[ -n "$shown" ] || fail "no GMT+1 time in: $out"
shown_s=$(TZ=Etc/GMT-1 date -d "$shown" +%s)
diff=$(($(date +%s) - shown_s))
[ "${diff#-}" -le 5 ] || fail "time '$shown' is ${diff}s away from now"
pass "local time GMT+1 matches ($shown)"

out=$("$NET" ntp "127.0.0.1:$PORT" --samples 1 --gmt-offset -3:30)
expect_contains "$out" "GMT-3:30" "GMT offset with minutes"
expect_contains "$out" "samples: 1 of 1" "one sample"

# Several runs against the same server: chronyd keeps answering.
for i in 1 2 3; do "$NET" ntp "127.0.0.1:$PORT" --samples 2 >/dev/null || fail "run $i"; done
pass "repeated synchronisations"

expect_fails "usage" "$NET" ntp
expect_fails "bad offset" "$NET" ntp "127.0.0.1:$PORT" --gmt-offset 1:5
