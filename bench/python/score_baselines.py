"""Side-by-side Python baselines for `npm run bench:score` (run by bench/score/python-baselines.ts).

Prints one JSON object: pandas read_csv MB/s, a pandas read -> onnxruntime -> to_csv pipeline MB/s (what a
Python user would write), and onnxruntime-python rows/s for the same model at one thread.
Needs pandas, numpy and onnxruntime; exits 3 when they are missing.
"""
import json
import os
import sys
import time

try:
    import numpy as np
    import onnxruntime as ort
    import pandas as pd
except ImportError as e:  # pragma: no cover
    print(json.dumps({"missing": str(e)}))
    sys.exit(3)

model_path, csv_path, out_path = sys.argv[1:4]
size_mb = os.path.getsize(csv_path) / 1e6

t = time.perf_counter()
df = pd.read_csv(csv_path)
read_s = time.perf_counter() - t

opts = ort.SessionOptions()
opts.intra_op_num_threads = 1
opts.inter_op_num_threads = 1
sess = ort.InferenceSession(model_path, opts, providers=["CPUExecutionProvider"])

x = np.random.default_rng(0).standard_normal((4096, df.shape[1])).astype(np.float32)
m = np.ones_like(x)
for _ in range(5):
    sess.run(None, {"x": x, "mask": m})
ort_rows = 0.0
for _ in range(3):  # best of three 2-second windows, as the Node side measures
    rows = 0
    t = time.perf_counter()
    while time.perf_counter() - t < 2:
        sess.run(None, {"x": x, "mask": m})
        rows += x.shape[0]
    ort_rows = max(ort_rows, rows / (time.perf_counter() - t))

t = time.perf_counter()
df = pd.read_csv(csv_path)
values = df.to_numpy(dtype=np.float32)
mask = (~np.isnan(values)).astype(np.float32)
scores = []
for i in range(0, len(values), 4096):
    out = sess.run(["score"], {"x": values[i:i + 4096], "mask": mask[i:i + 4096]})
    scores.append(out[0])
df["anomaly_score"] = np.concatenate(scores)
df.to_csv(out_path, index=False)
pipeline_s = time.perf_counter() - t
os.remove(out_path)

print(json.dumps({
    "pandas_read_MBps": size_mb / read_s,
    "pandas_pipeline_MBps": size_mb / pipeline_s,
    "ort_python_rows_per_s": ort_rows,
    "versions": {"pandas": pd.__version__, "onnxruntime": ort.__version__, "numpy": np.__version__},
}))
