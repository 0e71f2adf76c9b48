import * as ort from 'onnxruntime-node';
import type { ModelKind } from '../../../core/model-kind';
import { Rng } from '../../../core/rng';
import { markdownTable } from '../../report';
import { goalLine, log, seconds } from '../format';
import { scoreRows, trainArtifact, type TrainedArtifact } from '../onnx-path';

/** Seeded rows [n × f]: f features driven by 5 latent factors plus noise, per-feature offsets and scales. */
export function latentRows(n: number, f: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const load = Array.from({ length: f * 5 }, () => rng.normal());
  const out = new Float64Array(n * f);
  const z = new Float64Array(5);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 5; c++) z[c] = rng.normal();
    for (let j = 0; j < f; j++) {
      let v = 0.1 * rng.normal();
      for (let c = 0; c < 5; c++) v += load[j * 5 + c]! * z[c]!;
      out[i * f + j] = v * (1 + j) + 3 * j;
    }
  }
  return out;
}

async function ortRowsPerSecond(artifact: TrainedArtifact, x: Float64Array, f: number, batch: number, seconds: number): Promise<number> {
  const session = await ort.InferenceSession.create(artifact.onnx, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  try {
    const xs = Float32Array.from(x.subarray(0, batch * f));
    const ones = new Float32Array(batch * f).fill(1);
    const feeds = { x: new ort.Tensor('float32', xs, [batch, f]), mask: new ort.Tensor('float32', ones, [batch, f]) };
    await session.run(feeds);
    let rows = 0;
    const t0 = Date.now();
    while (Date.now() - t0 < seconds * 1000) {
      await session.run(feeds);
      rows += batch;
    }
    return rows / ((Date.now() - t0) / 1000);
  } finally {
    await session.release();
  }
}

/**
 * The speed targets of issue 13: `auto` trains on 100,000 × 50 (defaults) in ≤ 2 minutes, and scores at
 * ≥ 0.5× the throughput of a single dense-ae (trained 1 epoch: its scoring cost does not depend on the
 * epochs), both through onnxruntime alone (batches of 4,096, one thread) and through scoreTable (the CLI /
 * Lambda path, 20,000 rows).
 */
export async function autoSpeed(rows = 100000, f = 50): Promise<{ markdown: string }> {
  const x = latentRows(rows, f, 7);
  const features = Array.from({ length: f }, (_, j) => `x${j}`);
  const kinds: [ModelKind, object][] = [['auto', {}], ['dense-ae', { epochs: 1 }]];
  const out: (string | number)[][] = [];
  const rate: Record<string, { ort: number; table: number; trainMs: number }> = {};
  for (const [kind, options] of kinds) {
    const artifact = await trainArtifact(kind, features, x, options);
    const ortRate = await ortRowsPerSecond(artifact, x, f, 4096, 5);
    const t0 = Date.now();
    const n = Math.min(rows, 20000);
    await scoreRows(artifact, x.subarray(0, n * f), 'detect');
    const table = n / ((Date.now() - t0) / 1000);
    rate[kind] = { ort: ortRate, table, trainMs: artifact.trainMs };
    log(`auto-speed ${kind}: train ${seconds(artifact.trainMs)}, onnxruntime ${ortRate.toFixed(0)} rows/s, ` +
      `scoreTable ${table.toFixed(0)} rows/s`);
    const label = `\`${kind}\`${kind === 'dense-ae' ? ' (1 epoch)' : ' (defaults)'}`;
    out.push([label, seconds(artifact.trainMs), ortRate.toFixed(0), table.toFixed(0)]);
  }
  const a = rate['auto']!;
  const d = rate['dense-ae']!;
  return {
    markdown: `### \`auto\` speed (\`--tasks auto-speed\`)

${rows.toLocaleString('en-US')} × ${f} seeded rows (5 latent factors + noise).

${markdownTable(['model', 'train time', 'onnxruntime rows/s (batch 4,096, 1 thread)', 'scoreTable rows/s (20,000 rows)'], out)}

${goalLine('`auto` train time on 100,000 × 50 (s)', a.trainMs / 1000, 120, 'lower', 1)}
${goalLine('`auto` / dense-ae scoring throughput, onnxruntime', a.ort / d.ort, 0.5, 'higher', 2)}
${goalLine('`auto` / dense-ae scoring throughput, scoreTable', a.table / d.table, 0.5, 'higher', 2)}`,
  };
}
