#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The seed's board, emulated: the same device application built as
# firmware for the mps2-an500 (Cortex-M7, LAN9118, lwIP, mbedTLS) and run
# in QEMU, its tap NIC bridged into the network lab's device namespace.
# DHCP -> DNS -> NTP -> DNS -> TLS (two-way) -> MQTT against the lab's
# dnsmasq, chronyd and Mosquitto; LED commands from the PC (mosquitto_pub),
# events and the time seen by the PC (mosquitto_sub); a key on the board's
# console is the button: DISCONNECT and DHCP RELEASE are checked from
# outside. Then test mode, with and without TLS, whose result is QEMU's
# exit status. Needs root (namespaces), qemu-system-arm, arm-none-eabi-gcc.
#
#   scripts/demo-board.sh [--no-build] [--cycles N]     (or scripts/demo.sh --board)
#   BRISA_BUILD=DIR   the host build (brisa-pki; default: build); the
#                     firmware is built in DIR/board-fw
#   BRISA_QEMU_EXTRA  more QEMU options, e.g. "-icount shift=5" to time the
#                     code on an emulated CPU of fixed speed
#
# Exit status 0 only if every step was seen to happen.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
cd "$src"
export BRISA_SRC=$src
export BRISA_BUILD=${BRISA_BUILD:-$src/build}

build=1 cycles=20
while [ $# -gt 0 ]; do
    case "$1" in
        --no-build) build=0 ;;
        --cycles) cycles=${2:?--cycles needs a number}; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "demo-board: unknown option '$1' (try --help)" >&2; exit 2 ;;
    esac
    shift
done

if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold= plain=; fi
heading() { printf '\n%s== %s%s\n' "$bold" "$*" "$plain"; }

if [ "$(id -u)" -ne 0 ]; then
    echo "demo-board: needs root (the network lab's namespaces and a tap device)" >&2
    exit 77
fi
for tool in qemu-system-arm arm-none-eabi-gcc; do
    command -v "$tool" >/dev/null || { echo "demo-board: $tool missing (scripts/bootstrap.sh)" >&2; exit 77; }
done
if [ "$build" -eq 1 ]; then
    heading "Host build ($BRISA_BUILD): brisa-pki and the configuration checker"
    cmake -S . -B "$BRISA_BUILD" >/dev/null
    cmake --build "$BRISA_BUILD" -j2 --target brisa-device-config-c >/dev/null
fi

source "$src/tests/harness/lib.sh"
source "$src/scripts/lib/device-env.sh"
source "$src/lab/testlib.sh"
source "$src/scripts/lib/board-env.sh"

heading "Certificates: Root CA -> MQTT CA -> broker, device $DEVICE_NAME"
device_env_pki "$TEST_DIR/pki"
echo "PKI in $TEST_DIR/pki (ECDSA P-256, CRL)"

heading "Network lab: router (dnsmasq, chronyd -x, mosquitto), device namespace with QEMU's tap, PC"
device_env_tls_listener "$TEST_DIR/pki" 8883 @BROKER_IP@ "$TEST_DIR/tls-listener.conf"
lab_start --mosquitto-conf "$TEST_DIR/tls-listener.conf"
board_net_up
echo "lab up: subnet $LAB_SUBNET.0/24, broker $LAB_BROKER_IP (1883, 8883 two-way TLS)," \
     "NTP $LAB_NTP_IP, DHCP/DNS $LAB_ROUTER_IP; QEMU's $BOARD_TAP bridged with eth0"
BROKER_LOG="$LAB_DIR/mosquitto.log"
on_pc=(ip netns exec "$LAB_NS_HOST")

heading "Firmware: brisa-device.elf with the device's INI file compiled in"
device_env_config "$TEST_DIR/device.ini" "$TEST_DIR/pki" "network.interface=eth0" \
    "device.platform=$DEVICE_NAME"
t0=$(date +%s)
elf=$(board_fw "$TEST_DIR/device.ini") || fail "firmware build"
echo "built $elf in $(( $(date +%s) - t0 )) s"
arm-none-eabi-size "$elf" | sed 's/^/  /'

heading "Normal mode: QEMU boots the board; LED commands from the PC, events, the time, the button"
"${on_pc[@]}" mosquitto_sub -h "$LAB_BROKER_IP" -p 1883 -t "$DEVICE_PUBLIC_TOPIC" -i pc-watch \
    >"$TEST_DIR/pc.out" 2>"$TEST_DIR/pc.log" &
track_pid $!
wait_subscribed "$BROKER_LOG" pc-watch

board_start "$elf" "$TEST_DIR/board.out"
tail -n +1 -f --pid="$BOARD_PID" "$TEST_DIR/board.out" | sed -u 's/^/   board | /' &
track_pid $!
tail -n +1 -f --pid="$BOARD_PID" "$TEST_DIR/pc.out" | sed -u 's/^/      pc | sees /' &
track_pid $!
wait_for 120 grep -q "subscribed to secret topic" "$TEST_DIR/board.out" ||
    fail "the board did not reach MQTT (see its console above)"

pc_sends() {
    echo "      pc | sends \"$1\" on $DEVICE_SECRET_TOPIC"
    "${on_pc[@]}" mosquitto_pub -h "$LAB_BROKER_IP" -p 1883 -t "$DEVICE_SECRET_TOPIC" -q 1 -m "$1"
    wait_for 10 grep -qF -- "$2" "$TEST_DIR/pc.out" || fail "the PC never saw $2"
    sleep 0.3
}
pc_sends "LED1 ON" "[LED 1 ON]"
pc_sends "LED2 ON" "[LED 2 ON]"
pc_sends "LED3 TOGGLE" "[LED 3 ON]"
pc_sends "LED2 OFF" "[LED 2 OFF]"
pc_sends "STATUS" "[STATUS LED1=ON LED2=OFF LED3=ON]"
pc_sends "FLY AWAY" '[UNKNOWN COMMAND "FLY AWAY"]'
two_time_events() { [ "$(grep -c '^\[TIME ' "$TEST_DIR/pc.out")" -ge 2 ]; }
wait_for 15 two_time_events || fail "the board did not publish the time periodically"

echo "  button | pressed (a key on the board's console, UART0)"
board_key
board_wait 30
sleep 0.3

heading "Checked from outside"
expect_eq "$BOARD_RC" 0 "the board ended cleanly on the button (QEMU's exit status, by semihosting)"
expect_file_contains "$TEST_DIR/pc.out" "[ONLINE $DEVICE_NAME" "the PC saw the board come online"
expect_file_contains "$TEST_DIR/pc.out" "[LED 1 ON]" "the PC saw the LED events"
expect_file_contains "$TEST_DIR/pc.out" "[BUTTON PRESSED, BYE]" "the PC saw the goodbye"
grep -q '^\[TIME 20[0-9-]* [0-9:]* GMT+1\]$' "$TEST_DIR/pc.out" ||
    fail "no [TIME ...] event in local time"
pass "the PC saw the date and time (GMT+1): $(grep -m1 '^\[TIME' "$TEST_DIR/pc.out")"
expect_file_contains "$TEST_DIR/board.out" "LEDs:  LED1 [#]  LED2 [ ]  LED3 [#]" \
    "the board's LEDs (FPGAIO, SCC) read back as commanded"
grep -q "New client connected from .* as $DEVICE_NAME .*u'$DEVICE_NAME'" "$BROKER_LOG" ||
    fail "the broker log does not show the client certificate's CN"
pass "the broker authenticated the board by its certificate (CN=$DEVICE_NAME)"
grep -q "Received DISCONNECT from $DEVICE_NAME" "$BROKER_LOG" ||
    fail "the broker never received DISCONNECT"
pass "the broker received DISCONNECT"
grep -q "DHCPRELEASE.* 52:54:00:12:34:56" "$LAB_DIR/dnsmasq.log" ||
    fail "dnsmasq never saw the board's DHCPRELEASE"
pass "dnsmasq saw the board (52:54:00:12:34:56) release its lease"
grep -E "TLS .*(ms)|MQTT +connected|MEMORY" "$TEST_DIR/board.out" | sed 's/^/  figures | /'
memory=$(grep -m1 "MEMORY after the TLS handshake" "$TEST_DIR/board.out") ||
    fail "the board logged no memory figures after the TLS handshake"
heap=$(sed -n 's/.* heap peak \([0-9]*\) bytes.*/\1/p' <<<"$memory")
in_use=$(sed -n 's/.*, \([0-9]*\) in use at most.*/\1/p' <<<"$memory")
[ -n "$heap" ] && [ "$heap" -le "$BOARD_HEAP_BUDGET" ] ||
    fail "heap peak ${heap:-?} bytes for two-way TLS, over the budget of $BOARD_HEAP_BUDGET"
pass "heap peak $heap bytes (sbrk; ${in_use:-?} in use at most) for two-way TLS, within the budget of $BOARD_HEAP_BUDGET"

heading "Test mode on the board: $cycles cycles with TLS, then without, QoS 0, 256 bytes"
device_env_config "$TEST_DIR/test.ini" "$TEST_DIR/pki" "network.interface=eth0" \
    "test.enabled=true" "test.cycles=$cycles" "device.debug=false"
elf=$(board_fw "$TEST_DIR/test.ini") || fail "firmware build (test mode)"
board_start "$elf" "$TEST_DIR/test.out"
tail -n +1 -f --pid="$BOARD_PID" "$TEST_DIR/test.out" | grep --line-buffered -v ' cycle ' |
    sed -u 's/^/   board | /' &
track_pid $!
board_wait 300
sleep 0.3
expect_eq "$BOARD_RC" 0 "test mode: every message came back as sent (QEMU's exit status)"
expect_eq "$(grep -c ' cycle .* ok$' "$TEST_DIR/test.out")" "$((2 * cycles))" \
    "test mode: $((2 * cycles)) cycles timed"

heading "Board demo complete"
