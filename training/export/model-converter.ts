import * as tf from '@tensorflow/tfjs';
import { emitActivation } from './activations';
import { getLayerConverter, type ConversionContext, type LayerCall, type SymbolicShape, type WeightValue } from './converter-registry';
import { OnnxExportError } from './errors';
import type { GraphBuilder } from './graph-builder';

/** The parts of a tfjs graph Node the converter walks (tfjs does not export the Node type). */
interface GraphNode {
  inputTensors: tf.SymbolicTensor[];
  outputTensors: tf.SymbolicTensor[];
}

/** An ONNX tensor produced for a tfjs layer, with the tfjs symbolic shape. */
export interface ConvertedTensor {
  readonly name: string;
  readonly shape: SymbolicShape;
}

/**
 * Walks a tfjs LayersModel (Sequential or functional, nested models included) from its outputs back to
 * its inputs and emits each layer call once through the converter registry.
 */
export class ModelConverter implements ConversionContext {
  /** First output of every converted layer, by layer name (for `extraOutputs` / `latentLayer`). */
  readonly layerOutputs = new Map<string, ConvertedTensor>();
  private readonly initializers = new Map<string, string>();

  constructor(readonly graph: GraphBuilder) {}

  /** Converts `model` applied to the given ONNX inputs; returns its outputs in `model.outputs` order. */
  convertModel(model: tf.LayersModel, inputs: readonly string[]): ConvertedTensor[] {
    if (inputs.length !== model.inputs.length) {
      throw new OnnxExportError(model.name, model.getClassName(), 'inputs', `model takes ${model.inputs.length} input(s) but ${inputs.length} were given`);
    }
    const memo = new Map<number, string>();
    model.inputs.forEach((t, i) => memo.set(t.id, inputs[i]!));
    const visit = (t: tf.SymbolicTensor): string => {
      const known = memo.get(t.id);
      if (known !== undefined) return known;
      const layer = t.sourceLayer;
      const node = (layer.inboundNodes as unknown as GraphNode[])[t.nodeIndex];
      if (!node) throw new OnnxExportError(layer.name, layer.getClassName(), 'graph', `tensor '${t.name}' has no inbound node ${t.nodeIndex}`);
      const ins = node.inputTensors.map(visit);
      const outs = this.convertLayer(layer, ins, node.inputTensors.map((s) => s.shape), node.outputTensors.map((s) => s.shape));
      node.outputTensors.forEach((o, i) => memo.set(o.id, outs[i]!));
      return memo.get(t.id)!;
    };
    return model.outputs.map((t) => ({ name: visit(t), shape: t.shape }));
  }

  convertLayer(layer: tf.layers.Layer, inputs: readonly string[], inputShapes: readonly SymbolicShape[], outputShapes: readonly SymbolicShape[]): string[] {
    const className = layer.getClassName();
    let outs: string[];
    if (layer instanceof tf.LayersModel) {
      outs = this.convertModel(layer, inputs).map((t) => t.name);
    } else {
      const converter = getLayerConverter(className);
      const unsupported = (option: string, detail: string): never => {
        throw new OnnxExportError(layer.name, className, option, detail);
      };
      if (!converter) unsupported('class', `no ONNX converter is registered for class '${className}' (see registerLayerConverter)`);
      const call: LayerCall = { layer, className, config: layer.getConfig() as Record<string, unknown>, inputs, inputShapes, outputShapes, unsupported };
      const result = converter!(this, call);
      outs = typeof result === 'string' ? [result] : result;
    }
    if (outs.length !== outputShapes.length) {
      throw new OnnxExportError(layer.name, className, 'outputs', `converter returned ${outs.length} output(s), tfjs has ${outputShapes.length}`);
    }
    if (!this.layerOutputs.has(layer.name)) this.layerOutputs.set(layer.name, { name: outs[0]!, shape: outputShapes[0]! });
    return outs;
  }

  weight(layer: tf.layers.Layer, suffix: string): WeightValue | undefined {
    const v = layer.weights.find((w) => w.originalName === suffix || w.originalName.endsWith(`/${suffix}`));
    if (!v) return undefined;
    return { values: Float32Array.from(v.read().dataSync() as Float32Array), shape: v.shape as number[] };
  }

  initializer(layer: tf.layers.Layer, key: string, make: () => WeightValue): string {
    const cacheKey = `${layer.id}:${key}`;
    let name = this.initializers.get(cacheKey);
    if (name === undefined) {
      const w = make();
      name = this.graph.floatTensor(w.values, w.shape, `${layer.name}/${key}`);
      this.initializers.set(cacheKey, name);
    }
    return name;
  }

  activation(call: LayerCall, identifier: string, input: string): string {
    const out = emitActivation(this.graph, identifier, input);
    if (out === undefined) call.unsupported('activation', `activation '${identifier}' has no ONNX translation`);
    return out!;
  }
}
