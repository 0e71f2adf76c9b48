"""Probe for issue 13's clustered-anomaly misses (26_optdigits, 45_wine, unsup): a CBLOF-style cluster member.

CBLOF (He, Xu & Deng 2003; PyOD's CBLOF with use_weights=False): k-means on the trimmed kNN reference (the sampled
rows less the 5 % the isolation forest scores highest), clusters sorted by size and split into "large" and "small" at
the first boundary b where the b largest hold >= alpha = 0.9 of the rows and size[b-1] / size[b] >= beta = 5 (else the
first alpha boundary, else the first beta one, as PyOD); a row's score is its distance to the nearest LARGE centroid
(for a row of a large cluster that is the distance to its own centroid, so it equals PyOD's score). In ONNX it would
be one MatMul against the large centroids and a ReduceMin. A tight small cluster of anomalies in the training part
then scores far, where kNN and PCA call it normal.
Mirrors auto_prototype.py (robust scaling, members, calibration rows, robust z-scores averaged) and adds the member:
  base         auto today: knn, knn_small, pca, iforest
  +cb8 / +cb16 / +cbN  base + the cluster member with k = 8, 16, or k = clamp(round(sqrt(m / 10)), 8, 20) (m rows fitted)
  cbN-for-knn_small    the cluster member (k as cbN) in place of the second kNN member
  +cbN-full    as +cbN, k-means on the untrimmed sample
k-means: scikit-learn KMeans, k-means++ init, n_init 4, random_state 0.
`diag` (labels used for diagnosis only, never by a member): on 26_optdigits unsup, for k = 8 ... 50, the three clusters
of the trimmed reference holding the most training anomalies (size, anomalies, large or small by the rule above).
Measured 2026-12-02 17:51-18:00 UTC; see BENCHMARKS.md (issue 13, "cluster member"). Not adopted.
Usage: auto_cluster_probe.py <datasets root> [design|held|all|diag]
"""
import os
import sys

import numpy as np
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.ensemble import IsolationForest
from sklearn.metrics import roc_auc_score

sys.path.insert(0, os.path.dirname(__file__))
from adbench18 import baselines  # noqa: E402
from auto_isolation_probe import zscore  # noqa: E402
from auto_prototype import choose_k, dev_splits, held_out, knn_mean, robust_scale  # noqa: E402

ALPHA, BETA = 0.9, 5.0


def large_clusters(labels, k):
    """Indices of the large clusters by the cumulative-size rule (PyOD's CBLOF._set_small_large_clusters)."""
    size = np.bincount(labels, minlength=k)
    order = np.argsort(-size, kind="stable")
    n = size.sum()
    alpha_ok = [b for b in range(1, k) if size[order[:b]].sum() >= ALPHA * n]
    beta_ok = [b for b in range(1, k) if size[order[b]] == 0 or size[order[b - 1]] / size[order[b]] >= BETA]
    both = sorted(set(alpha_ok) & set(beta_ok))
    b = both[0] if both else (alpha_ok[0] if alpha_ok else (beta_ok[0] if beta_ok else k))
    return order[:b]


def k_rule(m):
    return int(min(20, max(8, round(np.sqrt(m / 10)))))


def cluster_member(fit_rows, k, *queries):
    k = max(1, min(k, len(fit_rows) - 1))
    km = KMeans(n_clusters=k, n_init=4, random_state=0).fit(fit_rows)
    centres = km.cluster_centers_[large_clusters(km.labels_, k)]

    def score(q):
        d2 = (q ** 2).sum(1)[:, None] - 2 * q @ centres.T + (centres ** 2).sum(1)[None, :]
        return np.sqrt(np.maximum(d2, 0).min(1))

    return tuple(score(q) for q in queries), len(centres), k


def members(xtr, xte, trim=0.05, seed=0):
    rng = np.random.RandomState(seed)
    med, s = robust_scale(xtr)
    a, b = (xtr - med) / s, (xte - med) / s
    n = len(a)
    m = min(n, 2000)
    order = rng.permutation(n) if n > m else np.arange(n)
    sampled = order[:m]
    cal_idx = order[m:m + 10000] if n > m else sampled
    forest = IsolationForest(n_estimators=200, random_state=seed).fit(a)
    drop = min(int(round(trim * m)), max(m - 2, 0))
    dropped = sampled[np.argsort(forest.score_samples(a[sampled]))[:drop]] if drop else np.array([], int)
    keep = np.setdiff1d(sampled, dropped, assume_unique=True)
    ref = a[keep]
    k = choose_k(len(keep))
    ks = [k, min(5, k)]
    self_idx = None
    if n <= m:
        pos = -np.ones(n, int)
        pos[keep] = np.arange(len(keep))
        self_idx = pos[cal_idx]
    cal = a[cal_idx]
    kc, kt = knn_mean(ref, cal, ks, self_idx), knn_mean(ref, b, ks)
    p = PCA(n_components=0.9, svd_solver="full").fit(a[np.setdiff1d(np.arange(n), dropped)])

    def rms(z):
        return np.sqrt(((z - p.inverse_transform(p.transform(z))) ** 2).mean(1))

    out = {"knn": (kc[0], kt[0]), "knn_small": (kc[1], kt[1]), "pca": (rms(cal), rms(b)),
           "iforest": (-forest.score_samples(cal), -forest.score_samples(b))}
    info = {}
    for name, rows, kk in (("cb8", ref, 8), ("cb16", ref, 16), ("cbN", ref, k_rule(len(ref))),
                           ("cbN-full", a[sampled], k_rule(m))):
        out[name], large, used = cluster_member(rows, kk, cal, b)
        info[name] = f"{large}/{used}"
    return out, info


BASE = ("knn", "knn_small", "pca", "iforest")
VARIANTS = {
    "base": BASE,
    "+cb8": BASE + ("cb8",),
    "+cb16": BASE + ("cb16",),
    "+cbN": BASE + ("cbN",),
    "cbN-for-knn_small": ("knn", "cbN", "pca", "iforest"),
    "+cbN-full": BASE + ("cbN-full",),
    "cbN-alone": ("cbN",),
}


def diag(root, name="26_optdigits"):
    from adbench18 import split
    data = np.load(os.path.join(root, "adbench_dev", name + ".npz"))
    x, y = data["X"].astype(np.float64), data["y"].astype(int)
    train, _ = split(y, "unsup")
    med, s = robust_scale(x[train])
    a, y = (x[train] - med) / s, y[train]
    sampled = np.random.RandomState(0).permutation(len(a))[:2000]
    forest = IsolationForest(n_estimators=200, random_state=0).fit(a)
    keep = np.setdiff1d(sampled, sampled[np.argsort(forest.score_samples(a[sampled]))[:100]])
    print(name, "unsup: training anomalies in the trimmed reference", y[keep].sum(), "of", len(keep))
    for k in (8, 14, 20, 30, 50):
        labels = KMeans(n_clusters=k, n_init=4, random_state=0).fit(a[keep]).labels_
        size, hits = np.bincount(labels, minlength=k), np.bincount(labels, weights=y[keep], minlength=k).astype(int)
        large = set(large_clusters(labels, k).tolist())
        print(f"k {k}: (size, anomalies, large)", [(int(size[c]), int(hits[c]), c in large) for c in np.argsort(-hits)[:3]])


def main(root, which):
    if which == "diag":
        return diag(root)
    res = {}
    keep = {"design": lambda n: not held_out(n), "held": held_out}.get(which, lambda n: True)
    for name, protocol, xtr, xte, yte in dev_splits(root, keep):
        mem, info = members(xtr, xte)
        z = {key: zscore(*pair) for key, pair in mem.items()}
        row = {v: roc_auc_score(yte, np.mean([z[key] for key in names], 0)) for v, names in VARIANTS.items()}
        row["IForest"] = baselines(xtr, xte, yte)["iforest"]
        res[(name, protocol)] = row
        print(f"{name:18} {protocol:8}", " ".join(f"{v} {a:.3f}" for v, a in row.items()),
              "| large/k", " ".join(f"{key} {val}" for key, val in info.items()), flush=True)
    for protocol in ("unsup", "oneclass"):
        keys = [key for key in res if key[1] == protocol]
        print(f"MEAN {protocol} ({len(keys)} sets):", " ".join(f"{v} {np.mean([res[key][v] for key in keys]):.4f}" for v in res[keys[0]]))
        for v in VARIANTS:
            far = [key[0] for key in keys if res[key][v] < res[key]["IForest"] - 0.1]
            wins = sum(res[key][v] >= res[key]["IForest"] for key in keys)
            print(f"  {v}: >= IForest on {wins}; more than .10 below IForest: {far or 'none'}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "design")
