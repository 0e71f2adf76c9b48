import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseManifestJson } from '../../core/manifest';
import { syntheticEcg } from '../../core/signal/synthetic-ecg';
import { runMain } from './cli-harness';

const FS = 200;

function csv(values: Float32Array, edit?: (row: number, cells: string[]) => void, time = (i: number) => (i / FS).toFixed(3)): string {
  const lines = ['t,ii,v1'];
  for (let i = 0; i < values.length / 2; i++) {
    const cells = [time(i), values[i * 2]!.toFixed(4), values[i * 2 + 1]!.toFixed(4)];
    edit?.(i, cells);
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}

const rowsOf = async (file: string): Promise<number[][]> =>
  (await readFile(file, 'utf8')).trimEnd().split('\n').slice(1).map((l) => l.split(',').map((c) => (c === '' ? NaN : Number(c))));

/**
 * The bad-input list for `train --augment ecg` and `score --mode denoise` (issue 15) not covered by
 * train-denoise.test.ts (which has: a flat-line lead in train, --sample-rate against --time-column in train, a NaN gap
 * and a clipped stretch in score): each gives the outcome docs/contract.md documents.
 */
describe('continuous-signal denoiser: bad input', () => {
  let dir: string;
  const ecg = syntheticEcg(24, FS, 2, 7, { abnormalEvery: 6 });
  const config = () => join(dir, 'c.json');
  const train = (data: string, out: string) => runMain(['train', '--data', data, '--time-column', 't', '--out', join(dir, out),
    '--config', config(), '--sample-rate', String(FS), '--augment', 'ecg:copies=1', '--window', '64']);
  const score = (input: string, out: string) =>
    runMain(['score', '--model', join(dir, 'm'), '--input', input, '--output', join(dir, out), '--mode', 'denoise']);
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'residual-ecg-bad-'));
    await writeFile(config(), JSON.stringify({ epochs: 1, model: { filters: [4, 8], kernel: 5 } }));
    await writeFile(join(dir, 'clean.csv'), csv(ecg.values));
    const r = await train(join(dir, 'clean.csv'), 'm');
    expect(r.code).toBe(0);
  });

  it('score refuses a time column whose spacing is not the model\'s sample rate, before writing a row', async () => {
    await writeFile(join(dir, 'fast.csv'), csv(ecg.values, undefined, (i) => (i / 500).toFixed(4)));
    const s = await score(join(dir, 'fast.csv'), 'fast.out.csv');
    expect(s.stderr).toMatch(/the time column 't' steps by 0\.002 .*500 Hz read as seconds: the model denoises at 200 Hz/);
    expect(s.code).toBe(1);
    if (existsSync(join(dir, 'fast.out.csv'))) expect((await rowsOf(join(dir, 'fast.out.csv'))).length).toBe(0);
    // the same rate in milliseconds is accepted
    await writeFile(join(dir, 'ms.csv'), csv(ecg.values, undefined, (i) => String(i * 5)));
    const ok = await score(join(dir, 'ms.csv'), 'ms.out.csv');
    expect(ok.code).toBe(0);
    expect((await rowsOf(join(dir, 'ms.out.csv'))).length).toBe(ecg.values.length / 2);
  });

  it('score: a flat-line lead comes back flat, and a lead with no values leaves the other lead\'s output unchanged', async () => {
    await writeFile(join(dir, 'flat.csv'), csv(ecg.values, (_, c) => (c[2] = '0.5000')));
    await writeFile(join(dir, 'empty.csv'), csv(ecg.values, (_, c) => (c[2] = '')));
    expect((await score(join(dir, 'clean.csv'), 'clean.out.csv')).code).toBe(0);
    expect((await score(join(dir, 'flat.csv'), 'flat.out.csv')).code).toBe(0);
    expect((await score(join(dir, 'empty.csv'), 'empty.out.csv')).code).toBe(0);
    const [clean, flat, empty] = await Promise.all(['clean', 'flat', 'empty'].map((n) => rowsOf(join(dir, `${n}.out.csv`))));
    let flatDev = 0;
    let iiDiff = 0;
    const edge = 8;
    for (let i = 0; i < clean!.length; i++) {
      // the recording's first and last few rows lie at the zero-padded edge of the only window covering them
      if (i >= edge && i < clean!.length - edge) flatDev = Math.max(flatDev, Math.abs(flat![i]![2]! - 0.5));
      // per-lead model (one U-Net per lead, shared weights): lead ii does not see lead v1
      iiDiff = Math.max(iiDiff, Math.abs(flat![i]![1]! - clean![i]![1]!), Math.abs(empty![i]![1]! - clean![i]![1]!));
      expect(Number.isFinite(empty![i]![2]!)).toBe(true);
    }
    // within 0.02 mV of 0.5 (a model that let the other lead, or noise, into the flat one would not be)
    expect(flatDev).toBeLessThan(0.02);
    // the lead with no values: every cell filled (the model's output from its training mean), the same everywhere inside
    const inside = empty!.slice(edge, -edge).map((r) => r[2]!);
    expect(Math.max(...inside) - Math.min(...inside)).toBeLessThan(0.01);
    expect(iiDiff).toBeLessThan(1e-5);
    // the summary says so: the empty lead's every cell is missing and named in a warning; the flat one is not
    const summaryOf = async (n: string) => JSON.parse(await readFile(join(dir, `${n}.out.csv.summary.json`), 'utf8'));
    const [emptySum, flatSum] = await Promise.all([summaryOf('empty'), summaryOf('flat')]);
    expect(emptySum.cells_missing).toEqual({ v1: empty!.length });
    expect(emptySum.warnings).toEqual([expect.stringMatching(/^FEATURE_WITHOUT_VALUES: 'v1' had no value in any of the \d+ row/)]);
    expect(flatSum.cells_missing).toEqual({});
    expect(flatSum.warnings.filter((w: string) => w.startsWith('FEATURE_WITHOUT_VALUES'))).toEqual([]);
  });

  it('train --augment on clean data with a NaN gap and a clipped stretch: trains, gate figures finite', async () => {
    const m = parseManifestJson(await readFile(join(dir, 'm', 'manifest.json'), 'utf8'));
    await writeFile(join(dir, 'gappy.csv'), csv(ecg.values, (row, c) => {
      if ((row >= 500 && row < 540) || (row >= 4200 && row < 4230)) c[2] = ''; // one gap in the training part, one held out
      if (row >= 900 && row < 1100) c[1] = String(Math.min(Number(c[1]), 0.3));
    }));
    const r = await train(join(dir, 'gappy.csv'), 'g');
    expect(r.code).toBe(0);
    const g = parseManifestJson(await readFile(join(dir, 'g', 'manifest.json'), 'utf8'));
    for (const k of ['snr_db', 'snr_noisy_db', 'atypical_snr_db']) expect(Number.isFinite(g.metrics.validation[k])).toBe(true);
    expect(g.metrics.validation['loss']).toEqual(expect.any(Number));
    expect(m.signal!.gate).toBe('passed');
  });
});
