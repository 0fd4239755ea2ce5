#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Renewal at T1 and RELEASE against a real dnsmasq. dnsmasq's shortest
# lease is 2 minutes, so the lab forces short T1/T2 with options 58/59.
source "$(dirname "$0")/../../lab/testlib.sh"
lab_require_root
source "$(dirname "$0")/../harness/lib.sh"
lab_start --t1 3 --t2 6

run_bg dhcp ip netns exec "$LAB_NS_DEVICE" "$BRISA_BIN/brisa-net" dhcp eth0 --no-probe \
    --stay 8 --release
pid=$BG_PID
out="$TEST_DIR/dhcp.out"
wait_for 20 grep -q "^bound:" "$out" || fail "no lease: $(cat "$out" "$TEST_DIR/dhcp.log")"
addr=$(sed -n 's/^address: //p' "$out")
ip=${addr%/*}
expect_eq "$(sed -n 's/^t1: //p' "$out")" "3 s" "T1 from option 58"
expect_eq "$(sed -n 's/^t2: //p' "$out")" "6 s" "T2 from option 59"

wait_for 15 grep -q "^renewed:" "$out" || fail "no renewal at T1: $(cat "$out")"
pass "renewed at T1"
expect_contains "$(cat "$out")" "state: renewing" "RENEWING state reported"
# Initial REQUEST plus at least one renewal, all ACKed for the same address.
n=$(grep -c "DHCPREQUEST(br0) $ip $LAB_DEVICE_MAC" "$LAB_DNSMASQ_LOG")
[ "$n" -ge 2 ] || fail "dnsmasq saw $n REQUESTs for $ip"
pass "dnsmasq saw $n REQUESTs for $ip"
expect_eq "$(device_ipv4)" "$addr" "address kept across renewals"

wait_pid "$pid" 20
expect_eq "$WAIT_RC" 0 "brisa-net exit status"
expect_contains "$(cat "$out")" "released: eth0" "release reported"
wait_for 5 grep -q "DHCPRELEASE(br0) $ip $LAB_DEVICE_MAC" "$LAB_DNSMASQ_LOG" \
    || fail "dnsmasq did not log the RELEASE: $(tail -n 5 "$LAB_DNSMASQ_LOG")"
pass "dnsmasq saw DHCPRELEASE"
wait_for 5 bash -c "! grep -q '$LAB_DEVICE_MAC' '$LAB_DNSMASQ_LEASES'" \
    || fail "lease still in dnsmasq's lease file: $(cat "$LAB_DNSMASQ_LEASES")"
pass "lease gone from dnsmasq's lease file"
expect_eq "$(device_ipv4)" "" "address removed after release"
expect_eq "$(in_device ip route show default)" "" "default route removed"

# SIGTERM during --stay also releases.
run_bg dhcp2 ip netns exec "$LAB_NS_DEVICE" "$BRISA_BIN/brisa-net" dhcp eth0 --no-probe \
    --stay 0 --release
pid=$BG_PID
wait_for 20 grep -q "^bound:" "$TEST_DIR/dhcp2.out" || fail "no second lease"
kill -TERM "$pid"
wait_pid "$pid" 10
expect_eq "$WAIT_RC" 0 "exit status after SIGTERM"
expect_contains "$(cat "$TEST_DIR/dhcp2.out")" "released: eth0" "released on SIGTERM"
n=$(grep -c "DHCPRELEASE(br0)" "$LAB_DNSMASQ_LOG")
expect_eq "$n" 2 "second RELEASE seen by dnsmasq"
expect_eq "$(device_ipv4)" "" "address removed after SIGTERM"
