#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# brisa-net dns when things go wrong: a silent server (timeout, retries
# from fresh random ports), falling back to a second server, forged replies
# (wrong id, wrong question) ignored in favour of the real answer, and a
# truncated answer with no TCP service behind it. Real dnsmasq answers;
# tests/harness/udppeer.py plays the misbehaving peers.
source "$BRISA_SRC/tests/harness/lib.sh"

NET="$BRISA_BIN/brisa-net"
PEER="$BRISA_SRC/tests/harness/udppeer.py"
[ -x "$NET" ] || fail "$NET not built"

# peer_start NAME MODE [ARGS...]: starts udppeer, waits for its port.
peer_start() {
    local name=$1 mode=$2; shift 2
    run_bg "$name" python3 "$PEER" --mode "$mode" --ready "$TEST_DIR/$name.port" "$@"
    wait_for 10 test -s "$TEST_DIR/$name.port" || fail "udppeer $name did not start"
    PEER_PORT=$(cat "$TEST_DIR/$name.port")
}

PORT=$(free_port)
user=()
if [ "$(id -u)" -eq 0 ]; then user=(--user=root); fi
run_bg dnsmasq dnsmasq --keep-in-foreground --port="$PORT" --listen-address=127.0.0.1 \
    --bind-interfaces --no-resolv --no-hosts -C /dev/null "${user[@]}" \
    --pid-file="$TEST_DIR/dnsmasq.pid" --log-queries --log-facility=- \
    --local=/lab/ --host-record=host.lab,10.0.0.5,300
wait_port "$PORT"

# A dead server: 2 rounds, each query from a new source port.
peer_start silent silent
SILENT=$PEER_PORT
start=$(date +%s%N)
expect_fails "silent server" "$NET" dns host.lab --server "127.0.0.1:$SILENT" --timeout 300 --retries 1
took=$((($(date +%s%N) - start) / 1000000))
expect_eq "$LAST_STDERR" "brisa-net: dns: host.lab: no answer from 127.0.0.1 port $SILENT after 2 attempts" \
    "timeout message"
[ "$took" -ge 600 ] || fail "gave up after $took ms, before 2 x 300 ms"
[ "$took" -lt 5000 ] || fail "took $took ms for 2 x 300 ms"
pass "timeout honoured ($took ms)"
wait_for 5 bash -c "[ \$(grep -c 'bytes from' '$TEST_DIR/silent.log') -ge 2 ]" ||
    fail "silent peer saw fewer than 2 queries"
ports=$(sed -n 's/.*bytes from 127.0.0.1 port \([0-9]*\)/\1/p' "$TEST_DIR/silent.log" | sort -u | wc -l)
expect_eq "$ports" 2 "each query from its own source port"

# First server silent, second answers.
out=$("$NET" dns host.lab --server "127.0.0.1:$SILENT" --server "127.0.0.1:$PORT" --timeout 300)
expect_contains "$out" "10.0.0.5" "answer from the second server"
expect_contains "$out" "from 127.0.0.1 port $PORT" "reported from the second server"
expect_contains "$out" "2 queries" "one query to each"

# Forged replies first, the genuine one (relayed from dnsmasq) last.
peer_start spoof dns-spoof --upstream "127.0.0.1:$PORT"
out=$("$NET" dns host.lab --server "127.0.0.1:$PEER_PORT" --timeout 2000)
expect_contains "$out" "10.0.0.5" "genuine answer taken"
case "$out" in *6.6.6.6*) fail "forged answer accepted: $out" ;; esac
pass "forged answers (wrong id, wrong question) ignored"

# TC set but nobody listens on TCP: a clear failure, not a hang.
peer_start tc dns-tc
expect_fails "TC without TCP" "$NET" dns host.lab --server "127.0.0.1:$PEER_PORT" --timeout 500
expect_contains "$LAST_STDERR" "brisa-net: dns: host.lab:" "TC failure names the lookup"
expect_contains "$LAST_STDERR" "refused" "TC failure says TCP was refused"

expect_fails "usage" "$NET" dns
expect_fails "bad server" "$NET" dns host.lab --server 127.0.0.1:99999
expect_contains "$LAST_STDERR" "bad or too many --server '127.0.0.1:99999'" "bad --server reported"
