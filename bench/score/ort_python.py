"""onnxruntime-python beside onnxruntime-node (bench/score/ort-side-by-side.ts drives it).

Loads the model once at one intra-op thread, then reads commands from stdin, one per line:
`<variant> <seconds>` runs that variant for one timed window and prints rows per second of wall time and of
this process's CPU time; `versions` prints versions.
Variants: all (sess.run(None)), detect (score and feature_error only), detect_bound (IOBinding into
pre-allocated numpy outputs).
"""
import json
import sys
import time

import numpy as np
import onnxruntime as ort

model_path, batch = sys.argv[1], int(sys.argv[2])
opts = ort.SessionOptions()
opts.intra_op_num_threads = 1
opts.inter_op_num_threads = 1
sess = ort.InferenceSession(model_path, opts, providers=["CPUExecutionProvider"])
f = sess.get_inputs()[0].shape[1]
x = np.sin(np.arange(batch * f, dtype=np.float64)).astype(np.float32).reshape(batch, f)
m = np.ones_like(x)
feeds = {"x": x, "mask": m}
binding = sess.io_binding()
binding.bind_cpu_input("x", x)
binding.bind_cpu_input("mask", m)
score = np.zeros((batch,), dtype=np.float32)
ferr = np.zeros((batch, f), dtype=np.float32)
binding.bind_output("score", "cpu", 0, np.float32, list(score.shape), score.ctypes.data)
binding.bind_output("feature_error", "cpu", 0, np.float32, list(ferr.shape), ferr.ctypes.data)

variants = {
    "all": lambda: sess.run(None, feeds),
    "detect": lambda: sess.run(["score", "feature_error"], feeds),
    "detect_bound": lambda: sess.run_with_iobinding(binding),
}
for v in variants.values():
    for _ in range(3):
        v()
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    parts = line.split()
    if not parts:
        continue
    if parts[0] == "versions":
        print(json.dumps({"onnxruntime": ort.__version__, "numpy": np.__version__}), flush=True)
        continue
    run, seconds = variants[parts[0]], float(parts[1])
    rows = 0
    t = time.perf_counter()
    cpu = time.process_time()
    while time.perf_counter() - t < seconds:
        run()
        rows += batch
    wall, cpu = time.perf_counter() - t, time.process_time() - cpu
    print(json.dumps({"rows_per_s": rows / wall, "rows_per_cpu_s": rows / cpu}), flush=True)
