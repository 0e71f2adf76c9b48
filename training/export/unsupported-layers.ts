import * as tf from '@tensorflow/tfjs';
import type { ConverterRegistry } from './converter-registry';
import type { UnsupportedLayer } from './errors';

/** How to add a converter, named in the 'class' problem. */
const HOW_TO_ADD = 'add one with createConverterRegistry().registerLayerConverter and pass it as { converters }';

/**
 * The pre-pass before conversion: every layer of `model` (nested models and the layer a wrapper such as
 * TimeDistributed holds included) whose class has no converter in `registry`, in the model's layer order,
 * each layer once. Reads no weights and emits nothing, so a model is refused as a whole before any work.
 */
export function findUnconvertibleLayers(model: tf.LayersModel, registry: ConverterRegistry): UnsupportedLayer[] {
  const found: UnsupportedLayer[] = [];
  const seen = new Set<tf.layers.Layer>();
  const visit = (layer: tf.layers.Layer): void => {
    if (seen.has(layer)) return;
    seen.add(layer);
    if (layer instanceof tf.LayersModel) {
      layer.layers.forEach(visit);
      return;
    }
    const className = layer.getClassName();
    if (!registry.has(className)) {
      const detail = `no ONNX converter is registered for class '${className}' (${HOW_TO_ADD})`;
      found.push({ layerName: layer.name, className, option: 'class', detail });
      return;
    }
    const inner = (layer as unknown as { layer?: unknown }).layer;
    if (inner instanceof tf.layers.Layer) visit(inner);
  };
  visit(model);
  return found;
}
