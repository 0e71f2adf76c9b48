import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseManifestJson } from '../../../core/manifest';
import { AnomalyLikelihood } from '../../../core/probability/anomaly-likelihood';
import { markdownTable } from '../../report';
import { DatasetMissingError, QualityBenchError } from '../errors';
import { log, seconds } from '../format';

/** NAB's three profiles, as nab_score.py prints them. */
export interface NabScores {
  standard: number;
  lowFp: number;
  lowFn: number;
}

export interface NabResult {
  /** null where that half was not run (`--sets design` or `--sets holdout`) */
  design: NabScores | null;
  heldOut: NabScores | null;
  all: NabScores | null;
  files: number;
  /** how the probability column was produced: by `residual score` itself, or by the bench from the manifest */
  probabilitySource: 'score' | 'bench';
  timeColumnFlag: boolean;
  ms: number;
  markdown: string;
}

/** The published detectors on exactly these 34 files (nab_dev/README.md). */
const PUBLISHED: [string, number, number, number][] = [
  ['ARTime', 80.4, 71.6, 85.5], ['contextOSE', 77.2, 74.9, 79.8], ['numenta (HTM)', 72.8, 66.0, 76.9], ['htmjava', 69.5, 62.1, 73.7],
  ['earthgeckoSkyline', 65.4, 51.9, 71.5], ['knncad', 60.4, 43.5, 67.6], ['relativeEntropy', 58.0, 51.6, 62.1],
  ['twitterADVec', 56.7, 40.7, 63.7], ['randomCutForest (AWS)', 52.4, 42.6, 60.9], ['windowedGaussian', 50.9, 31.1, 59.0],
  ['random', 18.8, 10.4, 29.0], ['null', 0, 0, 0],
];

/** NAB's probationary period: min(floor(0.15 n), 750) rows. */
export function probationRows(n: number): number {
  return Math.min(Math.floor(0.15 * n), 750);
}

/**
 * The NAB task (issue 12), through the real CLI, one procedure for every file: `residual train --data
 * <first min(floor(0.15 n), 750) rows> --time-column timestamp --out M` (no other flag), `residual score
 * --model M --input <whole series>`, then ../tools/nab_score.py on the design half (even-indexed files of
 * the sorted list), the held-out half (odd) and all files. Where `score` does not write
 * `anomaly_probability` yet, the bench computes it from the manifest's `probability` block with the same
 * model (core/probability) and says so; where `train` has no `--time-column` flag yet it passes the time
 * column through `--config` (key `timeColumn`). `sets` ['design'] or ['holdout'] (bench/quality/main.ts `--sets`) trains,
 * scores and reports that half only (design choices are made on the design half; the held-out half is run once at the end).
 */
export async function nab(root: string, sets?: string[]): Promise<NabResult> {
  const started = Date.now();
  const data = join(root, 'nab_dev');
  const tool = resolve(root, '../tools/nab_score.py');
  for (const p of [join(data, 'labels', 'combined_windows.json'), tool]) if (!existsSync(p)) throw new DatasetMissingError(p, root);
  const half = nabHalf(sets);
  const every = nabFiles(data);
  const designFiles = every.filter((_, i) => i % 2 === 0);
  const heldFiles = every.filter((_, i) => i % 2 === 1);
  const rels = half === 'design' ? designFiles : half === 'holdout' ? heldFiles : every;
  const work = mkdtempSync(join(tmpdir(), 'residual-nab-'));
  const outDir = join(work, 'scores');
  const timeColumnFlag = cli(['train', '--help']).includes('--time-column');
  let fromScore = 0;
  try {
    for (const [i, rel] of rels.entries()) {
      const t0 = Date.now();
      const text = readFileSync(join(data, 'data', rel), 'utf8');
      const lines = text.split('\n').filter((l) => l.length > 0);
      const train = join(work, 'train.csv');
      writeFileSync(train, lines.slice(0, 1 + probationRows(lines.length - 1)).join('\n') + '\n');
      const model = join(work, `m${i}`);
      const timeFlags = timeColumnFlag ? ['--time-column', 'timestamp'] : ['--config', configFile(work)];
      cli(['train', '--data', train, ...timeFlags, '--out', model, '--quiet']);
      const scored = join(work, 'scored.csv');
      cli(['score', '--model', model, '--input', join(data, 'data', rel), '--output', scored, '--quiet',
        ...(timeColumnFlag ? ['--time-column', 'timestamp'] : [])]);
      const out = join(outDir, rel);
      mkdirSync(join(out, '..'), { recursive: true });
      if (withProbability(scored, join(model, 'manifest.json'), out)) fromScore++;
      log(`nab ${i + 1}/${rels.length} ${rel}: ${seconds(Date.now() - t0)}`);
    }
    if (fromScore !== 0 && fromScore !== rels.length) throw new QualityBenchError('score wrote anomaly_probability for some files only');
    const design = half !== 'holdout' ? nabScore(tool, subset(work, data, designFiles, 'design'), outDir) : null;
    const heldOut = half !== 'design' ? nabScore(tool, subset(work, data, heldFiles, 'held'), outDir) : null;
    const all = half === null ? nabScore(tool, data, outDir) : null;
    const probabilitySource = fromScore ? 'score' : 'bench';
    const ms = Date.now() - started;
    return { design, heldOut, all, files: rels.length, probabilitySource, timeColumnFlag, ms,
      markdown: nabMarkdown(design, heldOut, all, rels.length, probabilitySource, timeColumnFlag, ms) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The half `--sets` names ('design' = even-indexed files, 'holdout' = odd), or null for all files. */
export function nabHalf(sets: string[] | undefined): 'design' | 'holdout' | null {
  if (!sets?.length) return null;
  if (sets.length === 1 && (sets[0] === 'design' || sets[0] === 'holdout')) return sets[0];
  throw new QualityBenchError(`nab: --sets must be 'design' or 'holdout', got '${sets.join(',')}'`);
}

/** data/<group>/<name>.csv of a NAB folder, sorted. */
export function nabFiles(data: string): string[] {
  const out: string[] = [];
  for (const g of readdirSync(join(data, 'data')).sort())
    for (const f of readdirSync(join(data, 'data', g)).sort()) if (f.endsWith('.csv')) out.push(`${g}/${f}`);
  return out.sort();
}

function cli(args: string[]): string {
  return execFileSync(process.execPath, [resolve('bin/residual.js'), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function configFile(work: string): string {
  const p = join(work, 'time-column.json');
  if (!existsSync(p)) writeFileSync(p, JSON.stringify({ timeColumn: 'timestamp' }));
  return p;
}

/**
 * Writes timestamp,anomaly_probability for one file; returns true when `score` wrote the column itself.
 * Otherwise the probability is computed here from the manifest's probability block and anomaly_score
 * (empty = unscored = NaN), in row order, as the scorer would.
 */
function withProbability(scored: string, manifestPath: string, out: string): boolean {
  const lines = readFileSync(scored, 'utf8').split('\n').filter((l) => l.length > 0);
  const header = lines[0]!.split(',');
  const ts = header.indexOf('timestamp');
  const prob = header.indexOf('anomaly_probability');
  const score = header.indexOf('anomaly_score');
  if (ts < 0 || score < 0) throw new QualityBenchError(`${scored}: no timestamp or anomaly_score column`);
  const rows = lines.slice(1).map((l) => l.split(','));
  let p: ArrayLike<number> | null = null;
  if (prob < 0) {
    const spec = parseManifestJson(readFileSync(manifestPath, 'utf8')).probability;
    if (!spec) throw new QualityBenchError(`${manifestPath}: no probability block`);
    p = new AnomalyLikelihood(spec).push(Float32Array.from(rows, (r) => (r[score] === '' ? NaN : Number(r[score]))));
  }
  const text = rows.map((r, i) => {
    const v = p ? p[i]! : r[prob] === '' ? NaN : Number(r[prob]);
    return `${r[ts]},${Number.isFinite(v) ? v : ''}`;
  });
  writeFileSync(out, `timestamp,anomaly_probability\n${text.join('\n')}\n`);
  return prob >= 0;
}

function subset(work: string, data: string, rels: string[], name: string): string {
  const dir = join(work, name);
  for (const r of rels) {
    mkdirSync(join(dir, 'data', r.split('/')[0]!), { recursive: true });
    symlinkSync(join(data, 'data', r), join(dir, 'data', r));
  }
  cpSync(join(data, 'labels'), join(dir, 'labels'), { recursive: true });
  return dir;
}

function nabScore(tool: string, data: string, scores: string): NabScores {
  const r = JSON.parse(execFileSync('python3', [tool, data, scores, '--column', 'anomaly_probability'], { encoding: 'utf8' })) as
    Record<string, number>;
  return { standard: r['standard']!, lowFp: r['reward_low_FP_rate']!, lowFn: r['reward_low_FN_rate']! };
}

function nabMarkdown(
  design: NabScores | null, held: NabScores | null, all: NabScores | null, files: number, source: string, flag: boolean, ms: number,
): string {
  const f = (s: NabScores | null): string[] => (s ? [s.standard.toFixed(1), s.lowFp.toFixed(1), s.lowFn.toFixed(1)] : ['not run', '', '']);
  const table = markdownTable(['detector', 'standard', 'low FP', 'low FN'], [
    [`**residual \`auto\` (time series), all ${files}**`, ...f(all)],
    ['residual, design half (even-indexed files)', ...f(design)],
    ['residual, held-out half (odd-indexed files)', ...f(held)],
    ...PUBLISHED.map(([name, a, b, c]) => [`${name} (published)`, a.toFixed(1), b.toFixed(1), c.toFixed(1)]),
  ]);
  return `### NAB (dev subset, ${files} series)

Each series: \`residual train --data <first min(floor(0.15 n), 750) rows> --time-column timestamp --out M\` (no other
flag${flag ? '' : '; this build has no \`--time-column\` flag, so the time column went through \`--config\` key `timeColumn`'}),
then \`residual score --model M --input <whole series>\`; \`anomaly_probability\` ${source === 'score' ? 'as `score` wrote it'
  : 'computed by the bench from the manifest\'s `probability` block (this build\'s `score` does not write it yet)'};
scored by \`tools/nab_score.py\` (NAB's window scoring, one threshold per profile over the files scored). The method
was chosen on the design half only; wall time ${seconds(ms)}.

${table}`;
}
