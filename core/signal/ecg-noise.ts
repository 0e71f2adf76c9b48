import { InputError } from '../errors';
import { Rng } from '../rng';
import { butterworth, sosFilter } from './butterworth';

/** The noise models `--augment` mixes (see docs/contract.md, "ECG denoising"). */
export const NOISE_TYPES = ['wander', 'powerline', 'emg', 'motion', 'white'] as const;
export type NoiseType = (typeof NOISE_TYPES)[number];

export interface AugmentSpec {
  types: NoiseType[];
  /** SNR of the mixed noise against each lead's clean power, drawn uniformly in [lo, hi] dB per segment and lead. */
  snrDb: [number, number];
  /** Noisy copies of the clean data to train on (each with fresh noise). */
  copies: number;
  /** Seconds per segment: SNR and mixture weights are redrawn every segment. */
  segmentSeconds: number;
  /** Power-line fundamental: 50, 60, or 0 = drawn per segment (50 or 60). */
  mains: 0 | 50 | 60;
}

/** The `--augment ecg` preset: every noise type, SNR −6 … 18 dB, 4 copies, 10 s segments, mains 50 or 60 Hz. */
export const ECG_PRESET: AugmentSpec = { types: [...NOISE_TYPES], snrDb: [-6, 18], copies: 4, segmentSeconds: 10, mains: 0 };

/**
 * Parses `--augment SPEC`: `<types>[:key=value,...]`, types `ecg` (the preset) or noise types joined by `+`
 * (`wander+white`); keys `snr=LO..HI` (dB), `copies=N`, `segment=SECONDS`, `mains=50|60|any`.
 */
export function parseAugmentSpec(spec: string): AugmentSpec {
  const [head = '', rest] = splitOnce(spec.trim(), ':');
  const out: AugmentSpec = { ...ECG_PRESET, types: [...ECG_PRESET.types] };
  if (head !== 'ecg') {
    const types = head.split('+');
    for (const t of types) {
      if (!(NOISE_TYPES as readonly string[]).includes(t))
        throw new InputError(`--augment: unknown noise type '${t}' (known: ecg, ${NOISE_TYPES.join(', ')})`);
    }
    out.types = [...new Set(types)] as NoiseType[];
  }
  for (const item of rest ? rest.split(',') : []) {
    const [key, value = ''] = splitOnce(item, '=');
    if (key === 'snr') {
      const m = /^(-?\d+(?:\.\d+)?)\.\.(-?\d+(?:\.\d+)?)$/.exec(value);
      if (!m || Number(m[1]) > Number(m[2])) throw new InputError(`--augment: snr must be LO..HI dB with LO <= HI, got '${value}'`);
      out.snrDb = [Number(m[1]), Number(m[2])];
    } else if (key === 'copies') {
      out.copies = positiveInt(value, 'copies', 64);
    } else if (key === 'segment') {
      const s = Number(value);
      if (!(s > 0)) throw new InputError(`--augment: segment must be a positive number of seconds, got '${value}'`);
      out.segmentSeconds = s;
    } else if (key === 'mains') {
      if (value !== '50' && value !== '60' && value !== 'any') throw new InputError(`--augment: mains must be 50, 60 or any`);
      out.mains = value === 'any' ? 0 : (Number(value) as 50 | 60);
    } else {
      throw new InputError(`--augment: unknown key '${key}' (known: snr, copies, segment, mains)`);
    }
  }
  return out;
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}

function positiveInt(v: string, key: string, max: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new InputError(`--augment: ${key} must be an integer in [1, ${max}], got '${v}'`);
  return n;
}

/** One noise component of unit RMS, `n` samples at `fs` Hz. */
export function noiseComponent(type: NoiseType, n: number, fs: number, rng: Rng, mains: 50 | 60 = 50): Float64Array {
  const out = new Float64Array(n);
  if (type === 'white') {
    for (let i = 0; i < n; i++) out[i] = rng.normal();
  } else if (type === 'wander') {
    // 2–4 sinusoids at 0.05–0.5 Hz (respiration, electrode drift) with random amplitudes and phases
    const parts = 2 + rng.int(3);
    for (let p = 0; p < parts; p++) addSine(out, fs, 0.05 + 0.45 * rng.next(), 0.3 + rng.next(), 2 * Math.PI * rng.next());
  } else if (type === 'powerline') {
    // fundamental ±0.2 Hz, harmonics 2 and 3 at 0.3 and 0.1 of it, below Nyquist only; slow 10 % amplitude modulation
    const f0 = mains + 0.4 * (rng.next() - 0.5);
    [1, 0.3, 0.1].forEach((a, h) => {
      if (f0 * (h + 1) < fs / 2) addSine(out, fs, f0 * (h + 1), a, 2 * Math.PI * rng.next());
    });
    const fm = 0.1 + 0.4 * rng.next();
    const pm = 2 * Math.PI * rng.next();
    for (let i = 0; i < n; i++) out[i] = out[i]! * (1 + 0.1 * Math.sin((2 * Math.PI * fm * i) / fs + pm));
  } else if (type === 'emg') {
    // broadband muscle noise: white noise high-passed at 20 Hz, amplitude-modulated by a slow (0.2–2 Hz) contraction envelope
    for (let i = 0; i < n; i++) out[i] = rng.normal();
    const hp = highPassed(out, fs, 20);
    const fe = 0.2 + 1.8 * rng.next();
    const pe = 2 * Math.PI * rng.next();
    for (let i = 0; i < n; i++) out[i] = hp[i]! * (0.4 + 0.6 * Math.abs(Math.sin((Math.PI * fe * i) / fs + pe)));
  } else {
    // electrode motion: bursts (about one per 4 s, 0.2–1.5 s long) of 1–10 Hz noise plus a step, under a Hann envelope
    const bursts = Math.max(1, Math.round(n / fs / 4));
    for (let b = 0; b < bursts; b++) {
      const len = Math.max(4, Math.round(fs * (0.2 + 1.3 * rng.next())));
      const start = rng.int(Math.max(1, n - len));
      const step = rng.normal();
      const f = 1 + 9 * rng.next();
      const ph = 2 * Math.PI * rng.next();
      for (let k = 0; k < len && start + k < n; k++) {
        const env = 0.5 - 0.5 * Math.cos((2 * Math.PI * k) / (len - 1));
        out[start + k] = out[start + k]! + env * (step + Math.sin((2 * Math.PI * f * k) / fs + ph) + 0.3 * rng.normal());
      }
    }
  }
  return unitRms(out);
}

/** The power-line fundamentals a sample rate can represent: fs must exceed twice the mains frequency. */
export function checkSampleRate(fs: number, spec: AugmentSpec): void {
  if (!(Number.isFinite(fs) && fs > 0)) throw new InputError(`--sample-rate must be a positive number of Hz`);
  if (spec.types.includes('powerline')) {
    const need = spec.mains === 0 ? 120 : 2 * spec.mains;
    if (fs <= need)
      throw new InputError(`--sample-rate ${fs} Hz cannot carry ${spec.mains || '60'} Hz power-line noise (needs > ${need} Hz)`);
  }
  if (spec.types.includes('emg') && fs <= 40)
    throw new InputError(`--sample-rate ${fs} Hz is too low for EMG noise above 20 Hz (needs > 40 Hz)`);
}

/**
 * Corrupts one lead (in place copy): per segment, the mixture of `spec.types` (weights drawn uniformly,
 * normalised) scaled so that its power is the segment's clean power / 10^(snr/10), snr ~ U(spec.snrDb).
 * A segment whose clean power is 0 (flat line) gets noise at the recording's mean power instead.
 */
export function corruptLead(clean: ArrayLike<number>, fs: number, spec: AugmentSpec, rng: Rng): Float64Array {
  const n = clean.length;
  const out = Float64Array.from(clean);
  const seg = Math.max(1, Math.round(spec.segmentSeconds * fs));
  const meanPower = power(clean, 0, n);
  for (let s0 = 0; s0 < n; s0 += seg) {
    const len = Math.min(seg, n - s0);
    const snr = spec.snrDb[0] + (spec.snrDb[1] - spec.snrDb[0]) * rng.next();
    const mains: 50 | 60 = spec.mains === 0 ? (rng.next() < 0.5 ? 50 : 60) : spec.mains;
    const mix = new Float64Array(len);
    const weights = spec.types.map(() => 0.1 + rng.next());
    const total = weights.reduce((a, b) => a + b, 0);
    spec.types.forEach((t, k) => {
      const c = noiseComponent(t, len, fs, rng, mains);
      const w = Math.sqrt(weights[k]! / total);
      for (let i = 0; i < len; i++) mix[i] = mix[i]! + w * c[i]!;
    });
    const p = power(clean, s0, len) || meanPower;
    const scale = Math.sqrt(p / 10 ** (snr / 10) / (power(mix, 0, len) || 1));
    for (let i = 0; i < len; i++) if (Number.isFinite(out[s0 + i]!)) out[s0 + i] = out[s0 + i]! + scale * mix[i]!;
  }
  return out;
}

/** Mean square of the finite values in [from, from + len); 0 when none. */
export function power(x: ArrayLike<number>, from: number, len: number): number {
  let s = 0;
  let c = 0;
  for (let i = from; i < from + len; i++) {
    const v = x[i]!;
    if (Number.isFinite(v)) {
      s += v * v;
      c++;
    }
  }
  return c ? s / c : 0;
}

function addSine(out: Float64Array, fs: number, f: number, a: number, phase: number): void {
  for (let i = 0; i < out.length; i++) out[i] = out[i]! + a * Math.sin((2 * Math.PI * f * i) / fs + phase);
}

function highPassed(x: Float64Array, fs: number, hz: number): Float64Array {
  return hz / fs < 0.5 ? sosFilter(butterworth(2, hz / fs, 'highpass'), x) : x;
}

function unitRms(x: Float64Array): Float64Array {
  const r = Math.sqrt(power(x, 0, x.length));
  if (r > 0) for (let i = 0; i < x.length; i++) x[i] = x[i]! / r;
  return x;
}
