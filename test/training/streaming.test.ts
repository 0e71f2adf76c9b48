import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashTrainingRows } from '../../core/data-hash';
import { InputError } from '../../core/errors';
import { Rng } from '../../core/rng';
import { fitScaler, SCALER_KINDS } from '../../core/scaler';
import { FileObjectStore } from '../../storage/adapters/file-object-store';
import { startLocalS3 } from '../../storage/adapters/local-s3-server';
import { createS3Client } from '../../storage/adapters/s3-client';
import { S3ObjectStore } from '../../storage/adapters/s3-object-store';
import { prepareSamples } from '../../training/dataset';
import { readTrainingData } from '../../training/read-training-data';
import { scoreSamples } from '../../training/score';
import { loadTrainingInput } from '../../training/streaming/load-training-input';
import { streamedSamples } from '../../training/streaming/streamed-samples';
import { streamTrainingRows } from '../../training/streaming/stream-training-rows';
import { trainModel } from '../../training/train';
import { runMain } from '../cli/cli-harness';
import { auc, correlatedRows } from './synthetic';

/** Training beyond memory (training/streaming) against the in-memory path, on small tables written here. */
describe('streamed training', () => {
  const dir = mkdtempSync(join(tmpdir(), 'residual-stream-'));
  const store = new FileObjectStore();
  const at = (name: string) => ({ bucket: '', key: join(dir, name) });
  const F = 5;
  const train = correlatedRows(6_000, F, 3);
  const labelled = correlatedRows(2_000, F, 4, 200);

  /** rows as CSV, with a missing cell every 37th row and one row of text a reader rejects */
  function writeCsv(name: string, values: Float32Array, features: string[]): string {
    const lines = [features.join(',')];
    for (let r = 0; r < values.length / F; r++) {
      const cells = Array.from(values.subarray(r * F, r * F + F), (v, j) => (r % 37 === j ? '' : String(v)));
      lines.push(cells.join(','));
      if (r === 5000) lines.push(`x${',1'.repeat(F - 1)}`);
    }
    const file = join(dir, name);
    writeFileSync(file, lines.join('\n') + '\n');
    return file;
  }
  const csv = writeCsv('train.csv', train.values, train.features);

  test('one streaming pass gives the in-memory scalers (standard, minmax, global to the bit), data hash and counts', async () => {
    const memory = await readTrainingData(store, at('train.csv'));
    const streamed = await streamTrainingRows(store, at('train.csv'), {}, { shardRows: 700, tempDir: dir, sampleRows: 20_000 });
    try {
      expect(streamed.features).toEqual(memory.features);
      expect(streamed.rows).toBe(memory.values.length / F);
      expect(streamed.rejectedRows).toBe(memory.rejectedRows);
      expect(streamed.rejectedRows).toBe(1);
      expect(streamed.dataHash).toBe(hashTrainingRows(memory.features, memory.values));
      for (const kind of SCALER_KINDS) {
        const want = fitScaler(memory.values, F, kind);
        const got = streamed.stats.scaler(kind, streamed.sample);
        if (kind === 'robust') {
          // the median and IQR of the training rows' sample (the held-out fifth is not in it): close, not equal
          got.offset.forEach((o, j) => expect(Math.abs(o - want.offset[j]!)).toBeLessThan(0.05 * want.scale[j]!));
          got.scale.forEach((s, j) => expect(Math.abs(s / want.scale[j]! - 1)).toBeLessThan(0.05));
        } else expect(got).toEqual(want);
      }
      // every row is either held out or in exactly one shard
      const sharded = streamed.shards.rows.reduce((a, b) => a + b, 0);
      expect(sharded + streamed.heldOut).toBe(streamed.rows);
      expect(streamed.heldOut / streamed.rows).toBeGreaterThan(0.17);
      expect(streamed.heldOut / streamed.rows).toBeLessThan(0.23);
    } finally {
      streamed.dispose();
    }
    expect(existsSync(streamed.shards.dir)).toBe(false);
  });

  test('memory stays within the row budget: shard buffers, the two samples and a chunk in the pass; one shard an epoch', async () => {
    const long = correlatedRows(40_000, F, 8);
    writeCsv('long.csv', long.values, long.features);
    const streamed = await streamTrainingRows(store, at('long.csv'), {}, {
      shardRows: 2000, validationRows: 200, sampleRows: 200, bufferBytes: 64 << 10, tempDir: dir,
    });
    try {
      const shards = streamed.shards.files.length;
      expect(shards).toBeGreaterThan(10);
      // a row budget, not a time: a chunk (4,096 rows), the samples, the write buffers (64 KiB, at least 64 rows a
      // shard); far below the table's 40,000
      expect(streamed.peakRowsHeld).toBeLessThanOrEqual(4096 + 200 + 200 + Math.max(64 * shards, (64 << 10) / (4 * F)));
      expect(streamed.peakRowsHeld).toBeLessThan(streamed.rows / 3);
      expect(streamed.validation.length / F).toBe(200);
      const { train: feed } = streamedSamples(streamed, streamed.stats.scaler('standard', streamed.sample));
      const buffers = { x: new Float32Array(64 * F), m: new Float32Array(64 * F) };
      const fill = feed.epoch(new Rng(1), 64);
      const seen = new Set<string>();
      for (let s = 0; s < Math.floor(feed.count / 64); s++) {
        fill(s, buffers.x, buffers.m, null, null);
        seen.add(Array.from(buffers.x.subarray(0, F)).join());
      }
      expect(feed.peakRowsHeld).toBe(Math.max(...streamed.shards.rows));
      expect(feed.peakRowsHeld).toBeLessThan(feed.count / 3);
      expect(seen.size).toBeGreaterThan(100);
    } finally {
      streamed.dispose();
    }
  });

  test('a dense-ae trained streamed (many shards) detects as well as one trained in memory', async () => {
    const memory = await readTrainingData(store, at('train.csv'));
    const streamed = await loadTrainingInput(store, at('train.csv'), {}, { streaming: 'on', shardRows: 500, tempDir: dir });
    expect(streamed.streamed).toBeDefined();
    const options = { kind: 'dense-ae' as const, epochs: 10, seed: 5, progress: 'none' as const };
    const a = await trainModel({ ...options, data: memory });
    const b = await trainModel({ ...options, data: streamed });
    streamed.streamed!.dispose();
    try {
      const score = (r: typeof a) => scoreSamples(r.zoo, prepareSamples(labelled.values, F, r.manifest.scaler, 'rows', null));
      const aucMemory = auc(score(a), labelled.labels);
      const aucStreamed = auc(score(b), labelled.labels);
      expect(aucMemory).toBeGreaterThan(0.9);
      expect(aucStreamed).toBeGreaterThan(0.9);
      expect(Math.abs(aucStreamed - aucMemory)).toBeLessThan(0.03);
      expect(b.manifest.scaler).toEqual(a.manifest.scaler);
      expect(b.manifest.training.data_rows).toBe(a.manifest.training.data_rows);
      expect(b.manifest.training.data_hash).toBe(a.manifest.training.data_hash);
      const trainedOn = b.manifest.training.config.train_samples as number;
      expect(trainedOn / a.manifest.training.data_rows).toBeGreaterThan(0.75);
      // the held-out rows' error, on the same labelled normal rows: alike (same model and data, other shuffles)
      const normal = (r: typeof a) => {
        const scores = score(r);
        let sum = 0;
        let n = 0;
        scores.forEach((v, i) => (labelled.labels[i] ? undefined : ((sum += v), n++)));
        return sum / n;
      };
      expect(Math.abs(normal(b) / normal(a) - 1)).toBeLessThan(0.5);
    } finally {
      a.zoo.dispose();
      b.zoo.dispose();
    }
  }, 60_000);

  test('an s3:// table (s3rver) streams to the same statistics and rows as the local file', async () => {
    const s3 = await startLocalS3({ directory: mkdtempSync(join(dir, 's3-')), buckets: ['data'] });
    try {
      const remote = new S3ObjectStore(createS3Client({ endpoint: s3.endpoint }));
      await remote.put({ bucket: 'data', key: 'train.csv' }, readFileSync(csv));
      const local = await streamTrainingRows(store, at('train.csv'), {}, { tempDir: dir, shardRows: 1000 });
      const fromS3 = await streamTrainingRows(remote, { bucket: 'data', key: 'train.csv' }, {}, { tempDir: dir, shardRows: 1000 });
      expect(fromS3.dataHash).toBe(local.dataHash);
      expect(fromS3.rows).toBe(local.rows);
      expect(fromS3.stats.scaler('standard', fromS3.sample)).toEqual(local.stats.scaler('standard', local.sample));
      expect(fromS3.shards.rows).toEqual(local.shards.rows);
      local.dispose();
      fromS3.dispose();
    } finally {
      await s3.close();
    }
  });

  test('auto streams only a large table of a row model; on refuses windows', async () => {
    expect((await loadTrainingInput(store, at('train.csv'), {})).streamed).toBeUndefined();
    expect((await loadTrainingInput(store, at('train.csv'), {}, { streaming: 'auto', windowed: true })).streamed).toBeUndefined();
    await expect(loadTrainingInput(store, at('train.csv'), {}, { streaming: 'on', windowed: true })).rejects.toThrow(InputError);
  });

  test('residual train --streaming on writes a model and leaves no shard files', async () => {
    const tmp = mkdtempSync(join(dir, 'tmp-'));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    try {
      const out = join(dir, 'model');
      const r = await runMain(['train', '-d', csv, '-m', 'dense-ae', '-o', out, '--epochs', '2', '--streaming', 'on', '-q']);
      expect(r.code).toBe(0);
      const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
      expect(manifest.training.data_rows).toBe(6_000);
      expect(readdirSync(tmp)).toEqual([]);
    } finally {
      process.env.TMPDIR = saved;
    }
  }, 60_000);
});
