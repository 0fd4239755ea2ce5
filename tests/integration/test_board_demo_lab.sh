#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The seed's scenario on the emulated board: brisa-device.elf in QEMU with
# its tap in the lab, two-way TLS against the lab's real dnsmasq, chronyd
# and mosquitto, every step checked from outside by the board demo itself
# (events seen by the PC, the CN and DISCONNECT in the broker log, the
# DHCPRELEASE, test mode with and without TLS as QEMU's exit status).
if [ "$(id -u)" -ne 0 ]; then
    echo "SKIP: the lab needs root (network namespaces)"
    exit 77
fi
exec bash "$BRISA_SRC/scripts/demo-board.sh" --no-build --cycles 5
