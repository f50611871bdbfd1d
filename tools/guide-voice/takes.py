"""Joins the sentences of one take, and writes it: shared by synth.py (English,
hibari) and synth_kokoro.py (the other languages, Kokoro)."""

import struct
import sys

import numpy as np


def speech_bounds(a, rate, silence_dbfs):
    """First and last sample of the region louder than silence_dbfs (10 ms windows)."""
    n = rate // 100
    windows = len(a) // n
    if windows == 0:
        return None
    power = np.mean(a[: windows * n].astype(np.float64).reshape(windows, n) ** 2, axis=1)
    loud = np.nonzero(power > (10 ** (silence_dbfs / 20)) ** 2)[0]
    if len(loud) == 0:
        return None
    return int(loud[0]) * n, int(loud[-1] + 1) * n


def join(parts, rate, pause, margin, silence_dbfs, pid):
    out = []
    gap = int(round(pause * rate))
    edge = int(round(margin * rate))
    prev_tail = 0
    for k, a in enumerate(parts):
        bounds = speech_bounds(a, rate, silence_dbfs)
        if bounds is None:
            sys.exit(f"make-guide-voice: {pid}: sentence {k + 1} came out silent")
        s, e = bounds
        lead = edge if k == 0 else min(edge, gap // 2)
        tail = edge if k == len(parts) - 1 else min(edge, gap // 2)
        if k > 0:
            out.append(np.zeros(gap - prev_tail - lead, np.float32))
        out.append(np.zeros(max(0, lead - s), np.float32))
        out.append(a[max(0, s - lead):e + tail].astype(np.float32))
        out.append(np.zeros(max(0, e + tail - len(a)), np.float32))
        prev_tail = tail
    return np.concatenate(out)


def write_f32(path, rate, a):
    """A 32-bit float WAV: fmt (with its cbSize), fact, data."""
    data = a.astype("<f4").tobytes()
    fmt = struct.pack("<HHIIHHH", 3, 1, rate, rate * 4, 4, 32, 0)
    fact = struct.pack("<I", len(a))
    with open(path, "wb") as f:
        f.write(b"RIFF" + struct.pack("<I", 4 + 8 + len(fmt) + 8 + len(fact) + 8 + len(data)) + b"WAVE")
        f.write(b"fmt " + struct.pack("<I", len(fmt)) + fmt)
        f.write(b"fact" + struct.pack("<I", len(fact)) + fact)
        f.write(b"data" + struct.pack("<I", len(data)) + data)
