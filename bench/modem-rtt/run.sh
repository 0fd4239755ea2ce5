#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Round-trip time of a QoS 1 publish (PUBLISH -> PUBACK) through the
# SIM7600 link -- driver, pty, brisa-modem-emu, mosquitto -- next to
# brisa's own client over a direct TCP connection to the same mosquitto.
#
#   bench/modem-rtt/run.sh [BUILD_DIR] [N]     (default: build, 500)
#
# Prints min / median / mean / max in ms for each. The emulator adds the
# AT exchange (TOPIC, PAYLOAD, PUB: three commands, two prompts, the
# +CMQTTPUB result) over the pty on top of the MQTT round trip; a real
# module adds the serial line's bytes at its baud rate and the radio.
set -euo pipefail
BRISA_SRC=$(cd "$(dirname "$0")/../.." && pwd)
BRISA_BUILD=$(cd "${1:-$BRISA_SRC/build}" && pwd)
N=${2:-500}
export BRISA_SRC BRISA_BUILD
source "$BRISA_SRC/tests/harness/lib.sh"
source "$BRISA_SRC/tests/integration/modem_common.sh"
broker_start
modem_start m
"$MODEM_PROBE" rtt-tcp - 127.0.0.1 "$BROKER_PORT" "$N"
"$MODEM_PROBE" rtt "$MODEM" 127.0.0.1 "$BROKER_PORT" "$N"
