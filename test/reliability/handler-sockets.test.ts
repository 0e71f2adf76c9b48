import { publishModel, RESULTS, startLocalPipeline, type LocalPipeline } from '../e2e/local-pipeline';

// The real handler against s3rver, in one process, with the pipeline's socket pools (16 sockets each).
// s3rver here never closes an idle keep-alive connection (keepAliveTimeoutMs 0), so a socket whose body
// nobody reads is never given back: a leak or a wait-for-a-socket-while-holding-one is a hang, not a delay
// (with Node's default 5 s idle timeout the old code took 19-21 s instead of 3-5 s, which a loaded machine
// blurs). The bounds only catch the hang: they are far above what a correct run takes even under load.
let p: LocalPipeline;
beforeAll(async () => {
  p = await startLocalPipeline({ keepAliveTimeoutMs: 0 });
  await publishModel(p.store, { name: 'plant', version: 'v1', features: ['a', 'b'], threshold: 1 });
});
afterAll(() => p.close());

const csv = (i: number) => `ts,a,b\nt1,${i % 7},1\nt2,0,0\n`;
// the fixture's empty calibration: anomaly_probability is 1 above the threshold, else 0 (the flag itself)
const flag = (i: number) => (((i % 7) ** 2 + 1) / 2 > 1 ? 1 : 0);
const HEADER = 'ts,a,b,anomaly_score,anomaly_probability,is_anomaly,top_features,top_errors';
const expected = (i: number) => `${HEADER}\nt1,${i % 7},1,${((i % 7) ** 2 + 1) / 2},` +
  `${flag(i)},${flag(i)},${i % 7 > 1 ? `a;b,${(i % 7) ** 2};1` : i % 7 === 1 ? 'a;b,1;1' : 'b;a,1;0'}\n` +
  't2,0,0,0,0,0,a;b,0;0\n';

/** Rejects when `promise` has not settled within `ms`: a hang fails the test instead of stalling the suite. */
const within = <T>(ms: number, promise: Promise<T>) => Promise.race([
  promise,
  new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still running after ${ms} ms (a socket is held)`)), ms).unref()),
]);

test('50 objects quarantined before their body is read, one after another, all finish', async () => {
  const uploads = async () => {
    // an unknown mode is found from the GET's metadata, before a byte of the body is read
    for (let i = 0; i < 50; i++) await p.upload(`incoming/plant/badmode-${i}.csv`, csv(i), { 'residual-mode': 'nonsense' });
  };
  await within(45_000, uploads());
  for (const i of [0, 49]) {
    expect(JSON.parse(await p.text(RESULTS, `quarantine/plant/badmode-${i}.csv.error.json`)).code).toBe('INVALID_INPUT');
  }
  // and the pipeline still scores
  await within(30_000, p.upload('incoming/plant/after.csv', csv(3)));
  expect(await p.text(RESULTS, 'results/plant/v1/after.csv')).toBe(expected(3));
}, 120_000);

test('50 objects quarantined for an unknown model version, one after another, all finish', async () => {
  const uploads = async () => {
    for (let i = 0; i < 50; i++) await p.upload(`incoming/plant/badversion-${i}.csv`, csv(i), { 'residual-model-version': 'v404' });
  };
  await within(45_000, uploads());
  expect(JSON.parse(await p.text(RESULTS, 'quarantine/plant/badversion-49.csv.error.json')).code).toBe('UNKNOWN_MODEL');
}, 120_000);

test('50 concurrent deliveries in one process all finish with correct outputs', async () => {
  // objects in a bucket the pipeline does not listen to, then 50 handler calls at once
  const keys = Array.from({ length: 50 }, (_, i) => `incoming/plant/many/${i}.csv`);
  await Promise.all(keys.map((key, i) => p.store.put({ bucket: RESULTS, key }, csv(i))));
  const record = (key: string) => ({ eventName: 'ObjectCreated:Put', s3: { bucket: { name: RESULTS }, object: { key } } });
  const event = (key: string) => ({ Records: [record(key)] }) as never;
  const started = Date.now();
  await within(45_000, Promise.all(keys.map((key) => p.handler(event(key)))));
  const elapsed = Date.now() - started;
  for (let i = 0; i < 50; i++) {
    expect(await p.text(RESULTS, `results/plant/v1/many/${i}.csv`)).toBe(expected(i));
    expect(JSON.parse(await p.text(RESULTS, `results/plant/v1/many/${i}.csv.summary.json`))).toMatchObject({ rows_in: 2, rows_out: 2 });
  }
  console.info(`50 concurrent deliveries: ${elapsed} ms`);
}, 120_000);

