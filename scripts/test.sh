#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The whole test suite: installs what is missing, builds, runs every test
# (unit, fuzz replays, integration against real servers), then rebuilds the
# unit tests with AddressSanitizer + UndefinedBehaviorSanitizer and runs
# them again, runs every fuzz target for a short while, and checks that the
# core still builds freestanding. Between them: the build matrix, the
# Debian package, the API reference, static analysis, branch coverage and
# the tools under valgrind (scripts/*.sh, each runnable on its own).
#
#   scripts/test.sh            everything
#   BRISA_JOBS=N               parallel build/test jobs (default: CPUs)
#   BRISA_FUZZ_SECONDS=N       how long each fuzz target runs (default 15, 0: skip)
set -euo pipefail
cd "$(dirname "$0")/.."
src=$(pwd)
jobs=${BRISA_JOBS:-$(nproc)}

bash scripts/bootstrap.sh

step() { printf '\n=== %s\n' "$*"; }

step "licence: an SPDX identifier in every source file of ours"
bash scripts/spdx.sh --check

step "build (RelWithDebInfo)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$jobs"

step "build matrix: gcc and clang x Debug, Release, RelWithDebInfo, MinSizeRel (-Werror, build only)"
BRISA_JOBS=$jobs bash scripts/build-matrix.sh

step "tests"
ctest --test-dir build --output-on-failure -j "$jobs"

step "Debian package: build, apt install, brisa-pub --version, remove"
bash scripts/deb-test.sh build

step "API reference (Doxygen, warnings as errors)"
bash scripts/api-docs.sh build

step "static analysis: cppcheck, clang-tidy, gcc -fanalyzer on the core"
BRISA_JOBS=$jobs bash scripts/analyse.sh build

step "branch coverage of src/mqtt, src/net, src/tls (unit tests)"
BRISA_JOBS=$jobs bash scripts/coverage.sh

step "the tools' integration tests under valgrind (zero errors, zero leaks)"
bash scripts/valgrind-tools.sh build

step "unit tests under AddressSanitizer + UndefinedBehaviorSanitizer"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DBRISA_SANITIZE=ON \
      -DBRISA_INTEGRATION=OFF >/dev/null
cmake --build build-asan -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j "$jobs" -L unit

fuzz_seconds=${BRISA_FUZZ_SECONDS:-15}
if [ "$fuzz_seconds" -gt 0 ]; then
    step "fuzzing: every target for ${fuzz_seconds} s (clang, libFuzzer, ASan, UBSan)"
    cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
          -DBRISA_FUZZ=ON -DBRISA_INTEGRATION=OFF >/dev/null
    targets=$(ls tests/fuzz/corpus | sed 's/^/fuzz_/')
    # shellcheck disable=SC2086
    cmake --build build-fuzz -j "$jobs" --target $targets >/dev/null
    for name in $(ls tests/fuzz/corpus); do
        fuzzer=build-fuzz/bin/fuzz_$name
        work=$(mktemp -d)
        cp -r "tests/fuzz/corpus/$name/." "$work/"
        if ! "$fuzzer" -max_total_time="$fuzz_seconds" -timeout=10 -rss_limit_mb=2048 \
                -artifact_prefix="$work/" "$work" >"$work.log" 2>&1; then
            tail -n 40 "$work.log"
            echo "fuzz_$name found a problem; the input is in $work" >&2
            exit 1
        fi
        echo "fuzz_$name: $(grep -o 'Done [0-9]* runs' "$work.log" | head -n 1), no finding"
        rm -rf "$work" "$work.log"
    done
fi

if [ -x scripts/check-freestanding.sh ]; then
    step "freestanding core (arm-none-eabi)"
    bash scripts/check-freestanding.sh
fi

step "all tests passed"
