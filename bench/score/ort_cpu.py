"""onnxruntime-python rows per CPU second for three session.run variants (bench/score/ort-cpu-side-by-side.ts runs it).

Usage: python3 bench/score/ort_cpu.py <model.onnx> <runs>. One intra-op thread, batch 4096; prints one JSON line.
"""
import json, sys, time
import numpy as np, onnxruntime as ort
model, runs = sys.argv[1], int(sys.argv[2])
o = ort.SessionOptions(); o.intra_op_num_threads = 1; o.inter_op_num_threads = 1
s = ort.InferenceSession(model, o, providers=['CPUExecutionProvider'])
b, f = 4096, s.get_inputs()[0].shape[1]
x = np.sin(np.arange(b * f, dtype=np.float64)).astype(np.float32).reshape(b, f); m = np.ones_like(x)
feeds = {'x': x, 'mask': m}
bd = s.io_binding(); bd.bind_cpu_input('x', x); bd.bind_cpu_input('mask', m)
sc = np.zeros((b,), np.float32); fe = np.zeros((b, f), np.float32)
bd.bind_output('score', 'cpu', 0, np.float32, [b], sc.ctypes.data); bd.bind_output('feature_error', 'cpu', 0, np.float32, [b, f], fe.ctypes.data)
v = {'all': lambda: s.run(None, feeds), 'detect': lambda: s.run(['score', 'feature_error'], feeds), 'detect_pre': lambda: s.run_with_iobinding(bd)}
out = {}
for k, run in v.items():
    for _ in range(3): run()
    c = time.process_time()
    for _ in range(runs): run()
    out[k] = b * runs / (time.process_time() - c)
print(json.dumps({'side': 'py', **out}))
