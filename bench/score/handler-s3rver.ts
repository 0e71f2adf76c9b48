import { createReadStream, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOnnxScorer } from '../../scoring/adapters/onnx-scorer';
import { spawn } from 'node:child_process';
import { createS3Client } from '../../storage/adapters/s3-client';
import { S3ObjectStore } from '../../storage/adapters/s3-object-store';
import { ModelRepository } from '../../storage/artifact/model-repository';
import { scoreObject } from '../../functions/services/score-object';
import { readArtifact } from './fixtures';

export interface HandlerBench {
  mb: number;
  putMBps: number;
  getMBps: number;
  handlerMBps: number;
  handlerSeconds: number;
}

/**
 * The scoring service against s3rver over real HTTP, beside s3rver's own ceiling measured in the same run:
 * a multipart PUT of the input (lib-storage, as the service writes) and a streamed GET of it. The server
 * runs in its own process, as S3 would be on other machines.
 */
export async function handlerAgainstS3rver(
  modelDir: string,
  csv: string,
  run: (s3: { endpoint: string }) => Promise<void> = async () => undefined,
): Promise<HandlerBench> {
  const dir = await mkdtemp(join(tmpdir(), 'residual-bench-'));
  const s3 = await startS3rverProcess(dir, ['raw', 'results', 'models']);
  try {
    const store = new S3ObjectStore(createS3Client({ endpoint: s3.endpoint }));
    const bytes = statSync(csv).size;
    const { onnx, manifest } = readArtifact(modelDir);
    await store.put({ bucket: 'models', key: `models/${manifest.name}/${manifest.version}/model.onnx` }, onnx);
    await store.put({ bucket: 'models', key: `models/${manifest.name}/${manifest.version}/manifest.json` }, JSON.stringify(manifest));
    await store.put({ bucket: 'models', key: `models/${manifest.name}/LATEST` }, manifest.version);
    const key = `incoming/${manifest.name}/bench.csv`;
    let t = performance.now();
    await store.put({ bucket: 'raw', key }, createReadStream(csv, { highWaterMark: 1 << 20 }));
    const putMBps = bytes / 1e6 / ((performance.now() - t) / 1000);
    t = performance.now();
    const got = await store.get({ bucket: 'raw', key });
    let n = 0;
    for await (const chunk of got.body) n += chunk.length;
    const getMBps = n / 1e6 / ((performance.now() - t) / 1000);
    const models = new ModelRepository({ store, bucket: 'models', createScorer: (b, m) => createOnnxScorer(b, m, { threads: 1 }) });
    await models.load(manifest.name);
    t = performance.now();
    const outcome = await scoreObject({ bucket: 'raw', key }, { store, models, resultsBucket: 'results' });
    const handlerSeconds = (performance.now() - t) / 1000;
    if (outcome.status !== 'scored') throw new Error(`benchmark object was not scored: ${JSON.stringify(outcome)}`);
    await run(s3);
    return { mb: bytes / 1e6, putMBps, getMBps, handlerMBps: bytes / 1e6 / handlerSeconds, handlerSeconds };
  } finally {
    await s3.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** s3rver in a child process (bench/score/s3rver-child.ts); resolves once it prints its endpoint. */
export async function startS3rverProcess(directory: string, buckets: string[]): Promise<{ endpoint: string; close(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/score/s3rver-child.ts', directory, ...buckets], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`s3rver child exited with ${code}`)));
    child.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim()));
  });
  return {
    endpoint,
    close: () => new Promise<void>((resolve) => {
      child.removeAllListeners('exit');
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}
