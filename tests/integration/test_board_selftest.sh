#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The mps2-an500 board support in QEMU: console, SysTick, LEDs, heap, the
# LAN9118 (a frame out, padded to 60 bytes as seen in QEMU's own capture,
# and the ARP reply back), a key on the console as the button, and the
# result as QEMU's exit status through semihosting. QEMU's user network is
# restricted: no frame leaves the emulator.
source "$BRISA_SRC/tests/harness/lib.sh"
source "$BRISA_SRC/scripts/lib/board-env.sh"
for tool in qemu-system-arm arm-none-eabi-gcc; do
    command -v "$tool" >/dev/null || { echo "SKIP: $tool missing (scripts/bootstrap.sh)"; exit 77; }
done
board_qemu() {
    local elf=$1
    shift
    qemu-system-arm -M mps2-an500 -kernel "$elf" -nographic \
        -semihosting-config enable=on,target=native "$@"
}

elf=$(board_build brisa-board-selftest) || fail "firmware build"
mkfifo "$TEST_DIR/keys"
# QEMU's UART drops what arrives before the firmware enables its receiver:
# the key is typed once the firmware asks for it. The fifo stays open so
# the console never sees end of file.
(
    for _ in $(seq 100); do
        grep -q "press a key" "$TEST_DIR/console.log" 2>/dev/null && break
        sleep 0.1
    done
    printf 'b'
    sleep 30
) >"$TEST_DIR/keys" &
track_pid $!
rc=0
timeout 60 bash -c "$(declare -f board_qemu); board_qemu '$elf' \
    -netdev user,id=n0,restrict=on -net nic,netdev=n0,model=lan9118 \
    -object filter-dump,id=f0,netdev=n0,file='$TEST_DIR/nic.pcap'" \
    <"$TEST_DIR/keys" >"$TEST_DIR/console.log" 2>&1 || rc=$?
cat "$TEST_DIR/console.log"
expect_eq "$rc" 0 "QEMU's exit status is the self-test's (0 failures)"
out=$(cat "$TEST_DIR/console.log")
expect_contains "$out" "MAC 52:54:00:12:34:56" "the LAN9118's MAC address"
expect_contains "$out" "ok    ARP reply received" "a frame received"
expect_contains "$out" "key 0x62 (the button)" "a key on the console is read"
# The first frame in QEMU's capture is our 42-byte ARP request, padded.
first=$(python3 - "$TEST_DIR/nic.pcap" <<'PY'
import struct, sys
d = open(sys.argv[1], 'rb').read()
print(struct.unpack('<I', d[24 + 8:24 + 12])[0], d[24 + 16 + 12:24 + 16 + 14].hex())
PY
)
expect_eq "$first" "60 0806" "the short frame went out padded to 60 bytes"

# A failing check must show: the exit status carries the failure count.
rc=0
timeout 60 bash -c "$(declare -f board_qemu); board_qemu '$elf' -nic none" \
    </dev/null >"$TEST_DIR/nonic.log" 2>&1 || rc=$?
expect_eq "$rc" 1 "without a NIC the self-test fails (no ARP reply) and says so in the exit status"
