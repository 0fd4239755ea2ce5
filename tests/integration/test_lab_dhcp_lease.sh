#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# brisa-net dhcp in the lab's device namespace against a real dnsmasq: the
# lease is obtained and applied (address, prefix, default route), and what
# it carries (router, DNS, NTP, domain, server) is dnsmasq's configuration.
source "$(dirname "$0")/../../lab/testlib.sh"
lab_require_root
source "$(dirname "$0")/../harness/lib.sh"
lab_start

expect_eq "$(device_ipv4)" "" "device starts without an address"
in_device "$BRISA_BIN/brisa-net" dhcp eth0 --attempts 3 --retry-base 1000 \
    >"$TEST_DIR/dhcp.out" 2>"$TEST_DIR/dhcp.log" || fail "brisa-net dhcp failed: $(cat "$TEST_DIR/dhcp.log")"
out=$(cat "$TEST_DIR/dhcp.out")
field() { sed -n "s/^$1: //p" "$TEST_DIR/dhcp.out"; }

addr=$(field address)
ip=${addr%/*}
host=${ip##*.}
[ "${ip%.*}" = "$LAB_SUBNET" ] && [ "$host" -ge 100 ] && [ "$host" -le 199 ] \
    || fail "address $addr outside dnsmasq's range $LAB_RANGE_START-$LAB_RANGE_END"
pass "address $addr from the range"
expect_eq "${addr#*/}" 24 "prefix"
expect_eq "$(field source)" server "source"
expect_eq "$(field mask)" 255.255.255.0 "mask"
expect_eq "$(field router)" "$LAB_ROUTER_IP" "router (option 3)"
expect_eq "$(field dns)" "$LAB_ROUTER_IP" "DNS server (option 6)"
expect_eq "$(field ntp)" "$LAB_NTP_IP" "NTP server (option 42)"
expect_eq "$(field domain)" "$LAB_DOMAIN" "domain (option 15)"
expect_eq "$(field server)" "$LAB_ROUTER_IP" "server identifier (option 54)"
expect_eq "$(field lease)" "120 s" "lease time (dnsmasq's 2m)"
expect_eq "$(field t1)" "60 s" "T1 = lease/2"
expect_contains "$out" "bound: eth0 in" "bound line"

# What the kernel now has, seen from inside the namespace.
expect_eq "$(device_ipv4)" "$addr" "ip addr shows the lease"
expect_contains "$(in_device ip -o -4 addr show dev eth0)" "valid_lft 1" "address lifetime is the lease (not forever)"
expect_contains "$(in_device ip route show default)" "default via $LAB_ROUTER_IP dev eth0 proto dhcp" "default route"
# The configuration works: the router and the broker answer.
device_connects "$LAB_BROKER_IP" 1883 || fail "broker $LAB_BROKER_IP:1883 unreachable from the device"
pass "broker reachable from the device"

# dnsmasq agrees.
expect_file_contains "$LAB_DNSMASQ_LOG" "DHCPACK(br0) $ip $LAB_DEVICE_MAC" "dnsmasq ACKed"
expect_file_contains "$LAB_DNSMASQ_LEASES" "$LAB_DEVICE_MAC $ip" "dnsmasq lease file"
grep -q "requested options: 1:netmask, 3:router, 6:dns-server" "$LAB_DNSMASQ_LOG" \
    || fail "parameter request list not seen by dnsmasq"
pass "parameter request list (option 55)"

# A second run on the configured interface is idempotent.
in_device "$BRISA_BIN/brisa-net" dhcp eth0 --no-probe >"$TEST_DIR/again.out" 2>&1 \
    || fail "second run: $(cat "$TEST_DIR/again.out")"
expect_eq "$(device_ipv4)" "$addr" "same address the second time"
expect_eq "$(in_device ip -o -4 addr show dev eth0 | wc -l)" 1 "one address only"
