import type * as tf from '@tensorflow/tfjs';
import type { GraphBuilder } from './graph-builder';

/** A tfjs symbolic shape: the batch dimension (and possibly others) is null. */
export type SymbolicShape = readonly (number | null)[];

/** What a converter is given for one call of one layer. */
export interface LayerCall {
  readonly layer: tf.layers.Layer;
  /** The layer's class name (`layer.getClassName()`). */
  readonly className: string;
  /** The layer's serialized config (`layer.getConfig()`). */
  readonly config: Record<string, unknown>;
  /** ONNX tensor names of the inputs, in the order tfjs passes them. */
  readonly inputs: readonly string[];
  readonly inputShapes: readonly SymbolicShape[];
  readonly outputShapes: readonly SymbolicShape[];
  /** Throws OnnxExportError naming this layer and `option`. */
  unsupported(option: string, detail: string): never;
}

/** A layer's weight as a flat float32 array with its shape. */
export interface WeightValue {
  readonly values: Float32Array;
  readonly shape: readonly number[];
}

/**
 * The API a converter uses to emit ONNX. Converters add nodes through `graph` (`graph.op('Relu', [x])`)
 * and constants through `graph.floatTensor` / `graph.scalar` / `graph.ints`, and return the names of the
 * layer's outputs.
 */
export interface ConversionContext {
  readonly graph: GraphBuilder;
  /** The layer's weight whose variable name ends with `/<suffix>` (e.g. 'kernel'), or undefined. */
  weight(layer: tf.layers.Layer, suffix: string): WeightValue | undefined;
  /**
   * An initializer made from this layer's weights, created once per (layer, key) even when the layer is
   * converted several times (shared layers, iterative imputation).
   */
  initializer(layer: tf.layers.Layer, key: string, make: () => WeightValue): string;
  /** Emits a tfjs activation (identifier as in a layer config, e.g. 'relu', 'hardSigmoid'). */
  activation(call: LayerCall, identifier: string, input: string): string;
  /** Converts another layer (e.g. the one a wrapper holds) on the given inputs. */
  convertLayer(layer: tf.layers.Layer, inputs: readonly string[], inputShapes: readonly SymbolicShape[], outputShapes: readonly SymbolicShape[]): string[];
}

/** Translates one call of a layer into ONNX nodes; returns the output tensor name(s). */
export type LayerConverter = (ctx: ConversionContext, call: LayerCall) => string | string[];

const converters = new Map<string, LayerConverter>();

/**
 * Registers the converter for a layer class name (tfjs `getClassName()`, i.e. the static `className`).
 * Registering a name again replaces the previous converter, so callers can override built-ins.
 */
export function registerLayerConverter(className: string, converter: LayerConverter): void {
  if (!className) throw new TypeError(`registerLayerConverter: className must be a non-empty string, got '${className}'`);
  converters.set(className, converter);
}

/** The converter registered for a class name, if any. */
export function getLayerConverter(className: string): LayerConverter | undefined {
  return converters.get(className);
}

/** The class names that have a converter, sorted. */
export function registeredLayerClasses(): string[] {
  return [...converters.keys()].sort();
}
