"""Label-free threshold rules for `auto` on the calibration scores bench/quality/threshold-probe.ts writes (issue 13).

For every case (ECG5000 and the ADBench sets, both protocols; the held-out sets only with --held) it applies each rule
to the calibration scores alone and evaluates the flags on the test part with its labels (for this report only):
ECG5000's accuracy, the design sets' mean F1 and the mean gap between the test normals' flagged share and the
calibration rows' flagged share (how well the calibration set predicts the false-positive rate). Also prints the
ECG5000 accuracy at calibration percentiles 90-99.5 and the best accuracy any threshold reaches on its test scores.
Usage: threshold_rules.py <dump.json> [--held]
"""
import json
import sys

import numpy as np
from scipy.stats import mstats

MEDCOUPLE_MAX = 2000


def held_out(name):
    return name != "ecg5000" and int(name.split("_")[0]) % 3 == 0


def medcouple(x):
    x = np.sort(x)
    n = len(x)
    if n > MEDCOUPLE_MAX:
        x = x[np.round(np.arange(MEDCOUPLE_MAX) * (n - 1) / (MEDCOUPLE_MAX - 1)).astype(int)]
    m = np.quantile(x, 0.5)
    hi, lo = x[x >= m], x[x <= m]
    d = hi[:, None] - lo[None, :]
    k = (hi[:, None] - m) - (m - lo[None, :])
    ok = d != 0
    return float(np.median(k[ok] / d[ok])) if ok.any() else 0.0


def fence(cal):
    """The skew-adjusted boxplot's upper fence (robust-stats.ts adjustedFence)."""
    q1, q3 = np.quantile(cal, [0.25, 0.75])
    mc = medcouple(cal)
    return q3 + 1.5 * np.exp((3 if mc >= 0 else 4) * mc) * (q3 - q1)


def c_hat(cal):
    return min(0.5, max(0.001, float((cal > fence(cal)).mean())))


RULES = {
    "percentile 100(1 - c) (default)": lambda cal: np.quantile(cal, 1 - c_hat(cal)),
    "the fence itself": fence,
    "Harrell-Davis quantile at 1 - c": lambda cal: mstats.hdquantiles(cal, [1 - c_hat(cal)])[0],
    "conformal order statistic ceil((n+1)(1 - c))": lambda cal: np.sort(cal)[min(len(cal) - 1, int(np.ceil((len(cal) + 1) * (1 - c_hat(cal)))) - 1)],
}


def f1(flags, y):
    tp = (flags & (y == 1)).sum()
    fp = (flags & (y == 0)).sum()
    fn = (~flags & (y == 1)).sum()
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def main(path, with_held):
    cases = [c for c in json.load(open(path))["cases"] if with_held or not held_out(c["name"])]
    for label, rule in RULES.items():
        f1s, gaps, ecg = [], [], None
        for c in cases:
            cal, s, y = np.array(c["calibration"]), np.array(c["scores"]), np.array(c["labels"])
            t = rule(cal)
            flags = s > t
            if c["name"] == "ecg5000":
                ecg = (t, (flags == y).mean())
            else:
                f1s.append(f1(flags, y))
                gaps.append(abs(flags[y == 0].mean() - (cal > t).mean()))
        print(f"{label}: ECG5000 threshold {ecg[0]:.3f} accuracy {ecg[1]:.4f}; ADBench ({len(f1s)} cases) mean F1 "
              f"{np.mean(f1s):.4f}, mean |test FPR - calibration flagged| {np.mean(gaps):.4f}")
    c = next(c for c in cases if c["name"] == "ecg5000")
    cal, s, y = np.sort(c["calibration"]), np.array(c["scores"]), np.array(c["labels"])
    for p in (90, 94, 95, 95.5, 96, 96.5, 97, 97.6, 98, 99, 99.5):
        t = np.quantile(cal, p / 100)
        flags = s > t
        print(f"ECG5000 calibration p{p}: threshold {t:.3f} accuracy {(flags == y).mean():.4f} "
              f"FPR {flags[y == 0].mean():.4f} TPR {flags[y == 1].mean():.4f}")
    print(f"ECG5000 best accuracy at any threshold: {max(((s > t) == y).mean() for t in np.sort(s)):.4f}")


if __name__ == "__main__":
    main(sys.argv[1], "--held" in sys.argv[2:])
