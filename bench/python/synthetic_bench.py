"""Baselines and metrics for `bench:quality --tasks synthetic` (run by bench/quality/tasks/synthetic.ts).

Two subcommands:
  export <datasets root> <out dir> <set> ...   writes each ADBench dev set (adbench_dev/<set>.npz) as <out dir>/<set>.csv
                                               (columns x0..x{d-1}, y), so that residual trains on the same rows.
  score <dir> [label column]                   <dir> holds train.csv, holdout.csv and one <generator>.csv per residual
                                               generator; fits the two baselines on train.csv (same rows residual
                                               trained on), samples as many rows as train.csv has, and prints JSON:
                                               per generator C2ST AUC, near-copy share and (with a label) TSTR accuracy.
Baselines: multivariate Gaussian (mean and covariance of train.csv) and a Gaussian copula (each column's empirical
quantiles + the correlation of the normal scores, as SDV's GaussianCopulaSynthesizer with empirical marginals).
Both round a column to integers when every training value of it is an integer, and clip to the training range.
Metrics:
- C2ST: HistGradientBoostingClassifier (random_state 0) telling real holdout (1) from synthetic (0), equal row
  counts (the smaller side; rows drawn with RandomState(0)), 5-fold stratified CV, mean ROC-AUC (0.5 = indistinguishable).
- near-copy share: share of synthetic rows whose distance to the closest training row (columns divided by the
  training standard deviation) is below the 1st percentile of the holdout rows' own distances to the training rows
  (a fresh sample of the real distribution scores about 0.01), or is 0. Beside it the holdout's own share by the
  same rule (rows of the real data that duplicate a training row count there too: on tables of small integers,
  e.g. breastw, a third of fresh real rows do) and the excess, synthetic share − holdout share: the copying the
  generator adds beyond what the data's own duplicates explain (the ≤ 5 % target is read on the excess).
- TSTR: HistGradientBoostingClassifier trained on synthetic rows (label = the label column), accuracy on the holdout;
  beside it TRTR, the same classifier trained on train.csv.
Exits 3 when numpy, pandas or scikit-learn is missing.
"""
import json
import os
import sys

try:
    import numpy as np
    import pandas as pd
    from scipy.stats import norm  # noqa: F401 (scipy ships with scikit-learn)
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedKFold
    from sklearn.neighbors import NearestNeighbors
except ImportError as e:  # pragma: no cover
    print(json.dumps({"missing": str(e)}))
    sys.exit(3)


def export(root, out, sets):
    os.makedirs(out, exist_ok=True)
    for s in sets:
        d = np.load(os.path.join(root, "adbench_dev", f"{s}.npz"))
        x, y = d["X"].astype(float), d["y"].astype(int)
        cols = [f"x{j}" for j in range(x.shape[1])]
        df = pd.DataFrame(x, columns=cols)
        df["y"] = y
        df.to_csv(os.path.join(out, f"{s}.csv"), index=False)


def typed(sample, train):
    lo, hi = train.min(0), train.max(0)
    sample = np.clip(sample, lo, hi)
    for j in range(train.shape[1]):
        if np.all(np.equal(np.mod(train[:, j], 1), 0)):
            sample[:, j] = np.round(sample[:, j])
    return sample


def gaussian(train, n, rng):
    mu = train.mean(0)
    cov = np.cov(train, rowvar=False) + 1e-9 * np.eye(train.shape[1])
    return typed(rng.multivariate_normal(mu, cov, size=n, method="eigh"), train)


def copula(train, n, rng):
    from scipy.stats import norm as N
    m, f = train.shape
    ranks = np.argsort(np.argsort(train, axis=0), axis=0)
    u = (ranks + 0.5) / m
    z = N.ppf(u)
    corr = np.corrcoef(z, rowvar=False)
    corr = np.nan_to_num(corr) + 1e-9 * np.eye(f)
    np.fill_diagonal(corr, 1.0)
    draw = rng.multivariate_normal(np.zeros(f), corr, size=n, method="eigh")
    uu = N.cdf(draw)
    out = np.empty_like(draw)
    for j in range(f):
        out[:, j] = np.quantile(train[:, j], uu[:, j])
    return typed(out, train)


def c2st(real, synth, seed=0):
    rs = np.random.RandomState(seed)
    n = min(len(real), len(synth))
    a = real[rs.permutation(len(real))[:n]]
    b = synth[rs.permutation(len(synth))[:n]]
    x = np.vstack([a, b])
    y = np.r_[np.ones(n), np.zeros(n)]
    aucs = []
    for tr, te in StratifiedKFold(5, shuffle=True, random_state=seed).split(x, y):
        clf = HistGradientBoostingClassifier(random_state=0).fit(x[tr], y[tr])
        aucs.append(roc_auc_score(y[te], clf.predict_proba(x[te])[:, 1]))
    return float(np.mean(aucs))


def near_copies(train, holdout, synth):
    sd = train.std(0)
    sd[sd == 0] = 1
    nn = NearestNeighbors(n_neighbors=1).fit(train / sd)
    dh = nn.kneighbors(holdout / sd)[0][:, 0]
    ds = nn.kneighbors(synth / sd)[0][:, 0]
    q01 = np.quantile(dh, 0.01)
    near = lambda d: float(np.mean((d < q01) | (d == 0)))  # noqa: E731
    return near(ds), float(np.median(ds)), float(np.median(dh)), near(dh)


def tstr(train_x, train_y, test_x, test_y):
    if len(np.unique(train_y)) < 2:  # one class only: the classifier can only predict it
        return float(np.mean(test_y == train_y[0])) if len(train_y) else float("nan")
    clf = HistGradientBoostingClassifier(random_state=0).fit(train_x, train_y)
    return float(np.mean(clf.predict(test_x) == test_y))


def score(d, label):
    train_df = pd.read_csv(os.path.join(d, "train.csv"))
    hold_df = pd.read_csv(os.path.join(d, "holdout.csv"))
    cols = list(train_df.columns)
    train, hold = train_df.to_numpy(float), hold_df.to_numpy(float)
    rng = np.random.default_rng(0)
    gens = {"multivariate-gaussian": gaussian(train, len(train), rng), "gaussian-copula": copula(train, len(train), rng)}
    for name in sorted(os.listdir(d)):
        if name.endswith(".csv") and name not in ("train.csv", "holdout.csv"):
            gens[name[:-4]] = pd.read_csv(os.path.join(d, name))[cols].to_numpy(float)
    out = {"rows": {"train": len(train), "holdout": len(hold)}, "generators": {}}
    li = cols.index(label) if label else None
    if li is not None:
        keep = [j for j in range(len(cols)) if j != li]
        out["trtr"] = tstr(train[:, keep], train[:, li], hold[:, keep], hold[:, li])
    for name, s in gens.items():
        s = s[np.all(np.isfinite(s), axis=1)]
        share, dcr_s, dcr_h, hold_share = near_copies(train, hold, s)
        r = {"rows": len(s), "c2st": c2st(hold, s), "near_copy_share": share, "holdout_near_copy_share": hold_share,
             "near_copy_excess": share - hold_share, "dcr_median": dcr_s, "dcr_holdout_median": dcr_h}
        if li is not None:
            r["tstr"] = tstr(s[:, keep], np.round(s[:, li]), hold[:, keep], hold[:, li])
        out["generators"][name] = r
    print(json.dumps(out))


if __name__ == "__main__":
    if sys.argv[1] == "export":
        export(sys.argv[2], sys.argv[3], sys.argv[4:])
    else:
        score(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
