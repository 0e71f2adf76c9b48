import type { BatchScorer, ScorerOutput, ScorerOutputs } from '../../scoring/batch-scorer';
import { createScoringStage } from '../../scoring/window-stage';

/** A deterministic windowed "model": reconstruction = x + the window's mean (so overlap-add is visible). */
class WindowMeanScorer implements BatchScorer {
  readonly inputShape = 'windows' as const;
  calls = 0;
  constructor(private readonly t: number, private readonly f: number) {}
  async run(x: Float32Array, _mask: Float32Array, batch: number, fetch?: readonly ScorerOutput[]): Promise<ScorerOutputs> {
    this.calls += batch;
    const len = this.t * this.f;
    const rec = new Float32Array(batch * len);
    for (let w = 0; w < batch; w++) {
      let m = 0;
      for (let i = 0; i < len; i++) m += x[w * len + i]!;
      m /= len;
      for (let i = 0; i < len; i++) rec[w * len + i] = x[w * len + i]! + m;
    }
    const score = new Float32Array(batch);
    const featureError = new Float32Array(batch * this.f);
    return fetch?.includes('score') ? { reconstruction: rec, score, featureError } : { reconstruction: rec };
  }
  async release(): Promise<void> {}
}

/**
 * The expected overlap-added output: windows at 0, hop, 2·hop, … and one ending at the last row; with a hop, row k
 * of a window weighs min(k + 1, T − k) (a triangle), at hop 1 every window row weighs 1.
 */
function expected(x: Float32Array, n: number, f: number, t: number, hop: number): Float64Array {
  const starts: number[] = [];
  for (let s = 0; s + t <= n; s += hop) starts.push(s);
  if (starts[starts.length - 1] !== n - t) starts.push(n - t);
  const sum = new Float64Array(n * f);
  const count = new Float64Array(n);
  for (const s of starts) {
    let m = 0;
    for (let i = s * f; i < (s + t) * f; i++) m += x[i]!;
    m /= t * f;
    for (let r = s; r < s + t; r++) {
      const w = hop > 1 ? Math.min(r - s + 1, s + t - r) : 1;
      count[r]! += w;
      for (let j = 0; j < f; j++) sum[r * f + j]! += w * (x[r * f + j]! + m);
    }
  }
  return sum.map((v, i) => v / count[Math.floor(i / f)]!);
}

async function run(x: Float32Array, n: number, f: number, t: number, hop: number, chunk: number) {
  const scorer = new WindowMeanScorer(t, f);
  const stage = createScoringStage(scorer, f, t, ['reconstruction'], 4096, 0, undefined, hop);
  const out: number[] = [];
  let rows = 0;
  for (let r = 0; r < n; r += chunk) {
    const k = Math.min(chunk, n - r);
    const res = await stage.push(x.slice(r * f, (r + k) * f), new Float32Array(k * f).fill(1), k);
    rows += res.rows;
    out.push(...res.reconstruction!);
  }
  const last = await stage.flush();
  rows += last.rows;
  out.push(...last.reconstruction!);
  return { rows, out, calls: scorer.calls };
}

describe('WindowStage with a hop (denoising a continuous signal)', () => {
  const f = 2;
  const t = 8;
  const n = 53;
  const x = Float32Array.from({ length: n * f }, (_, i) => Math.sin(i * 0.37) + (i % 5));

  it.each([1, 3, 7, 53])('gives every row the overlap-added windows, whatever the chunk size (%i rows)', async (chunk) => {
    const r = await run(x, n, f, t, 4, chunk);
    expect(r.rows).toBe(n);
    const want = expected(x, n, f, t, 4);
    r.out.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 5));
    expect(r.calls).toBe(Math.floor((n - t) / 4) + 2);
  });

  it('runs every window at hop 1 and for scores', async () => {
    const r = await run(x, n, f, t, 1, 5);
    expect(r.calls).toBe(n - t + 1);
    r.out.forEach((v, i) => expect(v).toBeCloseTo(expected(x, n, f, t, 1)[i]!, 5));
    const scorer = new WindowMeanScorer(t, f);
    const stage = createScoringStage(scorer, f, t, ['score', 'reconstruction'], 4096, 0, undefined, 4);
    await stage.push(x, new Float32Array(n * f).fill(1), n);
    await stage.flush();
    expect(scorer.calls).toBe(n - t + 1);
  });

  it('passes a recording shorter than the window through unchanged, and refuses a hop above the window', async () => {
    const r = await run(x.slice(0, 5 * f), 5, f, t, 4, 2);
    expect(r.out).toEqual(Array.from(x.slice(0, 5 * f)));
    expect(() => createScoringStage(new WindowMeanScorer(t, f), f, t, ['reconstruction'], 4096, 0, undefined, 9)).toThrow(/hop/);
  });
});
