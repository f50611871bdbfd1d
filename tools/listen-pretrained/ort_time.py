import os
# PT: the working folder (target/pretrained: the unpacked wheel, scores, the ONNX file, session.wav);
# SHARED: ../shared/data beside the repository (development data only, never the held-out sources).
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PT = os.environ.get('PT', os.path.join(ROOT, 'target', 'pretrained'))
SHARED = os.path.join(os.path.dirname(ROOT), 'shared', 'data')
import numpy as np, onnxruntime as ort, time
so = ort.SessionOptions(); so.intra_op_num_threads = 1; so.inter_op_num_threads = 1
s = ort.InferenceSession(os.path.join(PT, 'yamnet_patch.onnx'), so, providers=['CPUExecutionProvider'])
x = np.random.default_rng(1).uniform(-6, 0, (1, 1, 96, 64)).astype(np.float32)
for _ in range(5): s.run(None, {'patch': x})
n = 200; t = time.process_time()
for _ in range(n): s.run(None, {'patch': x})
per = (time.process_time() - t) / n
print(f'onnxruntime 1 thread: {per*1e3:.2f} ms CPU a patch -> {per/0.48*100:.2f}% of a core at 0.48 s hop, {per/0.96*100:.2f}% at 0.96 s')
