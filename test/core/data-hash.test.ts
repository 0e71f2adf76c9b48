import { hashTrainingRows } from '../../core/data-hash';

describe('hashTrainingRows', () => {
  it('returns sha256:<64 hex>', () => {
    expect(hashTrainingRows(['a'], Float32Array.from([1]))).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('is stable for the same rows', () => {
    expect(hashTrainingRows(['a', 'b'], Float32Array.from([1, 2]))).toBe(hashTrainingRows(['a', 'b'], Float32Array.from([1, 2])));
  });

  it('changes when a value changes', () => {
    expect(hashTrainingRows(['a'], Float32Array.from([1]))).not.toBe(hashTrainingRows(['a'], Float32Array.from([1.0001])));
  });

  it('changes when the feature names change', () => {
    expect(hashTrainingRows(['a'], Float32Array.from([1]))).not.toBe(hashTrainingRows(['b'], Float32Array.from([1])));
  });
});
