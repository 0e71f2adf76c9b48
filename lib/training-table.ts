import { extractFeatures } from '../core/io';
import { InputError } from '../core/errors';
import type { TrainingData } from '../training/train';
import { tableChunks, type TableInput } from './table-input';
import { TimeOrder } from '../core/time/time-order';

export interface TrainingTable extends TrainingData {
  rowsIn: number;
  /** Rows left out because a feature cell is not a number (rowsIn = rows used + rowsRejected). */
  rowsRejected: number;
}

/**
 * An in-memory table as training rows. The features are `columns`, or every column not in `exclude`
 * (no guessing: a non-numeric column makes every row fail, which is an error naming the features).
 */
export function trainingTable(
  input: TableInput, selection: { columns?: readonly string[]; exclude?: readonly string[]; timeColumn?: string },
): TrainingTable {
  const chunks = tableChunks(input);
  const all = chunks[0]!.columns;
  const exclude = new Set(selection.exclude ?? []);
  const timeColumn = selection.timeColumn;
  if (timeColumn !== undefined && !all.includes(timeColumn))
    throw new InputError(`timeColumn '${timeColumn}' is not a column of the table (columns: ${all.join(', ')})`);
  if (timeColumn !== undefined && selection.columns?.includes(timeColumn))
    throw new InputError(`timeColumn '${timeColumn}' cannot also be a feature (columns)`);
  // the time column is never a feature; rows out of time order are left out, as `residual train` does
  if (timeColumn !== undefined) exclude.add(timeColumn);
  const time = timeColumn !== undefined ? new TimeOrder(all.indexOf(timeColumn), all) : null;
  const unknown = [...(selection.columns ?? []), ...exclude].filter((c) => !all.includes(c));
  if (unknown.length) {
    throw new InputError(`columns not in the table: ${unknown.map((c) => `'${c}'`).join(', ')} (columns: ${all.join(', ')})`);
  }
  const features = (selection.columns?.length ? [...selection.columns] : all).filter((c) => !exclude.has(c));
  if (!features.length) throw new InputError('no feature columns left after exclude');
  const index = features.map((c) => all.indexOf(c));
  const parts: Float32Array[] = [];
  let rowsIn = 0;
  let rowsRejected = 0;
  for (const chunk of chunks) {
    const timed = time ? time.check(chunk.rows) : null;
    const batch = extractFeatures(timed ? { ...chunk, rows: timed.keep } : chunk, index);
    rowsIn += chunk.rows.length;
    rowsRejected += batch.rejected.length + (timed?.rejected.length ?? 0);
    parts.push(batch.x);
  }
  const used = rowsIn - rowsRejected;
  if (used === 0) throw new InputError(`no row of ${rowsIn} has numeric values in every feature column (${features.join(', ')})`);
  const values = new Float32Array(used * features.length);
  let at = 0;
  for (const p of parts) {
    values.set(p, at);
    at += p.length;
  }
  return { features, values, rowsIn, rowsRejected };
}
