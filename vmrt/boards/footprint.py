#!/usr/bin/env python3
"""Flash and static RAM per object of a linked firmware, from its GNU ld map.

  footprint.py FIRMWARE.map

Counts only what the link kept (--gc-sections), so an object's figure is what it
really costs. Flash = .text (code, rodata) + .data's load image; static RAM =
.data + .bss (the stack is listed on its own).
"""
import collections
import os
import re
import sys

KEPT = (".text", ".data", ".bss")
SECTION = re.compile(r"^(\.[\w.]+)(\s|$)")
INPUT = re.compile(r"^\s(\S+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$")
CONTINUED = re.compile(r"^\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$")


def component(obj):
    """Readable group of an object path from the map."""
    if "libgcc" in obj:
        return "libgcc (64-bit/float helpers)"
    m = re.search(r"/obj/(.*)\.o$", obj)
    path = m.group(1) if m else os.path.basename(obj)
    if path.startswith("core/"):
        return "core (ports, rights, queues)"
    if path in ("vmrt/sched",):
        return "vmrt scheduler"
    if path in ("vmrt/ipc",):
        return "vmrt IPC"
    if path.startswith("vmrt/boards/") or path.startswith("tests/"):
        return "board layer"
    if "images" in path:
        return "bytecode images"
    if path.startswith("vmrt/"):
        return "vmrt interpreter, values, loader"
    return path


def parse(lines):
    sizes = collections.defaultdict(lambda: collections.Counter())
    out = None
    pending = None
    started = False
    for line in lines:
        if line.startswith("Linker script and memory map"):
            started = True
            continue
        if not started:
            continue
        m = SECTION.match(line)
        if m:
            out = m.group(1) if m.group(1) in KEPT else None
            continue
        m = INPUT.match(line)
        if m and out:
            size, obj = int(m.group(3), 16), m.group(4)
            sizes[obj][out] += size
            pending = None
            continue
        if line.startswith(" ") and len(line.split()) == 1 and line.strip().startswith("."):
            pending = line.strip()
            continue
        m = CONTINUED.match(line)
        if m and out and pending:
            sizes[m.group(3)][out] += int(m.group(2), 16)
            pending = None
    return sizes


def main(path):
    with open(path) as f:
        lines = f.readlines()
    sizes = parse(lines)
    stack = next((int(m.group(1), 16) for m in
                  (re.search(r"STACK_SIZE = (0x[0-9a-f]+)", x) for x in lines) if m), 0)
    groups = collections.defaultdict(lambda: [0, 0])
    rows = []
    for obj, secs in sizes.items():
        flash = secs[".text"] + secs[".data"]
        ram = secs[".data"] + secs[".bss"]
        if not flash and not ram:
            continue
        g = component(obj)
        groups[g][0] += flash
        groups[g][1] += ram
        rows.append((g, os.path.basename(obj), flash, ram))
    print(f"{'object':44} {'flash':>7} {'RAM':>6}")
    for g, name, flash, ram in sorted(rows):
        print(f"  {name[:42]:42} {flash:7} {ram:6}")
    print(f"\n{'component':44} {'flash':>7} {'RAM':>6}")
    for g, (flash, ram) in sorted(groups.items()):
        print(f"  {g:42} {flash:7} {ram:6}")
    total_flash = sum(v[0] for v in groups.values())
    total_ram = sum(v[1] for v in groups.values())
    print(f"  {'total (static)':42} {total_flash:7} {total_ram:6}")
    print(f"  {'stack (reserved)':42} {'':7} {stack:6}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
