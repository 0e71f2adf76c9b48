/**
 * Multinomial logistic regression (softmax, L2 1e-3, full-batch gradient descent with a fixed step on
 * standardised features): the classifier behind fidelity's train-on-synthetic-test-on-real utility.
 * Hand-written for the same reason as boosted-trees.ts (core/ stays pure TypeScript).
 */
export class SoftmaxRegression {
  private w = new Float64Array(0);
  private mean = new Float64Array(0);
  private inv = new Float64Array(0);
  private classes: number[] = [];

  fit(x: ArrayLike<number>, y: ArrayLike<number>, f: number, iterations = 200, step = 0.5): this {
    const n = y.length;
    this.classes = [...new Set(Array.from(y))].sort((a, b) => a - b);
    const k = this.classes.length;
    const index = new Map(this.classes.map((c, i) => [c, i] as const));
    this.mean = new Float64Array(f);
    this.inv = new Float64Array(f);
    for (let j = 0; j < f; j++) {
      let s = 0;
      let s2 = 0;
      for (let i = 0; i < n; i++) {
        s += x[i * f + j]!;
        s2 += x[i * f + j]! ** 2;
      }
      this.mean[j] = s / n;
      const sd = Math.sqrt(Math.max(0, s2 / n - (s / n) ** 2));
      this.inv[j] = sd > 0 ? 1 / sd : 0;
    }
    const d = f + 1;
    this.w = new Float64Array(k * d);
    const grad = new Float64Array(k * d);
    const z = new Float64Array(d);
    const p = new Float64Array(k);
    for (let it = 0; it < iterations; it++) {
      grad.fill(0);
      for (let i = 0; i < n; i++) {
        this.features(x, i, f, z);
        this.probabilities(z, p);
        const yi = index.get(y[i]!)!;
        for (let c = 0; c < k; c++) {
          const e = p[c]! - (c === yi ? 1 : 0);
          for (let j = 0; j < d; j++) grad[c * d + j]! += e * z[j]!;
        }
      }
      for (let q = 0; q < grad.length; q++) this.w[q]! -= step * (grad[q]! / n + 1e-3 * this.w[q]!);
    }
    return this;
  }

  predict(x: ArrayLike<number>, f: number): number[] {
    const n = Math.floor(x.length / f);
    const z = new Float64Array(f + 1);
    const p = new Float64Array(this.classes.length);
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      this.features(x, i, f, z);
      this.probabilities(z, p);
      let best = 0;
      for (let c = 1; c < p.length; c++) if (p[c]! > p[best]!) best = c;
      out.push(this.classes[best]!);
    }
    return out;
  }

  private features(x: ArrayLike<number>, i: number, f: number, z: Float64Array): void {
    for (let j = 0; j < f; j++) {
      const v = (x[i * f + j]! - this.mean[j]!) * this.inv[j]!;
      z[j] = Number.isFinite(v) ? v : 0;
    }
    z[f] = 1;
  }

  private probabilities(z: Float64Array, p: Float64Array): void {
    const d = z.length;
    let max = -Infinity;
    for (let c = 0; c < p.length; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += this.w[c * d + j]! * z[j]!;
      p[c] = s;
      if (s > max) max = s;
    }
    let sum = 0;
    for (let c = 0; c < p.length; c++) sum += p[c] = Math.exp(p[c]! - max);
    for (let c = 0; c < p.length; c++) p[c]! /= sum;
  }
}

/** Accuracy of predicting column `label` from the others: fit on `train`, score on `test` (row-major, f columns). */
export function labelAccuracy(train: ArrayLike<number>, test: ArrayLike<number>, f: number, label: number): number {
  const split = (t: ArrayLike<number>): { x: Float64Array; y: Float64Array } => {
    const n = Math.floor(t.length / f);
    const x = new Float64Array(n * (f - 1));
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let q = 0;
      for (let j = 0; j < f; j++) {
        if (j === label) y[i] = t[i * f + j]!;
        else x[i * (f - 1) + q++] = t[i * f + j]!;
      }
    }
    return { x, y };
  };
  const a = split(train);
  const b = split(test);
  const predicted = new SoftmaxRegression().fit(a.x, a.y, f - 1).predict(b.x, f - 1);
  let right = 0;
  predicted.forEach((p, i) => (right += p === b.y[i] ? 1 : 0));
  return right / (predicted.length || 1);
}
