# SPDX-License-Identifier: MIT
# Helpers for the modem tests (sourced after tests/harness/lib.sh).
#
#   modem_start NAME   brisa-modem-emu on a pty: $TEST_DIR/NAME.tty, its
#                      control socket $TEST_DIR/NAME.ctl and log
#                      $TEST_DIR/NAME.emu.log; sets MODEM, MODEM_CTL, MODEM_LOG
#   modem_ctl CMD...   one fault-control command; fails unless it says ok
EMU="$BRISA_BIN/brisa-modem-emu"
MODEM_PROBE="$BRISA_BIN/modem_probe"
[ -x "$EMU" ] || fail "brisa-modem-emu not built ($EMU)"
[ -x "$MODEM_PROBE" ] || fail "modem_probe not built ($MODEM_PROBE)"

modem_start() {
    local name=$1
    MODEM="$TEST_DIR/$name.tty"
    MODEM_CTL="$TEST_DIR/$name.ctl"
    MODEM_LOG="$TEST_DIR/$name.emu.log"
    run_bg "$name.emu" "$EMU" --pty "$MODEM" --control "$MODEM_CTL" --log "$MODEM_LOG"
    wait_for 10 test -L "$MODEM" || fail "brisa-modem-emu made no pty: $(cat "$TEST_DIR/$name.emu.log")"
    wait_for 10 test -S "$MODEM_CTL" || fail "brisa-modem-emu has no control socket"
}

modem_ctl() {
    local answer
    answer=$(python3 - "$MODEM_CTL" "$*" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
s.sendall((sys.argv[2] + "\n").encode())
print(s.makefile().readline().strip())
PY
)
    [ "$answer" = ok ] || fail "modem control '$*': $answer"
}
