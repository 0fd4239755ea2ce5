#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# DECLINE with real ARP: dnsmasq is told to give the device the PC's
# address (in use in the host namespace); the client's ARP probe finds it,
# sends DHCPDECLINE, waits, and takes another address. Then DHCPINFORM.
source "$(dirname "$0")/../../lab/testlib.sh"
lab_require_root
source "$(dirname "$0")/../harness/lib.sh"
echo 'dhcp-host=@DEVICE_MAC@,@HOST_IP@' >"$TEST_DIR/reserve.conf"
lab_start --dnsmasq-conf "$TEST_DIR/reserve.conf"

in_device "$BRISA_BIN/brisa-net" dhcp eth0 --attempts 4 --retry-base 1000 \
    >"$TEST_DIR/dhcp.out" 2>"$TEST_DIR/dhcp.log" || fail "brisa-net failed: $(cat "$TEST_DIR/dhcp.log")"
out=$(cat "$TEST_DIR/dhcp.out")
expect_contains "$out" "declined: offered address is in use" "conflict detected"
expect_file_contains "$LAB_DNSMASQ_LOG" "DHCPDECLINE(br0) $LAB_HOST_IP $LAB_DEVICE_MAC" "dnsmasq got DHCPDECLINE"
addr=$(sed -n 's/^address: //p' "$TEST_DIR/dhcp.out")
[ -n "$addr" ] && [ "${addr%/*}" != "$LAB_HOST_IP" ] || fail "bound to '$addr'"
pass "bound to another address: $addr"
expect_eq "$(device_ipv4)" "$addr" "applied"
device_connects "$LAB_BROKER_IP" 1883 || fail "device cannot reach the broker"
pass "no conflict left: the device reaches the broker"

# DHCPINFORM: a static address, options from the server.
in_device ip addr flush dev eth0
in_device "$BRISA_BIN/brisa-net" dhcp eth0 --inform "$LAB_SUBNET.60/24" --attempts 3 \
    --retry-base 1000 >"$TEST_DIR/inform.out" 2>&1 || fail "inform: $(cat "$TEST_DIR/inform.out")"
out=$(cat "$TEST_DIR/inform.out")
expect_contains "$out" "source: inform" "informed"
expect_contains "$out" "ntp: $LAB_NTP_IP" "NTP server from INFORM"
expect_file_contains "$LAB_DNSMASQ_LOG" "DHCPINFORM(br0) $LAB_SUBNET.60" "dnsmasq got DHCPINFORM"
expect_eq "$(device_ipv4)" "$LAB_SUBNET.60/24" "static address kept"
expect_contains "$(in_device ip route show default)" "default via $LAB_ROUTER_IP" "route from INFORM"
