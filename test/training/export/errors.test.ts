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

describe('OnnxExportError lists every unsupported layer at once', () => {
  it('names every layer without a converter in one error, from the pre-pass, in layer order', () => {
    const model = seq([5, 4], tf.layers.masking({ name: 'm1' }), tf.layers.dense({ units: 4 }), tf.layers.masking({ name: 'm2' }));
    const e = exportError(model);
    expect(e.problems.map((p) => [p.layerName, p.className, p.option])).toEqual([['m1', 'Masking', 'class'], ['m2', 'Masking', 'class']]);
    expect([e.layerName, e.option]).toEqual(['m1', 'class']);
    expect(e.message).toMatch(/2 unsupported layers or options: \(1\) 'm1' \(Masking\): class: .*; \(2\) 'm2' \(Masking\): class: /);
    expect(e.message).toContain('createConverterRegistry().registerLayerConverter');
  });

  it('finds a layer without a converter inside a nested model and inside TimeDistributed', () => {
    const inner = seq([4], tf.layers.dense({ units: 4 }), tf.layers.masking({ name: 'inner_mask' }));
    const input = tf.input({ shape: [3, 4] });
    const td = tf.layers.timeDistributed({ layer: tf.layers.masking({ name: 'td_mask' }), name: 'td' }).apply(input) as tf.SymbolicTensor;
    const flat = tf.layers.flatten().apply(td) as tf.SymbolicTensor;
    const dense = tf.layers.dense({ units: 4 }).apply(flat) as tf.SymbolicTensor;
    const out = inner.apply(dense) as tf.SymbolicTensor;
    const e = exportError(tf.model({ inputs: input, outputs: out }));
    expect(e.problems.map((p) => p.layerName).sort()).toEqual(['inner_mask', 'td_mask']);
  });

  it('collects the options converters refuse over the whole model, not only the first', () => {
    const model = seq([4, 3],
      tf.layers.lstm({ units: 2, activation: 'selu', returnSequences: true, name: 'enc' }),
      tf.layers.batchNormalization({ axis: 1, name: 'bn' }),
      tf.layers.softmax({ axis: [1, 2] as unknown as number, name: 'sm' }));
    const e = exportError(model);
    expect(e.problems.map((p) => [p.layerName, p.className, p.option])).toEqual([
      ['enc', 'LSTM', 'activation'], ['bn', 'BatchNormalization', 'axis'], ['sm', 'Softmax', 'axis'],
    ]);
  });

  it('reports each refused layer once when the scoring head unrolls the model several times', () => {
    const model = seq([4, 3], tf.layers.lstm({ units: 3, activation: 'selu', returnSequences: true, name: 'd' }));
    let e: unknown;
    try {
      exportToOnnx(model, { head: { layout: 'windows', offset: [0, 0, 0], scale: [1, 1, 1], error: 'mse', iterations: 3 } });
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(OnnxExportError);
    expect((e as OnnxExportError).problems.map((p) => [p.layerName, p.option])).toEqual([['d', 'activation']]);
  });
});

describe('ExportOptionsError', () => {
  const model = (): tf.LayersModel => seq([3], tf.layers.dense({ units: 3, name: 'out' }));

  it('rejects a scaler whose length differs from the feature count', () => {
    expect(() => exportToOnnx(model(), { head: { layout: 'rows', offset: [0, 0], scale: [1, 1], error: 'mse' } })).toThrow(
      ExportOptionsError,
    );
  });

  it('rejects a zero scale', () => {
    expect(() => exportToOnnx(model(), { head: { layout: 'rows', offset: [0, 0, 0], scale: [1, 0, 1], error: 'mse' } })).toThrow(
      /scale\[1\]/,
    );
  });

  it('rejects a windows layout for a rank-2 model', () => {
    expect(() => exportToOnnx(model(), { head: { layout: 'windows', offset: [0, 0, 0], scale: [1, 1, 1], error: 'mse' } })).toThrow(
      /layout 'windows'/,
    );
  });

  it('rejects an unknown latent layer', () => {
    expect(() =>
      exportToOnnx(model(), { head: { layout: 'rows', offset: [0, 0, 0], scale: [1, 1, 1], error: 'mse', latentLayer: 'nope' } }),
    ).toThrow(/'nope'/);
  });

  it('rejects an extra output naming an unknown layer', () => {
    expect(() => exportToOnnx(model(), { extraOutputs: { latent: 'missing' } })).toThrow(/'missing'/);
  });
});
