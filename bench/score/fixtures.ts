import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { extractFeatures, readTable } from '../../core/io';
import { trainModel } from '../../training/train';
import { ensureBenchCsv } from '../parse-bench';

export const BENCH_DIR = '.bench';

/** The benchmark CSV (100,000 × 140 standard-normal values, ~128 MB), generated once under .bench/. */
export const benchCsv = (rows = 100_000, columns = 140) => ensureBenchCsv(rows, columns, BENCH_DIR);

/**
 * A dense-ae of the shape (140-64-16-64-140) trained briefly on the first 5,000 rows of the
 * benchmark CSV and exported through residual's own path; cached under .bench/.
 */
export async function benchModel(csv: string): Promise<string> {
  const dir = join(BENCH_DIR, 'model-dense-ae-140');
  if (existsSync(join(dir, 'manifest.json'))) return dir;
  const parts: Float32Array[] = [];
  let features: string[] = [];
  let rows = 0;
  for await (const chunk of readTable(createReadStream(csv), { format: 'csv' })) {
    features = chunk.columns;
    parts.push(extractFeatures(chunk, features.map((_, i) => i)).x.slice());
    rows += chunk.rows.length;
    if (rows >= 5000) break;
  }
  const values = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (values.set(p, at), at + p.length), 0);
  const result = await trainModel({
    kind: 'dense-ae',
    name: 'bench-dense',
    version: 'bench',
    data: { features, values },
    epochs: 2,
    modelConfig: { hidden: 64, latent: 16 },
    progress: 'none',
  });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.onnx'), result.onnx!);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(result.manifest));
  result.zoo.dispose();
  return dir;
}

export function readArtifact(dir: string) {
  return { onnx: readFileSync(join(dir, 'model.onnx')), manifest: JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) };
}
