#!/usr/bin/env python3
"""UF2 writer and validator (https://github.com/microsoft/uf2 block format).

  uf2.py pack FIRMWARE.elf OUT.uf2 [--family ID]
      one 512-byte block per 256 payload bytes of the ELF's loadable segments
  uf2.py check IMAGE.uf2 [--family ID] [--range LO:HI] [--align N] [--entry ADDR]
      validates every block; exits 1 with the first problem found

Defaults are the RP2040's: family 0xe48bff56, payloads of 256 bytes.
"""
import argparse
import struct
import sys

MAGIC_START0 = 0x0A324655
MAGIC_START1 = 0x9E5D5157
MAGIC_END = 0x0AB16F30
FLAG_FAMILY_ID = 0x00002000
FLAG_NOT_MAIN_FLASH = 0x00000001
BLOCK_SIZE = 512
PAYLOAD = 256
RP2040_FAMILY = 0xE48BFF56
HEADER = struct.Struct("<8I")  # magic0 magic1 flags addr size blockno numblocks family


def elf_segments(data):
    """(load address, bytes) of each PT_LOAD segment with file contents."""
    if data[:4] != b"\x7fELF" or data[4] != 1 or data[5] != 1:
        raise ValueError("not a 32-bit little-endian ELF")
    phoff, = struct.unpack_from("<I", data, 28)
    phentsize, phnum = struct.unpack_from("<HH", data, 42)
    segments = []
    for i in range(phnum):
        ptype, offset, _vaddr, paddr, filesz = struct.unpack_from(
            "<5I", data, phoff + i * phentsize)
        if ptype == 1 and filesz:
            segments.append((paddr, data[offset:offset + filesz]))
    return sorted(segments)


def pack(segments, family):
    """UF2 bytes for the segments: payloads of PAYLOAD bytes, gaps skipped."""
    chunks = []
    for addr, blob in segments:
        for off in range(0, len(blob), PAYLOAD):
            chunks.append((addr + off, blob[off:off + PAYLOAD]))
    out = bytearray()
    for n, (addr, chunk) in enumerate(chunks):
        block = HEADER.pack(MAGIC_START0, MAGIC_START1, FLAG_FAMILY_ID, addr,
                            PAYLOAD, n, len(chunks), family)
        block += chunk.ljust(476, b"\0")
        block += struct.pack("<I", MAGIC_END)
        out += block
    return bytes(out)


def check(image, family=RP2040_FAMILY, lo=None, hi=None, align=1):
    """Returns (blocks, lowest address, highest end); raises ValueError."""
    if not image or len(image) % BLOCK_SIZE:
        raise ValueError(f"size {len(image)} is not a multiple of {BLOCK_SIZE}")
    count = len(image) // BLOCK_SIZE
    covered = []
    for n in range(count):
        block = image[n * BLOCK_SIZE:(n + 1) * BLOCK_SIZE]
        m0, m1, flags, addr, size, blockno, total, fam = HEADER.unpack_from(block)
        end_magic, = struct.unpack_from("<I", block, BLOCK_SIZE - 4)
        where = f"block {n}"
        if (m0, m1, end_magic) != (MAGIC_START0, MAGIC_START1, MAGIC_END):
            raise ValueError(f"{where}: bad magic")
        if flags & FLAG_NOT_MAIN_FLASH:
            raise ValueError(f"{where}: flagged not-main-flash, a loader skips it")
        if not flags & FLAG_FAMILY_ID or fam != family:
            raise ValueError(f"{where}: family {fam:#x}, want {family:#x}")
        if size != PAYLOAD:
            raise ValueError(f"{where}: payload {size}, want {PAYLOAD}")
        if blockno != n or total != count:
            raise ValueError(f"{where}: numbered {blockno} of {total}, "
                             f"want {n} of {count}")
        if addr % align:
            raise ValueError(f"{where}: address {addr:#x} not {align}-aligned")
        if lo is not None and not (lo <= addr and addr + size <= hi):
            raise ValueError(f"{where}: {addr:#x}+{size} outside {lo:#x}..{hi:#x}")
        covered.append((addr, addr + size, n))
    covered.sort()
    for (a0, e0, n0), (a1, _e1, n1) in zip(covered, covered[1:]):
        if a1 < e0:
            raise ValueError(f"blocks {n0} and {n1} overlap at {a1:#x}")
    return count, covered[0][0], max(e for _a, e, _n in covered)


def number(text):
    return int(text, 0)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("pack", help="ELF to UF2")
    p.add_argument("elf")
    p.add_argument("out")
    p.add_argument("--family", type=number, default=RP2040_FAMILY)
    c = sub.add_parser("check", help="validate a UF2 file")
    c.add_argument("uf2")
    c.add_argument("--family", type=number, default=RP2040_FAMILY)
    c.add_argument("--range", help="LO:HI, the addresses blocks may write")
    c.add_argument("--align", type=number, default=1)
    c.add_argument("--entry", type=number,
                   help="the lowest block address must be this (RAM images)")
    args = ap.parse_args(argv)
    try:
        if args.cmd == "pack":
            with open(args.elf, "rb") as f:
                segments = elf_segments(f.read())
            with open(args.out, "wb") as f:
                f.write(pack(segments, args.family))
            return 0
        lo = hi = None
        if args.range:
            lo, hi = (number(x) for x in args.range.split(":"))
        with open(args.uf2, "rb") as f:
            count, first, end = check(f.read(), args.family, lo, hi, args.align)
        if args.entry is not None and first != args.entry & ~1:
            raise ValueError(f"image starts at {first:#x}, entry is {args.entry:#x}")
        print(f"{args.uf2}: {count} blocks, {first:#x}..{end:#x}, "
              f"family {args.family:#x}")
        return 0
    except (OSError, ValueError) as e:
        print(f"uf2: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
