import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPtbS0010 } from '../../bench/quality/ecg-signal-data';
import { CONDITIONS, corrupt, ecgSignal, filterGrid } from '../../bench/quality/tasks/ecg-signal';
import { snrDb } from '../../core/signal/ecg-metrics';
import { syntheticEcg } from '../../core/signal/synthetic-ecg';

describe('ecg-signal bench protocol', () => {
  it('reads a WFDB format-16 record (gain from the header) and decimates it by an integer', () => {
    const root = mkdtempSync(join(tmpdir(), 'ptb-'));
    mkdirSync(join(root, 'ecg_ptb_s0010'));
    const n = 2000;
    const header = ['s0010_re 3 1000 2000', 's0010_re.dat 16 2000 16 0 0 0 0 i', 's0010_re.dat 16 2000 16 0 0 0 0 ii',
      's0010_re.xyz 16 2000 16 0 0 0 0 vx', ''];
    writeFileSync(join(root, 'ecg_ptb_s0010', 's0010_re.hea'), header.join('\n'));
    const buf = Buffer.alloc(n * 2 * 2);
    for (let i = 0; i < n; i++) {
      buf.writeInt16LE(1000, (i * 2) * 2);
      buf.writeInt16LE(Math.round(2000 * Math.sin((2 * Math.PI * 5 * i) / 1000)), (i * 2 + 1) * 2);
    }
    writeFileSync(join(root, 'ecg_ptb_s0010', 's0010_re.dat'), buf);
    const r = readPtbS0010(root);
    expect(r.leads).toEqual(['i', 'ii']);
    expect(r.fs).toBe(500);
    expect(r.values.length).toBe(1000 * 2);
    expect(r.values[200 * 2]).toBeCloseTo(0.5, 3);
    expect(r.values[(200 + 25) * 2 + 1]).toBeCloseTo(Math.sin((2 * Math.PI * 5 * 450) / 1000), 2);
  });

  it('corrupts at each condition\'s SNR, seeded, and its filter grid stays below Nyquist', () => {
    const fs = 250;
    const { values } = syntheticEcg(8, fs, 2, 3);
    for (const c of CONDITIONS) {
      const noisy = corrupt(values, 2, fs, c.spec, 5);
      const snr = Number(/snr=(-?\d+)/.exec(c.spec)![1]);
      expect(snrDb(values, noisy)).toBeCloseTo(snr, 0);
      expect(corrupt(values, 2, fs, c.spec, 5)).toEqual(noisy);
    }
    const grid = filterGrid(fs);
    expect(grid.bandpass.length).toBeGreaterThan(20);
    expect(grid.wavelet.length).toBe(10);
    expect(filterGrid(100).bandpass.every((g) => !/ 50 Hz| 70 Hz| 100 Hz/.test(g.params))).toBe(true);
  });

  it('--sets picks recordings by name and refuses an unknown one before reading any data', async () => {
    await expect(ecgSignal('/nonexistent', undefined, ['ptb', 'mitbih'])).rejects.toThrow(/unknown --sets mitbih \(known: ptb, ecg5000\)/);
  });
});
