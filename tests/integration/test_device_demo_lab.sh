#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The README's main job, in the network lab: every step of the demo is
# checked from outside by the demo itself (events seen by the PC, the
# client certificate's CN in the broker log, DHCPRELEASE in dnsmasq's log,
# test mode with and without TLS); this test fails if any is missing.
if [ "$(id -u)" -ne 0 ]; then
    echo "SKIP: the lab needs root (network namespaces)"
    exit 77
fi
exec bash "$BRISA_SRC/scripts/demo.sh" --no-build --cycles 5
