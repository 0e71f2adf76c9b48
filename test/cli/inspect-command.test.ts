import { mkdtemp, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectModel, describeInspect } from '../../cli/commands/inspect';
import { main } from '../../cli/main';
import { MODEL_KINDS, type ModelKind } from '../../core/model-kind';
import { writeModelArtifact } from '../storage/write-model-artifact';
import { trainModel } from '../../training/train';
import { correlatedRows } from '../training/synthetic';

/** `residual inspect` on a tiny model of every kind (few rows, 1 epoch), written to disk as `train` writes it. */
const F = 4;
const data = correlatedRows(160, F, 5);
let dir: string;
const artifacts = new Map<string, string>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'residual-inspect-'));
  const kinds: [string, ModelKind, { size: number; stride: number } | null][] = [
    ...MODEL_KINDS.map((k) => [k, k, null] as [string, ModelKind, null]),
    ['conv1d-ae-windows', 'conv1d-ae', { size: 8, stride: 4 }],
  ];
  for (const [name, kind, window] of kinds) {
    const result = await trainModel({
      kind, data: { features: data.features, values: data.values }, window, backend: 'wasm', progress: 'none',
      seed: 1, epochs: 1, batchSize: 32, name: 'tiny', version: '1', threshold: 'sigma:3',
    });
    await writeModelArtifact(result, join(dir, name));
    artifacts.set(name, join(dir, name));
    result.zoo.dispose();
  }
}, 120000);

// a gan scores nothing: its artifact holds generator.onnx (inputs z, cond) instead of a scoring head
describe('residual inspect on a gan model', () => {
  test('reports the kind and the generator from the file', async () => {
    const r = await inspectModel(artifacts.get('gan')!);
    expect(r).toMatchObject({ kind: 'gan', features: data.features });
    expect(r.onnx.matches_manifest).toBe(true);
    expect(r.onnx.inputs.map((t) => t.name)).toEqual(['z']);
    expect(r.files.map((f) => f.name)).toContain('generator.onnx');
  });
});

describe.each([...MODEL_KINDS.filter((k) => k !== 'gan'), 'conv1d-ae-windows'])('residual inspect on a %s model', (name) => {
  test('reports kind, features, threshold, training data and ONNX inputs/outputs read from the file', async () => {
    const at = artifacts.get(name)!;
    const r = await inspectModel(at);
    const kind = name.replace('-windows', '');
    expect(r).toMatchObject({ kind, features: data.features, name: 'tiny', version: '1' });
    expect(r.threshold).toMatchObject({ method: 'sigma', param: 3 });
    expect(r.threshold.explanation).toMatch(/mean \+ 3 standard deviations of the scores of \d+ held-out validation samples/);
    expect(r.training).toMatchObject({ data_rows: 160, data_hash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
    expect(r.validation['samples']).toBeGreaterThan(0);
    expect(r.onnx.matches_manifest).toBe(true);
    expect(r.onnx.embedded_manifest).toBe(true);
    const windowed = name.endsWith('-windows');
    expect(r.onnx.inputs.map((t) => t.name)).toEqual(['x', 'mask']);
    expect(r.onnx.inputs[0]!.shape).toEqual(windowed ? ['N', 8, F] : ['N', F]);
    expect(r.onnx.outputs.map((t) => t.name)).toEqual(expect.arrayContaining(['reconstruction', 'score', 'feature_error']));
    expect(r.files[1]).toEqual({ name: 'model.onnx', bytes: (await stat(join(at, 'model.onnx'))).size });
    if (kind === 'vae') expect(r.files.map((f) => f.name)).toContain('decoder.onnx');
    const text = describeInspect(r);
    expect(text).toContain(`kind: ${kind}`);
    expect(text).toContain(`features (${F}): ${data.features.join(', ')}`);
    expect(text).toMatch(/inputs: {2}x float32 \[N, /);
    if (windowed) expect(text).toContain('window 8, stride 4');
    // the probability is_anomaly thresholds: every new model writes a tail block (issue 12)
    expect(r.probability).toEqual({ method: 'tail', threshold: r.probability.threshold, from_manifest: true });
    expect(r.probability.threshold).toBeGreaterThan(0);
    expect(r.probability.threshold).toBeLessThan(1);
    expect(r.time_column).toBeNull();
    expect(text).toMatch(/\nanomaly_probability: tail; is_anomaly when it is >= 0\.\d+\n/);
  });
});

describe('residual inspect from the command line', () => {
  test('--json prints one JSON object; a LATEST pointer is followed', async () => {
    const root = join(dir, 'models-root');
    const { mkdir, cp } = await import('node:fs/promises');
    await mkdir(root, { recursive: true });
    await cp(artifacts.get('pca')!, join(root, 'v1'), { recursive: true });
    await writeFile(join(root, 'LATEST'), 'v1\n');
    let out = '';
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
      out += c.toString();
      return true;
    });
    const code = await main(['inspect', root, '--json']).finally(() => spy.mockRestore());
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ kind: 'pca', onnx: { matches_manifest: true } });
  });

  test('a folder without a model is an error that names it', async () => {
    await expect(inspectModel(join(dir, 'nothing-here'))).rejects.toThrow(/no manifest\.json \(nor LATEST\) at '.*nothing-here'/);
  });
});
