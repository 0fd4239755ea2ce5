#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# examples/net_boot.c in the lab's device namespace: a lease from the real
# dnsmasq, the broker's alias resolved through the DNS server that lease
# names, and the time from the real chronyd it names, within a time limit.
source "$(dirname "$0")/../../lab/testlib.sh"
lab_require_root
source "$(dirname "$0")/../harness/lib.sh"
lab_start

rc=0
out=$(in_device timeout 60 "$BRISA_BIN/net_boot" eth0 mqtt 2>&1) || rc=$?
[ "$rc" -eq 0 ] || fail "net_boot: exit $rc: $out"
pass "net_boot exits 0"

lease=$(sed -n 's/^dhcp: \([0-9.]*\/[0-9]*\) on eth0.*/\1/p' <<<"$out")
ip=${lease%/*}
host=${ip##*.}
[ "${ip%.*}" = "$LAB_SUBNET" ] && [ "$host" -ge 100 ] && [ "$host" -le 199 ] \
    || fail "address '$lease' outside dnsmasq's range: $out"
pass "address $lease from the range"
expect_eq "${lease#*/}" 24 "prefix"
expect_eq "$(device_ipv4)" "$lease" "the lease is applied to eth0"
expect_contains "$(in_device ip route show default)" "default via $LAB_ROUTER_IP" "default route"
expect_contains "$out" "dhcp: dns $LAB_ROUTER_IP" "DNS server from the lease"
expect_contains "$out" "dhcp: ntp $LAB_NTP_IP" "NTP server from the lease"
expect_contains "$out" "dhcp: domain $LAB_DOMAIN" "domain from the lease"

# The name without a dot gets the lease's domain; dnsmasq's CNAME is followed.
expect_contains "$out" "dns: mqtt.$LAB_DOMAIN is an alias of broker.$LAB_DOMAIN" "CNAME followed"
expect_contains "$out" "dns: mqtt.$LAB_DOMAIN = $LAB_BROKER_IP" "broker's address"
expect_file_contains "$LAB_DNSMASQ_LOG" "DHCPACK(br0) $ip" "dnsmasq ACKed"

# chronyd -x serves this machine's clock: the software clock must agree
# with it to the minute (the example prints UTC to the second).
expect_contains "$out" "sntp: $LAB_NTP_IP stratum" "time from the lease's NTP server"
shown=$(sed -n 's/^sntp: time //p' <<<"$out")
[ -n "$shown" ] || fail "no time printed: $out"
shown_s=$(date -u -d "${shown% UTC*}" +%s 2>/dev/null) || fail "time '$shown' not understood"
now_s=$(date -u +%s)
diff=$((now_s - shown_s))
[ "${diff#-}" -le 60 ] || fail "time '$shown' is $diff s away from the host's"
pass "time within a minute of the host's ($diff s)"
expect_contains "$out" "boot: done" "all three steps"

# A name dnsmasq does not know: a one-line error naming it, exit 1.
rc=0
err=$(in_device timeout 60 "$BRISA_BIN/net_boot" eth0 nosuch 2>&1 >/dev/null) || rc=$?
expect_eq "$rc" 1 "unknown name: exit 1"
expect_eq "$err" "dns: nosuch.$LAB_DOMAIN: NXDOMAIN" "unknown name: one line naming it"
