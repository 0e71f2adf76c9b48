"""Probe for issue 13's clustered-anomaly misses (26_optdigits, 45_wine, unsup): isolation scores spread over the kNN graph.

In the unsup protocol the anomalies of those sets form a tight cluster in the training part, so they are each other's
nearest neighbours and every distance member calls them normal. This script measures, in the numpy / scikit-learn mirror
of `auto` (auto_prototype.py), two label-free changes that use the isolation forest to see the cluster:
- `isonn`: a member scoring a row by the mean isolation score of its k nearest sampled training rows (k = choose_k):
  a row whose neighbours are easy to isolate is in a cluster the forest finds odd (a smoothed isolation score);
- trimming the kNN reference (and the PCA fit) of the rows with the highest `isonn` (leave-one-out on the sampled rows)
  instead of the highest raw isolation score: the cluster's members all get a high `isonn`, so more of it leaves.
Variants (members' robust z-scores averaged, weights as named):
  base            auto today: trim 5 % by the isolation score; knn, knn_small, pca, iforest
  +isonn          base + the isonn member
  trimNN10+isonn  trim 10 % by isonn; + the isonn member
  trimNN10+kept   as trimNN10+isonn, isonn over the kept reference rows only (what an ONNX Gather on the kNN TopK gives)
  +isonn family   base + isonn, the two isolation members weighted 1, the three distance members 2/3 (family weights)
Measured 2026-12-02 07:30-08:05 UTC; see BENCHMARKS.md (issue 13, "isolation over the kNN graph"). Not adopted.
Usage: auto_isolation_probe.py <datasets root> [design|held|all]
"""
import os
import sys

import numpy as np
from sklearn.decomposition import PCA
from sklearn.ensemble import IsolationForest
from sklearn.metrics import roc_auc_score

sys.path.insert(0, os.path.dirname(__file__))
from adbench18 import baselines  # noqa: E402
from auto_prototype import choose_k, dev_splits, held_out, report_means, robust_scale  # noqa: E402

BASE = ("knn", "knn_small", "pca", "iforest")
VARIANTS = {
    "base": dict(),
    "+isonn": dict(members=BASE + ("isonn",)),
    "trimNN10+isonn": dict(trim_by="isonn", trim=0.1, members=BASE + ("isonn",)),
    "trimNN10+kept": dict(trim_by="isonn", trim=0.1, members=BASE + ("isonn",), kept=True),
    "+isonn family": dict(members=BASE + ("isonn",), weights={"knn": 2 / 3, "knn_small": 2 / 3, "pca": 2 / 3}),
}


def dist(q, r):
    d2 = (q ** 2).sum(1)[:, None] - 2 * q @ r.T + (r ** 2).sum(1)[None, :]
    return np.sqrt(np.maximum(d2, 0))


def nearest(d, k):
    """The k smallest distances per row (ascending) and their column indices."""
    k = min(k, d.shape[1])
    idx = np.argpartition(d, k - 1, axis=1)[:, :k]
    dd = np.take_along_axis(d, idx, 1)
    o = np.argsort(dd, 1)
    return np.take_along_axis(dd, o, 1), np.take_along_axis(idx, o, 1)


def zscore(cal, t):
    med = np.median(cal)
    q1, q3 = np.percentile(cal, [25, 75])
    sp = (q3 - q1) / 1.349
    if not sp > 1e-12 * max(1, abs(med)):
        sp = cal.std()
    return (t - med) / (sp if sp > 1e-12 * max(1, abs(med)) else 1.0)


def prepare(xtr, xte, seed=0):
    med, s = robust_scale(xtr)
    a, b = (xtr - med) / s, (xte - med) / s
    n = len(a)
    m = min(n, 2000)
    order = np.random.RandomState(seed).permutation(n) if n > m else np.arange(n)
    sampled, cal = order[:m], (order[m:m + 10000] if n > m else order[:m])
    forest = IsolationForest(n_estimators=200, random_state=seed).fit(a)
    d_ss, d_cs, d_ts = dist(a[sampled], a[sampled]), dist(a[cal], a[sampled]), dist(b, a[sampled])
    np.fill_diagonal(d_ss, np.inf)
    if n <= m:
        np.fill_diagonal(d_cs, np.inf)  # calibration rows are the sampled rows: leave each out of its own neighbours
    return dict(a=a, b=b, sampled=sampled, cal=cal, iso=-forest.score_samples(a), iso_te=-forest.score_samples(b),
                d_ss=d_ss, d_cs=d_cs, d_ts=d_ts)


def score(d, trim_by="iforest", trim=0.05, members=BASE, weights=None, kept=False):
    s = d["sampled"]
    m = len(s)
    iso_s = d["iso"][s]
    k0 = choose_k(m)
    isonn_s = iso_s[nearest(d["d_ss"], k0)[1]].mean(1)
    rank = iso_s if trim_by == "iforest" else isonn_s
    drop = min(int(round(trim * m)), max(m - 2, 0))
    dropped = np.argsort(-rank, kind="stable")[:drop]
    keep = np.setdiff1d(np.arange(m), dropped)
    k = choose_k(len(keep))
    dc, ic = nearest(d["d_cs"][:, keep], k)
    dt, it = nearest(d["d_ts"][:, keep], k)
    out = {"knn": (dc.mean(1), dt.mean(1)), "knn_small": (dc[:, :min(5, k)].mean(1), dt[:, :min(5, k)].mean(1)),
           "iforest": (d["iso"][d["cal"]], d["iso_te"])}
    fit = np.setdiff1d(np.arange(len(d["a"])), s[dropped])
    pca = PCA(n_components=0.9, svd_solver="full").fit(d["a"][fit])

    def rms(z):
        return np.sqrt(((z - pca.inverse_transform(pca.transform(z))) ** 2).mean(1))

    out["pca"] = (rms(d["a"][d["cal"]]), rms(d["b"]))
    if "isonn" in members:
        if kept:
            out["isonn"] = (iso_s[keep][ic].mean(1), iso_s[keep][it].mean(1))
        else:
            out["isonn"] = (iso_s[nearest(d["d_cs"], k0)[1]].mean(1), iso_s[nearest(d["d_ts"], k0)[1]].mean(1))
    w = weights or {}
    total = sum(w.get(n, 1) * zscore(*out[n]) for n in members)
    return total / sum(w.get(n, 1) for n in members)


def main(root, which):
    res = {}
    keep = {"design": lambda n: not held_out(n), "held": held_out}.get(which, lambda n: True)
    for name, protocol, xtr, xte, yte in dev_splits(root, keep):
        d = prepare(xtr, xte)
        row = {v: roc_auc_score(yte, score(d, **kw)) for v, kw in VARIANTS.items()}
        row["IForest"] = baselines(xtr, xte, yte)["iforest"]
        res[(name, protocol)] = row
        print(f"{name:20} {protocol:8}", " ".join(f"{v} {a:.3f}" for v, a in row.items()), flush=True)
    report_means(res, VARIANTS)

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "design")
