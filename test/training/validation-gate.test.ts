import type { Manifest } from '../../core/manifest';
import { evaluateGate } from '../../training/validation-gate';

function manifest(loss: number, rate = 0.005, version = 'v2'): Manifest {
  return { kind: 'dense-ae', version, features: ['a', 'b'], metrics: { validation: { loss, anomaly_rate: rate } } } as unknown as Manifest;
}

describe('evaluateGate', () => {
  it('passes a finite loss with no limits set', () => {
    expect(evaluateGate(manifest(0.1), null, {})).toEqual({ passed: true, reasons: [] });
  });

  it('fails a non-finite loss', () => {
    expect(evaluateGate(manifest(NaN), null, {}).passed).toBe(false);
  });

  it('fails when the anomaly rate exceeds maxAnomalyRate', () => {
    expect(evaluateGate(manifest(0.1, 0.2), null, { maxAnomalyRate: 0.05 }).reasons[0]).toMatch(/anomaly rate 0.2 > maxAnomalyRate 0.05/);
  });

  it('fails a regression beyond maxRegression against LATEST', () => {
    expect(evaluateGate(manifest(0.13), manifest(0.1, 0.005, 'v1'), { maxRegression: 0.2 }).reasons[0]).toMatch(/LATEST version v1/);
  });

  it('allows a regression within maxRegression', () => {
    expect(evaluateGate(manifest(0.11), manifest(0.1, 0.005, 'v1'), { maxRegression: 0.2 }).passed).toBe(true);
  });
});
