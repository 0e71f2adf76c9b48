// Rebuilds the example model committed in models/: `npx tsx models/build-examples.ts`.
// Seeded: the same backend gives the same weights (the manifest records which backend trained it).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSensorData, sensorDataToCsv, sliceSensorData } from '../core/synthetic';
import { trainModel } from '../training/train';
import { FileObjectStore } from '../storage/adapters/file-object-store';
import { writeArtifact } from '../storage/artifact/layout';

export const EXAMPLE_SEED = 7;
export const EXAMPLE_TRAIN_ROWS = 6000;

/** The demo's plant: 6,000 clean training rows, then 3,000 rows with injected anomalies. */
export function exampleSeries() {
  const series = generateSensorData({
    rows: EXAMPLE_TRAIN_ROWS + 3000,
    seed: EXAMPLE_SEED,
    anomalies: true,
    anomaliesFrom: EXAMPLE_TRAIN_ROWS,
    missingStretchRate: 0.003,
  });
  return {
    train: sliceSensorData(series, 0, EXAMPLE_TRAIN_ROWS),
    test: sliceSensorData(series, EXAMPLE_TRAIN_ROWS, series.timestamps.length),
  };
}

async function main(): Promise<void> {
  const { train, test } = exampleSeries();
  const result = await trainModel({
    kind: 'dense-ae',
    name: 'sensors',
    version: '1',
    data: { features: train.columns.slice(1), values: Float32Array.from(train.values) },
    epochs: 60,
    seed: EXAMPLE_SEED,
    backend: 'wasm',
    threshold: 'percentile:99.9',
    progress: 'lines',
  });
  const dir = join(__dirname, 'sensors');
  const files = { manifest: result.manifest, onnx: result.onnx!, extraFiles: result.extraFiles };
  await writeArtifact(new FileObjectStore(), { bucket: '', key: dir }, files);
  writeFileSync(
    join(__dirname, 'sensors-sample.csv'),
    sensorDataToCsv({
      ...test,
      timestamps: test.timestamps.slice(0, 1000),
      values: test.values.slice(0, 1000 * test.sensors),
      labels: test.labels.slice(0, 1000),
    }),
  );
  result.zoo.dispose();
  process.stdout.write(`wrote ${dir} (threshold ${result.manifest.threshold.value})\n`);
}

if (require.main === module) void main();
