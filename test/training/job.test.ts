import { mkdtemp, readFile, writeFile, mkdir } from 'fs/promises';
import { tmpdir } from 'os';
import * as path from 'path';
import { FileObjectStore } from '../../storage/adapters/file-object-store';
import { parseManifestJson } from '../../core/manifest';
import { jobMain, readJobSettings, runTrainingJob, type JobSettings } from '../../training/job';
import { correlatedRows } from './synthetic';

/** s3://bucket/key resolved onto a local folder per bucket (the FileObjectStore the CLI uses too). */
function localStores(root: string) {
  const store = new FileObjectStore(root);
  return {
    storeForUri(uri: string) {
      const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri)!;
      return { store, location: { bucket: m[1]!, key: m[2]! } };
    },
  };
}

async function setup(): Promise<{ root: string; settings: JobSettings }> {
  const root = await mkdtemp(path.join(tmpdir(), 'residual-job-'));
  const d = correlatedRows(400, 5, 3);
  const lines = [d.features.join(',')];
  for (let i = 0; i < 400; i++) lines.push(Array.from(d.values.subarray(i * 5, i * 5 + 5)).join(','));
  await mkdir(path.join(root, 'raw', 'training'), { recursive: true });
  await writeFile(path.join(root, 'raw', 'training', 'sensors.csv'), lines.join('\n') + '\n');
  const settings = readJobSettings([], {
    RESIDUAL_DATA_URI: 's3://raw/training/sensors.csv', RESIDUAL_MODEL_KIND: 'pca', RESIDUAL_MODEL_NAME: 'sensors',
    RESIDUAL_MODELS_URI: 's3://models', RESIDUAL_BACKEND: 'cpu',
  });
  return { root, settings };
}

const quiet = { log: () => {} };

describe('training job', () => {
  it('writes models/<name>/<version>/ and points LATEST at it when the gate passes', async () => {
    const { root, settings } = await setup();
    const r = await runTrainingJob({ ...settings, version: 'v1' }, { ...localStores(root), ...quiet });
    expect(r.promoted).toBe(true);
    const base = path.join(root, 'models', 'models', 'sensors');
    expect((await readFile(path.join(base, 'LATEST'), 'utf8')).trim()).toBe('v1');
    expect(parseManifestJson(await readFile(path.join(base, 'v1', 'manifest.json'), 'utf8')).name).toBe('sensors');
    expect((await readFile(path.join(base, 'v1', 'model.onnx'))).length).toBeGreaterThan(100);
  });

  it('writes the version but leaves LATEST alone when the gate fails', async () => {
    const { root, settings } = await setup();
    await runTrainingJob({ ...settings, version: 'v1' }, { ...localStores(root), ...quiet });
    const r = await runTrainingJob({ ...settings, version: 'v2', gate: { maxValidationLoss: 0 } }, { ...localStores(root), ...quiet });
    expect(r.promoted).toBe(false);
    expect(r.gate.reasons[0]).toMatch(/maxValidationLoss 0/);
    const base = path.join(root, 'models', 'models', 'sensors');
    expect((await readFile(path.join(base, 'LATEST'), 'utf8')).trim()).toBe('v1');
    expect((await readFile(path.join(base, 'v2', 'model.onnx'))).length).toBeGreaterThan(100);
  });

  it('records the gate verdict in gate.json and, with publish=false, leaves LATEST to the caller', async () => {
    const { root, settings } = await setup();
    const r = await runTrainingJob({ ...settings, version: 'v3', publish: false }, { ...localStores(root), ...quiet });
    expect(r.gate.passed).toBe(true);
    expect(r.promoted).toBe(false);
    const base = path.join(root, 'models', 'models', 'sensors');
    const verdict = JSON.parse(await readFile(path.join(base, 'v3', 'gate.json'), 'utf8'));
    expect(verdict).toMatchObject({ version: 'v3', passed: true, reasons: [] });
    await expect(readFile(path.join(base, 'LATEST'), 'utf8')).rejects.toThrow();
  });

  it('reads RESIDUAL_PUBLISH and refuses anything but true or false', () => {
    const env = { RESIDUAL_DATA_URI: 's3://a/b.csv', RESIDUAL_MODEL_KIND: 'pca', RESIDUAL_MODEL_NAME: 'm', RESIDUAL_MODELS_URI: 's3://models' };
    expect(readJobSettings([], env).publish).toBe(true);
    expect(readJobSettings([], { ...env, RESIDUAL_PUBLISH: 'false' }).publish).toBe(false);
    expect(() => readJobSettings([], { ...env, RESIDUAL_PUBLISH: 'no' })).toThrow(/RESIDUAL_PUBLISH must be 'true' or 'false', got 'no'/);
  });

  it('exits 0 when the gate passes even with publish=false, and 2 when the gate fails', async () => {
    const { root } = await setup();
    const env = {
      RESIDUAL_DATA_URI: path.join(root, 'raw', 'training', 'sensors.csv'), RESIDUAL_MODEL_KIND: 'pca', RESIDUAL_MODEL_NAME: 'sensors',
      RESIDUAL_MODELS_URI: path.join(root, 'local-models'), RESIDUAL_BACKEND: 'cpu', RESIDUAL_PUBLISH: 'false',
    };
    const log = process.stderr.write.bind(process.stderr);
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      expect(await jobMain(['--version', 'ok'], env)).toBe(0);
      expect(await jobMain(['--version', 'strict', '--gate-max-loss', '0'], env)).toBe(2);
    } finally {
      process.stderr.write = log;
    }
  });

  it('reads settings from flags before the environment', () => {
    const s = readJobSettings(['--model', 'vae', '--gate-max-regression=0.1'], {
      RESIDUAL_DATA_URI: 's3://a/b.csv', RESIDUAL_MODEL_KIND: 'pca', RESIDUAL_MODEL_NAME: 'm', RESIDUAL_MODELS_URI: 's3://models',
    });
    expect(s.kind).toBe('vae');
    expect(s.gate.maxRegression).toBe(0.1);
    expect(s.backend).toBe('auto');
  });

  it('names the missing setting and its environment variable', () => {
    expect(() => readJobSettings([], { RESIDUAL_MODEL_KIND: 'pca', RESIDUAL_MODEL_NAME: 'm', RESIDUAL_MODELS_URI: 's3://models' })).toThrow(/--data or environment variable RESIDUAL_DATA_URI/);
  });

  it('rejects an unknown model kind, naming it', () => {
    expect(() => readJobSettings(['--model', 'svm'], {})).toThrow(/got 'svm'/);
  });
});
