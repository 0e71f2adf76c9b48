import type { S3Event } from 'aws-lambda';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { readTable } from '../../core/io';
import { confusion, rocAuc, type Confusion } from '../../core/metrics';
import { generateSensorData, sensorDataToCsv, sliceSensorData } from '../../core/synthetic';
import { createOnnxScorer } from '../../scoring/adapters/onnx-scorer';
import { startLocalS3 } from '../../storage/adapters/local-s3-server';
import { createS3ObjectStore } from '../../storage/adapters/s3-object-store';
import { createHandler } from '../../functions/handlers/score';
import { ModelRepository } from '../../storage/artifact/model-repository';
import { latestKey, LATEST_FILE, MODELS_PREFIX, versionKey, writeArtifact, writeLatest } from '../../storage/artifact/layout';
import { FileObjectStore } from '../../storage/adapters/file-object-store';
import { trainModel } from '../../training/train';
import type { ProgressMode } from '../../training/progress';
import { quietLogger, quietMetrics } from './quiet-telemetry';
import { ERRORS_SUFFIX } from '../../scoring/write-scored-output';

export interface DemoOptions {
  /** where the local S3 server keeps its files and the demo copies its outputs */
  directory: string;
  trainRows?: number;
  testRows?: number;
  epochs?: number;
  seed?: number;
  backend?: 'auto' | 'tensorflow' | 'wasm' | 'cpu';
  progress?: ProgressMode;
  log?: (line: string) => void;
}

export interface DemoReport {
  endpoint: string;
  model: { name: string; version: string; backend: string; threshold: number; trainSeconds: number };
  input: string;
  rowsIn: number;
  rowsOut: number;
  rowsRejected: number;
  anomaliesFlagged: number;
  injectedAnomalies: number;
  auc: number;
  detection: Confusion;
  scoreSeconds: number;
  files: { results: string; summary: string; errors: string | null };
}

export const BUCKETS = { raw: 'residual-raw', results: 'residual-results', models: 'residual-models' };
const MODEL = 'sensors';

/**
 * The whole loop on this machine: local S3 → seeded sensor data → dense-ae trained with tfjs → ONNX →
 * published to the models bucket → a CSV lands under incoming/ → the S3 notification drives the real
 * Lambda handler → results, summary and error report in the results bucket → scored against the truth.
 */
export async function runDemoPipeline(options: DemoOptions): Promise<DemoReport> {
  const log = options.log ?? (() => undefined);
  const dir = resolve(options.directory);
  await rm(dir, { recursive: true, force: true });
  const s3 = await startLocalS3({ directory: join(dir, 's3'), buckets: Object.values(BUCKETS) });
  try {
    log(`local S3 (s3rver) on ${s3.endpoint}, buckets ${Object.values(BUCKETS).join(', ')}`);
    // streamed GETs get their own socket pool: concurrent notifications cannot deadlock the pipeline
    const store = createS3ObjectStore({ endpoint: s3.endpoint });
    const seed = options.seed ?? 7;
    const trainRows = options.trainRows ?? 6000;
    // one plant, one series: a clean stretch to train on, then a stretch with injected anomalies to score
    const series = generateSensorData({
      rows: trainRows + (options.testRows ?? 3000),
      seed,
      anomalies: true,
      anomaliesFrom: trainRows,
      missingStretchRate: 0.003,
    });
    const train = sliceSensorData(series, 0, trainRows);
    const test = sliceSensorData(series, trainRows, series.timestamps.length);
    const features = train.columns.slice(1);

    log(`training dense-ae on ${train.timestamps.length} rows × ${features.length} sensors`);
    const t0 = performance.now();
    const result = await trainModel({
      kind: 'dense-ae',
      name: MODEL,
      data: { features, values: Float32Array.from(train.values) },
      epochs: options.epochs ?? 60,
      seed,
      backend: options.backend ?? 'auto',
      threshold: 'percentile:99.9',
      progress: options.progress ?? 'auto',
    });
    const trainSeconds = (performance.now() - t0) / 1000;
    const { manifest, onnx } = result;
    result.zoo.dispose();
    // a local copy of the artifact and of the input, so the CLI can be tried on them afterwards
    const artifact = { manifest, onnx: onnx!, extraFiles: result.extraFiles };
    await writeArtifact(new FileObjectStore(), { bucket: '', key: join(dir, 'model') }, artifact);
    const base = versionKey(MODELS_PREFIX, MODEL, manifest.version);
    await writeArtifact(store, { bucket: BUCKETS.models, key: base }, artifact);
    await writeLatest(store, { bucket: BUCKETS.models, key: latestKey(MODELS_PREFIX, MODEL) }, manifest.version);
    const threshold = manifest.threshold.value.toPrecision(4);
    log(`published s3://${BUCKETS.models}/${base} (backend ${manifest.training.backend}, threshold ${threshold}) and moved ${LATEST_FILE}`);

    const models = new ModelRepository({ store, bucket: BUCKETS.models, createScorer: (bytes, m) => createOnnxScorer(bytes, m) });
    const handler = createHandler({ store, models, resultsBucket: BUCKETS.results }, quietLogger(), quietMetrics());
    const handled = new Promise<S3Event>((resolveEvent, reject) => {
      s3.onObjectCreated((event) => {
        if (event.Records[0]?.s3.bucket.name !== BUCKETS.raw) return;
        handler(event).then(() => resolveEvent(event), reject);
      });
    });
    const inputKey = `incoming/${MODEL}/2026/02/plant floor readings.csv`;
    const inputCsv = withMalformedRows(sensorDataToCsv(test));
    await mkdir(join(dir, 'input'), { recursive: true });
    await writeFile(join(dir, 'input', 'readings.csv'), inputCsv);
    const t1 = performance.now();
    await store.put({ bucket: BUCKETS.raw, key: inputKey }, inputCsv, { contentType: 'text/csv' });
    log(`uploaded s3://${BUCKETS.raw}/${inputKey}; the S3 notification invokes the scoring handler`);
    await handled;
    const scoreSeconds = (performance.now() - t1) / 1000;

    const resultKey = `results/${MODEL}/${manifest.version}/2026/02/plant floor readings.csv`;
    const out = join(dir, 'results');
    await mkdir(out, { recursive: true });
    const files = { results: join(out, 'results.csv'), summary: join(out, 'results.csv.summary.json'), errors: null as string | null };
    const resultBytes = await store.getBytes({ bucket: BUCKETS.results, key: resultKey });
    await writeFile(files.results, resultBytes);
    const summaryText = new TextDecoder().decode(await store.getBytes({ bucket: BUCKETS.results, key: `${resultKey}.summary.json` }));
    await writeFile(files.summary, summaryText);
    const summary = JSON.parse(summaryText) as {
      rows_in: number;
      rows_out: number;
      rows_rejected: number;
      anomalies: number;
      errors: string | null;
    };
    if (summary.errors) {
      files.errors = join(out, `results.csv${ERRORS_SUFFIX}`);
      await writeFile(files.errors, await store.getBytes({ bucket: BUCKETS.results, key: `${resultKey}${ERRORS_SUFFIX}` }));
    }
    const { flags, scores } = await readDetections(resultBytes);
    return {
      endpoint: s3.endpoint,
      model: {
        name: MODEL,
        version: manifest.version,
        backend: manifest.training.backend,
        threshold: manifest.threshold.value,
        trainSeconds,
      },
      input: `s3://${BUCKETS.raw}/${inputKey}`,
      rowsIn: summary.rows_in,
      rowsOut: summary.rows_out,
      rowsRejected: summary.rows_rejected,
      anomaliesFlagged: summary.anomalies,
      injectedAnomalies: test.labels.reduce((a, b) => a + b, 0),
      auc: rocAuc(scores, test.labels),
      detection: confusion(flags, test.labels),
      scoreSeconds,
      files,
    };
  } finally {
    await s3.close();
  }
}

/** Real feeds are not clean: three broken records that the handler must reject and report, not drop silently. */
function withMalformedRows(csv: string): string {
  const lines = csv.split('\n');
  const width = lines[0]!.split(',').length;
  const bad = [
    ['2026-02-01T08:20:30Z', ...Array.from({ length: width - 2 }, () => '1.0'), 'n/a'].join(','),
    ['2026-02-02T01:10:30Z', '3.5', '4.5'].join(','),
    ['2026-02-02T17:45:30Z', ...Array.from({ length: width - 1 }, () => '2.0'), '9.9'].join(','),
  ];
  for (const [i, line] of [[2500, bad[2]!], [1500, bad[1]!], [500, bad[0]!]] as const) lines.splice(i, 0, line);
  return lines.join('\n');
}

async function readDetections(csv: Uint8Array): Promise<{ flags: number[]; scores: number[] }> {
  const flags: number[] = [];
  const scores: number[] = [];
  for await (const chunk of readTable((async function* () { yield csv; })(), { format: 'csv' })) {
    const s = chunk.columns.indexOf('anomaly_score');
    const f = chunk.columns.indexOf('is_anomaly');
    for (const row of chunk.rows) {
      flags.push(Number(row.cells[f]));
      scores.push(Number(row.cells[s] ?? NaN));
    }
  }
  return { flags, scores };
}
