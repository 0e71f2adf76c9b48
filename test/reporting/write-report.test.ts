import { cp, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileObjectStore } from '../../storage/adapters/file-object-store';
import { createOnnxScorer } from '../../scoring/adapters/onnx-scorer';
import { loadModelArtifact } from '../../storage/artifact/load-model-artifact';
import { wantsReport, METADATA_REPORT } from '../../functions/services/report-request';
import { scoreObject } from '../../functions/services/score-object';
import { writeReportBeside } from '../../functions/services/write-report';

/** The scorer's report hook on a real local object store, the example model and real onnxruntime sessions. */
const MODEL = join(__dirname, '../../models/sensors');
const SAMPLE = join(__dirname, '../../models/sensors-sample.csv');
let root: string;
let store: FileObjectStore;

async function modelWith(report: boolean | undefined): Promise<string> {
  const dir = join(root, `model-${String(report)}`);
  await cp(MODEL, dir, { recursive: true });
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
  if (report !== undefined) manifest.training.config.report = report;
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
  return dir;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'residual-write-report-'));
  store = new FileObjectStore(root);
  await mkdir(join(root, 'in', 'incoming', 'sensors'), { recursive: true });
  await cp(SAMPLE, join(root, 'in', 'incoming', 'sensors', 'day.csv'));
});

const deps = (modelDir: string) => ({
  store,
  resultsBucket: 'out',
  models: { load: () => loadModelArtifact(new FileObjectStore(), { bucket: '', key: modelDir }, (onnx, m) => createOnnxScorer(onnx, m)) },
});

describe('the scorer writes <output>.report.html when asked', () => {
  test('a model trained with report: true gets a self-contained report beside each result', async () => {
    const outcome = await scoreObject({ bucket: 'in', key: 'incoming/sensors/day.csv' }, deps(await modelWith(true)));
    expect(outcome.status).toBe('scored');
    const html = await readFile(join(root, 'out', 'results', 'sensors', '1', 'day.csv.report.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('Anomaly report: s3://out/results/sensors/1/day.csv');
    expect((html.match(/<svg /g) ?? []).length).toBeGreaterThanOrEqual(4);
    expect(html).not.toMatch(/<script|src="http|href="http/);
    expect(Buffer.byteLength(html)).toBeLessThan(1024 * 1024);
  });

  test('without a request no report is written (and the plotting code is not needed)', async () => {
    await cp(SAMPLE, join(root, 'in', 'incoming', 'sensors', 'day2.csv'));
    const outcome = await scoreObject({ bucket: 'in', key: 'incoming/sensors/day2.csv' }, deps(await modelWith(undefined)));
    expect(outcome.status).toBe('scored');
    const results = join(root, 'out', 'results', 'sensors', '1');
    expect((await readFile(join(results, 'day2.csv'), 'utf8')).length).toBeGreaterThan(1000);
    await expect(readFile(join(results, 'day2.csv.report.html'), 'utf8')).rejects.toThrow(/ENOENT/);
  });

  test('object metadata overrides the manifest either way', () => {
    const m = { training: { config: { report: true } } } as never;
    expect(wantsReport(m, {})).toBe(true);
    expect(wantsReport(m, { [METADATA_REPORT]: 'false' })).toBe(false);
    expect(wantsReport({ training: { config: {} } } as never, { [METADATA_REPORT]: 'true' })).toBe(true);
    expect(wantsReport({ training: { config: {} } } as never, {})).toBe(false);
  });

  test('a report that cannot be made leaves a page saying why, and over the size bound none is drawn', async () => {
    const modelDir = await modelWith(true);
    const model = await loadModelArtifact(new FileObjectStore(), { bucket: '', key: modelDir }, (onnx, m) => createOnnxScorer(onnx, m));
    await model.scorer.release();
    const input = { bucket: 'in', key: 'incoming/sensors/day.csv', format: 'csv' as const, gzip: false };
    // the input has no anomaly_score column: a detect report of it cannot be made
    const manifest = model.manifest;
    const failed = await writeReportBeside({ store, output: input, outputFormat: 'csv', mode: 'detect', manifest, input });
    expect(failed).toMatchObject({ status: 'failed', reason: expect.stringMatching(/no column 'anomaly_score'/) });
    expect(await readFile(join(root, 'in', 'incoming', 'sensors', 'day.csv.report.html'), 'utf8')).toMatch(/report could not be made/);
    const output = { bucket: 'out', key: 'results/sensors/1/day.csv' };
    const big = await writeReportBeside({ store, output, outputFormat: 'csv', mode: 'detect', manifest, input, maxBytes: 1000 });
    expect(big).toMatchObject({ status: 'failed', reason: expect.stringMatching(/over the limit of 1000/) });
  });
});
