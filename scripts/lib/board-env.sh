# SPDX-License-Identifier: MIT
# The mps2-an500 firmware in the network lab (source after tests/harness/
# lib.sh and lab/testlib.sh, once the lab is up):
#
#   board_fw INI                 cross-builds brisa-device.elf with INI
#                                compiled in, in $BRISA_BUILD/board-fw (one
#                                tree: mbedTLS and lwIP compile once); prints
#                                the .elf's path
#   board_build TARGET [INI]     the same for any firmware target
#   board_net_up                 a tap for QEMU in the device namespace,
#                                bridged with its eth0 (removed at exit)
#   board_start ELF OUT          QEMU as issue 11's interface says, console
#                                to OUT; BOARD_PID is its pid. Extra QEMU
#                                options may come in $BRISA_QEMU_EXTRA (e.g.
#                                "-icount shift=5": a CPU of 31 M
#                                instructions per second in emulated time)
#   board_key                    types a key on the console: the button
#   board_wait SECONDS           waits for QEMU to end; BOARD_RC is its exit
#                                status (the firmware's, through semihosting)
#   BOARD_HEAP_BUDGET            the most heap (sbrk's high-water mark, bytes)
#                                the firmware may take up to the end of a
#                                two-way TLS handshake (docs/board.md);
#                                BRISA_FW_HEAP_BUDGET overrides it

BOARD_HEAP_BUDGET=${BRISA_FW_HEAP_BUDGET:-25600}

board_build() {
    local target=$1 ini=${2:-} dir="$BRISA_BUILD/board-fw"
    local copy="$TEST_DIR/$target.$RANDOM.elf"
    mkdir -p "$dir"
    # A lock: the firmware tests share the tree; each keeps a copy of what
    # it built, which the next build may replace.
    (
        flock 9
        cmake -S "$BRISA_SRC" -B "$dir" -DBRISA_BOARD=mps2-an500 -DBRISA_DEVICE_CONFIG="$ini" \
            -DBRISA_SOURCES_DIR="$BRISA_BUILD/third-party" >"$dir/configure.log" 2>&1 \
            || { tail -n 20 "$dir/configure.log" >&2; exit 1; }
        cmake --build "$dir" -j2 --target "$target" >"$dir/build.log" 2>&1 \
            || { grep -E 'error|brisa-device-config-c:' "$dir/build.log" | head -n 20 >&2; exit 1; }
        cp "$dir/bin/$target.elf" "$copy"
    ) 9>"$BRISA_BUILD/.board-fw.lock" || return 1
    echo "$copy"
}

board_fw() {
    board_build brisa-device "$1"
}

board_net_up() {
    BOARD_TAP=qtap0
    in_device ip tuntap add dev "$BOARD_TAP" mode tap
    in_device ip link add qbr0 type bridge
    in_device ip link set eth0 master qbr0
    in_device ip link set "$BOARD_TAP" master qbr0
    in_device ip link set qbr0 up
    in_device ip link set "$BOARD_TAP" up
    in_device ip link set eth0 up
    # The namespace goes with the lab; this only matters if it is reused.
    on_exit "ip netns exec '$LAB_NS_DEVICE' ip link del qbr0 2>/dev/null; ip netns exec '$LAB_NS_DEVICE' ip link del '$BOARD_TAP' 2>/dev/null"
}

board_start() {
    local elf=$1 out=$2
    BOARD_KEYS="$TEST_DIR/board-keys.$RANDOM"
    mkfifo "$BOARD_KEYS"
    : >"$out"
    # shellcheck disable=SC2086
    ip netns exec "$LAB_NS_DEVICE" qemu-system-arm -M mps2-an500 -kernel "$elf" -nographic \
        -semihosting-config enable=on,target=native ${BRISA_QEMU_EXTRA:-} \
        -nic "tap,ifname=$BOARD_TAP,script=no,downscript=no,model=lan9118" \
        <"$BOARD_KEYS" >"$out" 2>&1 &
    BOARD_PID=$!
    track_pid "$BOARD_PID"
    # Hold the console open (a closed stdin is not a key).
    sleep 1000000 >"$BOARD_KEYS" &
    BOARD_HOLD=$!
    track_pid "$BOARD_HOLD"
}

board_key() {
    printf 'b' >"$BOARD_KEYS"
}

board_wait() {
    BOARD_RC=124
    local i
    for ((i = 0; i < $1 * 10; i++)); do
        if ! kill -0 "$BOARD_PID" 2>/dev/null; then
            BOARD_RC=0
            wait "$BOARD_PID" || BOARD_RC=$?
            break
        fi
        sleep 0.1
    done
    stop_pid "$BOARD_HOLD"
    rm -f "$BOARD_KEYS"
}
