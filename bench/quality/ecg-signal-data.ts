import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { butterworth, filtfilt } from '../../core/signal/butterworth';
import { readEcgTestBinary } from './datasets';
import { QualityBenchError } from './errors';

/** A continuous recording for the ecg-signal task: rows × leads in mV, optional per-beat labels. */
export interface Recording {
  name: string;
  leads: string[];
  fs: number;
  values: Float32Array;
  /** ECG5000 only: known beat starts and abnormal flags (the beats laid end to end). */
  beats?: { start: number; length: number; abnormal: boolean[] };
}

/**
 * PTB s0010_re (WFDB format 16: int16 little-endian, 12 leads interleaved, gain 2000 adu/mV, baseline 0, 1 kHz,
 * from its .hea), decimated to `fs` (500 Hz by default: every 2nd sample after a zero-phase order-8 Butterworth
 * low-pass at 0.4·fs, so the 12-lead 500 Hz speed goal is measured on the same data).
 */
export function readPtbS0010(root: string, fs = 500): Recording {
  const dir = join(root, 'ecg_ptb_s0010');
  const header = readFileSync(join(dir, 's0010_re.hea'), 'utf8').split('\n');
  const [, sigs, rate, samples] = header[0]!.trim().split(/\s+/).map(Number) as [number, number, number, number];
  const leads = header.slice(1, 1 + sigs).filter((l) => l.startsWith('s0010_re.dat')).map((l) => l.trim().split(/\s+/).at(-1)!);
  const gain = Number(header[1]!.trim().split(/\s+/)[2]);
  const bytes = readFileSync(join(dir, 's0010_re.dat'));
  if (bytes.length !== samples * leads.length * 2) {
    throw new QualityBenchError(`s0010_re.dat holds ${bytes.length} bytes, not ${samples}×${leads.length}×2`);
  }
  const step = Math.round(rate / fs);
  if (step < 1 || rate / step !== fs) throw new QualityBenchError(`cannot decimate ${rate} Hz to ${fs} Hz by an integer`);
  const n = Math.floor(samples / step);
  const values = new Float32Array(n * leads.length);
  const lp = step > 1 ? butterworth(8, 0.4 / step, 'lowpass') : null;
  const lead = new Float64Array(samples);
  leads.forEach((_, j) => {
    for (let i = 0; i < samples; i++) lead[i] = bytes.readInt16LE((i * leads.length + j) * 2) / gain;
    const y = lp ? filtfilt(lp, lead) : lead;
    for (let i = 0; i < n; i++) values[i * leads.length + j] = y[i * step]!;
  });
  return { name: 'PTB s0010 (12 leads)', leads, fs, values };
}

/**
 * ECG5000 test beats (140 samples each, labelled normal/abnormal; the file lists all normal beats first) laid end
 * to end as one lead: `beats` of them, every 10th an abnormal one (normal beats in file order, abnormal beats in
 * file order), at a nominal 250 Hz (a beat is then 0.56 s; ECG5000 gives no sample rate).
 */
export function readEcg5000Stream(root: string, beats = 250, fs = 250): Recording {
  const test = readEcgTestBinary(root);
  const normal: number[] = [];
  const abnormalRows: number[] = [];
  test.labels.forEach((l, r) => (l === 0 ? abnormalRows : normal).push(r));
  const order: number[] = [];
  for (let k = 0; k < beats; k++) order.push(k % 10 === 9 ? abnormalRows[Math.floor(k / 10)]! : normal[k - Math.floor((k + 1) / 10)]!);
  if (order.some((r) => r === undefined)) throw new QualityBenchError(`ECG5000 test has too few beats for ${beats}`);
  const values = new Float32Array(order.length * 140);
  order.forEach((r, k) => values.set(test.values.subarray(r * 140, (r + 1) * 140), k * 140));
  const abnormal = order.map((r) => test.labels[r] === 0);
  const name = `ECG5000 test beats end to end (${beats}, every 10th abnormal)`;
  return { name, leads: ['ecg'], fs, values, beats: { start: 0, length: 140, abnormal } };
}
