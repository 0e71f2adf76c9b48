import { DEFAULT_SETTINGS, readSettings } from '../../infra/config';
import { InfraConfigError } from '../../infra/errors';

const from = (context: Record<string, unknown>) => readSettings((key) => context[key]);

describe('readSettings', () => {
  test('returns the defaults when no context is set', () => {
    expect(from({})).toEqual({ ...DEFAULT_SETTINGS, alarmEmail: undefined });
  });

  test('parses command-line strings into numbers and booleans', () => {
    const s = from({ scoringMemoryMb: '3008', gpuSpot: 'true', validationFloor: '0.75', architecture: 'arm64' });
    expect(s).toMatchObject({ scoringMemoryMb: 3008, gpuSpot: true, validationFloor: 0.75, architecture: 'arm64' });
  });

  test('accepts JSON-typed values from cdk.json', () => {
    expect(from({ scoringReservedConcurrency: 50, gpuSpot: false }).scoringReservedConcurrency).toBe(50);
  });

  test('rejects an out-of-range value naming the key and the value', () => {
    expect(() => from({ scoringTimeoutSeconds: '901' })).toThrow(InfraConfigError);
    expect(() => from({ scoringTimeoutSeconds: '901' })).toThrow(/'scoringTimeoutSeconds'.*"901"/);
  });

  test('rejects an unknown architecture', () => {
    expect(() => from({ architecture: 'x86' })).toThrow(/'architecture' must be one of 'x86_64', 'arm64', got "x86"/);
  });

  test('rejects a validation metric that is not a plain name', () => {
    expect(() => from({ validationMetric: 'a.b' })).toThrow(/'validationMetric'/);
  });

  test('rejects a backfill concurrency that would starve the SQS poller', () => {
    expect(() => from({ scoringReservedConcurrency: 10, backfillConcurrency: 9 })).toThrow(/'backfillConcurrency'.*scoringReservedConcurrency \(10\)/);
  });
});
