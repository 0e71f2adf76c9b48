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
from sklearn.ensemble import IsolationForest
from sklearn.metrics import roc_auc_score

sys.path.insert(0, os.path.dirname(__file__))
from adbench18 import baselines  # noqa: E402
from auto_isolation_probe import zscore  # noqa: E402
from auto_prototype import dev_splits, held_out, members as prototype_members, report_means, robust_scale  # noqa: E402

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


def members(xtr, xte):
    """auto_prototype's members (auto today) and the cluster member variants, on the same scaled rows."""
    ctx = {}
    out = prototype_members(xtr, xte, context=ctx)
    info = {}
    for name, rows, kk in (("cb8", ctx["ref"], 8), ("cb16", ctx["ref"], 16), ("cbN", ctx["ref"], k_rule(len(ctx["ref"]))),
                           ("cbN-full", ctx["a"][ctx["sampled"]], k_rule(ctx["m"]))):
        out[name], large, used = cluster_member(rows, kk, ctx["cal"], ctx["b"])
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
    report_means(res, VARIANTS, digits=4)

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "design")
