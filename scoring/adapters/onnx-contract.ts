import type { InferenceSession } from 'onnxruntime-node';
import type { Manifest } from '../../core/manifest';
import { ModelArtifactError } from '../../storage/errors';

type Metadata = InferenceSession['inputMetadata'][number];
type Dim = number | string;

/**
 * Checks an opened ONNX session against its manifest: the scoring-head names, every tensor the manifest
 * declares, and the sizes that the manifest fixes (features F, window T, latent_dim K). The first
 * disagreement is thrown, naming the field and both sides ("manifest says F=8, model.onnx input x has 7").
 */
export function checkOnnxContract(session: Pick<InferenceSession, 'inputMetadata' | 'outputMetadata'>, manifest: Manifest): void {
  const file = manifest.onnx.file;
  const inputs = new Map(session.inputMetadata.map((m) => [m.name, m] as const));
  const outputs = new Map(session.outputMetadata.map((m) => [m.name, m] as const));
  const need = (side: 'input' | 'output', map: Map<string, Metadata>, name: string): Dim[] | null => {
    const meta = map.get(name);
    if (!meta) throw new ModelArtifactError(`${file} has no ${side} '${name}' (${side}s: ${[...map.keys()].join(', ')})`);
    return meta.isTensor ? [...meta.shape] : null;
  };
  const f = manifest.features.length;
  const t = manifest.window?.size;
  const data: [string, Dim][] = manifest.layout === 'windows' ? [['T', t!], ['F', f]] : [['F', f]];
  // a segment graph's inputs are [1, L, F] consecutive rows (manifest window_input 'segment'); its outputs per window
  const inputData: [string, Dim][] = manifest.window_input === 'segment' ? [['L', 'L'], ['F', f]] : data;
  for (const name of ['x', 'mask']) expectTail(file, 'input', name, need('input', inputs, name), inputData);
  expectTail(file, 'output', 'reconstruction', need('output', outputs, 'reconstruction'), data);
  need('output', outputs, 'score');
  expectTail(file, 'output', 'feature_error', need('output', outputs, 'feature_error'), [['F', f]]);
  if (manifest.latent_dim !== null) {
    if (!outputs.has('latent')) {
      throw new ModelArtifactError(`manifest says latent_dim=${manifest.latent_dim}, ${file} has no output 'latent'`);
    }
    expectTail(file, 'output', 'latent', need('output', outputs, 'latent'), [['latent_dim', manifest.latent_dim]]);
  }
  for (const spec of manifest.onnx.inputs) need('input', inputs, spec.name);
  for (const spec of manifest.onnx.outputs) need('output', outputs, spec.name);
}

/** The trailing dimensions of a tensor must equal the manifest's sizes (symbolic dims cannot be checked). */
function expectTail(file: string, side: string, name: string, shape: Dim[] | null, want: [string, Dim][]): void {
  if (shape === null) return;
  if (shape.length !== want.length + 1) {
    const rank = want.length + 1;
    throw new ModelArtifactError(`manifest implies rank ${rank} for ${side} ${name}, ${file} ${side} ${name} has rank ${shape.length}`);
  }
  want.forEach(([field, size], i) => {
    const dim = shape[i + 1]!;
    if (typeof dim === 'number' && dim > 0 && dim !== size) {
      throw new ModelArtifactError(`manifest says ${field}=${size}, ${file} ${side} ${name} has ${dim}`);
    }
  });
}
