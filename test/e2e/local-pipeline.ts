import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Event } from 'aws-lambda';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { createOnnxScorer } from '../../scoring/adapters/onnx-scorer';
import { startLocalS3, type LocalS3 } from '../../storage/adapters/local-s3-server';

import { createS3ObjectStore, type S3ObjectStore } from '../../storage/adapters/s3-object-store';
import { createHandler } from '../../functions/handlers/score';
import { ModelRepository } from '../../storage/artifact/model-repository';
import type { ObjectStore } from '../../storage/object-store';
import { quietLogger, quietMetrics } from '../../cli/demo/quiet-telemetry';
import { fixedModelArtifact, type FixedModelOptions } from '../scoring/fixtures/fixed-model';

export const RAW = 'raw';
export const RESULTS = 'results';
export const MODELS = 'models';

/** Publishes a model artifact the way the training job does: files under models/<name>/<version>/, then LATEST. */
export async function publishModel(
  store: ObjectStore,
  options: FixedModelOptions & { name: string; version: string },
  latest = true,
): Promise<void> {
  const { manifest, onnx } = await fixedModelArtifact(options);
  const base = `models/${options.name}/${options.version}/`;
  await store.put({ bucket: MODELS, key: `${base}model.onnx` }, onnx);
  await store.put({ bucket: MODELS, key: `${base}manifest.json` }, JSON.stringify(manifest));
  if (latest) await store.put({ bucket: MODELS, key: `models/${options.name}/LATEST` }, options.version);
}

export interface LocalPipeline {
  s3: LocalS3;
  store: S3ObjectStore;
  handler: ReturnType<typeof createHandler>;
  /** Uploads an object and waits until the handler has processed the S3 notification it caused. */
  upload(key: string, body: string | Uint8Array, metadata?: Record<string, string>): Promise<{ event: S3Event; result: unknown }>;
  text(bucket: string, key: string): Promise<string>;
  exists(bucket: string, key: string): Promise<boolean>;
  close(): Promise<void>;
}

/** s3rver on loopback with raw/results/models buckets, and the real handler subscribed to its notifications. */
export async function startLocalPipeline(
  options: { maxDecompressedBytes?: number; keepAliveTimeoutMs?: number } = {},
  logger: Logger = quietLogger(),
  metrics: Metrics = quietMetrics(),
): Promise<LocalPipeline> {
  const dir = await mkdtemp(join(tmpdir(), 'residual-e2e-'));
  const s3 = await startLocalS3({ directory: dir, buckets: [RAW, RESULTS, MODELS], keepAliveTimeoutMs: options.keepAliveTimeoutMs });
  const store = createS3ObjectStore({ endpoint: s3.endpoint });
  const models = new ModelRepository({ store, bucket: MODELS, createScorer: (bytes, m) => createOnnxScorer(bytes, m), latestTtlMs: 0 });
  const handler = createHandler(
    { store, models, resultsBucket: RESULTS, maxDecompressedBytes: options.maxDecompressedBytes },
    logger,
    metrics,
  );
  const waiting = new Map<string, (v: { event: S3Event; result: unknown }) => void>();
  s3.onObjectCreated((event) => {
    const record = event.Records[0]!;
    if (record.s3.bucket.name !== RAW) return;
    const plain = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    void handler(event).then(
      (result) => waiting.get(plain)?.({ event, result }),
      (err) => waiting.get(plain)?.({ event, result: err }),
    );
  });
  return {
    s3,
    store,
    handler,
    upload(key, body, metadata) {
      const done = new Promise<{ event: S3Event; result: unknown }>((resolve) => waiting.set(key, resolve));
      return store.put({ bucket: RAW, key }, body, { metadata }).then(() => done);
    },
    async text(bucket, key) {
      return new TextDecoder().decode(await store.getBytes({ bucket, key }));
    },
    async exists(bucket, key) {
      try {
        await store.getBytes({ bucket, key });
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await s3.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
