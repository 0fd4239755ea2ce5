#!/usr/bin/env bash
# Proves the core is freestanding: (1) src/common, src/mqtt, src/net, src/at
# include nothing but <stdint.h> <stddef.h> <stdbool.h> <string.h> and
# brisa's own headers, and call no allocator or stdio; (2) they compile for
# a Cortex-M7 (the seed's STM32H723) with arm-none-eabi-gcc. Prints the
# code size of each object for the record.
set -euo pipefail
cd "$(dirname "$0")/.."

core_dirs=(src/common src/mqtt src/net src/at)
status=0
for dir in "${core_dirs[@]}"; do
    [ -d "$dir" ] || continue
    while IFS= read -r -d '' f; do
        while IFS= read -r line; do
            hdr=$(sed -E 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]([^>"]+)[>"].*/\1/' <<<"$line")
            case "$hdr" in
                stdint.h|stddef.h|stdbool.h|string.h|brisa/*) ;;
                *) [ "$(dirname "$hdr")" = . ] && [ -f "$(dirname "$f")/$hdr" ] && continue
                   echo "$f: includes <$hdr>, not allowed in the freestanding core"; status=1 ;;
            esac
        done < <(grep -E '^[[:space:]]*#[[:space:]]*include' "$f")
        if grep -nE '\b(malloc|calloc|realloc|free|printf|fprintf|sprintf|snprintf|puts)[[:space:]]*\(' "$f" \
            | grep -v '^\s*[0-9]*:\s*/\?\*' ; then
            echo "$f: calls an allocator or stdio"; status=1
        fi
    done < <(find "$dir" -name '*.[ch]' -print0)
done
[ "$status" -eq 0 ] || exit 1
echo "includes: only the freestanding set"

if ! command -v arm-none-eabi-gcc >/dev/null; then
    echo "arm-none-eabi-gcc missing: run scripts/bootstrap.sh" >&2
    exit 1
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
objs=()
for dir in "${core_dirs[@]}"; do
    [ -d "$dir" ] || continue
    while IFS= read -r -d '' f; do
        o="$out/$(echo "${f#src/}" | tr / _).o"
        # shellcheck disable=SC2086 # BRISA_CORE_CFLAGS: e.g. -DBRISA_MQTT5=0
        arm-none-eabi-gcc -std=c11 -mcpu=cortex-m7 -mthumb -mfloat-abi=hard -mfpu=fpv5-d16 \
            -ffreestanding -Os -ffunction-sections -fdata-sections ${BRISA_CORE_CFLAGS:-} \
            -Wall -Wextra -Werror -Iinclude -I"$(dirname "$f")" -c "$f" -o "$o"
        objs+=("$o")
    done < <(find "$dir" -name '*.c' -print0 | sort -z)
done
echo "Cortex-M7 (-Os, thumb) object sizes:"
arm-none-eabi-size -t "${objs[@]}" | sed "s|$out/||"
