"""Isolation-forest variants for `auto`'s isolation member on the design sets (issue 13; a design aid, not a benchmark).

`psi`: scikit-learn IsolationForest alone (200 trees) on robust-scaled rows at sub-sample sizes 32 / 64 / 128 / 256,
mean ROC-AUC of seeds 0-2. `eif`: an extended isolation forest (Hariri et al. 2021: random hyperplane splits, full
extension; numpy, 100 trees, sub-sample 256, seeds 0-1) beside scikit-learn's axis-parallel forest (100 trees, seeds 0-1).
Held-out sets (ADBench number divisible by 3) are never read.
Usage: auto_forest_probe.py <datasets root> psi|eif
"""
import os
import sys

import numpy as np
from sklearn.ensemble import IsolationForest
from sklearn.metrics import roc_auc_score

sys.path.insert(0, os.path.dirname(__file__))
import auto_prototype as ap  # noqa: E402
from adbench18 import held_out  # noqa: E402

PSIS = (32, 64, 128, 256)


def c_path(n):
    n = float(n)
    return 2 * (np.log(n - 1) + 0.5772156649) - 2 * (n - 1) / n if n > 2 else (1.0 if n == 2 else 0.0)


def eif_scores(a, b, trees, psi, rng):
    psi = min(psi, len(a))
    max_depth = int(np.ceil(np.log2(psi)))
    total = np.zeros(len(b))
    for _ in range(trees):
        depth = np.zeros(len(b))

        def grow(x, q, d):
            if d >= max_depth or len(x) <= 1 or len(q) == 0:
                depth[q] = d + c_path(len(x))
                return
            normal = rng.normal(size=a.shape[1])
            lo, hi = x.min(0), x.max(0)
            point = lo + rng.random(a.shape[1]) * (hi - lo)
            gx, gq = (x - point) @ normal <= 0, (b[q] - point) @ normal <= 0
            grow(x[gx], q[gq], d + 1)
            grow(x[~gx], q[~gq], d + 1)

        grow(a[rng.choice(len(a), psi, replace=False)], np.arange(len(b)), 0)
        total += depth
    return 2 ** (-(total / trees) / c_path(psi))


def iforest_auc(a, b, y, trees, psi, seeds):
    return np.mean([roc_auc_score(y, -IsolationForest(n_estimators=trees, max_samples=min(psi, len(a)), random_state=s)
                                  .fit(a).score_samples(b)) for s in seeds])


def main(root, what):
    res = {}
    for name, protocol, xtr, xte, yte in ap.dev_splits(root, lambda n: not held_out(n)):
        med, s = ap.robust_scale(xtr)
        a, b = (xtr - med) / s, (xte - med) / s
        if what == "psi":
            row = [iforest_auc(a, b, yte, 200, psi, range(3)) for psi in PSIS]
        else:
            row = [np.mean([roc_auc_score(yte, eif_scores(a, b, 100, 256, np.random.RandomState(s))) for s in range(2)]),
                   iforest_auc(a, b, yte, 100, 256, range(2))]
        res.setdefault(protocol, []).append(row)
        print(f"{name:20s} {protocol:8s} " + " ".join(f"{v:.3f}" for v in row), flush=True)
    cols = [f"psi {p}" for p in PSIS] if what == "psi" else ["EIF", "IForest"]
    for protocol, rows in res.items():
        print(protocol, "design mean", " ".join(f"{c} {v:.4f}" for c, v in zip(cols, np.mean(rows, 0))))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
