#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds brisa (libraries, tools, tests; nothing is run) with gcc and clang
# in every ordinary CMake build type, warnings as errors, so that a user's
# `cmake -DCMAKE_BUILD_TYPE=Release` cannot be the first to meet an -O3
# warning. Stops at the first failure and names it.
#
#   scripts/build-matrix.sh                 all 8 builds in build-matrix/
#   BRISA_MATRIX="gcc:Release clang:Debug"  only these
#   BRISA_JOBS=N                            parallel jobs (default: CPUs)
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${BRISA_JOBS:-$(nproc)}
matrix=${BRISA_MATRIX:-}
if [ -z "$matrix" ]; then
    for cc in gcc clang; do
        for type in Debug Release RelWithDebInfo MinSizeRel; do
            matrix+="$cc:$type "
        done
    done
fi

for entry in $matrix; do
    cc=${entry%%:*}
    type=${entry#*:}
    dir=build-matrix/$cc-$type
    log=$dir.log
    mkdir -p build-matrix
    start=$(date +%s)
    if ! { cmake -S . -B "$dir" -DCMAKE_C_COMPILER="$cc" -DCMAKE_BUILD_TYPE="$type" \
               -DBRISA_WERROR=ON -DBRISA_INTEGRATION=OFF &&
           cmake --build "$dir" -j "$jobs"; } >"$log" 2>&1; then
        grep -E 'error|Error' "$log" | head -n 30
        echo "build-matrix: $cc $type FAILED (full log: $log)" >&2
        exit 1
    fi
    echo "build-matrix: $cc $type ok ($(( $(date +%s) - start )) s)"
done
