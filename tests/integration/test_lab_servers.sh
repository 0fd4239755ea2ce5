#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The lab itself: unique names, private addresses only, working servers
# (DNS names, NTP with chronyd -x, MQTT from the PC namespace), two labs
# side by side, and a complete teardown, also after a failed "up".
source "$(dirname "$0")/../../lab/testlib.sh"
lab_require_root
source "$(dirname "$0")/../harness/lib.sh"
lab_start
[[ "$LAB_SUBNET" == 10.* ]] || fail "subnet $LAB_SUBNET is not private"
pass "private subnet $LAB_SUBNET.0/24"
ip link show | grep -qE "dev0|host0|br0" && fail "lab interfaces leaked into the root namespace"
pass "nothing in the root namespace"
for s in dnsmasq chronyd mosquitto; do
    expect_contains "$("$LAB" status --name "$LAB_TEST_NAME")" "$s: running" "$s running"
done
expect_eq "$(in_device ip -o -4 addr show dev eth0)" "" "device has no IPv4 address"

# DNS (dnsmasq): names, CNAME, from the PC. Python speaks the protocol.
dns_query() { # NAME -> the A records, one per line
    in_host python3 - "$1" "$LAB_ROUTER_IP" <<'PY'
import socket, struct, sys
name, server = sys.argv[1], sys.argv[2]
q = struct.pack(">HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0)
q += b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0"
q += struct.pack(">HH", 1, 1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(3)
s.sendto(q, (server, 53))
r = s.recv(512)
an = struct.unpack(">H", r[6:8])[0]
i = len(q)
for _ in range(an):
    while r[i] != 0 and r[i] < 0xc0: i += r[i] + 1
    i += 2 if r[i] >= 0xc0 else 1
    t, c, ttl, l = struct.unpack(">HHIH", r[i:i+10]); i += 10
    if t == 1: print(".".join(str(b) for b in r[i:i+4]))
    i += l
PY
}
expect_eq "$(dns_query "broker.$LAB_DOMAIN")" "$LAB_BROKER_IP" "DNS: broker name"
expect_eq "$(dns_query "ntp.$LAB_DOMAIN")" "$LAB_NTP_IP" "DNS: NTP server name"
expect_eq "$(dns_query "mqtt.$LAB_DOMAIN")" "$LAB_BROKER_IP" "DNS: CNAME to the broker"

# NTP (chronyd -x, local stratum): query it once, never setting any clock.
in_host chronyd -x -Q -t 10 -f /dev/null "pidfile $TEST_DIR/q.pid" \
    "server $LAB_NTP_IP iburst maxsamples 1" >"$TEST_DIR/ntpq.log" 2>&1 \
    || fail "NTP query failed: $(cat "$TEST_DIR/ntpq.log")"
expect_contains "$(cat "$TEST_DIR/ntpq.log")" "System clock wrong by" "chronyd serves time"

# MQTT from the PC namespace.
run_bg sub ip netns exec "$LAB_NS_HOST" mosquitto_sub -h "$LAB_BROKER_IP" -t lab/test -C 1 -i labsub
wait_for 10 grep -q "labsub" "$LAB_MOSQUITTO_LOG" || fail "subscriber did not connect"
sleep 0.3
in_host mosquitto_pub -h "$LAB_BROKER_IP" -t lab/test -m hello-lab
wait_pid "$BG_PID" 10
expect_eq "$(cat "$TEST_DIR/sub.out")" "hello-lab" "MQTT through the lab broker"

# A second lab next to the first, then its complete removal.
second="t$$-b$RANDOM"
"$LAB" up --name "$second" >"$TEST_DIR/second.log" 2>&1 || fail "second lab: $(cat "$TEST_DIR/second.log")"
on_exit "'$LAB' down --name '$second' >/dev/null 2>&1"
eval "$("$LAB" env --name "$second" | sed 's/^LAB_/SECOND_/')"
[ "$SECOND_SUBNET" != "$LAB_SUBNET" ] || fail "both labs on $LAB_SUBNET"
pass "second lab on its own subnet $SECOND_SUBNET"
pids=$(for ns in $SECOND_NS_ROUTER $SECOND_NS_DEVICE $SECOND_NS_HOST; do ip netns pids "$ns"; done)
"$LAB" down --name "$second" >/dev/null
for ns in $SECOND_NS_ROUTER $SECOND_NS_DEVICE $SECOND_NS_HOST; do
    ip netns list | grep -qw "^$ns" && fail "namespace $ns left behind"
done
pass "namespaces removed"
for p in $pids; do kill -0 "$p" 2>/dev/null && fail "process $p left running"; done
pass "servers stopped"
[ ! -e "$SECOND_DIR" ] || fail "run dir $SECOND_DIR left behind"
pass "run dir removed"
expect_contains "$("$LAB" status --name "$LAB_TEST_NAME")" "dnsmasq: running" "first lab untouched"

# A failing "up" removes what it built: the missing extra config is only
# found missing once the namespaces and links exist.
third="t$$-c$RANDOM"
expect_fails "up with a missing extra config" "$LAB" up --name "$third" --mosquitto-conf "$TEST_DIR/missing.conf"
expect_fails "up with a bad subnet" "$LAB" up --name "$third" --subnet 192.168.1
ip netns list | grep -q "brisa-$third-" && fail "failed up left namespaces"
pass "failed up left nothing"
