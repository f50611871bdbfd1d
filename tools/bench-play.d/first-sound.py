#!/usr/bin/env python3
"""Reads 16-bit stereo PCM from stdin (alsa-lib's file plugin, unpaced) and
prints how long after LAUNCH (a time.monotonic() value in the environment)
the first sample above -60 dBFS arrived; then drains stdin."""
import os, struct, sys, time
launch = float(os.environ["LAUNCH"])
out = os.environ["FIRST_SOUND_OUT"]
seen = False
while True:
    chunk = sys.stdin.buffer.read(4096)
    if not chunk:
        break
    if not seen:
        n = len(chunk) // 2
        if any(abs(v) > 33 for v in struct.unpack(f"<{n}h", chunk[: n * 2])):
            seen = True
            with open(out, "w") as f:
                f.write(f"{time.monotonic() - launch:.4f}\n")
