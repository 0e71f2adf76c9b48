// Issue 12.5: the Lambda's path (scoreObject) keeps a series' state across objects: a windowed model with a time
// column scoring one series as 10 objects under incoming/<model>/<series>/ writes the rows of scoring it at once.
import { createOnnxScorer } from '../../scoring/adapters/onnx-scorer';
import type { LoadedModel } from '../../scoring/batch-scorer';
import { scoreObject } from '../../functions/services/score-object';
import { ModelRepository } from '../../storage/artifact/model-repository';
import { fixedModelArtifact } from '../scoring/fixtures/fixed-model';
import { tempStore, type TempStore } from '../scoring/fixtures/scoring-run';

const N = 120;
const minute = (i: number) => new Date(Date.UTC(2014, 1, 14, 0, i)).toISOString().replace('T', ' ').slice(0, 19);
const rows = Array.from({ length: N }, (_, i) => `${minute(i)},${(Math.sin(i / 5) + (i >= 70 && i < 73 ? 5 : 0)).toFixed(4)},1`);
const csv = (body: string[]) => `ts,a,b\n${body.join('\n')}\n`;

let at: TempStore;
const loaded: LoadedModel[] = [];
let repo: ModelRepository;

beforeAll(async () => {
  at = await tempStore();
  const { manifest, onnx } = await fixedModelArtifact({ features: ['a', 'b'], window: 5, threshold: 1.5, version: 'v1' });
  for (const [name, m] of [['plant', { ...manifest, name: 'plant', time_column: 'ts' }], ['rowsplant', null]] as const) {
    if (m === null) {
      const rowsModel = await fixedModelArtifact({ features: ['a', 'b'], threshold: 1.5, version: 'v1' });
      await at.write('models', `models/${name}/v1/manifest.json`, JSON.stringify({ ...rowsModel.manifest, name }));
      await at.write('models', `models/${name}/v1/model.onnx`, rowsModel.onnx);
    } else {
      await at.write('models', `models/${name}/v1/manifest.json`, JSON.stringify(m));
      await at.write('models', `models/${name}/v1/model.onnx`, onnx);
    }
    await at.write('models', `models/${name}/LATEST`, 'v1\n');
  }
  repo = new ModelRepository({ store: at.store, bucket: 'models', createScorer: (bytes, m) => createOnnxScorer(bytes, m) });
});
afterAll(() => Promise.all([...new Set(loaded.map((m) => m.scorer))].map((s) => s.release())));

async function score(key: string, body: string) {
  await at.write('raw', key, body);
  const load = async (name: string, version?: string) => {
    const m = await repo.load(name, version);
    loaded.push(m);
    return m;
  };
  return scoreObject({ bucket: 'raw', key }, { store: at.store, models: { load }, resultsBucket: 'results' });
}
const lines = async (key: string) => (await at.text('results', key)).trimEnd().split('\n').slice(1);

/**
 * Rows equal up to float32 rounding in the model's outputs (anomaly_score, anomaly_probability, top_errors):
 * onnxruntime's kernels may sum in another order for another batch size (docs/contract.md, "Series state").
 */
function expectSameRows(actual: string[], expected: string[]): void {
  expect(actual).toHaveLength(expected.length);
  const near = (a: string, b: string) => a === b || Math.abs(Number(a) - Number(b)) <= 1e-6 * Math.max(1, Math.abs(Number(b)));
  actual.forEach((line, i) => {
    const [a, b] = [line.split(','), expected[i]!.split(',')];
    expect(a.length).toBe(b.length);
    // ts, a, b, anomaly_score, anomaly_probability, is_anomaly, top_features, top_errors
    expect([a[0], a[1], a[2], a[5], a[6]]).toEqual([b[0], b[1], b[2], b[5], b[6]]);
    for (const j of [3, 4]) if (!near(a[j]!, b[j]!)) expect(`${i}:${a[j]}`).toBe(`${i}:${b[j]}`);
    const [ea, eb] = [a[7]!.split(';'), b[7]!.split(';')];
    ea.forEach((e, k) => { if (!near(e, eb[k]!)) expect(`${i}:${a[7]}`).toBe(`${i}:${b[7]}`); });
  });
}

test('a windowed time-series model: 10 objects of one series give the rows of the series at once; redelivery changes nothing', async () => {
  expect(await score('incoming/plant/whole.csv', csv(rows))).toMatchObject({ status: 'scored', summary: { series_state: null } });
  const whole = await lines('results/plant/v1/whole.csv');
  expect(whole).toHaveLength(N);
  const cuts = [0, 2, 9, 30, 31, 50, 71, 72, 90, 111, N];
  const pieces: string[] = [];
  for (let p = 0; p < 10; p++) {
    const key = `incoming/plant/pump/${String(p).padStart(2, '0')}.csv`;
    const outcome = await score(key, csv(rows.slice(cuts[p], cuts[p + 1])));
    expect(outcome).toMatchObject({ status: 'scored', summary: { series_state: { use: p === 0 ? 'fresh' : 'resume' } } });
    pieces.push(...(await lines(`results/plant/v1/pump/${String(p).padStart(2, '0')}.csv`)));
  }
  expectSameRows(pieces, whole);
  expect(whole.filter((l) => l.split(',')[5] === '1').length).toBeGreaterThan(0);
  expect(await at.exists('results', 'state/plant/v1/pump.json')).toBe(true);
  // the last object again (at-least-once delivery): replayed from the state before it, same output
  const last = await lines('results/plant/v1/pump/09.csv');
  expect(await score('incoming/plant/pump/09.csv', csv(rows.slice(cuts[9], cuts[10])))).toMatchObject({
    status: 'scored', summary: { series_state: { use: 'replay', updates_state: false } },
  });
  expect(await lines('results/plant/v1/pump/09.csv')).toEqual(last);
});

test('a rows model with the stateless tail probability scores each object on its own and writes no state', async () => {
  const outcome = await score('incoming/rowsplant/pump/01.csv', csv(rows.slice(0, 10)));
  expect(outcome).toMatchObject({ status: 'scored', summary: { series_state: null } });
  expect(await at.exists('results', 'state/rowsplant/v1/pump.json')).toBe(false);
});
