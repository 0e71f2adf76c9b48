import { DEFAULT_SETTINGS, readSettings } from '../../infra/config';
import { InfraConfigError } from '../../infra/errors';

const from = (context: Record<string, unknown>) => readSettings((key) => context[key]);

describe('readSettings', () => {
  test('returns the defaults when no context is set', () => {
    expect(from({})).toEqual({ ...DEFAULT_SETTINGS, alarmEmail: undefined });
  });

  test('parses command-line strings into numbers and booleans', () => {
    const s = from({ scoringMemoryMb: '3008', gpuSpot: 'true', gateMaxLoss: '0.75', architecture: 'arm64' });
    expect(s).toMatchObject({ scoringMemoryMb: 3008, gpuSpot: true, gateMaxLoss: 0.75, architecture: 'arm64' });
  });

  test('accepts JSON-typed values from cdk.json', () => {
    expect(from({ scoringReservedConcurrency: 50, gpuSpot: false }).scoringReservedConcurrency).toBe(50);
  });

  test('rejects an out-of-range value naming the key and the value', () => {
    expect(() => from({ scoringTimeoutSeconds: '901' })).toThrow(InfraConfigError);
    expect(() => from({ scoringTimeoutSeconds: '901' })).toThrow(/'scoringTimeoutSeconds'.*"901"/);
  });

  test('reads preloadModels as comma-separated model names and rejects anything else', () => {
    expect(from({}).preloadModels).toBe('');
    expect(from({ preloadModels: 'a,b-2' }).preloadModels).toBe('a,b-2');
    expect(() => from({ preloadModels: 'a, B' })).toThrow(/'preloadModels'/);
  });

  test('rejects an unknown architecture', () => {
    expect(() => from({ architecture: 'x86' })).toThrow(/'architecture' must be one of 'x86_64', 'arm64', got "x86"/);
  });

  test('defaults the validation gate to loss 1.0, anomaly rate 0.05 and regression 0.25', () => {
    expect(from({})).toMatchObject({ gateMaxLoss: 1, gateMaxAnomalyRate: 0.05, gateMaxRegression: 0.25 });
  });

  test('rejects gate limits that are negative, not numbers, or an anomaly rate above 1', () => {
    expect(() => from({ gateMaxLoss: '-0.1' })).toThrow(/'gateMaxLoss' must be a number from 0/);
    expect(() => from({ gateMaxRegression: 'lots' })).toThrow(/'gateMaxRegression'.*"lots"/);
    expect(() => from({ gateMaxAnomalyRate: '5' })).toThrow(/'gateMaxAnomalyRate' must be a number from 0 to 1, got "5"/);
  });

  test('rejects a backfill concurrency that would starve the SQS poller', () => {
    expect(() => from({ scoringReservedConcurrency: 10, backfillConcurrency: 9 })).toThrow(/'backfillConcurrency'.*scoringReservedConcurrency \(10\)/);
  });
});
