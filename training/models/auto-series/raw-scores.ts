import { chooseWindow } from './choose-window';
import type { ProbabilitySpec } from '../../../core/probability/probability-model';

/** Research knobs of the time-series raw score (the product uses the defaults). */
export interface RawScoreOptions {
  /** 'knn-last' (default): newest step's error against the nearest training window; 'knn-full': the whole window's distance */
  raw?: 'knn-last' | 'knn-full' | 'gauss';
  /** window size; default chosen from the training rows */
  window?: number;
  /** skip exact matches (distance 0) when looking for the nearest window */
  skipExact?: boolean;
  /** z-normalise each window (shape only) */
  znorm?: boolean;
  /** knn-last: the smallest newest-step error over the k nearest windows (default 1) */
  k?: number;
}

export interface RawSeriesScores {
  /** one per row; NaN for the first window − 1 rows */
  scores: Float64Array;
  window: number;
  probability: ProbabilitySpec;
}

/** Median and a robust spread (IQR / 1.349, else the standard deviation, else 1) of v. */
function robustCentre(v: ArrayLike<number>): { centre: number; spread: number } {
  const s = Float64Array.from(v).sort();
  const q = (p: number): number => {
    const x = p * (s.length - 1);
    const lo = Math.floor(x);
    return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (x - lo);
  };
  let spread = (q(0.75) - q(0.25)) / 1.349;
  if (!(spread > 0)) {
    let m = 0;
    for (const x of s) m += x;
    m /= s.length;
    let v2 = 0;
    for (const x of s) v2 += (x - m) * (x - m);
    spread = Math.sqrt(v2 / s.length);
  }
  return { centre: q(0.5), spread: spread > 0 ? spread : 1 };
}

/** Raw scores of a whole series whose first `train` rows are the training rows (the JS reference of the ONNX model). */
export function rawSeriesScores(values: Float64Array, train: number, o: RawScoreOptions = {}): RawSeriesScores {
  const w = o.window ?? chooseWindow(values.subarray(0, train)).window;
  const { centre, spread } = robustCentre(values.subarray(0, train));
  const s = Float64Array.from(values, (x) => (x - centre) / spread);
  const n = s.length;
  const scores = new Float64Array(n).fill(NaN);
  const refRows = Math.max(0, train - w + 1);
  const win = (i: number, out: Float64Array): Float64Array => {
    for (let j = 0; j < w; j++) out[j] = s[i - w + 1 + j]!;
    if (o.znorm) znormalise(out);
    return out;
  };
  const ref = new Float64Array(refRows * w);
  const tmp = new Float64Array(w);
  for (let r = 0; r < refRows; r++) ref.set(win(r + w - 1, tmp), r * w);
  for (let i = w - 1; i < n; i++) {
    const x = win(i, tmp);
    if (o.raw === 'gauss') {
      let m = 0;
      for (let j = 0; j < w - 1; j++) m += x[j]!;
      m /= w - 1;
      let v2 = 0;
      for (let j = 0; j < w - 1; j++) v2 += (x[j]! - m) ** 2;
      scores[i] = Math.abs(x[w - 1]! - m) / (Math.sqrt(v2 / (w - 1)) + 0.1);
      continue;
    }
    if ((o.k ?? 1) > 1) {
      const k = o.k!;
      const bd: number[] = [];
      const ba: number[] = [];
      for (let r = 0; r < refRows; r++) {
        let d = 0;
        const b = r * w;
        const lim = bd.length < k ? Infinity : bd[k - 1]!;
        for (let j = 0; j < w && d < lim; j++) {
          const e = x[j]! - ref[b + j]!;
          d += e * e;
        }
        if (o.skipExact && d === 0) continue;
        if (d < lim) {
          let p = bd.length < k ? bd.length : k - 1;
          bd[p] = d; ba[p] = r;
          while (p > 0 && bd[p - 1]! > bd[p]!) {
            [bd[p - 1], bd[p]] = [bd[p]!, bd[p - 1]!];
            [ba[p - 1], ba[p]] = [ba[p]!, ba[p - 1]!];
            p--;
          }
        }
      }
      let m = Infinity;
      for (const r of ba) m = Math.min(m, Math.abs(x[w - 1]! - ref[r * w + w - 1]!));
      scores[i] = m;
      continue;
    }
    let best = Infinity;
    let at = -1;
    for (let r = 0; r < refRows; r++) {
      let d = 0;
      const b = r * w;
      for (let j = 0; j < w && d < best; j++) {
        const e = x[j]! - ref[b + j]!;
        d += e * e;
      }
      if (d < best && !(o.skipExact && d === 0)) {
        best = d;
        at = r;
      }
    }
    if (at < 0) continue;
    scores[i] = o.raw === 'knn-full' ? Math.sqrt(best / w) : Math.abs(x[w - 1]! - ref[at * w + w - 1]!);
  }
  const cal = scores.subarray(w - 1, train);
  let m = 0;
  let k = 0;
  for (const x of cal) if (Number.isFinite(x)) { m += x; k++; }
  m = k ? m / k : 0;
  let v2 = 0;
  for (const x of cal) if (Number.isFinite(x)) v2 += (x - m) ** 2;
  return {
    scores, window: w,
    probability: { method: 'anomaly-likelihood', threshold: 0.5, params: { prior_mean: m, prior_var: k ? v2 / k : 1, prior_weight: 0 } },
  };
}

function znormalise(x: Float64Array): void {
  let m = 0;
  for (const v of x) m += v;
  m /= x.length;
  let v2 = 0;
  for (const v of x) v2 += (v - m) ** 2;
  const sd = Math.sqrt(v2 / x.length) + 0.1;
  for (let j = 0; j < x.length; j++) x[j] = (x[j]! - m) / sd;
}
