/**
 * NAB analysis dump (not the benchmark): per file of nab_dev, the product detector's raw score, each member's weighted
 * term, the probability and whether the row is inside a labelled anomaly window, as CSV, plus the chosen window,
 * period and weights on stdout. In-process (the JS reference of the graph, as nab-research.ts `{"product":true}`).
 *
 *   npx tsx bench/quality/nab-dump.ts OUT_DIR [substring …]   (only files whose path contains a substring; default all)
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AnomalyLikelihood } from '../../core/probability/anomaly-likelihood';
import { fitSeriesDetector, memberTerms, scoreSeriesWindows, trainingWindows } from '../../training/models/auto-series/series-detector';
import { seriesProbability } from '../../training/models/auto-series/series-probability';
import { probationRows } from './tasks/nab';

const root = resolve(process.env['RESIDUAL_DATASETS'] ?? '../shared/datasets', 'nab_dev');
const [outDir, ...only] = process.argv.slice(2);
if (!outDir) throw new Error('usage: nab-dump.ts OUT_DIR [substring …]');
const windows = JSON.parse(readFileSync(join(root, 'labels', 'combined_windows.json'), 'utf8')) as Record<string, [string, string][]>;

for (const g of readdirSync(join(root, 'data')).sort()) {
  for (const name of readdirSync(join(root, 'data', g)).sort()) {
    const rel = `${g}/${name}`;
    if (!name.endsWith('.csv') || (only.length && !only.some((s) => rel.includes(s)))) continue;
    const lines = readFileSync(join(root, 'data', rel), 'utf8').split(/\r?\n/).filter((l) => l.length > 0).slice(1);
    const ts = lines.map((l) => l.slice(0, l.indexOf(',')));
    const values = Float32Array.from(lines, (l) => Number(l.slice(l.indexOf(',') + 1)));
    const train = probationRows(values.length);
    const det = fitSeriesDetector(values.subarray(0, train), ['value']);
    const t = det.window;
    const cal = scoreSeriesWindows(det, trainingWindows(values.subarray(0, train), 1, t)).score;
    const all = trainingWindows(values, 1, t);
    const score = new Float32Array(values.length).fill(NaN);
    score.set(scoreSeriesWindows(det, all).score, t - 1);
    const terms = memberTerms(det, all);
    const p = new AnomalyLikelihood(seriesProbability(cal).spec).push(score);
    const inWindow = (i: number): boolean => (windows[rel] ?? []).some(([a, b]) => ts[i]! >= a.slice(0, 19) && ts[i]! <= b.slice(0, 19));
    const head = ['timestamp', 'value', 'in_window', 'score', ...terms.map((m) => m.member), 'probability'];
    const term = (m: { term: Float32Array }, i: number): number => (i >= t - 1 ? m.term[i - t + 1]! : NaN);
    const rows = ts.map((time, i) => [time, values[i], inWindow(i) ? 1 : 0, score[i], ...terms.map((m) => term(m, i)), p[i]]
      .map((v) => (typeof v === 'number' && !Number.isFinite(v) ? '' : String(v))).join(','));
    mkdirSync(join(outDir, g), { recursive: true });
    writeFileSync(join(outDir, rel), `${head.join(',')}\n${rows.join('\n')}\n`);
    const weights = det.scales.map((s) => `${s.window}:${s.weight.toFixed(3)}`).join(' ');
    process.stdout.write(`${rel}: window ${det.choice.window}, period ${det.choice.period ?? '-'}, graph ${t}, weights ${weights}` +
      `${det.seasonal ? ` seasonal ${det.seasonal.weight.toFixed(2)}` : ''}, alarms ${[...p].filter((v) => v >= 0.5).length}\n`);
  }
}
