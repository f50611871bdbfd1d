"""Reading errors of a Japanese or Mandarin guide voice: what Whisper heard (report.tsv's
asr_heard) beside the words spoken (manifest.tsv), both turned into their readings (hiragana by
pykakasi, pinyin with tones by pypinyin) before the edit distance is counted. A word Whisper writes
another way (穏やか / おだやか) or as a homophone (筋肉 / 金肉) is no error here, where it is one in
the character errors; a word the voice said wrong still is. A second look beside the report's
character errors, not a target. The words spoken are read with the language's respellings
(LANGUAGES in language.py), as the voice was given them: 肚子 is read dùzi, not pypinyin's dǔzi.

    python3 -m venv target/readings && target/readings/bin/pip install pykakasi pypinyin
    target/readings/bin/python tools/guide-voice/readings.py ja crates/soothe-core/audio/guide-ja
"""
import csv, os, sys, unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from language import LANGUAGES, spoken  # the respellings: what the voice was meant to say

lang, folder = sys.argv[1], sys.argv[2]
report, manifest = os.path.join(folder, "report.tsv"), os.path.join(folder, "manifest.tsv")
text = dict(l.rstrip('\n').split('\t', 1) for l in open(manifest, encoding='utf-8') if '\t' in l)
if lang == 'ja':
    import pykakasi
    k = pykakasi.kakasi()
    def reading(s): return ''.join(x['hira'] for x in k.convert(s))
else:
    from pypinyin import lazy_pinyin, Style
    def reading(s): return ' '.join(lazy_pinyin(s, style=Style.TONE3, neutral_tone_with_five=True))
def norm(s):
    s = unicodedata.normalize('NFKC', s).lower()
    return ''.join(c for c in s if unicodedata.category(c)[0] in 'LN')
def lev(a, b):
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]
rows = [r for r in csv.DictReader(open(report, encoding='utf-8'), delimiter='\t') if not r['prompt'].startswith('(')]
tot_e = tot_n = 0; over = []
for r in rows:
    want = spoken(LANGUAGES[lang], text[r['prompt']])
    if lang == 'zh':
        a = [w for w in reading(norm(want)).split()]; b = [w for w in reading(norm(r['asr_heard'])).split()]
    else:
        a = norm(reading(norm(want))); b = norm(reading(norm(r['asr_heard'])))
    e = lev(a, b); tot_e += e; tot_n += len(a)
    pct = 100 * e / max(1, len(a))
    if pct > 12: over.append((r['prompt'], round(pct, 1), r['cer_percent']))
print(f"{lang}: reading errors {100*tot_e/tot_n:.1f}% over all prompts; {len(over)} prompts over 12%")
for o in over: print("  ", *o)
