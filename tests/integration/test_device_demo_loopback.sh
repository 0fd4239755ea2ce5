#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The README's main job as it runs without root: over loopback, with real
# dnsmasq, chronyd and mosquitto, DHCP skipped.
exec bash "$BRISA_SRC/scripts/demo.sh" --no-build --loopback --cycles 5
