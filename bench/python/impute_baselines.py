"""Imputation baselines for `bench:quality --tasks imputation-auto` (bench/quality/tasks/imputation-auto.ts).

The GAIN protocol on letter, spam and the 18 ADBench tables' features: per seed, each cell is missing with
probability 0.2 (MCAR) drawn with residual's own generator (core/rng.ts, ported below, so that the masks are the
ones the TypeScript side draws: the mean-imputation RMSE of both sides is compared to check it); columns with < 20
distinct observed values are rounded; RMSE over the missing cells in the complete data's min-max units.
Methods: mean, kNN (KNNImputer k = 5), MICE (IterativeImputer, BayesianRidge, max_iter 10), MissForest
(IterativeImputer with ExtraTreesRegressor, 50 trees, max_iter 5).
Usage: impute_baselines.py <datasets root> <out.json> <seeds comma-separated> [set ...]; an existing out.json is
resumed (runs already in it are kept). `impute_baselines.py --x <datasets root> <out.json> [set ...]` writes the
complete tables instead (rows, features, row-major values), for the TypeScript side. Exits 3 without scikit-learn.
"""
import json
import os
import sys
import time

try:
    import numpy as np
    from sklearn.ensemble import ExtraTreesRegressor
    from sklearn.experimental import enable_iterative_imputer  # noqa: F401
    from sklearn.impute import IterativeImputer, KNNImputer
    from sklearn.linear_model import BayesianRidge
except ImportError as e:  # pragma: no cover
    print(json.dumps({"missing": str(e)}))
    sys.exit(3)

ADBENCH = {
    "adbench_dev": ["2_annthyroid", "4_breastw", "7_Cardiotocography", "12_fault", "14_glass", "18_Ionosphere", "20_letter",
                    "23_mammography", "26_optdigits", "29_Pima", "31_satimage-2", "39_vertebral", "42_WBC", "44_Wilt", "45_wine",
                    "47_yeast"],
    "adbench_small": ["6_cardio", "38_thyroid"],
}
M = 0xFFFFFFFF


class Rng:
    """core/rng.ts: sfc32 seeded through splitmix32."""

    def __init__(self, seed):
        s = [seed & M]

        def nxt():
            s[0] = (s[0] + 0x9E3779B9) & M
            z = s[0]
            z = ((z ^ (z >> 16)) * 0x85EBCA6B) & M
            z = ((z ^ (z >> 13)) * 0xC2B2AE35) & M
            return (z ^ (z >> 16)) & M
        self.a, self.b, self.c, self.d = nxt(), nxt(), nxt(), nxt()
        for _ in range(12):
            self.u32()

    def u32(self):
        t = (((self.a + self.b) & M) + self.d) & M
        self.d = (self.d + 1) & M
        self.a = self.b ^ (self.b >> 9)
        self.b = (self.c + ((self.c << 3) & M)) & M
        self.c = (((self.c << 21) & M) | (self.c >> 11)) & M
        self.c = (self.c + t) & M
        return t


def mcar_mask(cells, rate, seed):
    rng = Rng(seed)
    return np.array([rng.u32() / 4294967296.0 >= rate for _ in range(cells)], dtype=bool)


def load(root, name):
    if name in ("letter", "spam"):
        return np.genfromtxt(os.path.join(root, "gain_letter_spam", f"{name}.csv"), delimiter=",", skip_header=1)
    folder = next(f for f, names in ADBENCH.items() if name in names)
    return np.load(os.path.join(root, folder, f"{name}.npz"), allow_pickle=False)["X"].astype(np.float64)


def rounded(imputed, incomplete, mask):
    out = imputed.copy()
    for j in range(imputed.shape[1]):
        if len(np.unique(incomplete[mask[:, j], j])[:20]) < 20:
            out[:, j] = np.round(out[:, j])
    return out


def rmse(truth, imputed, mask):
    lo, hi = truth.min(0), truth.max(0)
    d = (truth - imputed) / (hi - lo + 1e-6)
    return float(np.sqrt(np.mean(d[~mask] ** 2)))


def methods(seed):
    return {
        "mean": lambda x: np.where(np.isnan(x), np.nanmean(x, 0), x),
        "knn5": lambda x: KNNImputer(n_neighbors=5, keep_empty_features=True).fit_transform(x),
        "mice": lambda x: IterativeImputer(estimator=BayesianRidge(), max_iter=10, random_state=seed,
                                           keep_empty_features=True).fit_transform(x),
        "missforest": lambda x: IterativeImputer(
            estimator=ExtraTreesRegressor(n_estimators=50, random_state=seed, n_jobs=2), max_iter=5, random_state=seed,
            keep_empty_features=True).fit_transform(x),
    }


def export_x(root, out_path, names):
    tables = {}
    for name in names:
        x = load(root, name)
        tables[name] = {"rows": int(x.shape[0]), "features": int(x.shape[1]), "x": x.ravel().tolist()}
    json.dump(tables, open(out_path, "w"))


def main():
    if sys.argv[1] == "--x":
        return export_x(sys.argv[2], sys.argv[3], sys.argv[4:] or ["letter", "spam"] + ADBENCH["adbench_dev"] + ADBENCH["adbench_small"])
    root, out_path, seeds = sys.argv[1], sys.argv[2], [int(s) for s in sys.argv[3].split(",")]
    names = sys.argv[4:] or ["letter", "spam"] + ADBENCH["adbench_dev"] + ADBENCH["adbench_small"]
    result = json.load(open(out_path)) if os.path.exists(out_path) else {}
    for name in names:
        x = load(root, name)
        entry = result.setdefault(name, {"rows": int(x.shape[0]), "features": int(x.shape[1]), "rmse": {}, "seconds": {}})
        for seed in seeds:
            mask = mcar_mask(x.size, 0.2, seed).reshape(x.shape)
            incomplete = np.where(mask, x, np.nan)
            for method, fill in methods(seed).items():
                runs = entry["rmse"].setdefault(method, {})
                if str(seed) in runs:
                    continue
                t0 = time.time()
                imputed = np.asarray(fill(incomplete))
                runs[str(seed)] = rmse(x, rounded(imputed, incomplete, mask), mask)
                entry["seconds"][method] = entry["seconds"].get(method, 0) + time.time() - t0
                print(f"{name} seed {seed} {method}: {runs[str(seed)]:.4f} ({time.time() - t0:.1f} s)", file=sys.stderr, flush=True)
                json.dump(result, open(out_path, "w"))


if __name__ == "__main__":
    main()
