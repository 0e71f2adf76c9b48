import type * as tf from '@tensorflow/tfjs';
import { BUILTIN_CONVERTERS } from './converters';
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
  convertLayer(
    layer: tf.layers.Layer,
    inputs: readonly string[],
    inputShapes: readonly SymbolicShape[],
    outputShapes: readonly SymbolicShape[],
  ): string[];
}

/** Translates one call of a layer into ONNX nodes; returns the output tensor name(s). */
export type LayerConverter = (ctx: ConversionContext, call: LayerCall) => string | string[];

/** Adds one converter to a table (what the built-in converter modules are given). */
export type RegisterConverter = (className: string, converter: LayerConverter) => void;

/**
 * The converters an export uses, by tfjs layer class name (`getClassName()`, i.e. the static `className`).
 * Made by createConverterRegistry(); owned by the caller, so adding a converter changes only that registry.
 */
export interface ConverterRegistry {
  /** The converter for a class name: the caller's own, else the built-in one, else undefined. */
  get(className: string): LayerConverter | undefined;
  has(className: string): boolean;
  /** The class names that have a converter (built-in and added), sorted. */
  classNames(): string[];
  /**
   * Adds the converter for a class name. A name that already has one (a built-in or an earlier call) is
   * refused unless `{ replace: true }`; replacing shadows the built-in in this registry only (the built-in
   * table is frozen). Returns the registry, so calls chain.
   */
  registerLayerConverter(className: string, converter: LayerConverter, options?: { replace?: boolean }): ConverterRegistry;
}

class Registry implements ConverterRegistry {
  private readonly own = new Map<string, LayerConverter>();

  get(className: string): LayerConverter | undefined {
    return this.own.get(className) ?? (Object.hasOwn(BUILTIN_CONVERTERS, className) ? BUILTIN_CONVERTERS[className] : undefined);
  }

  has(className: string): boolean {
    return this.get(className) !== undefined;
  }

  classNames(): string[] {
    return [...new Set([...Object.keys(BUILTIN_CONVERTERS), ...this.own.keys()])].sort();
  }

  registerLayerConverter(className: string, converter: LayerConverter, options: { replace?: boolean } = {}): ConverterRegistry {
    if (typeof className !== 'string' || className === '') {
      throw new TypeError(`registerLayerConverter: className must be a non-empty string, got '${String(className)}'`);
    }
    if (typeof converter !== 'function') throw new TypeError(`registerLayerConverter('${className}'): converter must be a function`);
    if (this.has(className) && options.replace !== true) {
      const hint = 'pass { replace: true } to replace it in this registry';
      throw new TypeError(`registerLayerConverter: '${className}' already has a converter; ${hint}`);
    }
    this.own.set(className, converter);
    return this;
  }
}

/**
 * A new converter registry holding the built-in converters (frozen, shared) and none of anyone else's.
 * Pass it to `exportToOnnx(model, { converters })` after adding converters for custom layers.
 */
export function createConverterRegistry(): ConverterRegistry {
  return new Registry();
}
