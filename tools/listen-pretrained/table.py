import os
# PT: the working folder (target/pretrained: the unpacked wheel, scores, the ONNX file, session.wav);
# SHARED: ../shared/data beside the repository (development data only, never the held-out sources).
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PT = os.environ.get('PT', os.path.join(ROOT, 'target', 'pretrained'))
SHARED = os.path.join(os.path.dirname(ROOT), 'shared', 'data')
import numpy as np, collections, sys
rows = np.load(os.path.join(PT, 'scores.npy'), allow_pickle=True)
KEEP = ['Baby cry, infant cry', 'Crying, sobbing', 'Whimper', 'Babbling', 'Screaming',
        'Wail, moan', 'Child speech, kid speaking', 'Speech', 'Music', 'Singing', 'Animal',
        'Cat', 'Meow', 'Dog', 'Laughter', 'Baby laughter', 'Silence']
C = {n: i for i, n in enumerate(KEEP)}
def score(s, combo):
    if combo == 'baby': return s[:, C['Baby cry, infant cry']]
    if combo == 'baby+crying': return s[:, C['Baby cry, infant cry']] + s[:, C['Crying, sobbing']]
    if combo == 'baby+crying+whimper': return s[:, C['Baby cry, infant cry']] + s[:, C['Crying, sobbing']] + s[:, C['Whimper']]
    if combo == 'max(baby,crying)': return np.maximum(s[:, C['Baby cry, infant cry']], s[:, C['Crying, sobbing']])
FIRST = 5   # frames 0..4: windows [0.48 i, 0.48 i + 0.96] all end by 2.88 s
def hit(v, th, rule, span):
    v = v[:FIRST] if span == '3s' else v
    o = v > th
    if rule == '1f': return o.any()                   # one 0.96 s window over threshold
    return (o[1:] & o[:-1]).any() if len(o) > 1 else False   # two in a row: 1.44 s
KINDS = ['speech', 'singing', 'laughter', 'household', 'animal', 'tv', 'child']
def table(combo, rule, band, ths):
    print(f'\n### score = {combo}; crying = {"one 0.96 s frame" if rule=="1f" else "two frames in a row (1.44 s)"} over the threshold; negatives {"through 8 kHz like the cries" if band else "at full band (16 kHz)"}\n')
    print('| threshold | cries within 3 s | non-cries within 3 s | non-cries anywhere in clip | ' + ' | '.join(KINDS) + ' |')
    print('|' + '---|' * (4 + len(KINDS)))
    cr = [r for r in rows if r[2] == 'cry']
    ng = [r for r in rows if r[2] == 'neg' and r[1] == band]
    for th in ths:
        c = sum(hit(score(r[4], combo), th, rule, '3s') for r in cr)
        n3 = sum(hit(score(r[4], combo), th, rule, '3s') for r in ng)
        na = [r for r in ng if hit(score(r[4], combo), th, rule, 'all')]
        bk = collections.Counter(r[3] for r in na); tot = collections.Counter(r[3] for r in ng)
        print(f'| {th} | {100*c/len(cr):.1f}% ({c}/{len(cr)}) | {100*n3/len(ng):.1f}% ({n3}/{len(ng)}) | {100*len(na)/len(ng):.1f}% ({len(na)}/{len(ng)}) | ' +
              ' | '.join(f'{bk[k]}/{tot[k]}' for k in KINDS) + ' |')
ths = [0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]
for combo in ['baby', 'baby+crying', 'max(baby,crying)', 'baby+crying+whimper']:
    table(combo, '1f', True, ths)
table('baby', '1f', False, ths)
table('baby', '2f', True, ths)
table('baby+crying', '2f', True, ths)
# distribution of the cry clips' max score in the first 3 s
cr = [r for r in rows if r[2] == 'cry']
m = np.array([score(r[4], 'baby')[:FIRST].max() for r in cr])
print('\ncries: max baby-cry score in first 3 s, percentiles 5/10/25/50:', np.percentile(m, [5, 10, 25, 50]).round(3))
m = np.array([score(r[4], 'baby').max() for r in cr])
print('cries: max baby-cry score over whole clip, percentiles 5/10/25/50:', np.percentile(m, [5, 10, 25, 50]).round(3))
# what YAMNet thinks missed cries are
top = collections.Counter()
for r in cr:
    s = r[4][:FIRST]
    if s[:, C['Baby cry, infant cry']].max() <= 0.2:
        top[KEEP[int(s.max(axis=0).argmax())]] += 1
print('cries with baby-cry <= 0.2 in first 3 s, their top kept class:', top.most_common())
ng = [r for r in rows if r[2] == 'neg' and r[1]]
print('\nnegatives (8 kHz band) with highest baby-cry score anywhere:')
for r in sorted(ng, key=lambda r: -score(r[4], 'baby').max())[:12]:
    print(f'  {r[0]} ({r[3]}): {score(r[4], "baby").max():.3f}')
