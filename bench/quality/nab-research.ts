/**
 * NAB research harness (not the benchmark): raw scores and probabilities computed in-process from the CSV
 * values, per-file CSVs (timestamp, anomaly_probability), then ../shared/tools/nab_score.py on the design
 * half (even-indexed files of the sorted list); the held-out half (odd) and all 34 only with --held-out.
 * `npx tsx bench/quality/nab-research.ts [--held-out] '<variant json>' ...` (each argument a variant; see
 * Variant). The variant `{"product":true}` is the product's detector (series-detector.ts, the JS reference
 * of its ONNX graph) with its manifest probability block; the others are research raw scores (raw-scores.ts).
 * With `product`, the detector's SeriesOptions apply: `seasonal` (the seasonal member's share, 0 = none) and
 * `weights` ('held-out' | 'context-fit' | 'equal'), e.g. `{"product":true,"seasonal":0.3,"weights":"equal"}`.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AnomalyLikelihood } from '../../core/probability/anomaly-likelihood';
import type { ProbabilitySpec } from '../../core/probability/probability-model';
import { rawSeriesScores, type RawScoreOptions } from '../../training/models/auto-series/raw-scores';
import {
  fitSeriesDetector, scoreSeriesWindows, trainingWindows, type SeriesOptions,
} from '../../training/models/auto-series/series-detector';
import { seriesProbability } from '../../training/models/auto-series/series-probability';

interface Variant extends RawScoreOptions, SeriesOptions {
  product?: boolean;
  label?: string;
  params?: Record<string, unknown>;
  threshold?: number;
}

const root = resolve(process.env['RESIDUAL_DATASETS'] ?? '../shared/datasets', 'nab_dev');
const tools = resolve(root, '../../tools/nab_score.py');

function files(): string[] {
  const out: string[] = [];
  for (const g of readdirSync(join(root, 'data')).sort())
    for (const f of readdirSync(join(root, 'data', g)).sort()) if (f.endsWith('.csv')) out.push(`${g}/${f}`);
  return out.sort();
}

function readSeries(rel: string): { ts: string[]; v: Float64Array } {
  const lines = readFileSync(join(root, 'data', rel), 'utf8').split(/\r?\n/).filter((l) => l.length > 0).slice(1);
  const ts: string[] = [];
  const v = new Float64Array(lines.length);
  lines.forEach((l, i) => {
    const c = l.indexOf(',');
    ts.push(l.slice(0, c));
    v[i] = Number(l.slice(c + 1));
  });
  return { ts, v };
}

function subset(rels: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'nab-sub-'));
  for (const r of rels) {
    const [g] = r.split('/');
    mkdirSync(join(dir, 'data', g!), { recursive: true });
    symlinkSync(join(root, 'data', r), join(dir, 'data', r));
  }
  cpSync(join(root, 'labels'), join(dir, 'labels'), { recursive: true });
  return dir;
}

function run(variant: Variant, all: string[], cache: Map<string, { ts: string[]; v: Float64Array }>): string {
  const out = mkdtempSync(join(tmpdir(), 'nab-out-'));
  for (const rel of all) {
    const s = cache.get(rel)!;
    const n = s.v.length;
    const train = Math.min(Math.floor(0.15 * n), 750);
    const { scores, probability } = variant.product ? productScores(s.v, train, variant) : rawSeriesScores(s.v, train, variant);
    const params = { ...probability.params, ...(variant.params ?? {}) };
    const model = new AnomalyLikelihood({ method: 'anomaly-likelihood', threshold: variant.threshold ?? probability.threshold, params });
    const p = model.push(Float32Array.from(scores));
    mkdirSync(join(out, rel.split('/')[0]!), { recursive: true });
    const rows = ['timestamp,anomaly_probability'];
    for (let i = 0; i < n; i++) rows.push(`${s.ts[i]},${Number.isFinite(p[i]!) ? p[i] : ''}`);
    writeFileSync(join(out, rel), rows.join('\n') + '\n');
  }
  return out;
}

/** The product's raw scores (one per row, NaN before the first window) and its manifest probability block. */
function productScores(v: Float64Array, train: number, options: SeriesOptions): { scores: Float64Array; probability: ProbabilitySpec } {
  const values = Float32Array.from(v);
  const det = fitSeriesDetector(values.subarray(0, train), ['value'], undefined, options);
  const t = det.window;
  const cal = scoreSeriesWindows(det, trainingWindows(values.subarray(0, train), 1, t)).score;
  const scores = new Float64Array(v.length).fill(NaN);
  scores.set(scoreSeriesWindows(det, trainingWindows(values, 1, t)).score, t - 1);
  return { scores, probability: seriesProbability(cal).spec };
}

function nab(dataDir: string, out: string): string {
  const r = JSON.parse(execFileSync('python3', [tools, dataDir, out, '--column', 'anomaly_probability'], { encoding: 'utf8' })) as
    Record<string, number>;
  return [r['standard'], r['reward_low_FP_rate'], r['reward_low_FN_rate']].map((x) => x!.toFixed(1)).join('/');
}

const all = files();
const cache = new Map(all.map((r) => [r, readSeries(r)] as const));
const design = subset(all.filter((_, i) => i % 2 === 0));
const held = subset(all.filter((_, i) => i % 2 === 1));
const heldOut = process.argv.includes('--held-out');
for (const arg of process.argv.slice(2).filter((a) => a !== '--held-out')) {
  const variant = JSON.parse(arg) as Variant;
  const t0 = Date.now();
  const out = run(variant, all, cache);
  const t1 = Date.now();
  if (process.env['NAB_KEEP']) process.stdout.write(`scores in ${out}\n`);
  const line = heldOut ? `design ${nab(design, out)}  held ${nab(held, out)}  all ${nab(root, out)}` : `design ${nab(design, out)}`;
  process.stdout.write(`${line}  (${t1 - t0} ms)  ${variant.label ?? arg}\n`);
}
