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

/** The same scores from a segment [1, N + T − 1, F] of consecutive rows (manifest window_input 'segment'); also a reconstruction. */
class SegmentWeightedSumScorer implements BatchScorer {
  readonly inputShape = 'segment' as const;
  private readonly windows: WeightedSumScorer;
  constructor(private readonly t: number, private readonly f: number) {
    this.windows = new WeightedSumScorer(t, f);
  }
  async run(x: Float32Array, mask: Float32Array, batch: number, fetch?: readonly ScorerOutput[]): Promise<ScorerOutputs> {
    const { t, f } = this;
    if (x.length !== (batch + t - 1) * f || mask.length !== x.length) throw new Error('input is not [1, N + T − 1, F]');
    const xs = new Float32Array(batch * t * f);
    const ms = new Float32Array(batch * t * f);
    for (let w = 0; w < batch; w++) {
      xs.set(x.subarray(w * f, (w + t) * f), w * t * f);
      ms.set(mask.subarray(w * f, (w + t) * f), w * t * f);
    }
    // reconstruction: each window's cells times 2 (the overlap-added mean of every covering window is then 2·x)
    return { ...(await this.windows.run(xs, ms, batch, fetch)), reconstruction: xs.map((v) => 2 * v) };
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
    await expectScores(stage, chunk);
  });

  it.each([
    [1, 64], [3, 50], [7, 1], [64, 17], [4096, 100], [10, 257],
  ])('segment input, maxBatch %i, chunks of %i rows: the same scores, the rows passed once', async (maxBatch, chunk) => {
    const stage = createScoringStage(new SegmentWeightedSumScorer(t, f), f, t, ['score', 'featureError', 'reconstruction'], maxBatch);
    const rec = await expectScores(stage, chunk);
    expect(Float32Array.from(rec)).toEqual(x.map((v) => 2 * v));
  });

  it('refuses a segment scorer with a hop (a segment model scores every window)', () => {
    expect(() => createScoringStage(new SegmentWeightedSumScorer(t, f), f, t, ['reconstruction'], 64, 0, undefined, 2)).toThrow(/segment/);
  });

  async function expectScores(stage: ReturnType<typeof createScoringStage>, chunk: number): Promise<number[]> {
    const scores: number[] = [];
    const last: number[] = [];
    const rec: number[] = [];
    for (let r = 0; r < n; r += chunk) {
      const k = Math.min(chunk, n - r);
      const res = await stage.push(x.slice(r * f, (r + k) * f), mask.slice(r * f, (r + k) * f), k);
      scores.push(...res.score!);
      last.push(...res.featureError!);
      rec.push(...(res.reconstruction ?? []));
    }
    const rest = await stage.flush();
    scores.push(...rest.score!);
    last.push(...rest.featureError!);
    rec.push(...(rest.reconstruction ?? []));
    expect(scores).toHaveLength(n);
    expect(Float32Array.from(scores)).toEqual(want);
    for (let r = t - 1; r < n; r++) expect(last.slice(r * f, (r + 1) * f)).toEqual([...x.slice(r * f, (r + 1) * f)]);
    return rec;
  }
});
