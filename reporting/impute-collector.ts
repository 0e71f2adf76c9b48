import { parseNumber } from '../core/io';
import { InputError } from '../core/errors';
import { AdaptiveBins, Reservoir } from './adaptive-bins';

export const IMPUTE_BINS = 400;
export const FILLED_SAMPLE = 1500;

interface MeanBin {
  sum: number;
  count: number;
}

export interface ImputeData {
  rows: number;
  features: string[];
  /** per feature: filled cells, the output's mean per bin, a sample of filled cells (row, value) */
  perFeature: { name: string; filled: number; bins: AdaptiveBins<MeanBin>; filledSample: Reservoir<[number, number]> }[];
  filledCells: number;
  stillMissing: number;
}

/**
 * Streams an impute-mode output beside the input it was made from (rows paired by position): a cell is
 * "filled" when it is empty in the input and a number in the output.
 */
export class ImputeCollector {
  private cols: { out: number; inp: number }[] = [];
  private row = 0;
  readonly data: ImputeData;

  constructor(private readonly features: readonly string[] | null) {
    this.data = { rows: 0, features: [], perFeature: [], filledCells: 0, stillMissing: 0 };
  }

  begin(outColumns: readonly string[], inColumns: readonly string[]): void {
    const names = this.features ?? outColumns.filter((c) => inColumns.includes(c));
    for (const name of names) {
      const out = outColumns.indexOf(name);
      const inp = inColumns.indexOf(name);
      if (out < 0 || inp < 0) throw new InputError(`column '${name}' is missing from the ${out < 0 ? 'scored' : 'input'} file`);
      this.cols.push({ out, inp });
      this.data.perFeature.push({
        name,
        filled: 0,
        bins: new AdaptiveBins<MeanBin>(
          IMPUTE_BINS,
          () => ({ sum: 0, count: 0 }),
          (a, b) => ((a.sum += b.sum), (a.count += b.count)),
        ),
        filledSample: new Reservoir<[number, number]>(FILLED_SAMPLE, 16),
      });
    }
    this.data.features = [...names];
  }

  add(out: readonly (string | null)[], inp: readonly (string | null)[]): void {
    const row = this.row++;
    this.data.rows++;
    this.cols.forEach((c, j) => {
      const f = this.data.perFeature[j]!;
      const text = out[c.out] ?? null;
      const v = text === null ? NaN : (parseNumber(text) ?? NaN);
      const bin = f.bins.at(row);
      if (Number.isNaN(v)) {
        if ((inp[c.inp] ?? null) === null) this.data.stillMissing++;
        return;
      }
      bin.sum += v;
      bin.count++;
      if ((inp[c.inp] ?? null) === null) {
        f.filled++;
        this.data.filledCells++;
        f.filledSample.add([row, v]);
      }
    });
  }
}
