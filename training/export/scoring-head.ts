import type * as tf from '@tensorflow/tfjs';
import { ExportOptionsError } from './errors';
import type { ScoringHeadOptions } from './export-options';
import { attr } from './graph-builder';
import type { ModelConverter } from './model-converter';
import { OnnxDataType, type OnnxDim } from './onnx-proto';

/** A graph input or output of the exported model. */
export interface GraphPort {
  readonly name: string;
  readonly dims: readonly OnnxDim[];
}

export const HEAD_INPUTS = { x: 'x', mask: 'mask' } as const;
export const HEAD_OUTPUTS = { reconstruction: 'reconstruction', score: 'score', featureError: 'feature_error', latent: 'latent' } as const;

function checkHead(model: tf.LayersModel, head: ScoringHeadOptions): { f: number; t: OnnxDim | undefined } {
  const fail = (option: string, detail: string): never => {
    throw new ExportOptionsError(`head.${option}: ${detail}`);
  };
  if (head.layout !== 'rows' && head.layout !== 'windows') fail('layout', `expected 'rows' or 'windows', got '${String(head.layout)}'`);
  if (head.error !== 'mse' && head.error !== 'mae') fail('error', `expected 'mse' or 'mae', got '${String(head.error)}'`);
  const iterations = head.iterations ?? 1;
  if (!Number.isInteger(iterations) || iterations < 1) fail('iterations', `expected an integer >= 1, got ${iterations}`);
  const wantInputs = head.maskInput ? 2 : 1;
  if (model.inputs.length !== wantInputs)
    fail(
      'maskInput',
      `model '${model.name}' has ${model.inputs.length} input(s); maskInput=${head.maskInput ?? false} needs ${wantInputs}`,
    );
  if (model.outputs.length !== 1) fail('layout', `model '${model.name}' must have exactly one output, has ${model.outputs.length}`);
  const shape = model.inputs[0]!.shape;
  const rank = head.layout === 'rows' ? 2 : 3;
  if (shape.length !== rank)
    fail('layout', `layout '${head.layout}' needs a rank-${rank} model input, '${model.name}' takes [${shape.join(',')}]`);
  const f = shape[rank - 1];
  if (typeof f !== 'number') fail('layout', `the feature dimension of '${model.name}' must be fixed, got [${shape.join(',')}]`);
  const outShape = model.outputs[0]!.shape;
  if (outShape.length !== rank || outShape.some((d, i) => i > 0 && d !== shape[i])) {
    fail('layout', `model output [${outShape.join(',')}] must have the input's shape [${shape.join(',')}]`);
  }
  if (head.offset.length !== f || head.scale.length !== f)
    fail('offset', `offset/scale have ${head.offset.length}/${head.scale.length} entries for ${f} features`);
  head.scale.forEach((s, i) => {
    if (!Number.isFinite(s) || s === 0) fail('scale', `scale[${i}] must be finite and non-zero, got ${s}`);
  });
  head.offset.forEach((o, i) => {
    if (!Number.isFinite(o)) fail('offset', `offset[${i}] must be finite, got ${o}`);
  });
  const t = rank === 3 ? (shape[1] ?? 'T') : undefined;
  return { f: f as number, t };
}

/**
 * Emits the scoring head around `model`: scaling, masking (Where, so NaN in missing cells never
 * propagates), the model (unrolled `iterations` times), un-scaling and the masked error reductions.
 */
export function buildScoringHead(
  conv: ModelConverter,
  model: tf.LayersModel,
  head: ScoringHeadOptions,
): { inputs: GraphPort[]; outputs: GraphPort[] } {
  const { f, t } = checkHead(model, head);
  const g = conv.graph;
  const dataDims: OnnxDim[] = t === undefined ? ['N', f] : ['N', t, f];
  const x = g.reserve(HEAD_INPUTS.x);
  const mask = g.reserve(HEAD_INPUTS.mask);
  const outNames = [HEAD_OUTPUTS.reconstruction, HEAD_OUTPUTS.score, HEAD_OUTPUTS.featureError].map((n) => g.reserve(n));
  const latentName = head.latentLayer !== undefined ? g.reserve(HEAD_OUTPUTS.latent) : undefined;

  const offset = g.floatTensor(head.offset, [f], 'scaler_offset');
  const scale = g.floatTensor(head.scale, [f], 'scaler_scale');
  const observed = g.op('Greater', [mask, g.scalar(0.5)]);
  const m = g.op('Cast', [observed], { to: attr.int(OnnxDataType.FLOAT) });
  const scaled = g.op('Div', [g.op('Sub', [x, offset]), scale]);
  const s0 = g.op('Where', [observed, scaled, g.scalar(0)]);

  let current = s0;
  let r = s0;
  let latent: { name: string; shape: readonly (number | null)[] } | undefined;
  const iterations = head.iterations ?? 1;
  for (let k = 0; k < iterations; k++) {
    conv.layerOutputs.clear();
    r = conv.convertModel(model, head.maskInput ? [current, m] : [current])[0]!.name;
    if (latentName !== undefined) latent = conv.layerOutputs.get(head.latentLayer!);
    // the last iteration's output is not fed back: no Where after it (onnxruntime runs every node, used or not)
    if (k < iterations - 1) current = g.op('Where', [observed, s0, r]);
  }
  conv.throwIfUnsupported();
  if (latentName !== undefined) {
    if (!latent)
      throw new ExportOptionsError(
        `head.latentLayer: no layer named '${head.latentLayer}' is on the path from the inputs to the output of '${model.name}'`,
      );
    if (latent.shape.length !== 2)
      throw new ExportOptionsError(
        `head.latentLayer: layer '${head.latentLayer}' outputs [${latent.shape.join(',')}], a rank-2 [N,K] output is required`,
      );
    g.op('Identity', [latent.name], {}, latentName);
  }

  g.op('Add', [g.op('Mul', [r, scale]), offset], {}, outNames[0]);
  const diff = g.op('Sub', [r, s0]);
  // Where, not Mul by the mask: a missing cell's error is 0 even when the reconstruction overflowed (Inf × 0 = NaN).
  // Min(error, FLT_MAX) × mask is no way out: onnxruntime's Min propagates NaN, and it would clamp an observed Inf.
  const cellSq = head.error === 'mse' ? g.op('Mul', [diff, diff]) : g.op('Abs', [diff]);
  // rows: the Where writes feature_error itself (an Identity would copy [N, F] on every run)
  const cellError = g.op('Where', [observed, cellSq, g.scalar(0)], {}, t === undefined ? outNames[2] : undefined);
  const cellAxes = t === undefined ? [1] : [1, 2];
  const errorSum = g.op('ReduceSum', [cellError, g.ints(cellAxes)], { keepdims: attr.int(0) });
  const count = g.op('Max', [g.op('ReduceSum', [m, g.ints(cellAxes)], { keepdims: attr.int(0) }), g.scalar(1)]);
  g.op('Div', [errorSum, count], {}, outNames[1]);
  if (t !== undefined) g.op('ReduceMean', [cellError], { axes: attr.ints([1]), keepdims: attr.int(0) }, outNames[2]);

  const outputs: GraphPort[] = [
    { name: outNames[0]!, dims: dataDims },
    { name: outNames[1]!, dims: ['N'] },
    { name: outNames[2]!, dims: ['N', f] },
  ];
  if (latentName !== undefined) outputs.push({ name: latentName, dims: ['N', latent!.shape[1] ?? 'K'] });
  return {
    inputs: [
      { name: x, dims: dataDims },
      { name: mask, dims: dataDims },
    ],
    outputs,
  };
}
