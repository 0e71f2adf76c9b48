import { InputError } from '../errors';

/** One second-order section, a0 = 1: H(z) = (b0 + b1 z⁻¹ + b2 z⁻²) / (1 + a1 z⁻¹ + a2 z⁻²). */
export interface Biquad {
  b: [number, number, number];
  a: [number, number];
}

export type FilterType = 'lowpass' | 'highpass';

/**
 * A digital Butterworth filter as second-order sections, designed by the bilinear transform: the
 * analog prototype's poles on the unit circle (s_k = exp(iπ(2k + N + 1)/(2N))), the cutoff pre-warped
 * (Ω = 2·tan(π·cutoff)), poles mapped by z = (2 + s)/(2 − s), zeros at z = −1 (lowpass) or z = +1
 * (highpass), each section normalised to unit gain at DC (lowpass) or Nyquist (highpass).
 * `cutoff` is in cycles per sample, in (0, 0.5).
 */
export function butterworth(order: number, cutoff: number, type: FilterType): Biquad[] {
  if (!Number.isInteger(order) || order < 1 || order > 16) throw new InputError(`order must be an integer in [1, 16], got ${order}`);
  if (!(cutoff > 0 && cutoff < 0.5)) throw new InputError(`cutoff must be in (0, 0.5) cycles per sample, got ${cutoff}`);
  const warped = 2 * Math.tan(Math.PI * cutoff);
  const sections: Biquad[] = [];
  const zero = type === 'lowpass' ? -1 : 1;
  // Poles in the upper half plane (k < N/2) pair with their conjugates; odd N adds the real pole s = −1.
  for (let k = 0; k < Math.floor(order / 2); k++) {
    const theta = (Math.PI * (2 * k + order + 1)) / (2 * order);
    let re = Math.cos(theta);
    let im = Math.sin(theta);
    // lowpass s → s/Ω scales the prototype pole by Ω; highpass s → Ω/s maps it to Ω/p.
    if (type === 'lowpass') {
      re *= warped;
      im *= warped;
    } else {
      const m = re * re + im * im;
      re = (warped * re) / m;
      im = (-warped * im) / m;
    }
    const [zr, zi] = bilinear(re, im);
    // (1 − p z⁻¹)(1 − p̄ z⁻¹) = 1 − 2 Re p z⁻¹ + |p|² z⁻²
    sections.push(normalise({ b: [1, -2 * zero, 1], a: [-2 * zr, zr * zr + zi * zi] }, type));
  }
  if (order % 2 === 1) {
    // the prototype's real pole s = −1 maps to −Ω for both lowpass (s/Ω) and highpass (Ω/s)
    const [zr] = bilinear(-warped, 0);
    sections.push(normalise({ b: [1, -zero, 0], a: [-zr, 0] }, type));
  }
  return sections;
}

/** z = (2 + s) / (2 − s) for s = re + i·im (sample period 1). */
function bilinear(re: number, im: number): [number, number] {
  const nr = 2 + re;
  const dr = 2 - re;
  const di = -im;
  const d = dr * dr + di * di;
  return [(nr * dr + im * di) / d, (im * dr - nr * di) / d];
}

function normalise(s: Biquad, type: FilterType): Biquad {
  const sign = type === 'lowpass' ? 1 : -1; // evaluate at z = 1 (DC) or z = −1 (Nyquist)
  const num = s.b[0] + sign * s.b[1] + s.b[2];
  const den = 1 + sign * s.a[0] + s.a[1];
  const g = den / num;
  return { b: [s.b[0] * g, s.b[1] * g, s.b[2] * g], a: s.a };
}

/** Runs the sections over x (transposed direct form II) from state `zi` (2 per section, default 0); returns y. */
export function sosFilter(sections: readonly Biquad[], x: ArrayLike<number>, zi?: Float64Array): Float64Array {
  let y = Float64Array.from(x);
  sections.forEach((s, k) => {
    let z1 = zi ? zi[2 * k]! : 0;
    let z2 = zi ? zi[2 * k + 1]! : 0;
    const [b0, b1, b2] = s.b;
    const [a1, a2] = s.a;
    const out = new Float64Array(y.length);
    for (let n = 0; n < y.length; n++) {
      const v = y[n]!;
      const o = b0 * v + z1;
      z1 = b1 * v - a1 * o + z2;
      z2 = b2 * v - a2 * o;
      out[n] = o;
    }
    y = out;
  });
  return y;
}

/** The steady-state section states for a unit step input (scipy's sosfilt_zi). */
export function sosStepState(sections: readonly Biquad[]): Float64Array {
  const zi = new Float64Array(sections.length * 2);
  let scale = 1;
  sections.forEach((s, k) => {
    const g = (s.b[0] + s.b[1] + s.b[2]) / (1 + s.a[0] + s.a[1]);
    const z2 = s.b[2] - s.a[1] * g;
    const z1 = s.b[1] - s.a[0] * g + z2;
    zi[2 * k] = z1 * scale;
    zi[2 * k + 1] = z2 * scale;
    scale *= g;
  });
  return zi;
}

/**
 * Zero-phase filtering (scipy's sosfiltfilt): the signal is extended at both ends by odd reflection
 * (`padLength`, default 3·(2·sections + 1), capped at length − 1), filtered forward from the step state
 * scaled by its first value, reversed, filtered again the same way, reversed, and trimmed.
 */
export function filtfilt(sections: readonly Biquad[], x: ArrayLike<number>, padLength?: number): Float64Array {
  const n = x.length;
  if (n < 2) throw new InputError(`filtfilt needs at least 2 samples, got ${n}`);
  const pad = Math.min(padLength ?? 3 * (2 * sections.length + 1), n - 1);
  const ext = new Float64Array(n + 2 * pad);
  for (let i = 0; i < pad; i++) ext[i] = 2 * x[0]! - x[pad - i]!;
  for (let i = 0; i < n; i++) ext[pad + i] = x[i]!;
  for (let i = 0; i < pad; i++) ext[pad + n + i] = 2 * x[n - 1]! - x[n - 2 - i]!;
  const zi = sosStepState(sections);
  const forward = sosFilter(sections, ext, zi.map((v) => v * ext[0]!));
  forward.reverse();
  const backward = sosFilter(sections, forward, zi.map((v) => v * forward[0]!));
  backward.reverse();
  return backward.subarray(pad, pad + n).slice();
}

/** |H(e^{iω})| of the sections at `frequency` cycles per sample. */
export function magnitudeResponse(sections: readonly Biquad[], frequency: number): number {
  const w = 2 * Math.PI * frequency;
  let mag = 1;
  for (const s of sections) {
    const c1 = Math.cos(w), s1 = Math.sin(w), c2 = Math.cos(2 * w), s2 = Math.sin(2 * w);
    const nr = s.b[0] + s.b[1] * c1 + s.b[2] * c2;
    const ni = -(s.b[1] * s1 + s.b[2] * s2);
    const dr = 1 + s.a[0] * c1 + s.a[1] * c2;
    const di = -(s.a[0] * s1 + s.a[1] * s2);
    mag *= Math.hypot(nr, ni) / Math.hypot(dr, di);
  }
  return mag;
}
