/**
 * What the per-series state adds to a scoring invocation (issue 12.5: target ≤ 50 ms): the read at the start
 * (GET with its ETag) and the conditional write at the end (PUT If-Match), as functions/services/series-state-store.ts
 * does them, against s3rver (in its own process, as bench/score/handler-s3rver.ts runs it) and moto, one series at a
 * time and 8 series at once. The state is the size a windowed model needs: a 64-row window over 16 features
 * (63 × 16 tail numbers) and a probability model's snapshot, twice (state and previous).
 *
 *   npx tsx bench/score/state-bench.ts [iterations=200]
 */
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createS3Client } from '../../storage/adapters/s3-client';
import { S3ObjectStore } from '../../storage/adapters/s3-object-store';
import type { ObjectStore } from '../../storage/object-store';
import { loadSeriesState, saveSeriesState } from '../../functions/services/series-state-store';
import { motoAvailable, startMoto } from '../../test/e2e/moto-server';
import { startS3rverProcess } from './handler-s3rver';

const model = { name: 'plant', version: 'v1' };
const state = (rows: number) => ({
  schema: 1, model, last_time: '2026-12-02T01:00:00Z', last_time_ms: rows * 60_000, rows_seen: rows,
  window_tail: Array.from({ length: 63 * 16 }, (_, i) => Math.sin(i + rows) * 100),
  probability: { mean: 0.31, m2: 0.07, window: Array.from({ length: 128 }, (_, i) => Math.cos(i) ** 2) },
});
const isAny = (v: unknown): v is ReturnType<typeof state> => typeof v === 'object' && v !== null;

/** One invocation's state traffic for object `i` of `series`; returns [read ms, write ms]. */
async function invocation(store: ObjectStore, series: string, i: number): Promise<[number, number]> {
  const object = { key: `incoming/plant/${series}/${String(i).padStart(6, '0')}.csv`, version: null, first_time_ms: i * 100 };
  let t = performance.now();
  const loaded = await loadSeriesState(store, { bucket: 'results', model, series }, object, isAny);
  const read = performance.now() - t;
  t = performance.now();
  await saveSeriesState(store, loaded, { ...object, last_time_ms: i * 100 + 99 }, state(i));
  return [read, performance.now() - t];
}

const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
const fmt = (xs: number[]) =>
  `p50 ${q(xs, 0.5).toFixed(1)}  p95 ${q(xs, 0.95).toFixed(1)}  p99 ${q(xs, 0.99).toFixed(1)}  max ${Math.max(...xs).toFixed(1)}`;

async function measure(name: string, store: ObjectStore, iterations: number): Promise<void> {
  for (let i = 0; i < 20; i++) await invocation(store, 'warm', i);
  const one: number[][] = [];
  for (let i = 0; i < iterations; i++) one.push(await invocation(store, 'solo', i));
  const many: number[][] = [];
  await Promise.all(Array.from({ length: 8 }, async (_, s) => {
    for (let i = 0; i < iterations / 4; i++) many.push(await invocation(store, `par${s}`, i));
  }));
  // the floor, measured side by side: a plain GET + PUT of a 100-byte object (what any two requests cost on this server)
  const floor: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    await store.getTagged({ bucket: 'results', key: 'floor.json' });
    await store.put({ bucket: 'results', key: 'floor.json' }, 'x'.repeat(100));
    floor.push(performance.now() - t);
  }
  const bytes = JSON.stringify(state(1)).length * 2;
  console.log(`${name} (state record ≈ ${(bytes / 1024).toFixed(0)} KiB), ms per invocation:`);
  const row = (xs: number[][]) =>
    `read ${fmt(xs.map((x) => x[0]!))} | write ${fmt(xs.map((x) => x[1]!))} | total ${fmt(xs.map((x) => x[0]! + x[1]!))}`;
  console.log(`  1 series:  ${row(one)}`);
  console.log(`  floor (100-byte GET + PUT, same server): ${fmt(floor)}`);
  console.log(`  8 at once: ${row(many)}`);
}

async function main() {
  const iterations = Number(process.argv[2] ?? 200);
  const dir = await mkdtemp(join(tmpdir(), 'residual-state-bench-'));
  const s3 = await startS3rverProcess(dir, ['results']);
  try {
    await measure('s3rver (own process)', new S3ObjectStore(createS3Client({ endpoint: s3.endpoint })), iterations);
  } finally {
    await s3.close();
    await rm(dir, { recursive: true, force: true });
  }
  if (!motoAvailable()) return console.log('moto: not installed, skipped');
  const moto = await startMoto();
  try {
    const client = createS3Client({ endpoint: moto.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    await client.send(new CreateBucketCommand({ Bucket: 'results' }));
    await measure('moto (own process, conditional writes honoured)', new S3ObjectStore(client), iterations);
  } finally {
    await moto.stop();
  }
}

void main();
