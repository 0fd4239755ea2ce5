#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Branch coverage of the core and the TLS layer by the unit tests and the
# fuzz replays: builds build-cov with gcc --coverage, runs the `unit` label
# and prints, with gcovr, each file's branches and a total per directory
# (src/mqtt, src/net, src/tls). Prints figures; fails only when a test does.
#
#   scripts/coverage.sh            BRISA_JOBS=N: parallel jobs (default: CPUs)
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${BRISA_JOBS:-$(nproc)}
dir=build-cov
CC=gcc cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Debug -DBRISA_INTEGRATION=OFF \
      -DCMAKE_C_FLAGS="--coverage" -DCMAKE_EXE_LINKER_FLAGS=--coverage \
      -DCMAKE_SHARED_LINKER_FLAGS=--coverage >/dev/null
cmake --build "$dir" -j "$jobs" >"$dir/build.log" 2>&1 || { tail -n 30 "$dir/build.log"; exit 1; }
find "$dir" -name '*.gcda' -delete
ctest --test-dir "$dir" -j "$jobs" -L unit --output-on-failure >"$dir/ctest.log" 2>&1 ||
    { tail -n 40 "$dir/ctest.log"; exit 1; }
# The firmware's TLS build on the host (brisa_tls_fw) compiles src/tls
# against another mbedTLS configuration: gcovr cannot merge its counts with
# the Linux build's, and the firmware's path is measured by its own tests.
find "$dir" -path '*brisa_tls_fw.dir*' \( -name '*.gcda' -o -name '*.gcno' \) -delete
gcovr -r . "$dir" --branches --filter 'src/(mqtt|net|tls)/' --exclude-unreachable-branches \
      --json-summary "$dir/coverage.json" --txt "$dir/coverage.txt" >/dev/null
sed -n '/^File/,$p' "$dir/coverage.txt" | grep -v -- '--%'
python3 - "$dir/coverage.json" <<'PY'
import json, sys
totals = {}
for f in json.load(open(sys.argv[1]))["files"]:
    d = f["filename"].rsplit("/", 1)[0]
    t = totals.setdefault(d, [0, 0])
    t[0] += f["branch_covered"]
    t[1] += f["branch_total"]
for d, (cov, tot) in sorted(totals.items()):
    print(f"branch coverage {d}: {cov}/{tot} = {100.0 * cov / tot:.1f} %")
PY
