#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Firmware size by component, from the GNU ld map file of a brisa firmware.

    scripts/fw-size.py build-fw/bin/brisa-device.map

Prints text (code and read-only data), data and bss per component: brisa's
own libraries (the core, the TLS layer, the lwIP port, the device
application, the board) and the third-party ones (lwIP, mbedTLS, newlib and
libgcc), with brisa's share of the total. The stack (a NOLOAD section of
its own) is shown apart. Padding between input sections is not counted:
the totals are a few hundred bytes under arm-none-eabi-size.
"""
import re
import sys
from collections import defaultdict

COMPONENTS = [
    ("brisa core (mqtt, net, common)", r"libbrisa_(mqtt|net|common)\.a"),
    ("brisa TLS layer", r"libbrisa_tls_fw\.a"),
    ("brisa lwIP port", r"libbrisa_port_lwip\.a"),
    ("brisa device app", r"libbrisa_device_fw\.a|device_config\.c"),
    ("brisa board (mps2-an500)", r"brisa_board\.dir|brisa-device\.dir"),
    ("lwIP 2.1.3", r"libbrisa_lwip_stack\.a"),
    ("mbedTLS 2.28.3", r"libbrisa_mbedtls_fw\.a"),
]
OTHER = "newlib, libgcc"
BRISA = [name for name, _ in COMPONENTS if name.startswith("brisa")]
KIND = {".text": "text", ".ARM.exidx": "text", ".data": "data", ".bss": "bss"}

entry = re.compile(r"^\s+(?:(\S+)\s+)?0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$")


def component(path):
    for name, pattern in COMPONENTS:
        if re.search(pattern, path):
            return name
    return OTHER


def main():
    sizes = defaultdict(lambda: defaultdict(int))
    stack = 0
    out = None
    in_map = False
    for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
        if line.startswith("Linker script and memory map"):
            in_map = True
            continue
        if not in_map:
            continue
        m = re.match(r"^(\.[A-Za-z_.]+)\s+0x[0-9a-f]+\s+0x([0-9a-f]+)", line)
        if m or re.match(r"^\.[A-Za-z_.]+\s*$", line):
            out = (m.group(1) if m else line.strip())
            if out == ".stack" and m:
                stack = int(m.group(2), 16)
            continue
        if out not in KIND:
            continue
        m = entry.match(line)
        if not m or "*fill*" in line or not m.group(4).strip().endswith(")") and ".obj" not in m.group(4):
            continue
        size = int(m.group(3), 16)
        if size:
            sizes[component(m.group(4))][KIND[out]] += size
    names = [n for n, _ in COMPONENTS] + [OTHER]
    total = {k: sum(sizes[n][k] for n in names) for k in ("text", "data", "bss")}
    print(f"{'component':34} {'text':>8} {'data':>7} {'bss':>8}")
    for n in names:
        s = sizes[n]
        print(f"{n:34} {s['text']:8} {s['data']:7} {s['bss']:8}")
    ours = {k: sum(sizes[n][k] for n in BRISA) for k in ("text", "data", "bss")}
    print(f"{'total':34} {total['text']:8} {total['data']:7} {total['bss']:8}")
    share = 100.0 * ours["text"] / total["text"] if total["text"] else 0
    print(f"{'brisa (all brisa_* above)':34} {ours['text']:8} {ours['data']:7} {ours['bss']:8}"
          f"   ({share:.1f}% of text)")
    print(f"main stack (.stack, painted at reset): {stack} bytes; heap: 0x60000000, 16 MiB (sbrk)")


main()
