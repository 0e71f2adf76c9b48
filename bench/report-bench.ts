// `npm run bench:report [-- --rows N] [--keep report.html]`: `residual report` on a generated scored CSV (default 1,000,000 rows);
// prints wall time and peak RSS of the report process (target: ≤ 10 s, ≤ 300 MB for 1M rows). Not a test.
import { spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';

const FEATURES = 8;

/** Writes a detect-mode output: timestamp, 8 sensors, anomaly_score, is_anomaly, top_features, label; 0.5% flagged. */
export async function generate(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  const names = Array.from({ length: FEATURES }, (_, j) => `sensor_${j}`);
  out.write(`timestamp,${names.join(',')},anomaly_score,is_anomaly,top_features,label\n`);
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296);
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  let buf = '';
  for (let i = 0; i < rows; i++) {
    const anomalous = i % 20000 < 100;
    const score = (anomalous ? 2 + rand() * 5 : 0) + rand() * rand() * 0.6 + 0.0005 * Math.sin(i / 5000);
    const flagged = score > 0.7 ? 1 : 0;
    const cells = names.map((_, j) => (20 + 5 * Math.sin(i / 300 + j) + rand()).toFixed(4));
    const top = `${names[i % FEATURES]};${names[(i + 3) % FEATURES]};${names[(i + 5) % FEATURES]}`;
    buf += `${new Date(t0 + i * 60000).toISOString()},${cells.join(',')},${score.toPrecision(8)},${flagged},${top},${anomalous ? 1 : 0}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}

async function child(scored: string, output: string): Promise<void> {
  const { writeReport } = require('../cli/commands/report') as typeof import('../cli/commands/report');
  const started = performance.now();
  const result = await writeReport({ scored, output, labelColumn: 'label' });
  const wall = performance.now() - started;
  const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(`${JSON.stringify({ wall_ms: Math.round(wall), max_rss_mb: maxRssMb, ...result })}\n`);
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--child') return child(argv[1]!, argv[2]!);
  const at = argv.indexOf('--rows');
  const rows = at >= 0 ? Number(argv[at + 1]) : 1_000_000;
  const keep = argv.indexOf('--keep') >= 0 ? argv[argv.indexOf('--keep') + 1] : undefined;
  const dir = await mkdtemp(join(tmpdir(), 'residual-report-bench-'));
  try {
    const scored = join(dir, 'scored.csv');
    const g0 = performance.now();
    await generate(scored, rows);
    const size = (await stat(scored)).size;
    process.stdout.write(`generated ${rows} rows, ${(size / 1e6).toFixed(1)} MB in ${((performance.now() - g0) / 1000).toFixed(1)} s\n`);
    // a fresh process, so that peak RSS is the report's alone (tsx startup included)
    const args = ['--import', 'tsx', __filename, '--child', scored, join(dir, 'report.html')];
    const run = spawnSync(process.execPath, args, { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`report process failed: ${run.stderr}`);
    if (keep) await copyFile(join(dir, 'report.html'), keep);
    const r = JSON.parse(run.stdout.trim().split('\n').pop()!) as { wall_ms: number; max_rss_mb: number; bytes: number; figures: number };
    process.stdout.write(
      `report: ${rows} rows (${(size / 1e6).toFixed(1)} MB CSV) in ${(r.wall_ms / 1000).toFixed(2)} s, peak RSS ${r.max_rss_mb} MB, ` +
        `${r.figures} charts, ${(r.bytes / 1e3).toFixed(0)} kB HTML (targets: ≤ 10 s, ≤ 300 MB)\n`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (require.main === module) main(process.argv.slice(2)).catch((err) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
