# Helpers for the mps2-an500 firmware tests (source after tests/harness/lib.sh).
#
#   board_build TARGET [CMAKE ARGS...]   cross-builds TARGET in one firmware
#                                         build tree shared by the tests
#                                         ($BRISA_BUILD/board-fw); prints
#                                         the .elf's path
#   board_qemu ELF QEMU-ARGS...           runs QEMU as the interface
#                                         says (console on stdio, semihosting)

board_skip_unless_tools() {
    local t
    for t in arm-none-eabi-gcc qemu-system-arm; do
        command -v "$t" >/dev/null || { echo "SKIP: $t missing (scripts/bootstrap.sh)"; exit 77; }
    done
}

board_build() {
    local target=$1
    shift
    local dir="$BRISA_BUILD/board-fw"
    # The firmware tests share one tree, so mbedTLS and lwIP compile once;
    # a lock keeps two tests from building it at the same time.
    (
        flock 9
        cmake -S "$BRISA_SRC" -B "$dir" -DBRISA_BOARD=mps2-an500 "$@" >"$TEST_DIR/fw-cmake.log" 2>&1 \
            || { cat "$TEST_DIR/fw-cmake.log" >&2; exit 1; }
        cmake --build "$dir" -j2 --target "$target" >"$TEST_DIR/fw-build.log" 2>&1 \
            || { tail -n 40 "$TEST_DIR/fw-build.log" >&2; exit 1; }
    ) 9>"$BRISA_BUILD/.board-fw.lock" || fail "firmware build of $target"
    echo "$dir/bin/$target.elf"
}

board_qemu() {
    local elf=$1
    shift
    qemu-system-arm -M mps2-an500 -kernel "$elf" -nographic \
        -semihosting-config enable=on,target=native "$@"
}
