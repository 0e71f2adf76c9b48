import * as tf from '@tensorflow/tfjs';
import { sequentialOf } from './parity';
import { ResidualError } from '../../../core/errors';
import { ExportOptionsError, OnnxExportError, exportToOnnx } from '../../../training/export';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const seq = (inputShape: number[], ...layers: tf.layers.Layer[]) => sequentialOf(inputShape, layers, false);

function exportError(model: tf.LayersModel): OnnxExportError {
  try {
    exportToOnnx(model);
  } catch (e) {
    if (e instanceof OnnxExportError) return e;
    throw e;
  }
  throw new Error('exportToOnnx did not throw');
}

describe('OnnxExportError', () => {
  it('is a ResidualError named OnnxExportError', () => {
    const e = exportError(seq([5, 4], tf.layers.masking()));
    expect(e).toBeInstanceOf(ResidualError);
    expect(e.name).toBe('OnnxExportError');
  });

  it('names the layer, its class and "class" for a layer without a converter', () => {
    const e = exportError(seq([5, 4], tf.layers.masking({ name: 'mask_layer' })));
    expect(e.layerName).toBe('mask_layer');
    expect(e.className).toBe('Masking');
    expect(e.option).toBe('class');
    expect(e.message).toContain("'mask_layer' (Masking)");
  });

  it('names the activation option for an activation without an exact ONNX translation in an LSTM', () => {
    const e = exportError(seq([4, 3], tf.layers.lstm({ units: 2, activation: 'selu', name: 'enc' })));
    expect([e.layerName, e.className, e.option]).toEqual(['enc', 'LSTM', 'activation']);
    expect(e.message).toContain("'selu'");
  });

  it('refuses returnState on recurrent layers', () => {
    const input = tf.input({ shape: [4, 3] });
    const [out] = tf.layers.gru({ units: 2, returnState: true, name: 'g' }).apply(input) as tf.SymbolicTensor[];
    const e = exportError(tf.model({ inputs: input, outputs: out! }));
    expect([e.layerName, e.option]).toEqual(['g', 'returnState']);
  });

  it('refuses BatchNormalization on a non-last axis', () => {
    const e = exportError(seq([5, 3], tf.layers.batchNormalization({ axis: 1, name: 'bn' })));
    expect([e.layerName, e.className, e.option]).toEqual(['bn', 'BatchNormalization', 'axis']);
  });

  it('refuses bilinear UpSampling2D', () => {
    const e = exportError(seq([4, 4, 1], tf.layers.upSampling2d({ size: [2, 2], interpolation: 'bilinear', name: 'up' })));
    expect([e.layerName, e.option]).toEqual(['up', 'interpolation']);
  });

  it('refuses a multi-axis Softmax layer', () => {
    const e = exportError(seq([4, 3], tf.layers.softmax({ axis: [1, 2] as unknown as number, name: 'sm' })));
    expect([e.layerName, e.className, e.option]).toEqual(['sm', 'Softmax', 'axis']);
  });
});

describe('ExportOptionsError', () => {
  const model = (): tf.LayersModel => seq([3], tf.layers.dense({ units: 3, name: 'out' }));

  it('rejects a scaler whose length differs from the feature count', () => {
    expect(() => exportToOnnx(model(), { head: { layout: 'rows', offset: [0, 0], scale: [1, 1], error: 'mse' } })).toThrow(ExportOptionsError);
  });

  it('rejects a zero scale', () => {
    expect(() => exportToOnnx(model(), { head: { layout: 'rows', offset: [0, 0, 0], scale: [1, 0, 1], error: 'mse' } })).toThrow(/scale\[1\]/);
  });

  it('rejects a windows layout for a rank-2 model', () => {
    expect(() => exportToOnnx(model(), { head: { layout: 'windows', offset: [0, 0, 0], scale: [1, 1, 1], error: 'mse' } })).toThrow(/layout 'windows'/);
  });

  it('rejects an unknown latent layer', () => {
    expect(() => exportToOnnx(model(), { head: { layout: 'rows', offset: [0, 0, 0], scale: [1, 1, 1], error: 'mse', latentLayer: 'nope' } })).toThrow(/'nope'/);
  });

  it('rejects an extra output naming an unknown layer', () => {
    expect(() => exportToOnnx(model(), { extraOutputs: { latent: 'missing' } })).toThrow(/'missing'/);
  });
});
