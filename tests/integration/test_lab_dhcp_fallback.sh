#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# With dnsmasq stopped the attempts run out: the static configuration is
# applied and reported as such; without one, a clear failure.
source "$(dirname "$0")/../../lab/testlib.sh"
lab_require_root
source "$(dirname "$0")/../harness/lib.sh"
lab_start
"$LAB" stop --name "$LAB_TEST_NAME" dnsmasq >/dev/null
in_router ss -H -lun "sport = :67" | grep -q . && fail "dnsmasq still listening"
pass "dnsmasq stopped"

static="$LAB_SUBNET.50/24,$LAB_ROUTER_IP,$LAB_ROUTER_IP"
start=$(date +%s%N)
in_device "$BRISA_BIN/brisa-net" dhcp eth0 --attempts 3 --retry-base 500 --static "$static" \
    >"$TEST_DIR/dhcp.out" 2>"$TEST_DIR/dhcp.log" || fail "brisa-net failed: $(cat "$TEST_DIR/dhcp.log")"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
out=$(cat "$TEST_DIR/dhcp.out")
expect_contains "$out" "fallback: no DHCP lease after 3 attempts" "fallback reported"
expect_contains "$out" "source: static" "source is static"
expect_contains "$out" "address: $LAB_SUBNET.50/24" "static address printed"
# 3 DISCOVERs: waits of 0.5 s, 1 s and 2 s, each +-0.125 s.
[ "$ms" -ge 3000 ] && [ "$ms" -le 8000 ] || fail "fallback after $ms ms, expected about 3.5 s"
pass "fallback after $ms ms (backoff 0.5 + 1 + 2 s)"
expect_eq "$(device_ipv4)" "$LAB_SUBNET.50/24" "static address applied"
expect_contains "$(in_device ip -o -4 addr show dev eth0)" "valid_lft forever" "static address does not expire"
expect_contains "$(in_device ip route show default)" "default via $LAB_ROUTER_IP" "static default route"

# No fallback configured: non-zero exit and a one-line reason.
in_device ip addr flush dev eth0
expect_fails "no lease without --static" in_device "$BRISA_BIN/brisa-net" dhcp eth0 \
    --attempts 2 --retry-base 200
expect_contains "$LAST_STDERR" "no lease on eth0 after 2 attempts" "clear error"
expect_eq "$(device_ipv4)" "" "nothing applied"

# Bad arguments are usage errors.
rc=0
"$BRISA_BIN/brisa-net" dhcp eth0 --static 10.0.0.1 >/dev/null 2>"$TEST_DIR/usage.err" || rc=$?
expect_eq "$rc" 2 "malformed --static is a usage error"
expect_contains "$(cat "$TEST_DIR/usage.err")" "bad value for --static" "usage message"
expect_fails "unknown interface" in_device "$BRISA_BIN/brisa-net" dhcp nosuch0
expect_contains "$LAST_STDERR" "nosuch0" "error names the interface"
