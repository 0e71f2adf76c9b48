import type * as tf from '@tensorflow/tfjs';
import { createConverterRegistry, type ConverterRegistry } from './converter-registry';
import { ExportOptionsError, OnnxExportError } from './errors';
import type { ExportOptions } from './export-options';
import { GraphBuilder } from './graph-builder';
import { ModelConverter } from './model-converter';
import { encodeModel, tensorValueInfo, type OnnxDim } from './onnx-proto';
import { buildScoringHead, type GraphPort } from './scoring-head';
import { findUnconvertibleLayers } from './unsupported-layers';
import { PRODUCER_VERSION } from '../producer';

export const ONNX_OPSET = 17;
export const ONNX_IR_VERSION = 8;
export const PRODUCER_NAME = 'residual';

/** The built-ins only; never handed out, so nobody can add to it. */
const BUILTINS_ONLY: ConverterRegistry = createConverterRegistry();

function dimsOf(shape: readonly (number | null)[]): OnnxDim[] {
  return shape.map((d, i) => (d !== null ? d : i === 0 ? 'N' : `d${i}`));
}

function portName(g: GraphBuilder, wanted: string, option: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_.:/-]*$/.test(wanted)) throw new ExportOptionsError(`${option}: '${wanted}' is not a valid tensor name`);
  try {
    return g.reserve(wanted);
  } catch {
    throw new ExportOptionsError(`${option}: graph output name '${wanted}' is used twice`);
  }
}

function plainGraph(conv: ModelConverter, model: tf.LayersModel): { inputs: GraphPort[]; outputs: GraphPort[] } {
  const g = conv.graph;
  const inputs = model.inputs.map((t, i) => ({ name: g.uniqueName(model.inputNames[i] ?? `input_${i}`), dims: dimsOf(t.shape) }));
  const outNames = model.outputs.map((_, i) => g.uniqueName(model.outputNames[i] ?? `output_${i}`));
  const outs = conv.convertModel(model, inputs.map((p) => p.name));
  conv.throwIfUnsupported();
  const outputs = outs.map((o, i) => {
    g.op('Identity', [o.name], {}, outNames[i]);
    return { name: outNames[i]!, dims: dimsOf(o.shape) };
  });
  return { inputs, outputs };
}

/**
 * Exports a tfjs LayersModel (Sequential or functional) as an ONNX model (opset 17, IR 8) with a dynamic
 * batch dimension 'N' and float32 initializers. With `options.head`, the graph takes raw rows and a mask
 * and returns reconstruction, score and feature_error (see ScoringHeadOptions). Throws OnnxExportError for
 * a layer or option it cannot translate exactly, ExportOptionsError for bad options.
 *
 * Layers are converted by `options.converters` (default: the built-ins; see createConverterRegistry).
 * A pre-pass refuses a model with layers of classes that have no converter before any work, listing every
 * one of them in one OnnxExportError; options that converters refuse are likewise collected over the whole
 * model and thrown together. `producer_version` is `options.producerVersion`, else residual's PRODUCER_VERSION.
 */
export function exportToOnnx(model: tf.LayersModel, options: ExportOptions = {}): Uint8Array {
  const registry = options.converters ?? BUILTINS_ONLY;
  const unconvertible = findUnconvertibleLayers(model, registry);
  if (unconvertible.length > 0) throw new OnnxExportError(unconvertible);
  const g = new GraphBuilder();
  const conv = new ModelConverter(g, registry);
  const extra = Object.entries(options.extraOutputs ?? {});
  const extraNames = extra.map(([name]) => portName(g, name, 'extraOutputs'));
  const { inputs, outputs } = options.head ? buildScoringHead(conv, model, options.head) : plainGraph(conv, model);
  extra.forEach(([, layerName], i) => {
    const t = conv.layerOutputs.get(layerName);
    if (!t)
      throw new ExportOptionsError(
        `extraOutputs.${extraNames[i]}: no layer named '${layerName}' is on the path from the inputs to the outputs of '${model.name}'`,
      );
    g.op('Identity', [t.name], {}, extraNames[i]);
    outputs.push({ name: extraNames[i]!, dims: dimsOf(t.shape) });
  });
  const metadata = Object.entries(options.metadata ?? {}).map(([key, value]) => {
    if (typeof value !== 'string') throw new ExportOptionsError(`metadata.${key}: expected a string value, got ${typeof value}`);
    return { key, value };
  });
  return encodeModel({
    ir_version: ONNX_IR_VERSION,
    opset_import: [{ domain: '', version: ONNX_OPSET }],
    producer_name: PRODUCER_NAME,
    producer_version: options.producerVersion ?? PRODUCER_VERSION,
    doc_string: options.docString ?? '',
    graph: {
      name: model.name,
      node: g.nodes,
      initializer: g.initializers,
      input: inputs.map((p) => tensorValueInfo(p.name, p.dims)),
      output: outputs.map((p) => tensorValueInfo(p.name, p.dims)),
    },
    metadata_props: metadata,
  });
}
