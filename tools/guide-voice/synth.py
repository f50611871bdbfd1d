"""Speaks each prompt with hibari-tts (voice "heart"); run by tools/make-guide-voice
inside its synthesis venv (tools/.venv/synth).

    synth.py JOBS.tsv OUTDIR SPEEDS SENTENCE_PAUSE EDGE_MARGIN SILENCE_DBFS

JOBS.tsv holds `id<TAB>text` lines (the text as spoken: the manifest keeps the
script's own); SPEEDS is a comma-separated list of hibari speeds. For each
prompt and the k-th speed it writes OUTDIR/<id>.<k>.f32.wav: mono 32-bit float
at hibari's 24 kHz, each sentence trimmed to its speech, sentences
SENTENCE_PAUSE seconds apart, EDGE_MARGIN seconds of the voice's own lead-in and
tail kept at each end. The same text gives the same samples: hibari's noise
component is seeded (0 for every prompt) and onnxruntime runs on one thread.
"""

import struct
import sys

import numpy as np
from hibari import Hibari

SEED = 0


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


def main(jobs, out_dir, speeds, pause, margin, silence_dbfs):
    tts = Hibari(voice="heart", threads=1)
    rate = tts.sample_rate
    with open(jobs, encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t", 1) for line in f if line.strip()]
    for pid, text in rows:
        phonemes = tts.phonemize(text)
        if not phonemes:
            sys.exit(f"make-guide-voice: {pid}: nothing to say")
        for k, speed in enumerate(speeds):
            rng = np.random.default_rng(SEED)
            parts = [tts.from_ids(tts.ids(ps), speed, rng) for ps in phonemes]
            write_f32(f"{out_dir}/{pid}.{k}.f32.wav", rate, join(parts, rate, pause, margin, silence_dbfs, pid))
        print(f"  spoke {pid}", flush=True)


if __name__ == "__main__":
    if len(sys.argv) != 7:
        sys.exit(__doc__)
    j, o, sp, pa, ma, si = sys.argv[1:]
    main(j, o, [float(x) for x in sp.split(",")], float(pa), float(ma), float(si))
