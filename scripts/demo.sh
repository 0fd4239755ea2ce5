#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# brisa's main job: the seed's device, end to end, against real servers.
#
# In the network lab (root: namespaces), the device boots from a bare
# interface: DHCP -> DNS -> NTP -> DNS -> TLS (two-way) -> MQTT, with
# dnsmasq, chronyd and Mosquitto in the router namespace. A PC in the lab
# (mosquitto_pub) sends LED commands on the secret topic; the device shows
# its LEDs change and publishes events and the time on the public topic,
# which the PC watches (mosquitto_sub). The button (SIGUSR1) ends it:
# DISCONNECT, TLS close_notify, DHCP RELEASE -- each checked from outside.
# Then test mode runs with and without TLS and prints the comparison.
#
# Without root there are no namespaces: the same runs over loopback
# (DHCP skipped), with a note saying so.
#
#   scripts/demo.sh [--loopback] [--no-build] [--cycles N]
#   scripts/demo.sh --board [--no-build] [--cycles N]   the same device as
#                     firmware for the emulated mps2-an500 board, in QEMU
#                     (scripts/demo-board.sh)
#   BRISA_BUILD=DIR   build directory (default: build)
#
# Exit status 0 only if every step was seen to happen.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
cd "$src"
export BRISA_SRC=$src
export BRISA_BUILD=${BRISA_BUILD:-$src/build}

mode=lab build=1 cycles=50
for arg in "$@"; do
    [ "$arg" = --board ] || continue
    args=()
    for a in "$@"; do [ "$a" = --board ] || args+=("$a"); done
    exec bash "$src/scripts/demo-board.sh" "${args[@]}"
done
while [ $# -gt 0 ]; do
    case "$1" in
        --loopback) mode=loopback ;;
        --no-build) build=0 ;;
        --cycles) cycles=${2:?--cycles needs a number}; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "demo: unknown option '$1' (try --help)" >&2; exit 2 ;;
    esac
    shift
done

if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold= plain=; fi
heading() { printf '\n%s== %s%s\n' "$bold" "$*" "$plain"; }

if [ "$build" -eq 1 ]; then
    heading "Packages"
    bash scripts/bootstrap.sh
    heading "Build ($BRISA_BUILD)"
    cmake -S . -B "$BRISA_BUILD" >/dev/null
    cmake --build "$BRISA_BUILD" -j "$(nproc)" >"$BRISA_BUILD/demo-build.log" 2>&1 ||
        { tail -n 30 "$BRISA_BUILD/demo-build.log"; echo "demo: build failed" >&2; exit 1; }
    echo "built into $BRISA_BUILD/bin"
fi

if [ "$mode" = lab ] && [ "$(id -u)" -ne 0 ]; then
    mode=loopback
    echo
    echo "NOTE: not root, so no network namespaces: the demo runs over loopback."
    echo "      DHCP is skipped (the host's network is used); DNS, TLS and MQTT still"
    echo "      run against real dnsmasq and mosquitto on 127.0.0.1, and NTP against"
    echo "      chronyd if it can run here."
fi

source "$src/tests/harness/lib.sh"
source "$src/scripts/lib/device-env.sh"
DEVICE="$BRISA_BIN/brisa-device"
[ -x "$DEVICE" ] || fail "$DEVICE is not built"

# ------------------------------------------------------------------ servers
heading "Certificates: Root CA -> MQTT CA -> broker, device $DEVICE_NAME"
device_env_pki "$TEST_DIR/pki"
echo "PKI in $TEST_DIR/pki (ECDSA P-256, CRL)"

if [ "$mode" = lab ]; then
    heading "Network lab: router (dnsmasq, chronyd -x, mosquitto), device, PC"
    source "$src/lab/testlib.sh"
    device_env_tls_listener "$TEST_DIR/pki" 8883 @BROKER_IP@ "$TEST_DIR/tls-listener.conf"
    lab_start --mosquitto-conf "$TEST_DIR/tls-listener.conf"
    echo "lab up: subnet $LAB_SUBNET.0/24, broker $LAB_BROKER_IP (1883, 8883 two-way TLS)," \
         "NTP $LAB_NTP_IP, DHCP/DNS $LAB_ROUTER_IP; device eth0 has no address:"
    in_device ip -brief addr show dev eth0 | sed 's/^/  /'
    device_env_config "$TEST_DIR/device.ini" "$TEST_DIR/pki" "test.cycles=$cycles" \
        "network.interface=eth0"
    BROKER_LOG="$LAB_DIR/mosquitto.log"
    # Commands run directly (not through a function) so that $! is their pid.
    on_pc=(ip netns exec "$LAB_NS_HOST")
    on_device=(ip netns exec "$LAB_NS_DEVICE")
    PC_BROKER=$LAB_BROKER_IP
    PC_PORT=1883
else
    heading "Servers on loopback: dnsmasq, chronyd -x, mosquitto"
    device_env_loopback_servers "$TEST_DIR/pki"
    echo "mosquitto 127.0.0.1:$BROKER_PORT (plain) and :$TLS_PORT (two-way TLS)," \
         "dnsmasq :$DNS_PORT${NTP_PORT:+, chronyd :$NTP_PORT}"
    device_env_config "$TEST_DIR/device.ini" "$TEST_DIR/pki" "test.cycles=$cycles" \
        "${DEVICE_LOOPBACK_KEYS[@]}"
    on_pc=()
    on_device=()
    PC_BROKER=127.0.0.1
    PC_PORT=$BROKER_PORT
fi

heading "Device configuration ($TEST_DIR/device.ini)"
grep -v '^;' "$TEST_DIR/device.ini" | sed -e '/^$/d' -e 's/^\[/\n  [/' -e 's/^\([a-z]\)/    \1/' 

# ------------------------------------------------------------ normal mode
heading "Normal mode: boot, LED commands from the PC, events, the time, the button"
"${on_pc[@]}" mosquitto_sub -h "$PC_BROKER" -p "$PC_PORT" -t "$DEVICE_PUBLIC_TOPIC" -i pc-watch \
    >"$TEST_DIR/pc.out" 2>"$TEST_DIR/pc.log" &
: >>"$TEST_DIR/pc.out"
track_pid $!
wait_subscribed "$BROKER_LOG" pc-watch

: >"$TEST_DIR/device.out"
"${on_device[@]}" "$DEVICE" --config "$TEST_DIR/device.ini" >"$TEST_DIR/device.out" 2>&1 &
device_pid=$!
track_pid "$device_pid"
tail -n +1 -f --pid="$device_pid" "$TEST_DIR/device.out" | sed -u 's/^/  device | /' &
track_pid $!
tail -n +1 -f --pid="$device_pid" "$TEST_DIR/pc.out" | sed -u 's/^/      pc | sees /' &
track_pid $!

wait_for 90 grep -q "subscribed to secret topic" "$TEST_DIR/device.out" ||
    fail "the device did not reach MQTT (see its log above)"

# pc_sends COMMAND EVENT: the PC publishes COMMAND on the secret topic and
# waits to see EVENT on the public topic.
pc_sends() {
    echo "      pc | sends \"$1\" on $DEVICE_SECRET_TOPIC"
    "${on_pc[@]}" mosquitto_pub -h "$PC_BROKER" -p "$PC_PORT" -t "$DEVICE_SECRET_TOPIC" -q 1 -m "$1"
    wait_for 10 grep -qF -- "$2" "$TEST_DIR/pc.out" || fail "the PC never saw $2"
    sleep 0.5
}
pc_sends "LED1 ON" "[LED 1 ON]"
pc_sends "LED2 ON" "[LED 2 ON]"
pc_sends "LED3 TOGGLE" "[LED 3 ON]"
pc_sends "LED2 OFF" "[LED 2 OFF]"
pc_sends "STATUS" "[STATUS LED1=ON LED2=OFF LED3=ON]"
pc_sends "FLY AWAY" '[UNKNOWN COMMAND "FLY AWAY"]'
two_time_events() { [ "$(grep -c '^\[TIME ' "$TEST_DIR/pc.out")" -ge 2 ]; }
wait_for 15 two_time_events || fail "the device did not publish the time periodically"

echo "  button | pressed (SIGUSR1 to the console board)"
kill -USR1 "$device_pid"
wait_pid "$device_pid" 20
sleep 0.3

heading "Checked from outside"
expect_eq "$WAIT_RC" 0 "the device ended cleanly on the button"
expect_file_contains "$TEST_DIR/pc.out" "[ONLINE $DEVICE_NAME" "the PC saw the device come online"
expect_file_contains "$TEST_DIR/pc.out" "[LED 1 ON]" "the PC saw the LED events"
expect_file_contains "$TEST_DIR/pc.out" "[BUTTON PRESSED, BYE]" "the PC saw the goodbye"
grep -q '^\[TIME 20[0-9-]* [0-9:]* GMT+1\]$' "$TEST_DIR/pc.out" ||
    fail "no [TIME ...] event in local time"
pass "the PC saw the date and time (GMT+1): $(grep -m1 '^\[TIME' "$TEST_DIR/pc.out")"
expect_file_contains "$TEST_DIR/device.out" "LEDs:  LED1 [#]  LED2 [ ]  LED3 [#]" \
    "the console board showed the LEDs"
grep -q "New client connected from .* as $DEVICE_NAME .*u'$DEVICE_NAME'" "$BROKER_LOG" ||
    fail "the broker log does not show the client certificate's CN"
pass "the broker authenticated the device by its certificate (CN=$DEVICE_NAME)"
grep -q "Received DISCONNECT from $DEVICE_NAME" "$BROKER_LOG" ||
    fail "the broker never received DISCONNECT"
pass "the broker received DISCONNECT"
if [ "$mode" = lab ]; then
    grep -q "DHCPRELEASE" "$LAB_DIR/dnsmasq.log" || fail "dnsmasq never saw DHCPRELEASE"
    pass "dnsmasq saw the DHCP lease released"
fi

# --------------------------------------------------------------- test mode
heading "Test mode: $cycles cycles with TLS, then without, QoS 0, 256 bytes"
: >"$TEST_DIR/test.out"
"${on_device[@]}" "$DEVICE" --config "$TEST_DIR/device.ini" --test-mode --csv "$TEST_DIR/test.csv" \
    >"$TEST_DIR/test.out" 2>&1 &
test_pid=$!
track_pid "$test_pid"
tail -n +1 -f --pid="$test_pid" "$TEST_DIR/test.out" | grep --line-buffered -v ' cycle ' |
    sed -u 's/^/  device | /' &
track_pid $!
wait_pid "$test_pid" 300
sleep 0.3
expect_eq "$WAIT_RC" 0 "test mode: every message came back as sent"
expect_eq "$(grep -c ',ok$' "$TEST_DIR/test.csv")" "$((2 * cycles))" \
    "test mode: $((2 * cycles)) cycles timed (CSV)"

heading "Demo complete ($mode)"
