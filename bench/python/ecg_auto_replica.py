"""A numpy replica of `auto` on ECG5000 (issue 13; a design aid): pooled robust scaling, kNN mean distance at k = 6
and 5 (leave-one-out on the 292 normal TRAIN beats), PCA with 8 components, the mean of the members' robust z-scores,
the threshold at the percentile 100(1 - c), c the share of calibration scores above the skew-adjusted boxplot fence.
Prints AUC, c and the accuracy at the threshold with the PCA member's calibration scores in-sample (what `auto` does)
and 5-fold cross-fitted (out-of-sample, as the kNN members' leave-one-out scores are).
Usage: ecg_auto_replica.py <datasets root>
"""
import os
import sys

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

sys.path.insert(0, os.path.dirname(__file__))
from threshold_rules import fence  # noqa: E402

K, K_SMALL, COMPONENTS, FOLDS = 6, 5, 8, 5


def knn(ref, q, leave_one_out=False):
    d = np.sqrt(np.maximum((q ** 2).sum(1)[:, None] - 2 * q @ ref.T + (ref ** 2).sum(1)[None, :], 0))
    if leave_one_out:
        np.fill_diagonal(d, np.inf)
    d = np.sort(d, 1)
    return d[:, :K].mean(1), d[:, :K_SMALL].mean(1)


def pca_fit(z):
    mu = z.mean(0)
    return mu, np.linalg.svd(z - mu, full_matrices=False)[2][:COMPONENTS]


def pca_rms(z, p):
    mu, v = p
    r = (z - mu) - ((z - mu) @ v.T) @ v
    return np.sqrt((r ** 2).mean(1))


def robust_z(cal, test):
    m = np.median(cal)
    q1, q3 = np.percentile(cal, [25, 75])
    s = (q3 - q1) / 1.349
    return (cal - m) / s, (test - m) / s


def main(root):
    train = np.loadtxt(os.path.join(root, "ecg5000/ECG5000_TRAIN.txt"))
    test = pd.read_csv(os.path.join(root, "ecg5000/ECG5000_TEST_binary.csv"))
    y = (test["label"].values == 0).astype(int)
    xtr, xte = train[train[:, 0] == 1, 1:], test.drop(columns=["label"]).values.astype(float)
    med = np.median(xtr)
    q1, q3 = np.percentile(xtr, [25, 75])
    a, b = (xtr - med) / ((q3 - q1) / 1.349), (xte - med) / ((q3 - q1) / 1.349)
    kc, kc_small = knn(a, a, True)
    kt, kt_small = knn(a, b)
    p = pca_fit(a)
    folds = np.arange(len(a)) % FOLDS
    crossed = np.zeros(len(a))
    for f in range(FOLDS):
        crossed[folds == f] = pca_rms(a[folds == f], pca_fit(a[folds != f]))
    for label, pc in (("in-sample PCA calibration", pca_rms(a, p)), ("5-fold cross-fitted PCA calibration", crossed)):
        pairs = [robust_z(c, t) for c, t in ((kc, kt), (kc_small, kt_small), (pc, pca_rms(b, p)))]
        cal, score = np.mean([c for c, _ in pairs], 0), np.mean([t for _, t in pairs], 0)
        c_hat = min(0.5, max(0.001, (cal > fence(cal)).mean()))
        flags = score > np.quantile(cal, 1 - c_hat)
        print(f"{label}: AUC {roc_auc_score(y, score):.4f} c {c_hat:.4f} accuracy {(flags == y).mean():.4f} "
              f"FPR {flags[y == 0].mean():.4f} TPR {flags[y == 1].mean():.4f}")


if __name__ == "__main__":
    main(sys.argv[1])
