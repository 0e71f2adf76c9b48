import type { BatchScorer, ScorerOutput, ScorerOutputs } from './batch-scorer';
import { InternalError } from '../core/errors';
import { overlapWeights } from '../core/signal/overlap-weights';
import { AlignedRowBatch } from './aligned-row-batch';

/** Per-row model results for a run of consecutive kept rows, in input order. */
export interface RowResults {
  rows: number;
  /** NaN where no complete window ends at the row (windowed models only); when fetched */
  score?: Float32Array;
  /** rows × F; zeros where the score is NaN; when fetched */
  featureError?: Float32Array;
  /** rows × F reconstruction in raw units (windowed: overlap-added mean of every window covering the row); when fetched */
  reconstruction?: Float32Array;
  /** rows × K, when fetched (windowed: the latent of the window ending at the row, NaN before the first full window) */
  latent?: Float32Array;
  /** rows × F sd of the reconstruction, raw units (row models that give one), when fetched */
  reconstructionStd?: Float32Array;
}

/**
 * Feeds rows to the model and hands back per-row results. Row models answer each batch at once.
 * Windowed models slide a stride-1 window over the rows, carrying the last T-1 rows across chunk
 * boundaries, and hold rows back until every window that covers them has been scored, so results do not
 * depend on where chunks split.
 */
export interface ScoringStage {
  /** `lines`: each row's input line; a row model then runs each row at a position fixed by it (aligned-row-batch.ts) */
  push(x: Float32Array, mask: Float32Array, rows: number, lines?: ArrayLike<number>): Promise<RowResults>;
  flush(): Promise<RowResults>;
  /** after flush(): the last (window size − 1) rows pushed, the context a resumed stage needs (none for a rows model) */
  tail(): RowContext;
}

/** Rows a stage starts from as already emitted context: row-major x and mask, `rows` of them. */
export interface RowContext {
  x: Float32Array;
  mask: Float32Array;
  rows: number;
}

/**
 * `fetch`: the model outputs the caller will read (the others are not computed); `latentDim`: K when 'latent' is
 * fetched; `hop`: rows between scored windows when only the reconstruction is fetched (denoising a continuous
 * signal: windows start at rows 0, hop, 2·hop, … and one more window ends at the last row at flush, so every
 * row is covered; default 1 = every window). Scores and latents always use every window.
 */
export function createScoringStage(
  scorer: BatchScorer, features: number, window: number | null, fetch: readonly ScorerOutput[], maxBatch = 4096, latentDim = 0,
  context?: RowContext,
  hop = 1,
): ScoringStage {
  if (window === null) return new RowStage(scorer, features, fetch);
  const stage = new WindowStage(scorer, features, window, fetch, maxBatch, latentDim, hop);
  if (context && context.rows > 0) stage.resume(context);
  return stage;
}

const EMPTY: RowResults = { rows: 0 };

class RowStage implements ScoringStage {
  private readonly aligned: AlignedRowBatch;

  constructor(private readonly scorer: BatchScorer, private readonly f: number, private readonly fetch: readonly ScorerOutput[]) {
    this.aligned = new AlignedRowBatch(scorer, f);
  }

  async push(x: Float32Array, mask: Float32Array, rows: number, lines?: ArrayLike<number>): Promise<RowResults> {
    if (rows === 0) return EMPTY;
    if (lines !== undefined) return { rows, ...(await this.aligned.run(x, mask, rows, lines, this.fetch)) };
    return { rows, ...(await this.scorer.run(x.subarray(0, rows * this.f), mask.subarray(0, rows * this.f), rows, this.fetch)) };
  }

  async flush(): Promise<RowResults> {
    return EMPTY;
  }

  tail(): RowContext {
    return { x: new Float32Array(0), mask: new Float32Array(0), rows: 0 };
  }
}

class WindowStage implements ScoringStage {
  /** rows not yet emitted, plus up to T-1 earlier rows kept as context */
  private x = new Float32Array(0);
  private mask = new Float32Array(0);
  private recSum = new Float64Array(0);
  /** per row: the summed overlap-add weights of the windows that covered it */
  private recCount = new Float64Array(0);
  private scores = new Float32Array(0);
  private errors = new Float32Array(0);
  private latents = new Float32Array(0);
  /** rows held in the buffers; the first `context` of them were already emitted */
  private held = 0;
  private context = 0;
  /** windows ending at buffer index < scoredUpTo have been run */
  private scoredUpTo = 0;
  /** rows shifted out of the buffers so far (buffer index + dropped = row number) */
  private dropped = 0;
  /** the row number the last window run ended at (-1: none yet) */
  private lastEnd = -1;
  private readonly hop: number;
  /** overlap-add weight of each window row (core/signal/overlap-weights.ts) */
  private readonly weights: Float64Array;
  /** the scorer takes consecutive rows [1, N + T − 1, F] and builds the windows itself (manifest window_input 'segment') */
  private readonly segment: boolean;
  /** the windows of one run() call, [N, T, F], reused across calls */
  private xs = new Float32Array(0);
  private ms = new Float32Array(0);

  private readonly fetch: ScorerOutput[];
  private readonly wantScores: boolean;
  private readonly wantReconstruction: boolean;
  /** K, or 0 when the latent is not fetched */
  private readonly k: number;

  constructor(
    private readonly scorer: BatchScorer, private readonly f: number, private readonly t: number, fetch: readonly ScorerOutput[],
    private readonly maxBatch: number, latentDim: number, hop = 1,
  ) {
    this.wantScores = fetch.includes('score') || fetch.includes('featureError');
    this.wantReconstruction = fetch.includes('reconstruction');
    this.k = fetch.includes('latent') ? latentDim : 0;
    if (!Number.isInteger(hop) || hop < 1 || hop > t) throw new InternalError(`hop must be an integer in [1, ${t}], got ${hop}`);
    this.hop = this.wantScores || this.k ? 1 : hop;
    this.segment = scorer.inputShape === 'segment';
    if (this.segment && this.hop !== 1) throw new InternalError(`a segment model scores every window, not every ${this.hop}th`);
    this.weights = overlapWeights(t, this.hop);
    if (fetch.includes('latent') && !(latentDim > 0)) {
      throw new InternalError('fetching the latent of a windowed model needs its latent_dim');
    }
    this.fetch = [
      ...(this.wantScores ? (['score', 'featureError'] as const) : []),
      ...(this.wantReconstruction ? (['reconstruction'] as const) : []),
      ...(this.k ? (['latent'] as const) : []),
    ];
  }

  async push(x: Float32Array, mask: Float32Array, rows: number): Promise<RowResults> {
    this.append(x, mask, rows);
    await this.scoreWindows();
    // a row is final once the window starting at it has been scored; with a hop, rows up to the last window start
    // (later rows may still get the next window, or the one ending at the last row that flush adds)
    if (this.hop === 1) return this.emit(Math.max(this.context, this.scoredUpTo - (this.t - 1)));
    const lastStart = this.scoredUpTo - this.t + this.dropped;
    const upTo = lastStart < 0 ? 0 : Math.floor(lastStart / this.hop) * this.hop + 1 - this.dropped;
    return this.emit(Math.max(this.context, Math.min(upTo, this.held)));
  }

  async flush(): Promise<RowResults> {
    if (this.hop > 1 && this.held >= this.t && this.lastEnd < this.held - 1 + this.dropped) await this.runWindows([this.held - 1]);
    return this.emit(this.held);
  }

  tail(): RowContext {
    const from = Math.max(0, this.held - (this.t - 1));
    const f = this.f;
    return { x: this.x.slice(from * f, this.held * f), mask: this.mask.slice(from * f, this.held * f), rows: this.held - from };
  }

  /** Starts from rows scored by an earlier run: they are context for the first windows and are not emitted again. */
  resume(context: RowContext): void {
    if (this.held !== 0) throw new InternalError('a stage resumes only before its first push');
    const rows = Math.min(context.rows, this.t - 1);
    const skip = context.rows - rows;
    this.append(context.x.subarray(skip * this.f), context.mask.subarray(skip * this.f), rows);
    this.context = rows;
  }

  private append(x: Float32Array, mask: Float32Array, rows: number): void {
    const f = this.f;
    const need = this.held + rows;
    if (need * f > this.x.length) {
      const grow = <T extends Float32Array | Float64Array>(a: T, make: (n: number) => T) => {
        const b = make(Math.max(need * f, a.length * 2));
        b.set(a.subarray(0, this.held * f));
        return b;
      };
      this.x = grow(this.x, (n) => new Float32Array(n));
      this.mask = grow(this.mask, (n) => new Float32Array(n));
      this.recSum = grow(this.recSum, (n) => new Float64Array(n));
      this.errors = grow(this.errors, (n) => new Float32Array(n));
      const counts = new Float64Array(Math.max(need, this.recCount.length * 2));
      counts.set(this.recCount.subarray(0, this.held));
      this.recCount = counts;
      const scores = new Float32Array(Math.max(need, this.scores.length * 2));
      scores.set(this.scores.subarray(0, this.held));
      this.scores = scores;
      const latents = new Float32Array(Math.max(need * this.k, this.latents.length * 2));
      latents.set(this.latents.subarray(0, this.held * this.k));
      this.latents = latents;
    }
    this.x.set(x.subarray(0, rows * f), this.held * f);
    this.mask.set(mask.subarray(0, rows * f), this.held * f);
    this.recSum.fill(0, this.held * f, need * f);
    this.errors.fill(0, this.held * f, need * f);
    this.recCount.fill(0, this.held, need);
    this.scores.fill(NaN, this.held, need);
    this.latents.fill(NaN, this.held * this.k, need * this.k);
    this.held = need;
  }

  /** Runs every window that ends at a buffered row not yet scored (hop > 1: those starting at a multiple of hop). */
  private async scoreWindows(): Promise<void> {
    const { t, hop } = this;
    const first = Math.max(this.scoredUpTo, t - 1);
    if (hop === 1) {
      const ends: number[] = [];
      for (let end = first; end < this.held; end += this.maxBatch) {
        ends.length = Math.min(this.maxBatch, this.held - end);
        for (let w = 0; w < ends.length; w++) ends[w] = end + w;
        await this.runWindows(ends);
      }
    } else {
      const ends: number[] = [];
      const startRow = first - (t - 1) + this.dropped;
      for (let s = Math.ceil(startRow / hop) * hop; s + t - 1 - this.dropped < this.held; s += hop) ends.push(s + t - 1 - this.dropped);
      for (let i = 0; i < ends.length; i += this.maxBatch) await this.runWindows(ends.slice(i, i + this.maxBatch));
    }
    this.scoredUpTo = Math.max(this.scoredUpTo, this.held);
  }

  /** Runs the windows ending at the given buffer indices (increasing) and adds their outputs. */
  private async runWindows(ends: readonly number[]): Promise<void> {
    const { f, t } = this;
    const n = ends.length;
    if (n === 0) return;
    this.lastEnd = ends[n - 1]! + this.dropped;
    const first = ends[0]!;
    // hop 1: the windows end at consecutive rows (scoreWindows), so their outputs are consecutive rows too
    const consecutive = ends[n - 1]! - first === n - 1;
    let out: ScorerOutputs;
    if (this.segment) {
      if (!consecutive) throw new InternalError('a segment model scores windows ending at consecutive rows');
      // the rows themselves, no copy: the windows ending at first … first + n − 1 span rows first − T + 1 … first + n − 1
      const from = (first - t + 1) * f;
      const to = (first + n) * f;
      out = await this.scorer.run(this.x.subarray(from, to), this.mask.subarray(from, to), n, this.fetch);
    } else {
      // one [N, T, F] input buffer pair for the stage's life (the scorer is done with it once run() resolves)
      if (this.xs.length < n * t * f) {
        this.xs = new Float32Array(n * t * f);
        this.ms = new Float32Array(n * t * f);
      }
      const xs = n * t * f === this.xs.length ? this.xs : this.xs.subarray(0, n * t * f);
      const ms = n * t * f === this.ms.length ? this.ms : this.ms.subarray(0, n * t * f);
      for (let w = 0; w < n; w++) {
        const start = (ends[w]! - t + 1) * f;
        xs.set(this.x.subarray(start, start + t * f), w * t * f);
        ms.set(this.mask.subarray(start, start + t * f), w * t * f);
      }
      out = await this.scorer.run(xs, ms, n, this.fetch);
    }
    if (this.k && out.latent === undefined) throw new InternalError('the model has no latent output');
    if (consecutive) {
      if (this.wantScores) {
        this.scores.set(out.score!.subarray(0, n), first);
        this.errors.set(out.featureError!.subarray(0, n * f), first * f);
      }
      if (this.k) this.latents.set(out.latent!.subarray(0, n * this.k), first * this.k);
    }
    if (consecutive && !this.wantReconstruction) return;
    for (let w = 0; w < n; w++) {
      const last = ends[w]!;
      if (!consecutive && this.wantScores) {
        this.scores[last] = out.score![w]!;
        this.errors.set(out.featureError!.subarray(w * f, (w + 1) * f), last * f);
      }
      if (!consecutive && this.k) this.latents.set(out.latent!.subarray(w * this.k, (w + 1) * this.k), last * this.k);
      if (!this.wantReconstruction) continue;
      for (let k = 0; k < t; k++) {
        const row = last - t + 1 + k;
        const weight = this.weights[k]!;
        this.recCount[row]! += weight;
        const src = (w * t + k) * f;
        for (let j = 0; j < f; j++) this.recSum[row * f + j]! += weight * out.reconstruction![src + j]!;
      }
    }
  }

  /** Emits buffered rows [context, upTo) and keeps the last T-1 rows as context for later windows. */
  private emit(upTo: number): RowResults {
    const { f } = this;
    const from = this.context;
    const rows = Math.max(0, upTo - from);
    const result: RowResults = { rows };
    // only the outputs fetched (RowResults: "when fetched"): detect mode allocates no reconstruction or latent per row
    if (this.wantScores) {
      result.score = this.scores.slice(from, upTo);
      result.featureError = this.errors.slice(from * f, upTo * f);
    }
    if (this.wantReconstruction) {
      const reconstruction = new Float32Array(rows * f);
      for (let r = 0; r < rows; r++) {
        const row = from + r;
        const c = this.recCount[row]!;
        for (let j = 0; j < f; j++) reconstruction[r * f + j] = c ? this.recSum[row * f + j]! / c : this.x[row * f + j]!;
      }
      result.reconstruction = reconstruction;
    }
    if (this.k) result.latent = this.latents.slice(from * this.k, upTo * this.k);
    const keepFrom = Math.max(0, upTo - (this.t - 1));
    this.shift(keepFrom);
    this.context = upTo - keepFrom;
    return result;
  }

  private shift(drop: number): void {
    if (drop === 0) return;
    const f = this.f;
    this.x.copyWithin(0, drop * f, this.held * f);
    this.mask.copyWithin(0, drop * f, this.held * f);
    this.recSum.copyWithin(0, drop * f, this.held * f);
    this.errors.copyWithin(0, drop * f, this.held * f);
    this.recCount.copyWithin(0, drop, this.held);
    this.scores.copyWithin(0, drop, this.held);
    this.latents.copyWithin(0, drop * this.k, this.held * this.k);
    this.held -= drop;
    this.dropped += drop;
    this.scoredUpTo = Math.max(0, this.scoredUpTo - drop);
  }
}
