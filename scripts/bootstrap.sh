#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs every Debian package that brisa's build, tests, lab, demo and
# benchmarks need. Idempotent: when everything is present it does nothing.
#
# Services shipped by these packages (mosquitto, chrony, dnsmasq) must not be
# started by the package manager: brisa's tests and lab start their own copies
# on free ports, and chronyd as a system service could touch the host clock.
set -euo pipefail

PACKAGES=(
  # build
  build-essential cmake pkg-config git
  # libraries
  libcmocka-dev libmbedtls-dev libssl-dev libinih-dev libmnl-dev libgpiod-dev
  # servers and clients the tests and the lab run for real
  mosquitto mosquitto-clients dnsmasq-base chrony
  # network lab and capture
  iproute2 nftables tshark procps psmisc
  # certificates and tooling
  openssl python3 gnuplot-nox
  # sanitizers, fuzzing, embedded cross-build
  clang libclang-rt-14-dev gcc-arm-none-eabi libnewlib-arm-none-eabi liblwip-dev
  # the emulated board (mps2-an500) and its firmware build
  qemu-system-arm
  # benchmark peers
  libmosquitto-dev libpaho-mqtt-dev
  # quality gates: API reference, coverage, analysers, valgrind, man pages
  doxygen gcovr cppcheck clang-tidy valgrind groff-base
  # lwIP and mbedTLS source packages for the firmware (scripts/fetch-sources.sh)
  dpkg-dev xz-utils debian-archive-keyring
)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "bootstrap: all ${#PACKAGES[@]} packages present"
  exit 0
fi

echo "bootstrap: installing ${#missing[@]} packages: ${missing[*]}"

# Keep services from starting during installation (as container images do).
policy=/usr/sbin/policy-rc.d
made_policy=0
if [ ! -e "$policy" ]; then
  as_root sh -c "printf '#!/bin/sh\nexit 101\n' > $policy && chmod 755 $policy"
  made_policy=1
fi
cleanup() { if [ "$made_policy" -eq 1 ]; then as_root rm -f "$policy"; fi; }
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
as_root apt-get update -q
as_root apt-get install -y -q --no-install-recommends "${missing[@]}"

# If a service slipped through (a machine with systemd and no policy file),
# stop the system copies so they neither hold ports nor set the clock.
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  for svc in mosquitto chrony dnsmasq; do
    as_root systemctl disable --now "$svc" >/dev/null 2>&1 || true
  done
fi
echo "bootstrap: done"
