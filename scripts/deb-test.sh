#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the Debian package from a build directory (cpack -G DEB), installs
# it with apt as a user would, checks that the tools and the packages for
# programs work from /usr, and removes it again -- also when a check fails.
# Needs root (CI runs as root); without it, only builds the package.
#
#   scripts/deb-test.sh [BUILD_DIR]     (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
rm -f "$build"/brisa_*.deb
(cd "$build" && cpack -G DEB >cpack.log 2>&1) || { tail -n 20 "$build/cpack.log"; exit 1; }
deb=$(ls "$build"/brisa_*.deb)
echo "deb: built $deb ($(du -k "$deb" | cut -f1) KiB)"
if [ "$(id -u)" -ne 0 ]; then
    echo "deb: not root, install test skipped"
    exit 0
fi
if dpkg-query -W -f='${Status}' brisa 2>/dev/null | grep -q 'ok installed'; then
    echo "deb: a brisa package is installed already; not touching it" >&2
    exit 1
fi
trap 'DEBIAN_FRONTEND=noninteractive apt-get remove -y -q brisa >/dev/null 2>&1 || true' EXIT
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "./$deb" >"$build/deb-install.log" 2>&1 ||
    { tail -n 20 "$build/deb-install.log"; exit 1; }
version=$(sed -n 's/^Version: //p' <(dpkg-deb -f "$deb"))
got=$(/usr/bin/brisa-pub --version)
[ "$got" = "brisa-pub $version" ] || { echo "deb: brisa-pub --version said '$got'" >&2; exit 1; }
for module in brisa-core brisa-posix brisa-tls-mbedtls brisa-tls-openssl; do
    [ "$(pkg-config --modversion "$module")" = "$version" ] ||
        { echo "deb: pkg-config does not find $module $version" >&2; exit 1; }
done
man -w brisa-pub >/dev/null 2>&1 || [ ! -d docs/man ] ||
    { echo "deb: no man page for brisa-pub" >&2; exit 1; }
echo "deb: installed with apt, '$got', pkg-config finds every module; removing it"
DEBIAN_FRONTEND=noninteractive apt-get remove -y -q brisa >/dev/null
[ ! -e /usr/bin/brisa-pub ] || { echo "deb: /usr/bin/brisa-pub left after removal" >&2; exit 1; }
trap - EXIT
echo "deb: removed"
