import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseManifestJson } from '../../core/manifest';
import { firLead, lowpassFir } from '../../core/signal/fir';
import { syntheticEcg } from '../../core/signal/synthetic-ecg';
import { runMain } from './cli-harness';

const FS = 200;
const WINDOW = 128;

function csv(values: Float32Array, leads: string[]): string {
  const lines = [['t', ...leads].join(',')];
  for (let i = 0; i < values.length / leads.length; i++) {
    lines.push([(i / FS).toFixed(3), ...leads.map((_, j) => values[i * leads.length + j]!.toFixed(4))].join(','));
  }
  return `${lines.join('\n')}\n`;
}

const rowsOf = async (file: string): Promise<number[][]> =>
  (await readFile(file, 'utf8')).trimEnd().split('\n').slice(1).map((l) => l.split(',').map(Number));

/**
 * The gate's identity and low-pass fallbacks (training/signal-denoiser.ts) end to end: real training through the CLI,
 * the artifact's ONNX graph run by `score --mode denoise` (onnxruntime), compared with the input or its low-pass.
 * Each fallback is forced with documented config keys only: 0 epochs (the network is its zero correction, never
 * strictly better than its filter branch) and a filter branch that the gate must reject.
 */
describe('score --mode denoise on an artifact whose gate fell back (ONNX)', () => {
  let dir: string;
  let clean: string;
  const ecg = syntheticEcg(24, FS, 2, 5, { abnormalEvery: 6 });
  // what the CLI reads back from the 4-decimal text
  const input = Float32Array.from(ecg.values, (v) => Number(v.toFixed(4)));
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'residual-ecg-fallback-'));
    clean = join(dir, 'clean.csv');
    await writeFile(clean, csv(ecg.values, ['ii', 'v1']));
  });
  const trainAndScore = async (model: Record<string, unknown>, augment: string, out: string) => {
    const config = join(dir, `${out}.json`);
    await writeFile(config, JSON.stringify({ epochs: 0, model: { filters: [4, 8], kernel: 5, ...model } }));
    const r = await runMain(['train', '--data', clean, '--time-column', 't', '--out', join(dir, out), '--config', config,
      '--sample-rate', String(FS), '--augment', augment, '--window', String(WINDOW)]);
    expect(r.code).toBe(0);
    const m = parseManifestJson(await readFile(join(dir, out, 'manifest.json'), 'utf8'));
    const scored = join(dir, `${out}.csv`);
    const s = await runMain(['score', '--model', join(dir, out), '--input', clean, '--output', scored, '--mode', 'denoise']);
    expect(s.code).toBe(0);
    const rows = await rowsOf(scored);
    expect(rows.length).toBe(ecg.values.length / 2);
    return { r, m, rows };
  };

  it('identity: a 2 Hz low-pass branch (flattens every QRS) is rejected, and score returns the input itself', async () => {
    const { r, m, rows } = await trainAndScore({ lowpass: 2 / FS, lowpass_taps: 41, highpass: 0 }, 'ecg:copies=1', 'identity');
    expect(m.signal!.denoiser).toBe('identity');
    expect(m.signal!.gate).toBe('passed');
    expect(r.stderr).toMatch(/identity/);
    const v = m.metrics.validation;
    expect(v['filter_snr_db']!).toBeLessThan(v['identity_snr_db']!);
    // every row and lead, edges included: the input within float32 (values up to a few mV, printed in text)
    let worst = 0;
    for (let i = 0; i < rows.length; i++) {
      expect(rows[i]![0]).toBeCloseTo(i / FS, 6);
      for (let j = 0; j < 2; j++) worst = Math.max(worst, Math.abs(rows[i]![1 + j]! - input[i * 2 + j]!));
    }
    expect(worst).toBeLessThan(1e-5);
  });

  it('lowpass: a 15-35 Hz band-pass branch is rejected for its low-pass alone, and score applies that low-pass', async () => {
    const { m, rows } = await trainAndScore({ lowpass: 35 / FS, lowpass_taps: 41, highpass: 15 / FS },
      'powerline+white:copies=1', 'lowpass');
    expect(m.signal!.denoiser).toBe('lowpass');
    const v = m.metrics.validation;
    expect(v['lowpass_snr_db']!).toBeGreaterThan(v['filter_snr_db']!);
    expect(v['lowpass_snr_db']!).toBeGreaterThan(v['identity_snr_db']!);
    // the recorded config still names the high-pass; the graph no longer applies it
    expect((m.training.config['model'] as Record<string, number>)['highpass']).toBeCloseTo(15 / FS, 9);
    const h = lowpassFir(35 / FS, 41);
    const want = [firLead(input, 2, 0, h), firLead(input, 2, 1, h)];
    const half = (h.length - 1) / 2;
    const hop = WINDOW / 2;
    let checked = 0;
    let far = 0;
    for (let i = WINDOW; i + WINDOW < rows.length; i++) {
      const k = i % hop;
      // rows where both covering windows hold the whole FIR span (no zero padding inside the graph)
      if (k < half || k + hop >= WINDOW - half) continue;
      for (let j = 0; j < 2; j++) {
        expect(Math.abs(rows[i]![1 + j]! - want[j]![i]!)).toBeLessThan(2e-3);
        far = Math.max(far, Math.abs(rows[i]![1 + j]! - input[i * 2 + j]!));
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
    // and it is not the identity: the low-pass changed the QRS complexes
    expect(far).toBeGreaterThan(0.01);
  });
});
