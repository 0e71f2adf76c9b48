import { Rng } from '../../core/rng';

/**
 * Seeded synthetic rows: F features driven by 2 latent factors plus small noise, offset/scaled per
 * feature. `anomalies` rows (at the end) break the correlation structure; `labels` marks them.
 */
export function correlatedRows(
  n: number,
  features: number,
  seed: number,
  anomalies = 0,
): { values: Float32Array; labels: Uint8Array; features: string[] } {
  const rng = new Rng(seed);
  const values = new Float32Array(n * features);
  const labels = new Uint8Array(n);
  const load = Array.from({ length: features }, (_, f) => [Math.cos(f), Math.sin(f * 1.7)]);
  for (let i = 0; i < n; i++) {
    const a = rng.normal();
    const b = rng.normal();
    const anomalous = i >= n - anomalies;
    labels[i] = anomalous ? 1 : 0;
    for (let f = 0; f < features; f++) {
      let v = load[f][0] * a + load[f][1] * b + 0.05 * rng.normal();
      if (anomalous) v = 2.5 * rng.normal();
      values[i * features + f] = v * (f + 1) + 10 * f;
    }
  }
  return { values, labels, features: Array.from({ length: features }, (_, f) => `f${f}`) };
}

/** Seeded periodic signal rows: each feature a phase-shifted sine plus noise (for windows). */
export function periodicRows(n: number, features: number, seed: number): { values: Float32Array; features: string[] } {
  const rng = new Rng(seed);
  const values = new Float32Array(n * features);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < features; f++) values[i * features + f] = Math.sin((2 * Math.PI * i) / 16 + f) + 0.05 * rng.normal();
  }
  return { values, features: Array.from({ length: features }, (_, f) => `s${f}`) };
}

/** Area under the ROC curve of scores against 0/1 labels (ties count half). */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  let pos = 0;
  let neg = 0;
  let wins = 0;
  for (let i = 0; i < labels.length; i++) {
    if (!labels[i]) continue;
    pos++;
    for (let j = 0; j < labels.length; j++) {
      if (labels[j]) continue;
      if (pos === 1) neg++;
      if (scores[i] > scores[j]) wins++;
      else if (scores[i] === scores[j]) wins += 0.5;
    }
  }
  return wins / (pos * neg);
}
