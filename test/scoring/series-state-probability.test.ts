import { readTable } from '../../core/io';
import type { ProbabilityModel, ProbabilitySpec } from '../../core/probability';
import { ANOMALY_LIKELIHOOD, DEFAULT_LIKELIHOOD_PARAMS } from '../../core/probability/anomaly-likelihood';
import type { LoadedModel } from '../../scoring/batch-scorer';
import { parseSeriesState, type SeriesState } from '../../scoring/series-state';
import { writeScoredOutput } from '../../scoring/write-scored-output';
import { bytesOf, fixedModel } from './fixtures/fixed-model';
import { tempStore, type TempStore } from './fixtures/scoring-run';

/**
 * A probability method with state, registered for this file only (a stand-in whose output depends on every earlier
 * row, so a lost or stale snapshot shows at once): the factory gets the state's snapshot back and the output of
 * pieces is the output of the whole. The second describe below runs the shipped adaptive method the same way.
 * p = score / (running maximum of the scores so far), causal and dependent on every earlier row.
 */
class RunningMax implements ProbabilityModel {
  private max: number;
  constructor(state: unknown) {
    this.max = typeof state === 'object' && state !== null ? (state as { max: number }).max : 0;
  }
  push(scores: Float32Array): Float32Array {
    const out = new Float32Array(scores.length);
    for (let i = 0; i < scores.length; i++) {
      const s = scores[i]!;
      if (Number.isNaN(s)) {
        out[i] = NaN;
        continue;
      }
      this.max = Math.max(this.max, s);
      out[i] = this.max > 0 ? s / this.max : 0;
    }
    return out;
  }
  snapshot(): unknown {
    return { max: this.max };
  }
}

jest.mock('../../core/probability', () => {
  const actual = jest.requireActual('../../core/probability');
  return {
    ...actual,
    createProbabilityModel: (spec: ProbabilitySpec, state?: unknown) =>
      spec.method === 'running-max' ? new RunningMax(state) : actual.createProbabilityModel(spec, state),
  };
});

const minute = (i: number) => new Date(Date.UTC(2014, 1, 14, 0, i)).toISOString().replace('T', ' ').slice(0, 19);
const N = 120;
const body = Array.from({ length: N }, (_, i) => `${minute(i)},${(Math.sin(i / 5) * (1 + i / 40)).toFixed(4)},${(i % 9) / 4}`);

describe('series state with a probability model that has state', () => {
  let at: TempStore;
  let model: LoadedModel;
  beforeAll(async () => {
    at = await tempStore();
    const fixed = await fixedModel({ features: ['a', 'b'], window: 5, threshold: 1 });
    model = { ...fixed, manifest: { ...fixed.manifest, probability: { method: 'running-max', threshold: 0.9, params: {} } } };
  });
  afterAll(() => model.scorer.release());

  const run = (rows: string[], key: string, state: SeriesState | null) => writeScoredOutput({
    chunks: readTable(bytesOf(`ts,a,b\n${rows.join('\n')}\n`, 61), { format: 'csv', chunkRows: 8 }),
    model, mode: 'detect', inputFormat: 'csv', outputFormat: 'csv', store: at.store, output: { bucket: 'out', key },
    input: { uri: 'memory' }, timeColumn: 'ts', state,
  });

  test('10 pieces, each resumed from the last one\'s state, give the rows of scoring the series at once', async () => {
    const whole = await run(body, 'whole.csv', null);
    const wholeRows = (await at.text('out', 'whole.csv')).trimEnd().split('\n').slice(1);
    expect(whole.probability).toEqual({ method: 'running-max', threshold: 0.9 });
    let state: SeriesState | null = null;
    const rows: string[] = [];
    for (let p = 0; p < 10; p++) {
      const result = await run(body.slice(p * 12, p * 12 + 12), `p${p}.csv`, state);
      state = parseSeriesState(JSON.stringify(result.state), model.manifest, 'test');
      rows.push(...(await at.text('out', `p${p}.csv`)).trimEnd().split('\n').slice(1));
    }
    expect(rows).toEqual(wholeRows);
    expect(state!.probability).toEqual(whole.state.probability);
    expect(state!.probability).toEqual({ max: expect.any(Number) });
    // the snapshot is what the next run resumes from: a huge running maximum makes every probability small
    const huge = { ...state!, probability: { max: 1e9 } };
    await run([`${minute(N)},9,9`], 'huge.csv', huge);
    const p = Number((await at.text('out', 'huge.csv')).trimEnd().split('\n')[1]!.split(',')[4]);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1e-6);
  });
});

describe('series state with the anomaly likelihood (issue 12: the adaptive method auto-series writes)', () => {
  let at: TempStore;
  let model: LoadedModel;
  beforeAll(async () => {
    at = await tempStore();
    const fixed = await fixedModel({ features: ['a', 'b'], window: 5, threshold: 1 });
    const params = { ...DEFAULT_LIKELIHOOD_PARAMS } as unknown as Record<string, unknown>;
    model = { ...fixed, manifest: { ...fixed.manifest, probability: { method: ANOMALY_LIKELIHOOD, threshold: 0.5, params } } };
  });
  afterAll(() => model.scorer.release());

  test('10 pieces, each resumed from the last one\'s JSON state, give the rows of scoring the series at once', async () => {
    const run = (rows: string[], key: string, state: SeriesState | null) => writeScoredOutput({
      chunks: readTable(bytesOf(`ts,a,b\n${rows.join('\n')}\n`, 61), { format: 'csv', chunkRows: 8 }),
      model, mode: 'detect', inputFormat: 'csv', outputFormat: 'csv', store: at.store, output: { bucket: 'out', key },
      input: { uri: 'memory' }, timeColumn: 'ts', state,
    });
    const whole = await run(body, 'whole.csv', null);
    const wholeRows = (await at.text('out', 'whole.csv')).trimEnd().split('\n').slice(1);
    const probabilities = wholeRows.map((l) => l.split(',')[4]).filter((p) => p !== '');
    expect(new Set(probabilities).size).toBeGreaterThan(5);
    let state: SeriesState | null = null;
    const rows: string[] = [];
    for (let p = 0; p < 10; p++) {
      const result = await run(body.slice(p * 12, p * 12 + 12), `l${p}.csv`, state);
      state = parseSeriesState(JSON.stringify(result.state), model.manifest, 'test');
      rows.push(...(await at.text('out', `l${p}.csv`)).trimEnd().split('\n').slice(1));
    }
    expect(rows).toEqual(wholeRows);
    expect(state!.probability).toEqual(whole.state.probability);
  });
});
