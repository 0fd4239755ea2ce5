#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The tools' integration tests once more, every brisa program under
# valgrind's memcheck: the tests run against a copy of the build's bin/
# whose programs are wrappers calling valgrind, then every valgrind log must
# say zero errors and nothing lost (definitely, indirectly or possibly).
#
#   scripts/valgrind-tools.sh [BUILD_DIR] [TEST...]
#   default: build, and the MQTT and TLS tests of brisa-pub and brisa-sub but
#   mqtt_qos and mqtt_wildcards, whose -W limits valgrind's start-up time on a
#   busy machine can exceed. BRISA_VALGRIND=1 tells a test it runs so.
set -euo pipefail
cd "$(dirname "$0")/.."
build=$(cd "${1:-build}" && pwd)
shift || true
tests=("$@")
if [ ${#tests[@]} -eq 0 ]; then
    tests=(mqtt_retained mqtt_will mqtt_large mqtt_lines mqtt_session mqtt_auth
           mqtt_errors mqtt_interop tls_tools)
fi
command -v valgrind >/dev/null || { echo "valgrind missing" >&2; exit 1; }

vg=$build/valgrind
rm -rf "$vg"
mkdir -p "$vg/bin" "$vg/logs"
for f in "$build"/bin/*; do
    name=$(basename "$f")
    if head -c 4 "$f" | grep -q 'ELF'; then
        cat >"$vg/bin/$name" <<WRAP
#!/bin/sh
exec valgrind -q --log-file="$vg/logs/$name.%p.log" --leak-check=full \\
    --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible \\
    "$f" "\$@"
WRAP
        chmod +x "$vg/bin/$name"
    else
        ln -s "$f" "$vg/bin/$name"
    fi
done

status=0
for t in "${tests[@]}"; do
    start=$(date +%s)
    if BRISA_VALGRIND=1 BRISA_BUILD=$vg BRISA_SRC=$(pwd) bash "tests/integration/test_$t.sh" >"$vg/logs/test_$t.out" 2>&1; then
        echo "valgrind: test_$t passed ($(( $(date +%s) - start )) s)"
    else
        tail -n 20 "$vg/logs/test_$t.out"
        echo "valgrind: test_$t FAILED under valgrind" >&2
        status=1
    fi
done

runs=$(ls "$vg"/logs/*.*.log 2>/dev/null | wc -l)
bad=$(grep -l . "$vg"/logs/*.*.log 2>/dev/null || true)
if [ -n "$bad" ]; then
    for f in $bad; do echo "--- $f"; head -n 40 "$f"; done
    echo "valgrind: $(echo "$bad" | wc -l) of $runs runs reported errors or leaks" >&2
    status=1
else
    echo "valgrind: $runs program runs, zero errors, zero leaks"
fi
exit "$status"
