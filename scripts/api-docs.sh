#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The API reference (Doxygen, HTML in BUILD_DIR/api/html) from the public
# headers; fails on any warning, so an undocumented declaration cannot slip
# in. See docs/api/Doxyfile for the headers covered.
#
#   scripts/api-docs.sh [BUILD_DIR]   a configured build (for brisa/version.h)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
[ -f "$build/include/brisa/version.h" ] || { echo "api-docs: configure $build first" >&2; exit 1; }
rm -rf "$build/api"
BRISA_API_OUT=$build/api BRISA_API_VERSION_DIR=$build/include/brisa doxygen docs/api/Doxyfile
echo "api-docs: $build/api/html/index.html, no warnings"
