import { InputError } from '../errors';
import { parseNumber } from '../io';
import type { RowWithColumns } from './aligned-rows';
import { SignalErrorAccumulator } from './signal-metrics';

/** The `residual evaluate --json` object for impute / denoise outputs checked against a reference. */
export interface SignalReport {
  mode: 'signal';
  rows_in: number;
  features: string[];
  /** output vs reference over every feature cell both have */
  rmse: number | null;
  snr_db: number | null;
  cells: number;
  cells_skipped: number;
  /** with --input: cells that were empty in the input (the imputed ones) */
  rmse_filled: number | null;
  cells_filled: number | null;
  /** with --input: the input itself vs the reference (e.g. the noisy signal before denoising) */
  rmse_input: number | null;
  snr_db_input: number | null;
  per_feature: Record<string, { rmse: number | null; snr_db: number | null }>;
  warnings: string[];
}

/** Columns residual adds to a scored file; they are never features. */
export const OUTPUT_COLUMNS = new Set(['anomaly_score', 'is_anomaly', 'top_features', 'anomaly_probability', 'top_errors']);

/**
 * Streams aligned rows [output, reference, input?] and accumulates RMSE / SNR over `features` (or, when
 * none are given, every column of the reference that the output also has and whose first cell is a number).
 */
export async function signalReport(rows: AsyncIterable<RowWithColumns[]>, features: readonly string[] | null): Promise<SignalReport> {
  let cols: { name: string; out: number; ref: number; inp: number }[] | null = null;
  const all = new SignalErrorAccumulator();
  const filled = new SignalErrorAccumulator();
  const input = new SignalErrorAccumulator();
  let per: SignalErrorAccumulator[] = [];
  let rowsIn = 0;
  let withInput = false;
  for await (const [out, ref, inp] of rows) {
    if (cols === null) {
      withInput = inp !== undefined;
      cols = resolve(out!, ref!, inp, features);
      per = cols.map(() => new SignalErrorAccumulator());
    }
    rowsIn++;
    const line = out!.row.line;
    for (let j = 0; j < cols.length; j++) {
      const c = cols[j]!;
      const o = num(out!.row.cells[c.out] ?? null, c.name, line, 'output');
      const r = num(ref!.row.cells[c.ref] ?? null, c.name, line, 'reference');
      all.add(o, r);
      per[j]!.add(o, r);
      if (inp) {
        const v = num(inp.row.cells[c.inp] ?? null, c.name, line, 'input');
        if (Number.isNaN(v)) filled.add(o, r);
        else input.add(v, r);
      }
    }
  }
  const n = (v: number) => (Number.isNaN(v) ? null : v);
  const warnings: string[] = [];
  if (all.skipped) warnings.push(`${all.skipped} cell(s) empty in the output or the reference were left out`);
  return {
    mode: 'signal',
    rows_in: rowsIn,
    features: cols?.map((c) => c.name) ?? [],
    rmse: n(all.rmse()),
    snr_db: n(all.snrDb()),
    cells: all.cells,
    cells_skipped: all.skipped,
    rmse_filled: withInput ? n(filled.rmse()) : null,
    cells_filled: withInput ? filled.cells : null,
    rmse_input: withInput ? n(input.rmse()) : null,
    snr_db_input: withInput ? n(input.snrDb()) : null,
    per_feature: Object.fromEntries((cols ?? []).map((c, j) => [c.name, { rmse: n(per[j]!.rmse()), snr_db: n(per[j]!.snrDb()) }])),
    warnings,
  };
}

function resolve(out: RowWithColumns, ref: RowWithColumns, inp: RowWithColumns | undefined, features: readonly string[] | null) {
  const names = features ?? ref.columns.filter((c, i) => {
    if (OUTPUT_COLUMNS.has(c) || !out.columns.includes(c)) return false;
    const v = ref.row.cells[i];
    return v !== null && v !== undefined && parseNumber(v) !== undefined;
  });
  if (!names.length) throw new InputError('the output and the reference share no numeric column to compare (name them with --features)');
  return names.map((name) => {
    const at = (r: RowWithColumns | undefined, what: string) => {
      if (!r) return -1;
      const i = r.columns.indexOf(name);
      if (i < 0) throw new InputError(`the ${what} file has no column '${name}'`);
      return i;
    };
    return { name, out: at(out, 'output'), ref: at(ref, 'reference'), inp: at(inp, 'input') };
  });
}

function num(text: string | null, column: string, line: number, what: string): number {
  if (text === null) return NaN;
  const v = parseNumber(text);
  if (v === undefined) throw new InputError(`${what}: column '${column}' on row ${line} is not a number`);
  return v;
}
