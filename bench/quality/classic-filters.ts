import { butterworth, filtfilt } from './butterworth';
import { movingAverage, snrDb } from './signal';

/** A classic per-beat filter with its chosen parameters. */
export interface ClassicFilter {
  name: string;
  params: string;
  apply(beat: Float64Array): Float64Array;
}

export function movingAverageFilter(width: number): ClassicFilter {
  return { name: 'moving average', params: `width ${width}`, apply: (b) => movingAverage(b, width) };
}

/** Zero-phase Butterworth low-pass (order 4) followed by high-pass (order 2); highCut null = low-pass only. */
export function butterworthFilter(lowCut: number, highCut: number | null, lowOrder = 4, highOrder = 2): ClassicFilter {
  const low = butterworth(lowOrder, lowCut, 'lowpass');
  const high = highCut === null ? null : butterworth(highOrder, highCut, 'highpass');
  return {
    name: high ? 'Butterworth low-pass + high-pass (filtfilt)' : 'Butterworth low-pass only (filtfilt)',
    params: `LP order ${lowOrder} at ${lowCut} c/s${high ? `, HP order ${highOrder} at ${highCut} c/s` : ''}`,
    apply: (b) => {
      const y = filtfilt(low, b);
      return high ? filtfilt(high, y) : y;
    },
  };
}

/** Applies a filter beat by beat to rows × length. */
export function filterBeats(filter: ClassicFilter, noisy: Float64Array, length: number): Float64Array {
  const out = new Float64Array(noisy.length);
  for (let r = 0; r < noisy.length / length; r++) out.set(filter.apply(noisy.subarray(r * length, (r + 1) * length)), r * length);
  return out;
}

/** The candidate with the best SNR on the validation beats (ties: the first). */
export function tuneFilter(
  candidates: readonly ClassicFilter[],
  clean: Float64Array,
  noisy: Float64Array,
  length: number,
): { filter: ClassicFilter; validationSnr: number } {
  let best: { filter: ClassicFilter; validationSnr: number } | null = null;
  for (const c of candidates) {
    const snr = snrDb(clean, filterBeats(c, noisy, length));
    if (!best || snr > best.validationSnr) best = { filter: c, validationSnr: snr };
  }
  if (!best) throw new RangeError('tuneFilter needs at least one candidate');
  return best;
}

/** The grids searched on validation beats (cutoffs in cycles per sample; a beat is 140 samples). */
export function classicCandidates(): { movingAverage: ClassicFilter[]; bandPass: ClassicFilter[]; lowPass: ClassicFilter[] } {
  const widths = [3, 5, 7, 9, 11, 13, 15, 19, 23];
  const lows = [0.02, 0.03, 0.04, 0.05, 0.06, 0.08, 0.1, 0.13, 0.16, 0.2];
  const highs = [0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015];
  return {
    movingAverage: widths.map(movingAverageFilter),
    bandPass: lows.flatMap((l) => highs.map((h) => butterworthFilter(l, h))),
    lowPass: lows.map((l) => butterworthFilter(l, null)),
  };
}
