import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createS3Client } from '../../storage/adapters/s3-client';
import { S3ObjectStore } from '../../storage/adapters/s3-object-store';
import { readArtifact } from './fixtures';
import { coldStart } from './child-measures';
import { startS3rverProcess } from './handler-s3rver';

/**
 * Cold starts of two handler bundles side by side (alternating, fresh processes, one s3rver), so a shared machine's
 * load falls on both alike (bundles from bundleHandler in bench/score/child-measures.ts, e.g. of two checkouts):
 * `node --import tsx bench/score/cold-start-side-by-side.ts <modelDir> <a/index.js> <b/index.js> [runs]`.
 * Prints the median import, load (model fetch + session) and import + load of each, and b's ratio to a.
 */
async function main(): Promise<void> {
  const [modelDir, a, b, runsArg] = process.argv.slice(2);
  if (!modelDir || !a || !b) throw new Error('usage: cold-start-side-by-side.ts <modelDir> <a/index.js> <b/index.js> [runs]');
  const runs = Number(runsArg ?? 9);
  const dir = await mkdtemp(join(tmpdir(), 'residual-cold-'));
  const s3 = await startS3rverProcess(dir, ['raw', 'results', 'models']);
  try {
    const store = new S3ObjectStore(createS3Client({ endpoint: s3.endpoint }));
    const { onnx, manifest } = readArtifact(modelDir);
    const at = (file: string) => ({ bucket: 'models', key: `models/${manifest.name}/${manifest.version}/${file}` });
    await store.put(at('model.onnx'), onnx);
    await store.put(at('manifest.json'), JSON.stringify(manifest));
    await store.put({ bucket: 'models', key: `models/${manifest.name}/LATEST` }, manifest.version);
    const key = `incoming/${manifest.name}/one.csv`;
    await store.put({ bucket: 'raw', key }, `${manifest.features.join(',')}\n${manifest.features.map(() => '0.5').join(',')}\n`);
    const event = { Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'raw' }, object: { key } } }] };
    const env = {
      MODELS_BUCKET: 'models', RESULTS_BUCKET: 'results', S3_ENDPOINT: s3.endpoint,
      AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1',
    };
    const seen: Record<string, { importMs: number; loadMs: number }[]> = { a: [], b: [] };
    for (let i = 0; i < runs; i++) {
      for (const [name, bundle] of i % 2 ? [['b', b], ['a', a]] : [['a', a], ['b', b]]) {
        seen[name!]!.push(await coldStart(resolve(bundle!), env, event, manifest.name));
      }
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1]!;
    const row = (name: string) => {
      const r = seen[name]!;
      const total = median(r.map((x) => x.importMs + x.loadMs));
      return { import: median(r.map((x) => x.importMs)), load: median(r.map((x) => x.loadMs)), total };
    };
    const [ra, rb] = [row('a'), row('b')];
    const f = (x: number) => x.toFixed(1);
    for (const [name, r] of [['a', ra], ['b', rb]] as const) {
      process.stdout.write(`${name}: import ${f(r.import)} ms, load ${f(r.load)} ms, import + load ${f(r.total)} ms (median of ${runs})\n`);
    }
    process.stdout.write(`b / a: import ${(rb.import / ra.import).toFixed(2)}, import + load ${(rb.total / ra.total).toFixed(2)}\n`);
  } finally {
    await s3.close();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});
