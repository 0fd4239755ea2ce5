#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# brisa-net dns against a real dnsmasq on loopback (IPv4 and IPv6): A,
# AAAA, CNAME chains, TTLs, NXDOMAIN, REFUSED, a name without the asked
# type, and an answer too large for UDP that must be fetched over TCP.
source "$BRISA_SRC/tests/harness/lib.sh"

NET="$BRISA_BIN/brisa-net"
[ -x "$NET" ] || fail "$NET not built"

PORT=$(free_port)
big=()
for i in $(seq 1 40); do big+=("--host-record=big.lab,10.0.1.$i"); done
user=()
if [ "$(id -u)" -eq 0 ]; then user=(--user=root); fi
run_bg dnsmasq dnsmasq --keep-in-foreground --port="$PORT" \
    --listen-address=127.0.0.1 --listen-address=::1 --bind-interfaces \
    --no-resolv --no-hosts -C /dev/null "${user[@]}" \
    --pid-file="$TEST_DIR/dnsmasq.pid" --log-queries --log-facility=- \
    --local=/lab/ \
    --host-record=host.lab,10.0.0.5,fd00::5,300 \
    --host-record=v4only.lab,10.1.1.1,600 \
    --cname=www.lab,alias.lab,120 --cname=alias.lab,host.lab,120 \
    "${big[@]}"
DNSMASQ_LOG="$TEST_DIR/dnsmasq.log"
wait_port "$PORT"
kill -0 "$BG_PID" 2>/dev/null || fail "dnsmasq exited: $(cat "$DNSMASQ_LOG")"
SRV="127.0.0.1:$PORT"
TAB=$'\t'

out=$("$NET" dns host.lab --server "$SRV")
expect_contains "$out" "host.lab.${TAB}300${TAB}IN${TAB}A${TAB}10.0.0.5" "A record with its TTL"
expect_contains "$out" ";; from 127.0.0.1 port $PORT over UDP" "answered over UDP"

out=$("$NET" dns host.lab --server "$SRV" --type AAAA)
expect_contains "$out" "host.lab.${TAB}300${TAB}IN${TAB}AAAA${TAB}fd00::5" "AAAA record"

out=$("$NET" dns host.lab --server "[::1]:$PORT")
expect_contains "$out" "10.0.0.5" "A record asked over IPv6"
expect_contains "$out" "from ::1 port $PORT" "IPv6 server"

out=$("$NET" dns WWW.Lab --server "$SRV")
expect_contains "$out" "WWW.Lab.${TAB}120${TAB}IN${TAB}CNAME${TAB}alias.lab." "first CNAME link"
expect_contains "$out" "alias.lab.${TAB}120${TAB}IN${TAB}CNAME${TAB}host.lab." "second CNAME link"
# The address may be used only as long as the shortest link lives.
expect_contains "$out" "host.lab.${TAB}120${TAB}IN${TAB}A${TAB}10.0.0.5" "address with the chain's TTL"

expect_fails "NXDOMAIN" "$NET" dns nosuch.lab --server "$SRV"
expect_eq "$LAST_STDERR" "brisa-net: dns: nosuch.lab: NXDOMAIN (rcode 3)" "NXDOMAIN message"

# Outside its local domain and with no upstream, dnsmasq refuses.
expect_fails "REFUSED" "$NET" dns outside.example --server "$SRV"
expect_eq "$LAST_STDERR" "brisa-net: dns: outside.example: REFUSED (rcode 5)" "REFUSED message"

expect_fails "no AAAA" "$NET" dns v4only.lab --server "$SRV" --type AAAA
expect_eq "$LAST_STDERR" "brisa-net: dns: v4only.lab: no AAAA record" "NOERROR without records"

# 40 A records do not fit in 512 bytes: dnsmasq sets TC, we retry on TCP.
before=$(grep -c 'query\[A\] big.lab' "$DNSMASQ_LOG" || true)
out=$("$NET" dns big.lab --server "$SRV")
expect_contains "$out" "over TCP" "truncated answer fetched over TCP"
expect_eq "$(grep -c "${TAB}IN${TAB}A${TAB}10.0.1." <<<"$out")" 40 "all 40 addresses"
after=$(grep -c 'query\[A\] big.lab' "$DNSMASQ_LOG")
expect_eq "$((after - before))" 2 "one UDP and one TCP query seen by dnsmasq"

expect_fails "bad name" "$NET" dns "a..b" --server "$SRV"
expect_contains "$LAST_STDERR" "not a valid domain name" "invalid name refused before sending"
