#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Static analysis of brisa's own code, each tool with its checked-in
# configuration; fails on any finding:
#   cppcheck    warning, portability, performance (src, tools, app,
#               examples, tests); suppressions inline, with a reason
#   clang-tidy  the checks of .clang-tidy (bugprone, cert, clang-analyzer)
#               on src, tools, app and examples
#   gcc -fanalyzer  on the freestanding core (src/common, src/mqtt, src/net)
#
#   scripts/analyse.sh [BUILD_DIR]   a configured build (compile_commands.json);
#                                    default: build. BRISA_JOBS=N as elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."
src=$(pwd)
build=${1:-build}
jobs=${BRISA_JOBS:-$(nproc)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One entry per source file: the installed libraries compile the same files
# again (shared and static), which would only triple the work.
python3 - "$build/compile_commands.json" "$work/compile_commands.json" <<'PY'
import json, sys
seen, out = set(), []
for e in json.load(open(sys.argv[1])):
    if e["file"] not in seen and "/build" not in e["file"]:
        seen.add(e["file"])
        out.append(e)
json.dump(out, open(sys.argv[2], "w"), indent=1)
PY

status=0
echo "analyse: cppcheck"
if ! cppcheck --project="$work/compile_commands.json" --enable=warning,portability,performance \
        --inline-suppr --error-exitcode=1 --quiet -j "$jobs" \
        --template='{file}:{line}: {severity} ({id}): {message}' 2>&1; then
    status=1
fi

echo "analyse: clang-tidy (.clang-tidy)"
if ! run-clang-tidy -p "$work" -j "$jobs" -quiet "$src/(src|tools|app|examples)/" \
        >"$work/tidy.log" 2>&1; then
    sed 's/\x1b\[[0-9;]*m//g' "$work/tidy.log" | grep -E '(warning|error):' | sort -u
    status=1
fi

echo "analyse: gcc -fanalyzer on the core"
for f in src/common/*.c src/mqtt/*.c src/net/*.c; do
    if ! gcc -std=c11 -fanalyzer -Werror -O1 -Iinclude -I"$build/include" -I"$(dirname "$f")" \
            -c "$f" -o /dev/null; then
        status=1
    fi
done
[ "$status" -eq 0 ] && echo "analyse: no findings"
exit "$status"
