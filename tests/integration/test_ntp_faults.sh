#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# brisa-net ntp against replies no honest server sends, played by
# tests/harness/udppeer.py: each must be rejected with a clear reason.
# ntp-good shows the peer itself works, so the rejections are ours.
source "$BRISA_SRC/tests/harness/lib.sh"

NET="$BRISA_BIN/brisa-net"
PEER="$BRISA_SRC/tests/harness/udppeer.py"
[ -x "$NET" ] || fail "$NET not built"

n=0
# peer MODE [ARGS...]: a fresh udppeer; sets PEER_PORT.
peer() {
    n=$((n + 1))
    run_bg "peer$n" python3 "$PEER" --ready "$TEST_DIR/peer$n.port" --mode "$@"
    wait_for 10 test -s "$TEST_DIR/peer$n.port" || fail "udppeer $1 did not start"
    PEER_PORT=$(cat "$TEST_DIR/peer$n.port")
}

FAST=(--timeout 300 --attempts 2 --samples 2)

peer ntp-good
out=$("$NET" ntp "127.0.0.1:$PEER_PORT" "${FAST[@]}")
expect_contains "$out" "samples: 2 of 2" "a valid reply from the scripted peer is taken"

# rejected MODE EXPECTED [PEER ARGS...]
rejected() {
    local mode=$1 want=$2; shift 2
    peer "$mode" "$@"
    local srv="127.0.0.1:$PEER_PORT"
    expect_fails "$mode" "$NET" ntp "$srv" "${FAST[@]}"
    expect_eq "$LAST_STDERR" "brisa-net: ntp: $srv: $want" "$mode message"
}

rejected ntp-bad-origin "reply rejected: origin timestamp does not match the request (2 attempts)"
rejected ntp-mode3 "reply rejected: not a server reply (mode is not 4) (2 attempts)"
rejected ntp-leap3 "reply rejected: server clock not synchronised (leap indicator 3) (2 attempts)"
rejected ntp-zero-tx "reply rejected: transmit timestamp is zero (2 attempts)"
rejected ntp-stratum16 "reply rejected: stratum above 15 (2 attempts)"
rejected ntp-kod "kiss-o'-death DENY (server refuses service)" --code DENY
rejected ntp-kod "kiss-o'-death RSTR (server refuses service)" --code RSTR
rejected ntp-kod "kiss-o'-death RATE (asked to slow down)" --code RATE
# Stratum 0 with a code that asks nothing of us: not time, so rejected.
rejected ntp-kod "reply rejected: kiss-o'-death (2 attempts)" --code INIT
rejected silent "no reply after 2 attempts"

# A kiss ends the exchange at once: one request, not two.
peer ntp-kod --code DENY
expect_fails "DENY once" "$NET" ntp "127.0.0.1:$PEER_PORT" "${FAST[@]}"
expect_eq "$(grep -c 'bytes from' "$TEST_DIR/peer$n.log")" 1 "no request after DENY"
