import * as tf from '@tensorflow/tfjs';
import { emitActivation } from './activations';
import type { ConversionContext, ConverterRegistry, LayerCall, SymbolicShape, WeightValue } from './converter-registry';
import { OnnxExportError, type UnsupportedLayer } from './errors';
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
 * its inputs and emits each layer call once through the converter registry. A layer call the converters
 * refuse (OnnxExportError) is recorded in `problems` and the walk goes on with placeholder outputs, so one
 * export lists every unsupported layer; `throwIfUnsupported` then throws them all as one error.
 */
export class ModelConverter implements ConversionContext {
  /** First output of every converted layer, by layer name (for `extraOutputs` / `latentLayer`). */
  readonly layerOutputs = new Map<string, ConvertedTensor>();
  private readonly initializers = new Map<string, string>();
  private readonly found = new Map<string, UnsupportedLayer>();

  constructor(
    readonly graph: GraphBuilder,
    private readonly registry: ConverterRegistry,
  ) {}

  /** The layer calls refused so far (each layer and option once). */
  get problems(): UnsupportedLayer[] {
    return [...this.found.values()];
  }

  /** Throws one OnnxExportError listing every refused layer call, if there was any. */
  throwIfUnsupported(): void {
    if (this.found.size > 0) throw new OnnxExportError(this.problems);
  }

  /** Converts `model` applied to the given ONNX inputs; returns its outputs in `model.outputs` order. */
  convertModel(model: tf.LayersModel, inputs: readonly string[]): ConvertedTensor[] {
    if (inputs.length !== model.inputs.length) {
      const detail = `model takes ${model.inputs.length} input(s) but ${inputs.length} were given`;
      throw new OnnxExportError({ layerName: model.name, className: model.getClassName(), option: 'inputs', detail });
    }
    const memo = new Map<number, string>();
    model.inputs.forEach((t, i) => memo.set(t.id, inputs[i]!));
    const visit = (t: tf.SymbolicTensor): string => {
      const known = memo.get(t.id);
      if (known !== undefined) return known;
      const layer = t.sourceLayer;
      const node = (layer.inboundNodes as unknown as GraphNode[])[t.nodeIndex];
      if (!node) {
        const detail = `tensor '${t.name}' has no inbound node ${t.nodeIndex}`;
        throw new OnnxExportError({ layerName: layer.name, className: layer.getClassName(), option: 'graph', detail });
      }
      const ins = node.inputTensors.map(visit);
      const outs = this.convertLayer(
        layer,
        ins,
        node.inputTensors.map((s) => s.shape),
        node.outputTensors.map((s) => s.shape),
      );
      node.outputTensors.forEach((o, i) => memo.set(o.id, outs[i]!));
      return memo.get(t.id)!;
    };
    return model.outputs.map((t) => ({ name: visit(t), shape: t.shape }));
  }

  convertLayer(
    layer: tf.layers.Layer,
    inputs: readonly string[],
    inputShapes: readonly SymbolicShape[],
    outputShapes: readonly SymbolicShape[],
  ): string[] {
    const className = layer.getClassName();
    let outs: string[];
    if (layer instanceof tf.LayersModel) {
      outs = this.convertModel(layer, inputs).map((t) => t.name);
    } else {
      const converter = this.registry.get(className);
      const unsupported = (option: string, detail: string): never => {
        throw new OnnxExportError({ layerName: layer.name, className, option, detail });
      };
      try {
        if (!converter) unsupported('class', `no ONNX converter is registered for class '${className}'`);
        const config = layer.getConfig() as Record<string, unknown>;
        const call: LayerCall = { layer, className, config, inputs, inputShapes, outputShapes, unsupported };
        const result = converter!(this, call);
        outs = typeof result === 'string' ? [result] : result;
      } catch (e) {
        if (!(e instanceof OnnxExportError)) throw e;
        for (const p of e.problems) this.found.set(`${p.layerName}\u0000${p.option}`, p);
        outs = outputShapes.map(() => this.graph.uniqueName(`${layer.name}/unsupported`));
      }
    }
    if (outs.length !== outputShapes.length) {
      const detail = `converter returned ${outs.length} output(s), tfjs has ${outputShapes.length}`;
      this.found.set(`${layer.name}\u0000outputs`, { layerName: layer.name, className, option: 'outputs', detail });
      outs = outputShapes.map(() => this.graph.uniqueName(`${layer.name}/unsupported`));
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
