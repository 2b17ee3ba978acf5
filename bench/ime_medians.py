#!/usr/bin/env python3
"""Writes the handwriting test set of bench/ime.sh to stdout.

The characters are GB2312 level 1 (rows 0xB0-0xD7, cells 0xA1-0xFE,
without the five empty cells 0xD7FA-0xD7FE): 3,755 characters, decoded by
iconv(1) rather than typed by hand.  The strokes are the medians of
hanzi-writer-data (Make Me a Hanzi), whose box is 1024 units with y growing
upward and the baseline at 900 (the SVG transform the data documents is
translate(0, 900) scale(1, -1)), so y_down = 900 - y.

Each output line: the character, a tab, then the strokes in hw-classify's
input format (points "x,y" separated by spaces, strokes by ";").
Usage: ime_medians.py DATA_DIR [--list]   (--list: only the characters)
"""
import json
import os
import subprocess
import sys


def level1():
    raw = bytearray()
    for row in range(0xB0, 0xD8):
        for cell in range(0xA1, 0xFF):
            if row == 0xD7 and cell >= 0xFA:
                continue
            raw += bytes((row, cell, 0x0A))
    out = subprocess.run(["iconv", "-f", "GB2312", "-t", "UTF-8"],
                         input=bytes(raw), capture_output=True, check=True)
    chars = out.stdout.decode("utf-8").split("\n")[:-1]
    if len(chars) != 3755:
        sys.exit("ime_medians.py: iconv gave %d characters, not 3755"
                 % len(chars))
    return chars


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: ime_medians.py DATA_DIR [--list]")
    chars = level1()
    if "--list" in sys.argv[2:]:
        for c in chars:
            print(c)
        return
    missing = 0
    for c in chars:
        path = os.path.join(sys.argv[1], c + ".json")
        try:
            with open(path, encoding="utf-8") as f:
                med = json.load(f)["medians"]
        except OSError:
            missing += 1
            continue
        strokes = []
        for s in med:
            pts = ["%d,%d" % (min(max(x, 0), 1023), min(max(900 - y, 0), 1023))
                   for x, y in s]
            strokes.append(" ".join(pts))
        print(c + "\t" + ";".join(strokes))
    if missing:
        print("ime_medians.py: %d characters have no data" % missing,
              file=sys.stderr)


main()
