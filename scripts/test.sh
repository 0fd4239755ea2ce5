#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, runs every test
# (unit, fuzz replays, integration against real servers), then rebuilds the
# unit tests with AddressSanitizer + UndefinedBehaviorSanitizer and runs
# them again, and checks that the core still builds freestanding.
#
#   scripts/test.sh            everything
#   BRISA_JOBS=N               parallel build/test jobs (default: CPUs)
set -euo pipefail
cd "$(dirname "$0")/.."
src=$(pwd)
jobs=${BRISA_JOBS:-$(nproc)}

bash scripts/bootstrap.sh

step() { printf '\n=== %s\n' "$*"; }

step "build (RelWithDebInfo)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$jobs"

step "tests"
ctest --test-dir build --output-on-failure -j "$jobs"

step "unit tests under AddressSanitizer + UndefinedBehaviorSanitizer"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DBRISA_SANITIZE=ON \
      -DBRISA_INTEGRATION=OFF >/dev/null
cmake --build build-asan -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j "$jobs" -L unit

if [ -x scripts/check-freestanding.sh ]; then
    step "freestanding core (arm-none-eabi)"
    bash scripts/check-freestanding.sh
fi

step "all tests passed"
