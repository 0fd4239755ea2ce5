#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# brisa-device over the SIM7600 link: [link] type = sim7600, the module
# (brisa-modem-emu) brought up, its network time taken as the clock, the
# device's certificates uploaded to it, two-way TLS by the module to a real
# mosquitto. Normal mode: LED commands in, events and the time out, the
# button (SIGUSR1) ends it with DISC, REL and STOP seen by the module.
# Test mode then runs over the same link, with TLS and without.
source "$BRISA_SRC/tests/harness/lib.sh"
source "$BRISA_SRC/tests/integration/modem_common.sh"
PKI="$BRISA_BIN/brisa-pki"
DEVICE="$BRISA_BIN/brisa-device"
[ -x "$DEVICE" ] || fail "brisa-device not built"
LIMIT=30

D=$TEST_DIR/pki
QUIET=1 "$PKI" init "$D" --ecdsa >/dev/null
QUIET=1 "$PKI" broker "$D" broker --ip 127.0.0.1 --dns localhost
QUIET=1 "$PKI" device "$D" cell1
TLS_PORT=$(free_port)
broker_start broker "$(QUIET=1 "$PKI" mosquitto "$D" --port "$TLS_PORT" --mode two-way --broker broker)"
wait_port "$TLS_PORT"
modem_start m
PUBLIC=brisa/cell1/public
SECRET=brisa/cell1/secret

cat >"$TEST_DIR/device.ini" <<INI
[device]
platform = cell1
debug = true
board = console
retry_delay = 1
max_boot_attempts = 5

[link]
type = sim7600

[modem]
device = $MODEM
baud = 115200
apn = internet
client_index = 1
ssl_context = 2

[time]
gmt_offset = +1
publish_interval = 2

[tls]
enabled = true
port = $TLS_PORT
client_auth = true
ca_file = $D/ca.crt
cert_file = $D/devices/cell1/cell1.crt
key_file = $D/devices/cell1/cell1.key

[mqtt]
broker = 127.0.0.1
port = $BROKER_PORT
client_id = cell1
public_topic = $PUBLIC
secret_topic = $SECRET
qos = 1

[test]
message_bytes = 200
cycles = 5
qos = 1
compare_tls = true
INI
"$DEVICE" --config "$TEST_DIR/device.ini" --check-config >/dev/null || fail "configuration refused"
pass "the sim7600 configuration loads"

run_bg pc timeout 120 mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -t "$PUBLIC" -i pc-watch
wait_subscribed "$BROKER_LOG" pc-watch
run_bg device "$DEVICE" --config "$TEST_DIR/device.ini"
device=$BG_PID
wait_for $LIMIT grep -q "subscribed to secret topic" "$TEST_DIR/device.out" ||
    fail "the device did not reach MQTT over the modem: $(tail -n 20 "$TEST_DIR/device.out")"
pc_sends() {
    mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -t "$SECRET" -q 1 -m "$1"
    wait_for 10 grep -qF -- "$2" "$TEST_DIR/pc.out" || fail "the PC never saw $2"
}
pc_sends "LED1 ON" "[LED 1 ON]"
pc_sends "LED3 TOGGLE" "[LED 3 ON]"
pc_sends "STATUS" "[STATUS LED1=ON LED2=OFF LED3=ON]"
# The module loses the connection: the device reconnects, as over Ethernet.
modem_ctl connlost 1 2
wait_for 15 grep -q "connection lost: socket is reset" "$TEST_DIR/device.out" ||
    fail "the device did not notice +CMQTTCONNLOST"
online_twice() { [ "$(grep -c '^\[ONLINE cell1' "$TEST_DIR/pc.out")" -ge 2 ]; }
wait_for 20 online_twice || fail "the device did not come back: $(tail -n 15 "$TEST_DIR/device.out")"
pass "after +CMQTTCONNLOST the device reconnected through the module and announced itself again"
pc_sends "LED2 ON" "[LED 2 ON]"
pc_sends "LED2 OFF" "[LED 2 OFF]"
two_time_events() { [ "$(grep -c '^\[TIME ' "$TEST_DIR/pc.out")" -ge 2 ]; }
wait_for 15 two_time_events || fail "the device did not publish the time periodically"
kill -USR1 "$device"
wait_pid "$device" 20
expect_eq "$WAIT_RC" 0 "the device ended cleanly on the button"
expect_file_contains "$TEST_DIR/pc.out" "[ONLINE cell1" "the PC saw the device come online"
expect_file_contains "$TEST_DIR/pc.out" "[LED 1 ON]" "LED commands in, events out, through the modem"
expect_file_contains "$TEST_DIR/pc.out" "[BUTTON PRESSED, BYE]" "the PC saw the goodbye"
grep -q '^\[TIME 20[0-9-]* [0-9:]* GMT+1\]$' "$TEST_DIR/pc.out" || fail "no [TIME ...] event"
pass "the time (from the cellular network) went out: $(grep -m1 '^\[TIME' "$TEST_DIR/pc.out")"
expect_file_contains "$TEST_DIR/device.out" "from the cellular network" "the clock came from AT+CCLK"
expect_file_contains "$TEST_DIR/device.out" "LEDs:  LED1 [#]  LED2 [ ]  LED3 [#]" "the console board showed the LEDs"
for cmd in 'AT+CGDCONT=1,"IP","internet"' 'AT+NETOPEN' 'AT+CTZU=1' 'AT+CCLK?' \
           'AT+CSSLCFG="authmode",2,2' 'AT+CMQTTACCQ=1,"cell1",1' 'AT+CMQTTSSLCFG=1,2' \
           'AT+CMQTTWILLTOPIC=1,' 'AT+CMQTTDISC=1,' 'AT+CMQTTREL=1' 'AT+CMQTTSTOP'; do
    expect_file_contains "$MODEM_LOG" "$cmd" "the module received $cmd"
done
grep -q "New client connected from .* as cell1 .*u'cell1'" "$BROKER_LOG" ||
    fail "the broker log does not show the client certificate's CN"
pass "the broker authenticated the device by its certificate, presented by the module"
grep -q "Received DISCONNECT from cell1" "$BROKER_LOG" || fail "the broker never received DISCONNECT"
pass "the broker received DISCONNECT"

# ---- test mode over the modem, with TLS and without ----
run_bg test timeout 120 "$DEVICE" --config "$TEST_DIR/device.ini" --test-mode --csv "$TEST_DIR/test.csv"
wait_pid "$BG_PID" 120
expect_eq "$WAIT_RC" 0 "test mode over the modem: every message came back as sent"
expect_eq "$(grep -c ',ok$' "$TEST_DIR/test.csv")" 10 "test mode: 10 cycles timed (CSV)"

# ---- test mode comparing the two links: Ethernet (direct TLS), then the SIM7600 ----
sed -e 's/^compare_tls = true/compare_links = true/' -e 's/^\[time\]/[time]\nhost_clock = true/' \
    "$TEST_DIR/device.ini" >"$TEST_DIR/links.ini"
run_bg links timeout 120 "$DEVICE" --config "$TEST_DIR/links.ini" --test-mode --csv "$TEST_DIR/links.csv"
wait_pid "$BG_PID" 120
expect_eq "$WAIT_RC" 0 "test mode over both links: every message came back as sent"
expect_eq "$(grep -c '^tls,.*,ok$' "$TEST_DIR/links.csv")" 5 "5 cycles over Ethernet with TLS"
expect_eq "$(grep -c '^sim7600-tls,.*,ok$' "$TEST_DIR/links.csv")" 5 "5 cycles over the SIM7600 with TLS"
expect_file_contains "$TEST_DIR/links.out" "Ethernet versus the SIM7600" "the two links are compared"
sed -n '/Ethernet versus the SIM7600/,+3p' "$TEST_DIR/links.out"
