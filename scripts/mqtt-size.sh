#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Cortex-M7 -Os text of the MQTT core, with MQTT 5 and 3.1.1-only, as
# check-freestanding.sh compiles it: each src/mqtt object; the sum of the
# core (client and codec, without reconnect.c, scram.c, persist.c and
# queue.c, which are separate features); and what a device links for the
# client: every object, kept from the functions of mqtt.h and
# mqtt_store.h only (ld --gc-sections), so the codec's broker half
# (CONNECT and SUBSCRIBE decoding, CONNACK and SUBACK encoding) drops out.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
mkdir -p "$out/include/brisa"
sed -E 's/@PROJECT_VERSION(_[A-Z]+)?@/0/g' include/brisa/version.h.in >"$out/include/brisa/version.h"
roots=$(grep -ho 'brisa_mqtt_[a-z0-9_]*(' include/brisa/mqtt.h include/brisa/mqtt_store.h |
        tr -d '(' | sort -u | sed 's/^/-u /')
for mqtt5 in 1 0; do
    dir="$out/v$mqtt5"
    mkdir -p "$dir"
    for f in src/mqtt/*.c; do
        arm-none-eabi-gcc -std=c11 -mcpu=cortex-m7 -mthumb -mfloat-abi=hard -mfpu=fpv5-d16 \
            -ffreestanding -Os -ffunction-sections -fdata-sections -DBRISA_MQTT5="$mqtt5" \
            -Wall -Wextra -Werror -Iinclude -I"$out/include" -Isrc/mqtt \
            -c "$f" -o "$dir/mqtt_$(basename "$f" .c).o"
    done
    echo "BRISA_MQTT5=$mqtt5:"
    arm-none-eabi-size "$dir"/mqtt_*.o | sed "s|$dir/||" | awk '
        NR > 1 { printf "  %6d  %s\n", $1, $6; all += $1
                 if ($6 !~ /reconnect|scram|persist|queue/) core += $1 }
        END { printf "  %6d  core (client and codec)\n  %6d  all of src/mqtt\n", core, all }'
    # shellcheck disable=SC2086 # one -u per root
    arm-none-eabi-ld -r --gc-sections $roots "$dir"/mqtt_*.o -o "$dir/linked.o"
    printf "  %6d  linked for a client (mqtt.h and mqtt_store.h, --gc-sections)\n" \
        "$(arm-none-eabi-size "$dir/linked.o" | awk 'NR == 2 { print $1 }')"
done
