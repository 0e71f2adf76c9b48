import * as ort from 'onnxruntime-node';
import {
  artifactFile, describeLocation, EXTRA_FILES, LATEST_FILE, MANIFEST_FILE, onnxFileName, readLatest,
} from '../../storage/artifact/layout';
import { MANIFEST_METADATA_KEY, parseManifestJson, type Manifest } from '../../core/manifest';
import { InputError } from '../../core/errors';
import { storeForUri } from '../../storage/adapters/store-for-uri';
import { ObjectNotFoundError } from '../../storage/errors';
import type { ObjectLocation, ObjectStore } from '../../storage/object-store';
import { readOnnxMetadata } from '../../training/export/read-metadata';
import { explainThreshold } from '../../reporting/explain-threshold';
import { UsageError } from '../../core/usage-error';
import { commandOutput } from '../command-output';
import type { ParsedCommandLine } from '../flags/parse-command-line';
import { probabilitySpecFor, type ProbabilitySpec } from '../../core/probability';

export interface TensorInfo {
  name: string;
  type: string;
  shape: (number | string)[];
}

export interface InspectReport {
  model: string;
  name: string;
  version: string;
  kind: string;
  created_at: string;
  producer: string;
  /** what `--model auto` chose, when the manifest records it (`auto` or `training.config.auto`) */
  auto: unknown;
  features: string[];
  layout: Manifest['layout'];
  window: Manifest['window'];
  latent_dim: number | null;
  scaler: Manifest['scaler']['kind'];
  score_error: Manifest['score']['error'];
  threshold: Manifest['threshold'] & { explanation: string };
  /** the probability `is_anomaly` thresholds (the manifest's block, or the tail of the calibration for an older one) */
  probability: { method: string; threshold: number; from_manifest: boolean };
  /** the time column the model was trained with (score checks row order on it), or null */
  time_column: string | null;
  validation: Record<string, number>;
  training: Omit<Manifest['training'], 'config'> & { config: Record<string, unknown> };
  onnx: { file: string; opset: number; inputs: TensorInfo[]; outputs: TensorInfo[]; matches_manifest: boolean; embedded_manifest: boolean };
  files: { name: string; bytes: number }[];
}

export async function runInspect(cl: ParsedCommandLine): Promise<number> {
  const [model] = cl.positionals;
  if (model === undefined) throw new UsageError('give one model folder or s3:// prefix');
  const report = await inspectModel(model);
  commandOutput(cl).result(describeInspect(report), report);
  return 0;
}

export async function inspectModel(uri: string): Promise<InspectReport> {
  const { store, location } = storeForUri(uri);
  const { at, manifestBytes } = await findManifest(store, location);
  const text = new TextDecoder().decode(manifestBytes);
  const manifest = parseManifestJson(text);
  const raw = JSON.parse(text) as { auto?: unknown; training?: { config?: { auto?: unknown } } };
  const file = (name: string): ObjectLocation => artifactFile(at, name);
  const onnxBytes = await store.getBytes(file(onnxFileName(manifest, describeLocation(file(MANIFEST_FILE)))));
  const files = [
    { name: MANIFEST_FILE, bytes: manifestBytes.byteLength },
    { name: manifest.onnx.file, bytes: onnxBytes.byteLength },
  ];
  for (const name of EXTRA_FILES) {
    try {
      files.push({ name, bytes: (await store.getBytes(file(name))).byteLength });
    } catch (err) {
      if (!(err instanceof ObjectNotFoundError)) throw err;
    }
  }
  const session = await ort.InferenceSession.create(onnxBytes);
  const tensors = (meta: readonly ort.InferenceSession.ValueMetadata[]): TensorInfo[] =>
    meta.map((m) => ({ name: m.name, type: m.isTensor ? String(m.type) : 'non-tensor', shape: m.isTensor ? [...m.shape] : [] }));
  const inputs = tensors(session.inputMetadata);
  const outputs = tensors(session.outputMetadata);
  await session.release();
  const same = (a: TensorInfo[], b: Manifest['onnx']['inputs']) =>
    a.length === b.length &&
    a.every((t, i) => t.name === b[i]!.name && t.type === b[i]!.dtype && JSON.stringify(t.shape) === JSON.stringify(b[i]!.shape));
  const embedded = readOnnxMetadata(onnxBytes)[MANIFEST_METADATA_KEY];
  const { config, ...training } = manifest.training;
  return {
    model: uri,
    name: manifest.name,
    version: manifest.version,
    kind: manifest.kind,
    created_at: manifest.created_at,
    producer: `${manifest.producer.name} ${manifest.producer.version}`,
    auto: raw.auto ?? raw.training?.config?.auto ?? null,
    features: manifest.features,
    layout: manifest.layout,
    window: manifest.window,
    latent_dim: manifest.latent_dim,
    scaler: manifest.scaler.kind,
    score_error: manifest.score.error,
    threshold: { ...manifest.threshold, explanation: explainThreshold(manifest) },
    probability: { ...pick(probabilitySpecFor(manifest)), from_manifest: manifest.probability !== undefined },
    time_column: manifest.time_column ?? null,
    validation: manifest.metrics.validation,
    training: { ...training, config },
    onnx: {
      file: manifest.onnx.file,
      opset: manifest.onnx.opset,
      inputs,
      outputs,
      matches_manifest: same(inputs, manifest.onnx.inputs) && same(outputs, manifest.onnx.outputs),
      embedded_manifest: embedded !== undefined && JSON.stringify(parseManifestJson(embedded)) === JSON.stringify(manifest),
    },
    files,
  };
}

/** Reads and validates a model's manifest (following LATEST). */
export async function readManifest(uri: string): Promise<Manifest> {
  const { store, location } = storeForUri(uri);
  return parseManifestJson(new TextDecoder().decode((await findManifest(store, location)).manifestBytes));
}

/** Follows a `LATEST` pointer (models/<name>/) the way the scorer does. */
async function findManifest(store: ObjectStore, at: ObjectLocation, depth = 0): Promise<{ at: ObjectLocation; manifestBytes: Uint8Array }> {
  const file = (name: string): ObjectLocation => artifactFile(at, name);
  try {
    return { at, manifestBytes: await store.getBytes(file(MANIFEST_FILE)) };
  } catch (err) {
    if (!(err instanceof ObjectNotFoundError) || depth > 0) throw err;
    let latest: string;
    try {
      latest = await readLatest(store, file(LATEST_FILE));
    } catch (latestErr) {
      if (!(latestErr instanceof ObjectNotFoundError)) throw latestErr;
      throw new InputError(`no ${MANIFEST_FILE} (nor ${LATEST_FILE}) at '${describeLocation(at)}'`, { cause: err });
    }
    return findManifest(store, file(latest), depth + 1);
  }
}

const pick = (spec: ProbabilitySpec) => ({ method: spec.method, threshold: spec.threshold });
const fmtShape = (t: TensorInfo) => `${t.name} ${t.type} [${t.shape.join(', ')}]`;
const fmtNum = (v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(4));

export function describeInspect(r: InspectReport): string {
  const c = r.threshold.calibration;
  const lines = [
    `model ${r.name} version ${r.version} (${r.model})`,
    `kind: ${r.kind}${r.auto !== null ? `  — chosen by auto: ${JSON.stringify(r.auto)}` : ''}`,
    `created ${r.created_at} by ${r.producer}`,
    `features (${r.features.length}): ${r.features.join(', ')}`,
    `layout: ${r.layout}${r.window ? ` (window ${r.window.size}, stride ${r.window.stride})` : ''}; ` +
      `scaler ${r.scaler}; score error ${r.score_error}${r.latent_dim !== null ? `; latent dimensions ${r.latent_dim}` : ''}`,
    `threshold: ${r.threshold.method}:${r.threshold.param} = ${fmtNum(r.threshold.value)}`,
    `  ${r.threshold.explanation}`,
    `anomaly_probability: ${r.probability.method}${r.probability.from_manifest ? '' : ' (derived from the calibration)'}; ` +
      `is_anomaly when it is >= ${fmtNum(r.probability.threshold)}` +
      (r.time_column !== null ? `; time column ${r.time_column}` : ''),
    `  calibration scores: n ${c.n}, mean ${fmtNum(c.mean)}, std ${fmtNum(c.std)}, min ${fmtNum(c.min)}, max ${fmtNum(c.max)}; ` +
      Object.entries(c.quantiles)
        .map(([q, v]) => `q${q} ${fmtNum(v)}`)
        .join(', '),
    `validation: ${Object.entries(r.validation)
      .map(([k, v]) => `${k} ${fmtNum(v)}`)
      .join(', ')}`,
    `training: ${r.training.data_rows} rows, ${r.training.data_bytes} bytes, data ${r.training.data_hash}`,
    `  backend ${r.training.backend}, seed ${r.training.seed}, ` +
      `${r.training.epochs} epochs in ${(r.training.duration_ms / 1000).toFixed(1)} s`,
    `onnx: ${r.onnx.file}, opset ${r.onnx.opset}; ` +
      (r.onnx.matches_manifest ? 'inputs and outputs match the manifest' : 'WARNING: inputs/outputs differ from the manifest') +
      (r.onnx.embedded_manifest ? '; embedded manifest matches' : '; WARNING: the embedded manifest is missing or differs'),
    `  inputs:  ${r.onnx.inputs.map(fmtShape).join('; ')}`,
    `  outputs: ${r.onnx.outputs.map(fmtShape).join('; ')}`,
    `files: ${r.files.map((f) => `${f.name} ${f.bytes} bytes`).join(', ')}`,
  ];
  return lines.join('\n') + '\n';
}
