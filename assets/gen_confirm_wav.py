#!/usr/bin/env python3
"""gen_confirm_wav.py: writes assets/confirm.wav, the kiosk's check-in
confirmation: two soft rising tones (E5 then A5, a fourth apart), 0.32 s,
22050 Hz mono 16-bit, each with a short attack and an exponential decay so
it sounds like a gentle chime and never clicks.  Deterministic: run it again
and the bytes are the same.

Usage: assets/gen_confirm_wav.py [OUT]   (default: assets/confirm.wav)
"""
import math
import struct
import sys

RATE = 22050
NOTES = [(659.25, 0.00, 0.16), (880.00, 0.12, 0.20)]  # Hz, start s, length s
LENGTH = 0.32
VOLUME = 0.45


def sample(t):
    v = 0.0
    for f, start, dur in NOTES:
        u = t - start
        if u < 0 or u > dur:
            continue
        attack = min(1.0, u / 0.006)
        release = min(1.0, (dur - u) / 0.01)
        env = attack * release * math.exp(-u * 9.0)
        # a little of the octave for a bell-like colour
        v += env * (math.sin(2 * math.pi * f * u)
                    + 0.25 * math.sin(4 * math.pi * f * u))
    return v


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "assets/confirm.wav"
    n = int(RATE * LENGTH)
    frames = bytearray()
    for i in range(n):
        s = max(-1.0, min(1.0, sample(i / RATE) * VOLUME))
        frames += struct.pack("<h", int(round(s * 32767)))
    hdr = b"RIFF" + struct.pack("<I", 36 + len(frames)) + b"WAVE"
    hdr += b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, RATE, RATE * 2, 2, 16)
    hdr += b"data" + struct.pack("<I", len(frames))
    with open(out, "wb") as f:
        f.write(hdr + frames)


if __name__ == "__main__":
    main()
