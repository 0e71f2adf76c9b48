import { parseNumber } from '../core/io';
import { InputError } from '../core/errors';

/** Rows of the denoise overlay: the first stretch of the file, every row shown (no downsampling). */
export const DENOISE_WINDOW = 1000;
export const DENOISE_FEATURES = 3;

export interface DenoiseData {
  rows: number;
  features: string[];
  /** per feature, per series (noisy input, denoised output, clean reference): the first DENOISE_WINDOW values */
  series: { name: string; noisy: number[]; denoised: number[]; clean: number[] | null }[];
  /** over every row: mean absolute change made by denoising, per feature */
  meanChange: number[];
}

/** Streams a denoise-mode output with its noisy input (and optionally a clean reference), rows paired by position. */
export class DenoiseCollector {
  private cols: { out: number; inp: number; ref: number }[] = [];
  private sums: number[] = [];
  private counts: number[] = [];
  readonly data: DenoiseData;

  constructor(private readonly features: readonly string[] | null) {
    this.data = { rows: 0, features: [], series: [], meanChange: [] };
  }

  begin(outColumns: readonly string[], inColumns: readonly string[], refColumns: readonly string[] | null): void {
    const names = this.features ?? outColumns.filter((c) => inColumns.includes(c));
    for (const name of names) {
      const idx = { out: outColumns.indexOf(name), inp: inColumns.indexOf(name), ref: refColumns ? refColumns.indexOf(name) : -1 };
      if (idx.out < 0 || idx.inp < 0 || (refColumns && idx.ref < 0)) throw new InputError(`column '${name}' is not in every file given`);
      this.cols.push(idx);
    }
    this.data.features = [...names];
    this.sums = names.map(() => 0);
    this.counts = names.map(() => 0);
    this.data.series = names.slice(0, DENOISE_FEATURES).map((name) => ({ name, noisy: [], denoised: [], clean: refColumns ? [] : null }));
  }

  add(out: readonly (string | null)[], inp: readonly (string | null)[], ref: readonly (string | null)[] | null): void {
    const row = this.data.rows++;
    const num = (t: string | null | undefined) => (t === null || t === undefined ? NaN : (parseNumber(t) ?? NaN));
    this.cols.forEach((c, j) => {
      const o = num(out[c.out]);
      const i = num(inp[c.inp]);
      if (Number.isFinite(o) && Number.isFinite(i)) {
        this.sums[j]! += Math.abs(o - i);
        this.counts[j]!++;
      }
      const s = this.data.series[j];
      if (s && row < DENOISE_WINDOW) {
        s.noisy.push(i);
        s.denoised.push(o);
        s.clean?.push(ref ? num(ref[c.ref]) : NaN);
      }
    });
  }

  finish(): DenoiseData {
    this.data.meanChange = this.sums.map((s, j) => (this.counts[j] ? s / this.counts[j]! : NaN));
    return this.data;
  }
}
