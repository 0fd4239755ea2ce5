#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# brisa-modem-emu driven directly by a scripted DTE (modem_dte.py) on its
# pty, with a real mosquitto behind it: the manual's formats, echo,
# prompts, the seed's typos answered ERROR, the seed's two captures
# replayed byte for byte (plain, and two-way TLS with brisa-pki
# certificates), one-way TLS, a wrong CA refused with the manual's code,
# both client indexes at once, 10,240-byte payloads both ways, and every
# fault of the control socket.
source "$BRISA_SRC/tests/harness/lib.sh"
EMU=$BRISA_BIN/brisa-modem-emu
PKI=$BRISA_BIN/brisa-pki
DTE="python3 $BRISA_SRC/tests/integration/modem_dte.py"
VEC=$BRISA_SRC/tests/vectors
[ -x "$EMU" ] || fail "brisa-modem-emu not built ($EMU)"

# ---- certificates and a broker with plain, one-way and two-way listeners ----
P=$TEST_DIR/pki
QUIET=1 "$PKI" init "$P" --rsa >/dev/null
QUIET=1 "$PKI" broker "$P" broker --ip 127.0.0.1 --dns localhost
QUIET=1 "$PKI" device "$P" sim7600
QUIET=1 "$PKI" broker "$P" expired --ip 127.0.0.1 --expired
QUIET=1 "$PKI" broker "$P" elsewhere --dns broker.example
QUIET=1 "$PKI" init "$TEST_DIR/other" --rsa >/dev/null
L=$TEST_DIR/listeners.conf
ONE=$(free_port)
TWO=$(free_port)
QUIET=1 "$PKI" mosquitto "$P" --port "$ONE" --mode one-way --broker broker >>"$L"
QUIET=1 "$PKI" mosquitto "$P" --port "$TWO" --mode two-way --broker broker >>"$L"
EXPIRED=$(free_port)
ELSEWHERE=$(free_port)
QUIET=1 "$PKI" mosquitto "$P" --port "$EXPIRED" --mode one-way --broker expired >>"$L"
QUIET=1 "$PKI" mosquitto "$P" --port "$ELSEWHERE" --mode one-way --broker elsewhere >>"$L"
AUTH=$(free_port) # user and password required
mosquitto_passwd -c -b "$TEST_DIR/passwd" simuser 's3cret, pass' >/dev/null 2>&1
printf 'listener %s 127.0.0.1\nallow_anonymous false\npassword_file %s\n' "$AUTH" \
    "$TEST_DIR/passwd" >>"$L"
broker_start broker "$(cat "$L")"
wait_port "$ONE"
wait_port "$TWO"
wait_port "$AUTH"
wait_port "$EXPIRED"
wait_port "$ELSEWHERE"
PORT=$BROKER_PORT

TTY=$TEST_DIR/ttyS7600
CTL=$TEST_DIR/emu.sock
ATLOG=$TEST_DIR/emu-at.log
run_bg emu "$EMU" --pty "$TTY" --control "$CTL" --log "$ATLOG" --input-timeout 1500
EMU_PID=$BG_PID
wait_for 10 test -L "$TTY" || fail "no pty link at $TTY"
expect_file_contains "$TEST_DIR/emu.out" "brisa-modem-emu: ready on $TTY" "ready line on stdout"

# ctl COMMAND: one line to the control socket; prints the answer. CTLCMD
# does the same from a transcript's "! " line, while the DTE holds the port
# (what the module sends while nobody listens is lost, as on a real line).
cat >"$TEST_DIR/ctl.py" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(" ".join(sys.argv[2:]).encode() + b"\n")
answer = s.makefile().readline().rstrip("\n")
print(answer)
sys.exit(0 if answer == "ok" else 1)
PY
ctl() { python3 "$TEST_DIR/ctl.py" "$CTL" "$1"; }
CTLCMD="python3 $TEST_DIR/ctl.py $CTL"
expect_ctl() { expect_eq "$(ctl "$1")" "${2:-ok}" "control: $1"; }

# watch NAME TOPIC: mosquitto_sub waits for one message on TOPIC (output in
# $TEST_DIR/NAME.out, pid in BG_PID), subscribed before this returns.
watch() {
    run_bg "$1" timeout 20 mosquitto_sub -p "$PORT" -t "$2" -C 1 -i "$1-watcher"
    wait_subscribed "$BROKER_LOG" "$1-watcher"
}

# replay NAME [DTE options]: replays the transcript on stdin.
replay() {
    local name=$1
    shift
    cat >"$TEST_DIR/$name.txt"
    $DTE "$@" "$TTY" "$TEST_DIR/$name.txt" >"$TEST_DIR/dte-$name.out" 2>&1 ||
        fail "$name: $(cat "$TEST_DIR/dte-$name.out")"
    pass "$name"
}

# ---- bring-up, formats, echo ----
today=$(date -u +%y/%m/%d)
replay bring-up <<EOF
> AT
< OK
> ATI
< Manufacturer: SIMCOM INCORPORATED
< Model: SIMCOM_SIM7600E-H
< Revision: brisa-modem-emu
< IMEI: 860000000000001
< +GCAP: +CGSM
< OK
> AT+CPIN?
< +CPIN: READY
< OK
> AT+CSQ
< +CSQ: 23,99
< OK
> AT+CREG?
< +CREG: 0,1
< OK
> AT+CGREG?
< +CGREG: 0,1
< OK
> AT+CGDCONT=1,"IP","internet.brisa"
< OK
> AT+CGDCONT?
< +CGDCONT: 1,"IP","internet.brisa","0.0.0.0",0,0
< OK
> AT+COPS?
< +COPS: 0,0,"brisa emulated network",7
< OK
> AT+CGACT=1,1
< OK
> AT+CGACT?
< +CGACT: 1,1
< OK
> AT+NETOPEN
< OK
< +NETOPEN: 0
> AT+NETOPEN?
< +NETOPEN: 1
< OK
> AT+NETOPEN
< +IP ERROR: Network is already opened
< ERROR
> AT+CTZU=1
< OK
> AT+CCLK?
<~ \+CCLK: "$today,[0-2][0-9]:[0-5][0-9]:[0-6][0-9]\+00"
< OK
> AT+CNTP="pool.ntp.org",0
< OK
> AT+CNTP
< OK
< +CNTP: 0
> ATE0
< OK
> AT+CSQ
< +CSQ: 23,99
< OK
> ATE1
< OK
EOF
# The seed's typos and other unknown commands: ERROR, as on the module.
replay typos <<EOF
> AT+CMQTTTPUB=0,1,60
< ERROR
> AT+CSSSLCFG="cacert",0,"ca.pem"
< ERROR
> AT+CMQTTTRXSTART
< ERROR
> AT+NOSUCH
< ERROR
> ATQ9
< ERROR
> HELLO
< ERROR
> AT+CMQTTSTART=1
< ERROR
> AT+CMQTTACCQ=0,"x",0
< +CMQTTACCQ: 0,9
< ERROR
EOF

# ---- the seed's plain capture, byte for byte ----
sed "s#tcp://mibrokermqtt.midominio#tcp://127.0.0.1:$PORT#" "$VEC/sim7600_plain.txt" >"$TEST_DIR/plain.in"
watch hola /test/1
HOLA=$BG_PID
replay plain-capture --before-rx "mosquitto_pub -p $PORT -t /SIM/7600 -m 'Sigue al conejo blanco'" \
    <"$TEST_DIR/plain.in"
wait_pid "$HOLA" 10
expect_eq "$(cat "$TEST_DIR/hola.out")" "HoLa" "mosquitto_sub saw HoLa on /test/1"
expect_file_contains "$BROKER_LOG" "Received PUBLISH from myMQTTclient (d0, q1, r0, m1, '/test/1', ... (4 bytes))" \
    "the broker got HoLa at QoS 1 from the module's client"
expect_file_contains "$ATLOG" " cmd AT+CMQTTPUB=0,1,60" "the log has the commands received"
expect_file_contains "$ATLOG" " out +CMQTTRXPAYLOAD: 0,22" "the log has the lines sent"
expect_file_contains "$ATLOG" " out Sigue al conejo blanco (22 bytes)" "the log has the data sent"
expect_file_contains "$ATLOG" " data HoLa (4 bytes)" "the log has the data received after a prompt"

# ---- the seed's TLS capture (two-way), then a round trip over it ----
sed "s#tcp://mibrokermqtt.midominio:8883#tcp://127.0.0.1:$TWO#" "$VEC/sim7600_tls.txt" >"$TEST_DIR/tls.in"
replay tls-capture --cert "ca.pem=$P/ca.crt" --cert "ccert.pem=$P/devices/sim7600/sim7600-chain.crt" \
    --cert "ckey.pem=$P/devices/sim7600/sim7600.key" <"$TEST_DIR/tls.in"
expect_file_contains "$BROKER_LOG" "as myMQTTTLScient" "the broker saw the TLS client"
expect_file_contains "$ATLOG" "TLSv1.2" "two-way TLS negotiated"
expect_file_contains "$ATLOG" " data ckey.pem (" "the key's upload is logged by name and size"
if grep -q "PRIVATE KEY" "$ATLOG"; then fail "key material in the emulator's log"; fi
replay tls-sub --before-rx "mosquitto_pub -p $PORT -t /SIM/7600 -m 'Sigue al conejo blanco'" <<EOF
> AT+CMQTTSUB=0,9,1
< >
>> /SIM/7600
< OK
< +CMQTTSUB: 0,0
< +CMQTTRXSTART: 0,9,22
< +CMQTTRXTOPIC: 0,9
< /SIM/7600
< +CMQTTRXPAYLOAD: 0,22
< Sigue al conejo blanco
< +CMQTTRXEND: 0
EOF

# ---- client 1 at the same time: one-way TLS (SSL context 1), QoS 2 ----
watch c1 c1/out
C1=$BG_PID
replay one-way <<EOF
> AT+CSSLCFG="sslversion",1,3
< OK
> AT+CSSLCFG="authmode",1,1
< OK
> AT+CSSLCFG="cacert",1,"ca.pem"
< OK
> AT+CSSLCFG="enableSNI",1,1
< OK
> AT+CSSLCFG=1
< +CSSLCFG: 1,3,1,1,300,"ca.pem","","",1
< OK
> AT+CMQTTACCQ=1,"emu-one-way",1
< OK
> AT+CMQTTSSLCFG=1,1
< OK
> AT+CMQTTCONNECT=1,"tcp://localhost:$ONE",1,1
< OK
< +CMQTTCONNECT: 1,0
> AT+CMQTTACCQ?
< +CMQTTACCQ: 0,"myMQTTTLScient",1
< +CMQTTACCQ: 1,"emu-one-way",1
< OK
> AT+CMQTTTOPIC=1,6
< >
>> c1/out
< OK
> AT+CMQTTPAYLOAD=1,12
< >
>> over 1-way 2
< OK
> AT+CMQTTPUB=1,2,60
< OK
< +CMQTTPUB: 1,0
EOF
wait_pid "$C1" 10
expect_eq "$(cat "$TEST_DIR/c1.out")" "over 1-way 2" "client 1 published at QoS 2 over one-way TLS"
wait_for 5 grep -q "Received PINGREQ from emu-one-way" "$BROKER_LOG" ||
    fail "client 1 (keepalive 1 s) sent no PINGREQ"
pass "the emulator serves client 1's keepalive"
grep -q "Client myMQTTTLScient .*disconnect\|Client myMQTTTLScient closed" "$BROKER_LOG" &&
    fail "client 0 was disconnected meanwhile"

# ---- a wrong CA: the handshake fails with the manual's code 32 ----
OTHER_CA=$TEST_DIR/other/ca.crt
replay wrong-ca --cert "other.pem=$OTHER_CA" <<EOF
> AT+CMQTTDISC=1,60
< OK
< +CMQTTDISC: 1,0
> AT+CCERTDOWN="other.pem",1
< >
>> x
< OK
> AT+CSSLCFG="authmode",2,1
< OK
> AT+CSSLCFG="cacert",2,"other.pem"
< OK
> AT+CMQTTSSLCFG=1,2
< OK
> AT+CMQTTCONNECT=1,"tcp://127.0.0.1:$ONE",30,1
< OK
< +CMQTTCONNECT: 1,32
> AT+CSSLCFG="cacert",2,"missing.pem"
< OK
> AT+CMQTTCONNECT=1,"tcp://127.0.0.1:$ONE",30,1
< OK
< +CMQTTCONNECT: 1,33
> AT+CMQTTSSLCFG=1,1
< OK
> AT+CMQTTCONNECT=1,"tcp://no-such-host.invalid:$ONE",30,1
< OK
< +CMQTTCONNECT: 1,25
EOF
expect_file_contains "$ATLOG" "client 1: TLS with 127.0.0.1:" "the emulator's log says why the handshake failed"

# ---- the SSL context's settings are honoured (context 3) ----
replay ssl-settings <<EOF
> AT+CSSLCFG="authmode",3,1
< OK
> AT+CSSLCFG="cacert",3,"ca.pem"
< OK
> AT+CSSLCFG="ignorelocaltime",3,0
< OK
> AT+CMQTTSSLCFG=1,3
< OK
> AT+CMQTTCONNECT=1,"tcp://127.0.0.1:$EXPIRED",30,1
< OK
< +CMQTTCONNECT: 1,32
> AT+CSSLCFG="ignorelocaltime",3,1
< OK
> AT+CMQTTCONNECT=1,"tcp://127.0.0.1:$EXPIRED",30,1
< OK
< +CMQTTCONNECT: 1,0
> AT+CMQTTDISC=1,60
< OK
< +CMQTTDISC: 1,0
> AT+CSSLCFG="enableSNI",3,1
< OK
> AT+CMQTTCONNECT=1,"tcp://localhost:$ELSEWHERE",30,1
< OK
< +CMQTTCONNECT: 1,32
> AT+CSSLCFG="enableSNI",3,0
< OK
> AT+CMQTTCONNECT=1,"tcp://localhost:$ELSEWHERE",30,1
< OK
< +CMQTTCONNECT: 1,0
> AT+CMQTTDISC=1,60
< OK
< +CMQTTDISC: 1,0
> AT+CSSLCFG="sslversion",3,2
< OK
> AT+CMQTTCONNECT=1,"tcp://127.0.0.1:$ONE",30,1
< OK
< +CMQTTCONNECT: 1,32
> AT+CMQTTSSLCFG=1,1
< OK
EOF
expect_file_contains "$ATLOG" "expired" "ignorelocaltime 0: the expired broker certificate refused"
expect_file_contains "$ATLOG" "broker.example" "enableSNI 1: the host name checked against the certificate"
expect_file_contains "$ATLOG" "sslversion 2 (below TLS 1.2) is not offered" "sslversion below TLS 1.2 refused"

# ---- limits: topic 1024, payload 10240, refused beyond with code 22 ----
big=$(head -c 10240 /dev/zero | tr '\0' 'x')
rx_big="" # received, it comes in the module's pieces of 1024 bytes
for _ in $(seq 10); do rx_big+="< +CMQTTRXPAYLOAD: 0,1024"$'\n'"< ${big:0:1024}"$'\n'; done
watch big big/out
BIG=$BG_PID
replay limits --before-rx "mosquitto_pub -p $PORT -t big/in -m $big" <<EOF
> AT+CMQTTTOPIC=0,1025
< +CMQTTTOPIC: 0,22
< ERROR
> AT+CMQTTTOPIC=0,3
< >
>> a/#
< +CMQTTTOPIC: 0,2
< ERROR
> AT+CMQTTSUBTOPIC=0,5,0
< >
>> a/#/b
< +CMQTTSUBTOPIC: 0,2
< ERROR
> AT+CMQTTPAYLOAD=0,10241
< +CMQTTPAYLOAD: 0,22
< ERROR
> AT+CMQTTPUB=0,1,60
< +CMQTTPUB: 0,18
< ERROR
> AT+CMQTTTOPIC=0,7
< >
>> big/out
< OK
> AT+CMQTTPAYLOAD=0,10240
< >
>> $big
< OK
> AT+CMQTTPUB=0,1,60
< OK
< +CMQTTPUB: 0,0
> AT+CMQTTSUBTOPIC=0,6,0
< >
>> big/in
< OK
> AT+CMQTTSUB=0
< OK
< +CMQTTSUB: 0,0
< +CMQTTRXSTART: 0,6,10240
< +CMQTTRXTOPIC: 0,6
< big/in
$rx_big< +CMQTTRXEND: 0
EOF
wait_pid "$BIG" 10
expect_eq "$(wc -c <"$TEST_DIR/big.out")" "10241" "mosquitto_sub got the 10240-byte payload (and its newline)"

# ---- faults from the control socket ----
expect_ctl "error 2"
expect_ctl "cme 10"
replay fault-errors <<EOF
> AT
< ERROR
> AT+CSQ
< ERROR
> AT+CPIN?
< +CME ERROR: 10
> AT
< OK
EOF
expect_ctl "delay 400"
start=$(date +%s%N)
replay fault-delay <<EOF
> AT
< OK
EOF
took=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$took" -ge 400 ] || fail "delay 400: AT answered in $took ms"
pass "delay 400: AT answered in $took ms"
expect_ctl "delay 0"
expect_ctl "split 3"
python3 - "$TTY" >"$TEST_DIR/split.out" <<'PY' || fail "split: $(cat "$TEST_DIR/split.out")"
import os, select, sys, time, tty
fd = os.open(sys.argv[1], os.O_RDWR | os.O_NOCTTY)
tty.setraw(fd)
os.write(fd, b"AT+CPIN?\r")
got, reads, end = b"", 0, time.monotonic() + 5
while not got.endswith(b"OK\r\n") and time.monotonic() < end:
    if select.select([fd], [], [], 0.5)[0]:
        got += os.read(fd, 4096)
        reads += 1
want = b"AT+CPIN?\r\r\n+CPIN: READY\r\n\r\nOK\r\n"
print("reads=%d got=%r" % (reads, got))
sys.exit(0 if got == want and reads >= 3 else 1)
PY
pass "split 3: the answer arrived whole in $(sed 's/ got=.*//' "$TEST_DIR/split.out")"
expect_ctl "split 0"
expect_ctl "rxsplit 5"
replay fault-rxsplit --before-rx "mosquitto_pub -p $PORT -t /SIM/7600 -m 'Sigue al conejo blanco'" <<EOF
< +CMQTTRXSTART: 0,9,22
< +CMQTTRXTOPIC: 0,5
< /SIM/
< +CMQTTRXTOPIC: 0,4
< 7600
< +CMQTTRXPAYLOAD: 0,5
< Sigue
< +CMQTTRXPAYLOAD: 0,5
<  al c
< +CMQTTRXPAYLOAD: 0,5
< onejo
< +CMQTTRXPAYLOAD: 0,5
<  blan
< +CMQTTRXPAYLOAD: 0,2
< co
< +CMQTTRXEND: 0
EOF
expect_ctl "rxsplit 0"

# ---- unsubscribe (list and direct forms), a retained QoS 0 publish ----
replay unsub <<EOF
> AT+CMQTTUNSUBTOPIC=0,6
< >
>> big/in
< OK
> AT+CMQTTUNSUB=0,0
< OK
< +CMQTTUNSUB: 0,0
> AT+CMQTTUNSUB=0,9,0
< >
>> /SIM/7600
< OK
< +CMQTTUNSUB: 0,0
! mosquitto_pub -p $PORT -t /SIM/7600 -m 'not for us any more'; sleep 0.3
> AT+CMQTTTOPIC=0,12
< >
>> emu/retained
< OK
> AT+CMQTTPAYLOAD=0,4
< >
>> kept
< OK
> AT+CMQTTPUB=0,0,60,1
< OK
< +CMQTTPUB: 0,0
EOF
expect_eq "$(timeout 10 mosquitto_sub -p "$PORT" -t emu/retained -C 1 -W 5)" "kept" \
    "the QoS 0 publish with retain 1 was kept by the broker"

# connlost: the module's URC, and the broker sees the socket go without
# DISCONNECT (so it publishes the will of client 1).
watch will will/c1
WILL=$BG_PID
replay will <<EOF
> AT+CMQTTREL=1
< OK
> AT+CMQTTACCQ=1,"emu-will",0
< OK
> AT+CMQTTWILLTOPIC=1,7
< >
>> will/c1
< OK
> AT+CMQTTWILLMSG=1,4,1
< >
>> gone
< OK
> AT+CMQTTCONNECT=1,"tcp://127.0.0.1:$AUTH",30,1
< OK
< +CMQTTCONNECT: 1,31
> AT+CMQTTCONNECT=1,"tcp://127.0.0.1:$AUTH",30,1,"simuser","wrong"
< OK
<~ \+CMQTTCONNECT: 1,(30|31)
> AT+CMQTTCONNECT=1,"tcp://127.0.0.1:$AUTH",30,1,"simuser","s3cret, pass"
< OK
< +CMQTTCONNECT: 1,0
> AT+CMQTTDISC=1,60
< OK
< +CMQTTDISC: 1,0
! kill -STOP $BROKER_PID
> AT+CMQTTCONNECT=1,"tcp://127.0.0.1:$PORT",30,1
< OK
> AT+CSQ
< +CSQ: 23,99
< OK
! kill -CONT $BROKER_PID
< +CMQTTCONNECT: 1,0
EOF
pass "user and password; a CONNACK refusal is 26 + its code; the line is served while CONNACK is awaited"
# A broker that does not answer (stopped for a moment): the publish
# fails with the manual's timeout code 17 once its own timeout passes.
replay pub-timeout <<EOF
! kill -STOP $BROKER_PID
> AT+CMQTTTOPIC=1,3
< >
>> a/b
< OK
> AT+CMQTTPUB=1,1,1
< OK
< +CMQTTPUB: 1,17
! kill -CONT $BROKER_PID
EOF
replay connlost <<EOF
! $CTLCMD connlost 1 3
< +CMQTTCONNLOST: 1,3
> AT+CMQTTDISC?
< +CMQTTDISC: 0,0
< +CMQTTDISC: 1,1
< OK
EOF
wait_pid "$WILL" 10
expect_eq "$(cat "$TEST_DIR/will.out")" "gone" "connlost dropped client 1 without DISCONNECT: its will was sent"
expect_eq "$(ctl "connlost 1 1")" "error: client 1 is not connected" "connlost on a client that is not connected"
expect_eq "$(ctl "bogus 1")" \
    "error: unknown or malformed command 'bogus' (connlost IDX CAUSE, error N, cme CODE, delay MS, split N, rxsplit N, reset, poweroff)" \
    "an unknown control command"

# The broker ends the connection itself (a second client takes the id):
# +CMQTTCONNLOST with cause 1.
replay broker-closed <<EOF
! mosquitto_pub -p "$PORT" -i myMQTTTLScient -t x -m y
< +CMQTTCONNLOST: 0,1
EOF

# A DTE that sends but never reads: the emulator waits 2 s once, then
# drops its output until the line has room, and answers again at once.
python3 - "$TTY" >"$TEST_DIR/flood.out" <<'PY' || fail "flood: $(cat "$TEST_DIR/flood.out")"
import os, select, sys, termios, time, tty
fd = os.open(sys.argv[1], os.O_RDWR | os.O_NOCTTY)
tty.setraw(fd)
start = time.monotonic()
for _ in range(3000):
    os.write(fd, b"AT+CSQ\r")
time.sleep(2.5)
termios.tcflush(fd, termios.TCIFLUSH)
os.write(fd, b"AT\r")
got, end = b"", time.monotonic() + 5
while b"OK\r\n" not in got and time.monotonic() < end:
    if select.select([fd], [], [], 0.5)[0]:
        got += os.read(fd, 4096)
took = time.monotonic() - start
print("answered after the flood: %r, %.1f s in all" % (got[-20:], took))
sys.exit(0 if b"OK\r\n" in got and took < 15 else 1)
PY
pass "flood: $(cat "$TEST_DIR/flood.out")"
expect_file_contains "$ATLOG" "DTE not reading: output dropped until it does" "the emulator noticed the DTE stopped reading"

# A prompt whose bytes never all arrive: ERROR after the input timeout.
replay input-timeout <<EOF
> AT+CMQTTTOPIC=0,10
< >
>> abc
< ERROR
> AT
< OK
EOF

# reset: state lost, echo back on, certificates kept, RDY after ~0.5 s.
replay before-reset <<EOF
> ATE0
< OK
EOF
replay reset <<EOF
! $CTLCMD reset
< RDY
> AT+CMQTTACCQ?
< +CMQTTACCQ: 0,"",0
< +CMQTTACCQ: 1,"",0
< OK
> AT+NETOPEN?
< +NETOPEN: 0
< OK
> AT+CCERTLIST
< +CCERTLIST: "ca.pem"
< +CCERTLIST: "ccert.pem"
< +CCERTLIST: "ckey.pem"
< +CCERTLIST: "other.pem"
< OK
> AT+CSSLCFG=0
< +CSSLCFG: 0,4,0,1,300,"","","",0
< OK
> AT+CCERTDELE="other.pem"
< OK
> AT+CCERTDELE="other.pem"
< ERROR
> AT+CCERTLIST
< +CCERTLIST: "ca.pem"
< +CCERTLIST: "ccert.pem"
< +CCERTLIST: "ckey.pem"
< OK
EOF
# poweroff: the certificates go too, as the seed says.
replay poweroff <<EOF
! $CTLCMD poweroff
< RDY
> AT+CCERTLIST
< OK
EOF

# AT+CRESET from the DTE, and SIGTERM removes the link.
replay creset <<EOF
> AT+CRESET
< OK
< RDY
EOF
kill -TERM "$EMU_PID"
wait_pid "$EMU_PID" 10
expect_eq "$WAIT_RC" 0 "brisa-modem-emu exit status after SIGTERM"
[ ! -e "$TTY" ] || fail "the pty link is still there after SIGTERM"
pass "SIGTERM removed the pty link"
if grep -q "Sanitizer" "$TEST_DIR/emu.log"; then fail "sanitizer report: $(cat "$TEST_DIR/emu.log")"; fi
