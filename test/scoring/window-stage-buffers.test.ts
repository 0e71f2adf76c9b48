import type { BatchScorer, ScorerOutput, ScorerOutputs } from '../../scoring/batch-scorer';
import { createScoringStage } from '../../scoring/window-stage';

/** Scores each window by a position-weighted sum of its cells (any wrong or stale cell changes it). */
class WeightedSumScorer implements BatchScorer {
  readonly inputShape = 'windows' as const;
  constructor(private readonly t: number, private readonly f: number) {}
  async run(x: Float32Array, mask: Float32Array, batch: number, _fetch?: readonly ScorerOutput[]): Promise<ScorerOutputs> {
    const len = this.t * this.f;
    if (x.length !== batch * len || mask.length !== batch * len) throw new Error('input is not [N, T, F]');
    const score = new Float32Array(batch);
    const featureError = new Float32Array(batch * this.f);
    for (let w = 0; w < batch; w++) {
      let s = 0;
      for (let i = 0; i < len; i++) s += (i + 1) * x[w * len + i]! * mask[w * len + i]!;
      score[w] = s;
      for (let j = 0; j < this.f; j++) featureError[w * this.f + j] = x[w * len + len - this.f + j]!;
    }
    return { score, featureError };
  }
  async release(): Promise<void> {}
}

function direct(x: Float32Array, mask: Float32Array, n: number, f: number, t: number): Float32Array {
  const out = new Float32Array(n).fill(NaN);
  for (let end = t - 1; end < n; end++) {
    let s = 0;
    for (let i = 0; i < t * f; i++) s += (i + 1) * x[(end - t + 1) * f + i]! * mask[(end - t + 1) * f + i]!;
    out[end] = s;
  }
  return out;
}

describe('window stage input buffers (reused across batches)', () => {
  const n = 257;
  const f = 2;
  const t = 5;
  const x = Float32Array.from({ length: n * f }, (_, i) => ((i * 7919) % 101) / 10);
  const mask = Float32Array.from({ length: n * f }, (_, i) => (i % 13 === 0 ? 0 : 1));
  const want = direct(x, mask, n, f, t);

  it.each([
    [1, 64], [3, 50], [7, 1], [64, 17], [4096, 100], [10, 257],
  ])('maxBatch %i, chunks of %i rows: every window is the rows it ends at', async (maxBatch, chunk) => {
    const stage = createScoringStage(new WeightedSumScorer(t, f), f, t, ['score', 'featureError'], maxBatch);
    const scores: number[] = [];
    const last: number[] = [];
    for (let r = 0; r < n; r += chunk) {
      const k = Math.min(chunk, n - r);
      const res = await stage.push(x.slice(r * f, (r + k) * f), mask.slice(r * f, (r + k) * f), k);
      scores.push(...res.score!);
      last.push(...res.featureError!);
    }
    const rest = await stage.flush();
    scores.push(...rest.score!);
    last.push(...rest.featureError!);
    expect(scores).toHaveLength(n);
    expect(Float32Array.from(scores)).toEqual(want);
    for (let r = t - 1; r < n; r++) expect(last.slice(r * f, (r + 1) * f)).toEqual([...x.slice(r * f, (r + 1) * f)]);
  });
});
