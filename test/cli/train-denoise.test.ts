import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseManifestJson } from '../../core/manifest';
import { firLead, lowpassFir } from '../../core/signal/fir';
import { syntheticEcg } from '../../core/signal/synthetic-ecg';
import { runMain } from './cli-harness';

const FS = 200;
const SMALL = JSON.stringify({ epochs: 2, model: { filters: [4, 8], kernel: 5 } });
/** The U-Net over all leads at once and without the filter branch: 2 epochs of it fail the gate. */
const WEAK = JSON.stringify({ epochs: 2, model: { filters: [4, 8], kernel: 5, per_lead: false } });
const LARGER = JSON.stringify({ epochs: 8, learningRate: 3e-3, model: { filters: [8, 16], kernel: 5 } });

function csv(values: Float32Array, leads: string[], edit?: (row: number, cells: string[]) => void): string {
  const lines = [['t', ...leads].join(',')];
  for (let i = 0; i < values.length / leads.length; i++) {
    const cells = [(i / FS).toFixed(3), ...leads.map((_, j) => values[i * leads.length + j]!.toFixed(4))];
    edit?.(i, cells);
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** `residual train --augment/--target --sample-rate` (issue 15) and `score --mode denoise` on the result. */
describe('residual train: continuous-signal denoisers', () => {
  let dir: string;
  let clean: string;
  const ecg = syntheticEcg(24, FS, 2, 11, { abnormalEvery: 6 });
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'residual-ecg-'));
    clean = join(dir, 'clean.csv');
    await writeFile(clean, csv(ecg.values, ['ii', 'v1']));
    await writeFile(join(dir, 'small.json'), SMALL);
    await writeFile(join(dir, 'weak.json'), WEAK);
    await writeFile(join(dir, 'larger.json'), LARGER);
  });
  const train = (...extra: string[]) =>
    runMain(['train', '--data', clean, '--time-column', 't', '--out', join(dir, 'm'), '--config', join(dir, 'small.json'), ...extra]);

  it('exits 1 and writes nothing when the model fails its morphology gate (2 epochs of a 4-filter net)', async () => {
    const r = await train('--sample-rate', String(FS), '--augment', 'ecg:copies=1', '--window', '32', '--config', join(dir, 'weak.json'));
    expect(r.stderr).toMatch(/fails its morphology gate \(SNR near atypical beats .* dB, noisy input .* dB, over 1 atypical beat\(s\)\)/);
    expect(r.code).toBe(1);
    expect(existsSync(join(dir, 'm', 'manifest.json'))).toBe(false);
  });

  it('trains a windowed U-Net denoiser with --augment, records the gate, and denoises every row keeping the time column', async () => {
    const r = await train('--sample-rate', String(FS), '--augment', 'ecg:copies=2', '--window', '64', '--config', join(dir, 'larger.json'));
    expect(r.stderr).toMatch(/denoiser at 200 Hz: SNR .* dB \(noisy .* dB\), near atypical beats .*; morphology gate passed/);
    expect(r.code).toBe(0);
    const m = parseManifestJson(await readFile(join(dir, 'm', 'manifest.json'), 'utf8'));
    expect(m.kind).toBe('conv1d-ae');
    // auto: the per-lead U-Net with its low-pass branch, cut-off from the grid chosen on the training pairs
    const model = m.training.config['model'] as Record<string, unknown>;
    expect(model).toMatchObject({ skip: true, filters: [8, 16], kernel: 5, per_lead: true, lowpass_taps: 41 });
    expect([20, 25, 30, 35, 40, 50, 70]).toContain(Math.round((model['lowpass'] as number) * FS));
    expect(m.features).toEqual(['ii', 'v1']);
    expect(m.signal).toMatchObject({ sample_rate: FS, denoise_hop: 32, augment: 'ecg:copies=2', gate: 'passed' });
    // the network is kept only when it beat its own filter branch on the held-out rows; else the model is the filter
    const v = m.metrics.validation;
    // the gate keeps the candidate with the highest mean held-out SNR (the network also needs its atypical SNR >= the filter's)
    const kept = m.signal!.denoiser!;
    for (const c of ['network', 'filter', 'lowpass', 'identity']) {
      if (v[`${c}_snr_db`] === undefined || c === kept || c === 'network') continue;
      if (v[`${c}_atypical_snr_db`]! < v['identity_atypical_snr_db']!) continue; // not eligible: below the noisy input there
      expect(v[`${kept}_snr_db`]!).toBeGreaterThanOrEqual(v[`${c}_snr_db`]!);
    }
    for (const k of ['snr_db', 'snr_noisy_db', 'atypical_snr_db', 'atypical_snr_noisy_db', 'prd_percent', 'r_amplitude_error_percent'])
      expect(Number.isFinite(m.metrics.validation[k])).toBe(true);
    expect(m.metrics.validation['atypical_snr_db']!).toBeGreaterThanOrEqual(m.metrics.validation['atypical_snr_noisy_db']!);

    const noisyIn = join(dir, 'noisy.csv');
    // a NaN gap and a clipped stretch in the input: every row comes out, the gap filled by the model, all finite
    await writeFile(noisyIn, csv(ecg.values, ['ii', 'v1'], (row, cells) => {
      if (row >= 500 && row < 510) cells[1] = '';
      if (row >= 900 && row < 960) cells[2] = '0.3000';
    }));
    const out = join(dir, 'den.csv');
    const s = await runMain(['score', '--model', join(dir, 'm'), '--input', noisyIn, '--output', out, '--mode', 'denoise']);
    expect(s.code).toBe(0);
    const lines = (await readFile(out, 'utf8')).trimEnd().split('\n');
    expect(lines[0]).toBe('t,ii,v1');
    expect(lines.length - 1).toBe(ecg.values.length / 2);
    const summary = JSON.parse(await readFile(`${out}.summary.json`, 'utf8'));
    expect(summary.rows_in).toBe(summary.rows_out + summary.rows_rejected);
    expect(lines[1 + 100]!.split(',')[0]).toBe('0.500');
    const finite = (l: string): boolean => l.split(',').every((c) => Number.isFinite(Number(c)));
    expect(lines.slice(1).every(finite)).toBe(true);
    expect(lines[1 + 505]!.split(',')[1]).not.toBe('');
  });

  it('falls back to its low-pass filter branch when the network does not beat it, and score applies that filter', async () => {
    // 0 epochs: the network is its zero correction, so it does not beat the filter (the rule needs strictly better)
    // highpass 0: no high-pass, so the fallback is the low-pass FIR itself
    await writeFile(join(dir, 'untrained.json'), JSON.stringify({ epochs: 0, model: { filters: [4, 8], kernel: 5, highpass: 0 } }));
    const r = await train('--sample-rate', String(FS), '--augment', 'ecg:copies=1', '--window', '128',
      '--config', join(dir, 'untrained.json'));
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/the network did not beat its filter branch .*: the model is that filter alone/);
    const m = parseManifestJson(await readFile(join(dir, 'm', 'manifest.json'), 'utf8'));
    expect(m.signal!.denoiser).toBe('filter');
    const model = m.training.config['model'] as Record<string, number>;
    const out = join(dir, 'filtered.csv');
    const s = await runMain(['score', '--model', join(dir, 'm'), '--input', clean, '--output', out, '--mode', 'denoise']);
    expect(s.code).toBe(0);
    const rows = (await readFile(out, 'utf8')).trimEnd().split('\n').slice(1).map((l) => l.split(',').map(Number));
    // rows whose two covering windows (every 64 rows) both hold the whole FIR span: exactly the low-pass of the input
    const h = lowpassFir(model['lowpass']!, model['lowpass_taps']!);
    const input = Float32Array.from(ecg.values, (v) => Number(v.toFixed(4)));
    const want = [firLead(input, 2, 0, h), firLead(input, 2, 1, h)];
    const m2 = (h.length - 1) / 2;
    let checked = 0;
    for (let i = 128; i + 128 < rows.length; i++) {
      const k = i % 64;
      if (k + 64 < m2 || k + 64 >= 128 - m2 || k < m2) continue;
      for (let j = 0; j < 2; j++) expect(Math.abs(rows[i]![1 + j]! - want[j]![i]!)).toBeLessThan(2e-3);
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('refuses bad signal options with clear messages', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--augment', 'ecg'], /--augment needs --sample-rate/],
      [['--augment', 'ecg', '--sample-rate', '100'], /--sample-rate 100 Hz cannot carry .* power-line noise/],
      [['--augment', 'ecg', '--sample-rate', 'fast'], /--sample-rate must be a positive number/],
      [['--augment', 'ecg', '--sample-rate', '500'], /--sample-rate 500 Hz disagrees with the median spacing of --time-column 't'/],
      [['--augment', 'hiss', '--sample-rate', '200'], /unknown noise type 'hiss'/],
      [['--augment', 'ecg', '--target', clean, '--sample-rate', '200'], /cannot be combined/],
    ];
    for (const [flags, message] of cases) {
      const r = await train(...flags);
      expect(r.stderr).toMatch(message);
      expect(r.code).toBe(1);
    }
  });

  it('checks that --target rows align with --data, and names a flat-line lead', async () => {
    const short = join(dir, 'short.csv');
    await writeFile(short, csv(ecg.values.slice(0, 2 * 1000), ['ii', 'v1']));
    const r = await train('--target', short, '--sample-rate', String(FS));
    expect(r.stderr).toMatch(/--target must have one row per --data row \(aligned\): --data has 4800 row\(s\), --target 1000/);
    expect(r.code).toBe(1);
    const flat = join(dir, 'flat.csv');
    await writeFile(flat, csv(ecg.values, ['ii', 'v1'], (_, cells) => (cells[2] = '0')));
    const out = join(dir, 'f');
    const f = await runMain(['train', '--data', flat, '--time-column', 't', '--out', out, '--sample-rate', '200', '--augment', 'ecg']);
    expect(f.stderr).toMatch(/v1/);
    expect(f.stderr).toMatch(/constant/);
    expect(f.code).toBe(1);
    expect(existsSync(join(dir, 'f', 'manifest.json'))).toBe(false);
  });
});
