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
With --level2 the characters are GB2312 level 2 instead (rows 0xD8-0xF7,
3,008 characters, every cell used):
the held-out set the handwriting steps are tuned on, so the level-1
figure of the bench is measured once, not tuned on (docs/ime.md).
Usage: ime_medians.py DATA_DIR [--list] [--level2]
  (--list: only the characters)
"""
import json
import os
import subprocess
import sys


def level(rows, count):
    raw = bytearray()
    for row in rows:
        for cell in range(0xA1, 0xFF):
            if row == 0xD7 and cell >= 0xFA:
                continue
            raw += bytes((row, cell, 0x0A))
    out = subprocess.run(["iconv", "-f", "GB2312", "-t", "UTF-8"],
                         input=bytes(raw), capture_output=True, check=True)
    chars = out.stdout.decode("utf-8").split("\n")[:-1]
    if len(chars) != count:
        sys.exit("ime_medians.py: iconv gave %d characters, not %d"
                 % (len(chars), count))
    return chars


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: ime_medians.py DATA_DIR [--list]")
    if "--level2" in sys.argv[2:]:
        chars = level(range(0xD8, 0xF8), 3008)
    else:
        chars = level(range(0xB0, 0xD8), 3755)
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
