import type { GapClass, GapWeights, SeriesImputeParams } from './params';

/** The three fills of one missing cell, raw units, and its gap class (for training: see SeriesGapFiller). */
export interface CellCandidates {
  linear: number;
  seasonal: number;
  model: number;
  cls: GapClass;
}

/** Rows the filler hands back, in input order: every cell finite where it could be filled (observed cells as given). */
export interface FilledRows {
  rows: number;
  /** rows × F, raw units */
  value: Float32Array;
  /** rows × F: the sd of a filled cell (NaN at observed cells and where none is known) */
  std: Float32Array;
}

type Num = ArrayLike<number>;

/** the weights the filler fills with while training (no blend chosen yet): linear in time */
export const LINEAR_ONLY: GapWeights = { linear: 1, seasonal: 0, model: 0 };

/**
 * The time-aware fill of missing cells in one object (a series), pure and streaming. Rows go in with their time
 * (epoch ms, or the row number), their raw values (NaN = missing) and the cross-column model's fill of every
 * cell (ONNX `reconstruction`, raw units) with its sd; a row comes out once `look_ahead_rows` later rows have
 * come in (or at flush), so its output does not depend on how the input was split. For a missing cell of
 * column j at row g, with a = the last observed row of j before g (any distance back in the object) and
 * b = the first observed row of j after g, if it lies within g + look_ahead_rows:
 * - linear: the straight line between (t_a, x_a) and (t_b, x_b) at t_g; only a: x_a; only b: x_b; neither: model.
 * - seasonal (period P > 0 rows): the profile m(g) plus the residual x − m interpolated in time between a and b,
 *   where m(r) is the mean of the observed cells at r − P and r + P (read only within the last rows out and the
 *   look-ahead), else the output one period back; a residual whose profile is unknown is left out; no m(g): linear.
 * - model: the cross-column fill (a non-finite one: linear).
 * The fill is w_linear·linear + w_seasonal·seasonal + w_model·model with the column's weights for the gap class:
 * 'short' when a and b exist and b − a − 1 ≤ short_gap_rows, 'long' when both exist and the gap is longer,
 * 'open' when either is missing (start or end of the object, or a gap longer than the look-ahead). Its sd is the
 * column's held-out RMSE for the class, else the model's sd. Nothing crosses objects: a new object is a new filler.
 */
export class SeriesGapFiller {
  private readonly f: number;
  private readonly look: number;
  // the last ringRows rows out: their output values (v) and their input values (NaN where missing)
  private readonly ring: Float64Array;
  private readonly ringX: Float64Array;
  private readonly ringRows: number;
  // pending rows (not out yet): times, values, model fill, model sd; `start` = the global row of pending row 0
  private t = new Float64Array(0);
  private x = new Float64Array(0);
  private m = new Float64Array(0);
  private s = new Float64Array(0);
  private n = 0;
  private start = 0;
  private readonly lastRow: Float64Array;
  private readonly lastValue: Float64Array;
  private readonly lastTime: Float64Array;
  private readonly nextRow: Float64Array;
  private readonly scannedTo: Float64Array;

  constructor(
    private readonly params: SeriesImputeParams,
    /** training: called for every missing cell with its candidates (the fill is then `fillWeights`') */
    private readonly onCandidates?: (row: number, j: number, c: CellCandidates) => void,
    private readonly fillWeights?: GapWeights,
  ) {
    this.f = params.columns.length;
    this.look = params.look_ahead_rows;
    // the profile of the last observed row a (up to look_ahead rows back) reads a − P
    this.ringRows = 2 + this.look + Math.max(0, ...params.columns.map((c) => c.period_rows));
    this.ring = new Float64Array(this.ringRows * this.f).fill(NaN);
    this.ringX = new Float64Array(this.ringRows * this.f).fill(NaN);
    const col = (v: number) => new Float64Array(this.f).fill(v);
    [this.lastRow, this.lastValue, this.lastTime] = [col(-1), col(NaN), col(NaN)];
    [this.nextRow, this.scannedTo] = [col(-1), col(-1)];
  }

  /** Takes `rows` rows (row-major raw values with NaN for missing, model fill and sd, times) and returns those now final. */
  push(values: Num, model: Num, modelStd: Num | null, times: Num, rows: number): FilledRows {
    this.append(values, model, modelStd, times, rows);
    return this.emit(Math.max(0, this.n - this.look));
  }

  /** The end of the object: every pending row comes out. */
  flush(): FilledRows {
    return this.emit(this.n);
  }

  private append(values: Num, model: Num, modelStd: Num | null, times: Num, rows: number): void {
    const f = this.f;
    const need = (this.n + rows) * f;
    if (this.x.length < need) {
      const grow = (a: Float64Array, size: number) => {
        const b = new Float64Array(size);
        b.set(a.subarray(0, this.n * (a === this.t ? 1 : f)));
        return b;
      };
      const cap = Math.max(need, 2 * this.x.length);
      this.x = grow(this.x, cap);
      this.m = grow(this.m, cap);
      this.s = grow(this.s, cap);
      this.t = grow(this.t, cap / f);
    }
    for (let i = 0; i < rows * f; i++) {
      const at = this.n * f + i;
      const v = values[i]!;
      this.x[at] = Number.isFinite(v) ? v : NaN;
      this.m[at] = model[i]!;
      this.s[at] = modelStd ? modelStd[i]! : NaN;
    }
    for (let i = 0; i < rows; i++) this.t[this.n + i] = times[i]!;
    this.n += rows;
  }

  private emit(count: number): FilledRows {
    const f = this.f;
    const value = new Float32Array(count * f);
    const std = new Float32Array(count * f).fill(NaN);
    for (let i = 0; i < count; i++) {
      const g = this.start + i;
      for (let j = 0; j < f; j++) {
        const c = i * f + j;
        const xv = this.x[c]!;
        const v = Number.isNaN(xv) ? this.fill(i, g, j, std, c) : xv;
        value[c] = v;
      }
      // after the whole row is out: it is the past of the next rows
      for (let j = 0; j < f; j++) {
        const xv = this.x[i * f + j]!;
        this.ring[(g % this.ringRows) * f + j] = value[i * f + j]!;
        this.ringX[(g % this.ringRows) * f + j] = xv;
        if (Number.isNaN(xv)) continue;
        this.lastRow[j] = g;
        this.lastValue[j] = xv;
        this.lastTime[j] = this.t[i]!;
      }
    }
    this.shift(count);
    return { rows: count, value, std };
  }

  /** v(row) of column j (the output) when `row` is out (rows before `now`) and still in the ring, else NaN. */
  private past(row: number, now: number, j: number): number {
    if (row < 0 || row >= now || row < now - this.ringRows) return NaN;
    return this.ring[(row % this.ringRows) * this.f + j]!;
  }

  /** The input value of column j at `row` (NaN where missing or not readable: before the ring, beyond now + look-ahead). */
  private input(row: number, now: number, j: number): number {
    if (row < 0 || row < now - this.ringRows + 1) return NaN;
    if (row < now) return this.ringX[(row % this.ringRows) * this.f + j]!;
    if (row > now + this.look || row >= this.start + this.n) return NaN;
    return this.x[(row - this.start) * this.f + j]!;
  }

  /** The seasonal profile at `row`: the mean of the observed cells one period before and after, else the output one period before. */
  private profile(row: number, now: number, j: number, p: number): number {
    const back = this.input(row - p, now, j);
    const ahead = this.input(row + p, now, j);
    if (Number.isFinite(back) && Number.isFinite(ahead)) return (back + ahead) / 2;
    if (Number.isFinite(back)) return back;
    if (Number.isFinite(ahead)) return ahead;
    return this.past(row - p, now, j);
  }

  private fill(i: number, g: number, j: number, std: Float32Array, c: number): number {
    const f = this.f;
    const col = this.params.columns[j]!;
    const b = this.next(g, j);
    const hasA = this.lastRow[j]! >= 0;
    const model = this.m[c]!;
    let linear: number;
    if (hasA && b >= 0) {
      const ta = this.lastTime[j]!;
      const tb = this.t[b - this.start]!;
      const xa = this.lastValue[j]!;
      const xb = this.x[(b - this.start) * f + j]!;
      linear = xa + ((xb - xa) * (this.t[i]! - ta)) / (tb - ta);
    } else if (hasA) linear = this.lastValue[j]!;
    else if (b >= 0) linear = this.x[(b - this.start) * f + j]!;
    else linear = model;
    if (!Number.isFinite(linear)) linear = model;
    let seasonal = linear;
    const p = col.period_rows;
    const base = p > 0 ? this.profile(g, g, j, p) : NaN;
    if (Number.isFinite(base)) {
      const ra = hasA ? this.lastValue[j]! - this.profile(this.lastRow[j]!, g, j, p) : NaN;
      const rb = b >= 0 ? this.x[(b - this.start) * f + j]! - this.profile(b, g, j, p) : NaN;
      let resid = 0;
      if (Number.isFinite(ra) && Number.isFinite(rb)) {
        const ta = this.lastTime[j]!;
        const tb = this.t[b - this.start]!;
        resid = ra + ((rb - ra) * (this.t[i]! - ta)) / (tb - ta);
      } else if (Number.isFinite(ra)) resid = ra;
      else if (Number.isFinite(rb)) resid = rb;
      seasonal = base + resid;
    }
    const modelFill = Number.isFinite(model) ? model : linear;
    const cls: GapClass = !hasA || b < 0 ? 'open' : b - this.lastRow[j]! - 1 <= this.params.short_gap_rows ? 'short' : 'long';
    this.onCandidates?.(g, j, { linear, seasonal, model: modelFill, cls });
    const w = this.fillWeights ?? col.weights[cls];
    const sd = col.std[cls];
    std[c] = sd !== null && Number.isFinite(sd) ? sd : this.s[c]!;
    return w.linear * linear + w.seasonal * seasonal + w.model * modelFill;
  }

  /** The global row of the first observed cell of column j after g within the look-ahead, or −1. */
  private next(g: number, j: number): number {
    const known = this.nextRow[j]!;
    if (known > g) return known - g <= this.look ? known : -1;
    const end = Math.min(g + this.look, this.start + this.n - 1);
    for (let r = Math.max(g + 1, this.scannedTo[j]! + 1); r <= end; r++) {
      if (!Number.isNaN(this.x[(r - this.start) * this.f + j]!)) {
        this.nextRow[j] = r;
        return r;
      }
    }
    this.scannedTo[j] = Math.max(this.scannedTo[j]!, end);
    return -1;
  }

  private shift(count: number): void {
    if (count === 0) return;
    const f = this.f;
    this.x.copyWithin(0, count * f, this.n * f);
    this.m.copyWithin(0, count * f, this.n * f);
    this.s.copyWithin(0, count * f, this.n * f);
    this.t.copyWithin(0, count, this.n);
    this.n -= count;
    this.start += count;
  }
}
