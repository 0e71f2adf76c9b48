import { columnLabel, CsvRow, isParquetRow, type RowRejection, type TableRow } from '../io';
import { parseTimestamp } from './parse-timestamp';

/** Reason codes of rows the time column rejects (docs/contract.md, "Time column"). */
export const TIME_REJECTIONS = ['TIME_MISSING', 'TIME_UNPARSEABLE', 'TIME_OUT_OF_ORDER', 'TIME_DUPLICATE'] as const;
export type TimeRejection = (typeof TIME_REJECTIONS)[number];

/** A step longer than this many median steps is a gap. */
export const GAP_FACTOR = 2;

/** What the summary reports about the time column (no timestamps: only steps and counts). */
export interface TimeSummary {
  column: string;
  /** rows whose timestamp was accepted (scored or rejected later for a feature value) */
  rows: number;
  /** steps between consecutive accepted timestamps (the first step of a resumed series starts at the state's last time) */
  steps: number;
  median_step_ms: number | null;
  /** steps longer than `gap_factor` × the median step */
  gaps: number;
  gap_factor: number;
  largest_gap_ms: number | null;
  /** steps that differ from the median step (irregular sampling); 0 for a regular series */
  irregular_steps: number;
}

/** The last accepted timestamp: its cell text and epoch milliseconds. */
export interface LastTime {
  text: string;
  ms: number;
}

/**
 * Checks the time column of rows in input order: a row whose cell is missing, unparseable, older than the last
 * accepted timestamp or equal to it is rejected with its code; the others are kept. Steps between kept rows
 * are recorded for the summary. Pure: the caller feeds rows and reads the results.
 */
export class TimeOrder {
  private lastTime: LastTime | null;
  private accepted = 0;
  /** how many steps of each length (ms) were seen: a regular series has one or a few, so the summary sorts those */
  private readonly stepCounts = new Map<number, number>();
  /** the current run of equal steps, not yet in stepCounts (one Map update per run, not per row) */
  private runStep = NaN;
  private runLength = 0;

  constructor(private readonly column: number, private readonly columns: readonly string[], resume: LastTime | null = null) {
    this.lastTime = resume;
  }

  get last(): LastTime | null {
    return this.lastTime;
  }

  /** Splits `rows` into the ones kept (in order) and the rejected ones; `times[i]` is the epoch ms of keep[i]. */
  check(rows: readonly TableRow[]): { keep: TableRow[]; rejected: RowRejection[]; times: Float64Array } {
    const keep: TableRow[] = [];
    const times = new Float64Array(rows.length);
    const rejected: RowRejection[] = [];
    const label = columnLabel(this.columns, this.column);
    let lastMs = this.lastTime === null ? NaN : this.lastTime.ms;
    let lastText: string | null = null;
    for (const row of rows) {
      // a CSV row reads just this cell (its other cells stay unparsed)
      const cell = (row instanceof CsvRow ? row.cell(this.column) : row.cells[this.column]) ?? null;
      const value = isParquetRow(row) ? row.values[this.column] : undefined;
      const ms = cell === null ? NaN : parseTimestamp(cell, value);
      let code: TimeRejection | null = null;
      if (cell === null) code = 'TIME_MISSING';
      else if (Number.isNaN(ms)) code = 'TIME_UNPARSEABLE';
      else if (ms < lastMs) code = 'TIME_OUT_OF_ORDER';
      else if (ms === lastMs) code = 'TIME_DUPLICATE';
      if (code !== null) {
        rejected.push({ line: row.line, reason: `${code}: ${WHY[code]} in ${label} on line ${row.line}` });
        continue;
      }
      if (lastMs === lastMs) this.step(ms - lastMs);
      lastMs = ms;
      lastText = cell!;
      this.accepted++;
      times[keep.length] = ms;
      keep.push(row);
    }
    // one LastTime object per call, not per row
    if (lastText !== null) this.lastTime = { text: lastText, ms: lastMs };
    return { keep, rejected, times: times.subarray(0, keep.length) };
  }

  summary(): TimeSummary {
    const name = this.columns[this.column] ?? '';
    const counts = new Map(this.stepCounts);
    if (this.runLength > 0) counts.set(this.runStep, (counts.get(this.runStep) ?? 0) + this.runLength);
    const lengths = Float64Array.from(counts.keys()).sort();
    let n = 0;
    for (const c of counts.values()) n += c;
    /** the k-th smallest step (0-based) */
    const at = (k: number): number => {
      let seen = 0;
      for (const s of lengths) {
        seen += counts.get(s)!;
        if (k < seen) return s;
      }
      return NaN;
    };
    const median = n === 0 ? null : n % 2 ? at((n - 1) / 2) : (at(n / 2 - 1) + at(n / 2)) / 2;
    let gaps = 0;
    let irregular = 0;
    if (median !== null) {
      for (const s of lengths) {
        const c = counts.get(s)!;
        if (s > GAP_FACTOR * median) gaps += c;
        if (s !== median) irregular += c;
      }
    }
    return {
      column: name, rows: this.accepted, steps: n, median_step_ms: median, gaps, gap_factor: GAP_FACTOR,
      largest_gap_ms: n === 0 ? null : lengths[lengths.length - 1]!, irregular_steps: irregular,
    };
  }

  private step(ms: number): void {
    if (ms === this.runStep) {
      this.runLength++;
      return;
    }
    if (this.runLength > 0) this.stepCounts.set(this.runStep, (this.stepCounts.get(this.runStep) ?? 0) + this.runLength);
    this.runStep = ms;
    this.runLength = 1;
  }
}

const WHY: Record<TimeRejection, string> = {
  TIME_MISSING: 'no timestamp',
  TIME_UNPARSEABLE: 'not a timestamp (ISO-8601 or epoch seconds/milliseconds)',
  TIME_OUT_OF_ORDER: 'timestamp older than the row before it',
  TIME_DUPLICATE: 'timestamp equal to the row before it',
};
