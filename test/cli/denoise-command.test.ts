import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../core/rng';
import { BlockFilter } from '../../core/signal/block-filter';
import { bandpassFilter, waveletFilter } from '../../core/signal/classic-denoise';
import { snrDb } from '../../core/signal/ecg-metrics';
import { syntheticEcg } from '../../core/signal/synthetic-ecg';
import { runMain } from './cli-harness';

const FS = 250;

describe('BlockFilter', () => {
  it('matches whole-signal filtering when the margin covers the filter memory, whatever the push sizes', () => {
    const rng = new Rng(2);
    const n = FS * 40;
    const x = Float64Array.from({ length: n * 2 }, (_, i) => Math.sin(i * 0.01) + 0.2 * rng.normal());
    const filter = bandpassFilter(FS, 0.5, 40);
    const whole = [0, 1].map((j) => filter(Float64Array.from({ length: n }, (_, i) => x[i * 2 + j]!)));
    for (const step of [1000, 4096]) {
      const stage = new BlockFilter(2, 5 * FS, 10 * FS, filter);
      const parts: number[] = [];
      for (let r = 0; r < n; r += step) parts.push(...stage.push(x.subarray(r * 2, Math.min(n, r + step) * 2), Math.min(step, n - r)));
      parts.push(...stage.flush());
      expect(parts.length).toBe(n * 2);
      let worst = 0;
      for (let i = 0; i < n; i++) for (const j of [0, 1]) worst = Math.max(worst, Math.abs(parts[i * 2 + j]! - whole[j]![i]!));
      expect(worst).toBeLessThan(1e-3);
    }
  });
});

describe('residual denoise', () => {
  it('filters every lead of a stream, keeps the time column and gaps, and beats the noisy input', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'residual-denoise-'));
    const { values } = syntheticEcg(30, FS, 2, 4);
    const rng = new Rng(9);
    const noisy = values.map((v, i) => v + 0.3 * Math.sin((2 * Math.PI * 0.3 * (i >> 1)) / FS) + 0.05 * rng.normal());
    const lines = ['t,ii,v1,note'];
    for (let i = 0; i < values.length / 2; i++) {
      const gap = i >= 100 && i < 105;
      lines.push(`${(i / FS).toFixed(3)},${gap ? '' : noisy[i * 2]!.toFixed(5)},${noisy[i * 2 + 1]!.toFixed(5)},x`);
    }
    const input = join(dir, 'noisy.csv');
    await writeFile(input, `${lines.join('\n')}\n`);
    for (const filter of ['bandpass', 'wavelet']) {
      const output = join(dir, `${filter}.csv`);
      const r = await runMain(['denoise', '--filter', filter, '--sample-rate', String(FS), '--time-column', 't', '--exclude', 'note',
        '-i', input, '-o', output, '--block', '7']);
      expect(r.stderr).toMatch(/5 signal cell\(s\) were empty/);
      expect(r.stderr).toMatch(new RegExp(`denoised 7500 of 7500 rows \\(0 rejected\\) with ${filter}`));
      expect(r.code).toBe(0);
      const out = (await readFile(output, 'utf8')).trimEnd().split('\n');
      expect(out[0]).toBe('t,ii,v1,note');
      expect(out.length).toBe(7501);
      expect(out[101]).toMatch(/^0\.400,,-?\d/);
      expect(out[2]!.split(',')[3]).toBe('x');
      const est = new Float64Array(values.length);
      out.slice(1).forEach((l, i) => l.split(',').slice(1, 3).forEach((c, j) => (est[i * 2 + j] = c === '' ? NaN : Number(c))));
      expect(snrDb(values, est)).toBeGreaterThan(snrDb(values, noisy) + 3);
    }
  });

  it('refuses a sample rate the cut-offs cannot live with', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'residual-denoise-'));
    const input = join(dir, 'x.csv');
    await writeFile(input, 'a\n1\n2\n');
    const r = await runMain(['denoise', '--filter', 'bandpass', '--sample-rate', '60', '-i', input, '-o', join(dir, 'y.csv')]);
    expect(r.stderr).toMatch(/--high 40 Hz must be below half the sample rate \(30 Hz\)/);
    expect(r.code).toBe(1);
    const w = await runMain(['denoise', '--filter', 'wavelet', '--sample-rate', '-5', '-i', input, '-o', join(dir, 'y.csv')]);
    expect(w.stderr).toMatch(/--sample-rate must be a positive number/);
    expect(waveletFilter(FS)(new Float64Array(3000)).every((v) => v === 0)).toBe(true);
  });

  it('fails with the input error, and writes no output, when a gzip output cannot be made', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'residual-denoise-'));
    const input = join(dir, 'x.csv');
    await writeFile(input, 'a\n1\n2\n');
    const output = join(dir, 'y.csv.gz');
    const r = await runMain(['denoise', '--filter', 'wavelet', '--sample-rate', '250', '--columns', 'b', '-i', input, '-o', output]);
    expect(r.stderr).toMatch(/--columns names column\(s\) the input lacks: b/);
    expect(r.code).toBe(1);
    await expect(readFile(output)).rejects.toThrow(/ENOENT/);
  }, 15_000);
});
