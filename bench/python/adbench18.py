"""The 18 ADBench sets in two protocols for `bench:quality --tasks adbench18` (run by bench/quality/tasks/adbench18.ts).

Defines the splits (as ../shared/datasets/adbench_dev/README.md does, numpy RandomState(0)) and computes the
three scikit-learn baselines on them, then writes one JSON file: per set its rows, labels and, per protocol, the
train / test row indices and the baselines' test ROC-AUC, so that residual's kinds run on exactly these splits.
- unsup: stratified 60/40 (per label a permutation, the first round(0.6 n) rows train); fit without labels.
- oneclass: fit on a random half of the normal rows; test on the other half plus every anomaly.
Baselines: IsolationForest (200 trees, random_state 0), KNN (k = 5, largest distance, StandardScaler fitted on
the training part), PCA reconstruction error (standardised, 90 % of the variance).
Usage: adbench18.py <datasets root> <out.json> [set ... | design | holdout]. `design` / `holdout` name the halves of
issue 13's hold-out rule (held out: the ADBench number is divisible by 3). Exits 3 when numpy or scikit-learn is
missing, 2 when a named set is not one of the 18.
"""
import json
import os
import sys

try:
    import numpy as np
    from sklearn.decomposition import PCA
    from sklearn.ensemble import IsolationForest
    from sklearn.metrics import roc_auc_score
    from sklearn.neighbors import NearestNeighbors
    from sklearn.preprocessing import StandardScaler
except ImportError as e:  # pragma: no cover
    print(json.dumps({"missing": str(e)}))
    sys.exit(3)

SETS = {
    "adbench_dev": ["2_annthyroid", "4_breastw", "7_Cardiotocography", "12_fault", "14_glass", "18_Ionosphere", "20_letter",
                    "23_mammography", "26_optdigits", "29_Pima", "31_satimage-2", "39_vertebral", "42_WBC", "44_Wilt", "45_wine",
                    "47_yeast"],
    "adbench_small": ["6_cardio", "38_thyroid"],
}


def split(y, protocol):
    rs = np.random.RandomState(0)
    if protocol == "unsup":
        train, test = [], []
        for label in (0, 1):
            idx = rs.permutation(np.where(y == label)[0])
            cut = int(round(0.6 * len(idx)))
            train += list(idx[:cut])
            test += list(idx[cut:])
        return np.sort(train), np.sort(test)
    normal = rs.permutation(np.where(y == 0)[0])
    half = len(normal) // 2
    return np.sort(normal[:half]), np.sort(np.concatenate([normal[half:], np.where(y == 1)[0]]))


def baselines(xtr, xte, yte):
    out = {}
    iforest = IsolationForest(n_estimators=200, random_state=0).fit(xtr)
    out["iforest"] = roc_auc_score(yte, -iforest.score_samples(xte))
    scaler = StandardScaler().fit(xtr)
    ztr, zte = scaler.transform(xtr), scaler.transform(xte)
    dist, _ = NearestNeighbors(n_neighbors=5).fit(ztr).kneighbors(zte)
    out["knn"] = roc_auc_score(yte, dist[:, -1])
    pca = PCA(n_components=0.9, svd_solver="full").fit(ztr)
    rec = pca.inverse_transform(pca.transform(zte))
    out["pca"] = roc_auc_score(yte, ((zte - rec) ** 2).sum(1))
    return out


def held_out(name):
    """Issue 13's hold-out rule, fixed before any result: the sets whose ADBench number is divisible by 3."""
    return int(name.split("_")[0]) % 3 == 0


def selected(name, only):
    if not only:
        return True
    return name in only or ("design" in only and not held_out(name)) or ("holdout" in only and held_out(name))


def main(root, out_path, only):
    known = {name for names in SETS.values() for name in names}
    unknown = sorted(only - known - {"design", "holdout"})
    if unknown:
        print(f"unknown set(s): {', '.join(unknown)}; the 18 sets: {', '.join(sorted(known))}", file=sys.stderr)
        sys.exit(2)
    sets = []
    for folder, names in SETS.items():
        for name in names:
            if not selected(name, only):
                continue
            data = np.load(os.path.join(root, folder, name + ".npz"))
            x, y = data["X"].astype(np.float64), data["y"].astype(int)
            entry = {"name": name, "features": int(x.shape[1]), "x": x.ravel().tolist(), "y": y.tolist(), "protocols": {}}
            for protocol in ("unsup", "oneclass"):
                train, test = split(y, protocol)
                entry["protocols"][protocol] = {
                    "train": train.tolist(), "test": test.tolist(), "baselines": baselines(x[train], x[test], y[test]),
                }
            sets.append(entry)
    with open(out_path, "w") as f:
        json.dump({"sets": sets}, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], set(sys.argv[3:]))
