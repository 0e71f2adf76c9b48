import { butterworthFilter, filterBeats, movingAverageFilter, tuneFilter } from '../../bench/quality/classic-filters';
import { corruptBeats } from '../../bench/quality/signal';

describe('classic filters', () => {
  const length = 140;
  const clean = Float64Array.from({ length: 20 * length }, (_, i) => Math.sin((2 * Math.PI * (i % length)) / 35));

  it('picks the candidate with the best validation SNR', () => {
    const noisy = corruptBeats(clean, length, 5, { wanderAmplitude: [0, 0] });
    const identity = movingAverageFilter(1);
    const smooth = butterworthFilter(0.06, null);
    expect(tuneFilter([identity, smooth], clean, noisy, length).filter).toBe(smooth);
  });

  it('filters each beat on its own (a beat is unaffected by its neighbour)', () => {
    const two = Float64Array.from({ length: 2 * length }, (_, i) => (i < length ? 0 : 5));
    const out = filterBeats(movingAverageFilter(5), two, length);
    expect(out[length - 1]).toBe(0);
    expect(out[length]).toBe(5);
  });
});
