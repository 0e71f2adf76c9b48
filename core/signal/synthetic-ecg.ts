import { Rng } from '../rng';

/**
 * A synthetic multi-lead ECG (rows × leads, mV-like units) for tests and demos: beats of Gaussian P, Q, R, S
 * and T waves at `bpm` (±5 % jitter), each lead a different mix of the waves; every `abnormalEvery`-th beat
 * (0 = none) is a wide, inverted, premature ventricular-like beat. Returns the signal and the R-peak rows.
 */
export function syntheticEcg(
  seconds: number, fs: number, leads: number, seed: number, options: { bpm?: number; abnormalEvery?: number } = {},
): { values: Float32Array; peaks: number[]; abnormal: boolean[] } {
  const rng = new Rng(seed);
  const n = Math.round(seconds * fs);
  const values = new Float32Array(n * leads);
  const gains = Array.from({ length: leads }, (_, j) => 0.6 + 0.8 * ((j * 0.37) % 1));
  const rr = 60 / (options.bpm ?? 72);
  const peaks: number[] = [];
  const abnormal: boolean[] = [];
  let t = 0.4;
  let beat = 0;
  while (t < seconds - 0.5) {
    const odd = options.abnormalEvery ? beat % options.abnormalEvery === options.abnormalEvery - 1 : false;
    const waves: Array<[number, number, number]> = odd
      ? [[0, 0.035, -1.1], [0.1, 0.04, 0.4], [0.3, 0.07, 0.35]]
      : [[-0.16, 0.025, 0.12], [-0.025, 0.008, -0.12], [0, 0.01, 1], [0.03, 0.01, -0.25], [0.25, 0.04, 0.3]];
    const r = Math.round(t * fs);
    peaks.push(r);
    abnormal.push(odd);
    for (const [at, width, amp] of waves) {
      const c = t + at;
      for (let i = Math.max(0, Math.round((c - 4 * width) * fs)); i < Math.min(n, Math.round((c + 4 * width) * fs)); i++) {
        const g = amp * Math.exp(-0.5 * ((i / fs - c) / width) ** 2);
        for (let j = 0; j < leads; j++) values[i * leads + j]! += gains[j]! * (j % 3 === 2 && at > 0.1 ? -g : g);
      }
    }
    t += rr * (odd ? 0.7 : 1) * (0.95 + 0.1 * rng.next());
    beat++;
  }
  return { values, peaks, abnormal };
}
