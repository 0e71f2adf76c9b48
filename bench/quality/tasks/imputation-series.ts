import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseTimestamp } from '../../../core/time/parse-timestamp';
import { markdownTable } from '../../report';
import { readPtbS0010 } from '../ecg-signal-data';
import { DatasetFormatError } from '../errors';
import { fixed, log, seconds } from '../format';
import { linearInTime, normalisedRmse, seasonalNaive, seriesMask } from '../series-gaps';
import { nabFiles } from './nab';
import type { TaskResult } from './ecg-detection';

export interface SeriesImputeRow {
  series: string;
  half: 'design' | 'held-out' | 'ecg';
  rows: number;
  columns: number;
  auto: number;
  linear: number;
  seasonal: number;
  /** rows `score` rejected by their time (duplicates, out of order): their cells are left out for every method */
  rejectedRows: number;
  seconds: number;
}

interface Series {
  name: string;
  key: number;
  half: SeriesImputeRow['half'];
  times: string[];
  ms: Float64Array;
  columns: string[];
  values: Float64Array;
}

/** The 34 NAB dev series (even-indexed: design half, odd: held out) and PTB s0010's 12 leads at 500 Hz. */
function loadSeries(root: string, only?: readonly string[]): Series[] {
  const data = join(root, 'nab_dev');
  const out: Series[] = [];
  nabFiles(data).forEach((rel, i) => {
    const half = i % 2 === 0 ? 'design' : 'held-out';
    if (only?.length && !only.some((o) => o === half || rel.includes(o))) return;
    const lines = readFileSync(join(data, 'data', rel), 'utf8').split('\n').filter((l) => l.length > 0).slice(1);
    const times = lines.map((l) => l.slice(0, l.indexOf(',')));
    const values = Float64Array.from(lines, (l) => Number(l.slice(l.indexOf(',') + 1)));
    if (values.some((v) => !Number.isFinite(v))) throw new DatasetFormatError(rel, 'a value that is not a number');
    out.push({ name: rel, key: i, half, times, ms: Float64Array.from(times, (t) => parseTimestamp(t)), columns: ['value'], values });
  });
  if (!only?.length || only.includes('ecg')) {
    const ecg = readPtbS0010(root, 500);
    const n = ecg.values.length / ecg.leads.length;
    const ms = Float64Array.from({ length: n }, (_, i) => 1.7e12 + (i * 1000) / ecg.fs);
    out.push({
      name: 'PTB s0010 (12 leads, 500 Hz)', key: 100, half: 'ecg', times: Array.from(ms, String), ms, columns: ecg.leads,
      values: Float64Array.from(ecg.values),
    });
  }
  return out;
}

function cli(args: string[]): string {
  const options = { encoding: 'utf8' as const, stdio: ['ignore', 'pipe', 'pipe'] as ('ignore' | 'pipe')[], maxBuffer: 1 << 28 };
  return execFileSync(process.execPath, [resolve('bin/residual.js'), ...args], options);
}

/**
 * The filled feature cells of a scored CSV (header: t, columns…) aligned to the input's rows by their time: a row
 * `score` rejected (a duplicate or out-of-order timestamp) is NaN, flagged in `rejected`.
 */
function readFilled(path: string, times: readonly string[], f: number): { values: Float64Array; rejected: Uint8Array } {
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.length > 0).slice(1);
  const values = new Float64Array(times.length * f).fill(NaN);
  const rejected = new Uint8Array(times.length).fill(1);
  let k = 0;
  for (let i = 0; i < times.length && k < lines.length; i++) {
    const cells = lines[k]!.split(',');
    if (cells[0] !== times[i]) continue;
    rejected[i] = 0;
    for (let j = 0; j < f; j++) values[i * f + j] = cells[1 + j] === '' ? NaN : Number(cells[1 + j]);
    k++;
  }
  if (k !== lines.length) throw new DatasetFormatError(path, `${lines.length - k} output row(s) do not match an input row`);
  return { values, rejected };
}

/**
 * Issue 14's series benchmark through the real CLI: each series with 10 % of its cells hidden at random plus 5 gaps
 * of 24 rows per column (seeded), `residual train --data holes.csv --time-column t` with no other setting (auto
 * routes a series with gaps to the series imputer), `residual score --mode impute`; RMSE over the hidden cells /
 * the column's sd, beside linear interpolation in time and the seasonal baseline (series-gaps.ts) on the same cells.
 */
export async function imputationSeries(root: string, seed = 1, only?: readonly string[]): Promise<TaskResult<SeriesImputeRow>> {
  const started = Date.now();
  const series = loadSeries(root, only);
  const work = mkdtempSync(join(tmpdir(), 'residual-impute-series-'));
  const rows: SeriesImputeRow[] = [];
  try {
    series.forEach((s, k) => {
      const t0 = Date.now();
      const f = s.columns.length;
      const n = s.ms.length;
      // the mask is the series' own (its index among the NAB files, 100 for the ECG), whatever --sets picks
      const mask = seriesMask(n, f, seed * 1000 + s.key);
      const lines = [['t', ...s.columns].join(',')];
      for (let i = 0; i < n; i++) {
        const cells = [s.times[i]!];
        for (let j = 0; j < f; j++) cells.push(mask[i * f + j] ? '' : String(s.values[i * f + j]));
        lines.push(cells.join(','));
      }
      const holes = join(work, 'holes.csv');
      writeFileSync(holes, lines.join('\n') + '\n');
      const model = join(work, `m${k}`);
      cli(['train', '--data', holes, '--time-column', 't', '--out', model, '--quiet', '--seed', String(seed)]);
      const scored = join(work, 'filled.csv');
      cli(['score', '--model', model, '--input', holes, '--mode', 'impute', '--output', scored, '--quiet']);
      const { values: filled, rejected } = readFilled(scored, s.times, f);
      // the cells of rows score rejected (their time) are scored for no method
      for (let i = 0; i < n; i++) if (rejected[i]) mask.fill(0, i * f, i * f + f);
      const row: SeriesImputeRow = {
        series: s.name, half: s.half, rows: n, columns: f,
        auto: normalisedRmse(s.values, filled, mask, f),
        linear: normalisedRmse(s.values, linearInTime(s.values, mask, s.ms, f), mask, f),
        seasonal: normalisedRmse(s.values, seasonalNaive(s.values, mask, s.ms, f), mask, f),
        rejectedRows: rejected.reduce((a, b) => a + b, 0),
        seconds: (Date.now() - t0) / 1000,
      };
      rows.push(row);
      rmSync(model, { recursive: true, force: true });
      log(`imputation-series ${k + 1}/${series.length} ${s.name}: auto ${fixed(row.auto)} linear ${fixed(row.linear)} ` +
        `seasonal ${fixed(row.seasonal)} (${seconds(Date.now() - t0)})`);
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { rows, markdown: seriesMarkdown(rows, seed, Date.now() - started) };
}

const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / Math.max(v.length, 1);

export function seriesMarkdown(rows: readonly SeriesImputeRow[], seed: number, ms: number): string {
  const groups: [string, SeriesImputeRow[]][] = [
    ['NAB design half (even-indexed files)', rows.filter((r) => r.half === 'design')],
    ['NAB held-out half (odd-indexed files)', rows.filter((r) => r.half === 'held-out')],
    ['NAB all', rows.filter((r) => r.half !== 'ecg')],
    ['PTB s0010, 12 leads', rows.filter((r) => r.half === 'ecg')],
  ];
  // a flat series (sd 0) has no normalised RMSE: listed, left out of the means
  const scored = groups.map(([name, all]) => [name, all.filter((r) => Number.isFinite(r.linear))] as const);
  const summary = scored.filter(([, g]) => g.length).map(([name, g]) => [
    name, String(g.length), fixed(mean(g.map((r) => r.auto))), fixed(mean(g.map((r) => r.linear))),
    fixed(mean(g.map((r) => r.seasonal))), `${g.filter((r) => r.auto < r.linear).length} / ${g.length}`,
  ]);
  const detail = rows.map((r) => [
    r.series, r.half, String(r.rows), String(r.rejectedRows), fixed(r.auto), fixed(r.linear), fixed(r.seasonal), seconds(r.seconds * 1000),
  ]);
  return `### Series imputation (issue 14: \`npx tsx bench/quality/main.ts --tasks imputation-series\`, seed ${seed}, ${seconds(ms)})

Per series: 10 % of the cells hidden at random plus 5 gaps of 24 rows per column; \`residual train --data holes.csv
--time-column t\` (no other setting) and \`residual score --mode impute\`. RMSE over the hidden cells / the column's sd
(mean over columns; a flat series, sd 0, is listed but left out of the means), lower is better; linear =
interpolation in time between observed neighbours, seasonal = the mean of the observed cells one dominant period
before and after.

${markdownTable(['set', 'series', 'auto', 'linear', 'seasonal', 'auto < linear'], summary)}

<details><summary>per series</summary>

${markdownTable(['series', 'half', 'rows', 'rows rejected (time)', 'auto', 'linear', 'seasonal', 'time'], detail)}
</details>
`;
}
