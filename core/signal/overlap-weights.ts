/**
 * Weights of a window's rows in the overlap-add of a continuous-signal denoiser (windows every `hop` rows):
 * with hop = 1 every window counts alike; with a hop, a triangle peaking at the window centre (row k of T weighs
 * min(k + 1, T − k)), so rows near a window edge — where the network's zero padding shows — count least and
 * windows every T/2 rows sum to a constant weight.
 */
export function overlapWeights(t: number, hop: number): Float64Array {
  const w = new Float64Array(t).fill(1);
  if (hop > 1) for (let k = 0; k < t; k++) w[k] = Math.min(k + 1, t - k);
  return w;
}

/** The first rows of the overlap-add's windows of `t` rows over `n ≥ t` rows: every `hop` rows, plus one ending at the last row. */
export function overlapWindowStarts(n: number, t: number, hop: number): number[] {
  const starts: number[] = [];
  for (let s = 0; s + t <= n; s += hop) starts.push(s);
  if (starts[starts.length - 1] !== n - t) starts.push(n - t);
  return starts;
}
