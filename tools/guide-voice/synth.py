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

import sys

import numpy as np
from hibari import Hibari

from takes import join, write_f32

SEED = 0


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
