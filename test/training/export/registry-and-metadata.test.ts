import { readFileSync } from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { decodeModel } from '../../../training/export/onnx-proto';
import {
  ONNX_IR_VERSION, ONNX_OPSET, OnnxExportError, createConverterRegistry, exportToOnnx, readOnnxMetadata, type LayerConverter,
} from '../../../training/export';
import { PRODUCER_VERSION } from '../../../training/producer';
import { VaeSampling } from '../../../training/models/layers/vae-sampling';
import { assertOnnxParity, randomizeWeights } from './parity';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A custom layer computing 2x + 1, exported through a converter registered by the test. */
class AffineTwo extends tf.layers.Layer {
  static className = 'AffineTwoForTest';
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => tf.add(tf.mul(Array.isArray(inputs) ? inputs[0]! : inputs, 2), 1));
  }
}
tf.serialization.registerClass(AffineTwo);

function vae(): tf.LayersModel {
  const input = tf.input({ shape: [5] });
  const h = tf.layers.dense({ units: 4, activation: 'relu' }).apply(input) as tf.SymbolicTensor;
  const mean = tf.layers.dense({ units: 2, name: 'z_mean' }).apply(h) as tf.SymbolicTensor;
  const logVar = tf.layers.dense({ units: 2, name: 'z_log_var' }).apply(h) as tf.SymbolicTensor;
  const z = new VaeSampling({ name: 'z' }).apply([mean, logVar]) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 5 }).apply(z) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out });
  randomizeWeights(model);
  return model;
}

const affineTwo: LayerConverter = (ctx, call) =>
  ctx.graph.op('Add', [ctx.graph.op('Mul', [call.inputs[0]!, ctx.graph.scalar(2)]), ctx.graph.scalar(1)]);
const affineModel = (): tf.LayersModel => tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 3 }), new AffineTwo({})] });

describe('converter registry', () => {
  it('exports a custom layer through a converter added to a registry the caller owns', async () => {
    const converters = createConverterRegistry().registerLayerConverter('AffineTwoForTest', affineTwo);
    await assertOnnxParity(affineModel(), { exportOptions: { converters } });
  });

  it('keeps a converter in the registry it was added to (no global state)', () => {
    const mine = createConverterRegistry().registerLayerConverter('AffineTwoForTest', affineTwo);
    expect(mine.has('AffineTwoForTest')).toBe(true);
    expect(createConverterRegistry().has('AffineTwoForTest')).toBe(false);
    expect(() => exportToOnnx(affineModel())).toThrow(OnnxExportError);
    expect(() => exportToOnnx(affineModel(), { converters: createConverterRegistry() })).toThrow(/AffineTwoForTest/);
    expect(exportToOnnx(affineModel(), { converters: mine }).length).toBeGreaterThan(0);
  });

  it('makes the parity helper fail when a converter computes something else', async () => {
    class WrongAffine extends AffineTwo {
      static override className = 'WrongAffineForTest';
    }
    tf.serialization.registerClass(WrongAffine);
    const converters = createConverterRegistry()
      .registerLayerConverter('WrongAffineForTest', (ctx, call) => ctx.graph.op('Mul', [call.inputs[0]!, ctx.graph.scalar(2)]));
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 3 }), new WrongAffine({})] });
    await expect(assertOnnxParity(model, { exportOptions: { converters } })).rejects.toThrow(/parity failed/);
  });

  it('refuses to replace a converter unless asked, and then replaces it in that registry only', async () => {
    const registry = createConverterRegistry();
    const doubled: LayerConverter = (ctx, call) => ctx.graph.op('Mul', [call.inputs[0]!, ctx.graph.scalar(2)]);
    expect(() => registry.registerLayerConverter('Dense', doubled)).toThrow(/'Dense' already has a converter/);
    registry.registerLayerConverter('AffineTwoForTest', affineTwo);
    expect(() => registry.registerLayerConverter('AffineTwoForTest', affineTwo)).toThrow(/replace: true/);
    registry.registerLayerConverter('Dense', doubled, { replace: true });
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 3 })] });
    randomizeWeights(model);
    await expect(assertOnnxParity(model, { exportOptions: { converters: registry } })).rejects.toThrow(/parity failed/);
    await assertOnnxParity(model, { exportOptions: { converters: createConverterRegistry() } });
    await assertOnnxParity(model);
  });

  it('rejects an empty class name and a converter that is not a function', () => {
    expect(() => createConverterRegistry().registerLayerConverter('', affineTwo)).toThrow(TypeError);
    expect(() => createConverterRegistry().registerLayerConverter('X', undefined as unknown as LayerConverter)).toThrow(TypeError);
  });

  it('lists the built-in converters', () => {
    const names = createConverterRegistry().classNames();
    expect(names).toEqual(expect.arrayContaining(['Dense', 'LSTM', 'GRU', 'Bidirectional', 'Conv1D', 'VaeSampling', 'UpSampling1D']));
    expect(names).toEqual([...names].sort());
    expect(createConverterRegistry().registerLayerConverter('AffineTwoForTest', affineTwo).classNames()).toContain('AffineTwoForTest');
  });

  it('exports VaeSampling as its mean path and exposes an extra output', async () => {
    const model = vae();
    await assertOnnxParity(model);
    const session = await ort.InferenceSession.create(Buffer.from(exportToOnnx(model, { extraOutputs: { latent: 'z_mean' } })));
    expect(session.outputNames).toContain('latent');
    await session.release();
  });
});

describe('model proto', () => {
  it('writes opset 17, IR version 8, producer residual and a dynamic batch dimension', () => {
    const bytes = exportToOnnx(tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2 })] }), { producerVersion: '9.9.9' });
    const m = decodeModel(bytes) as {
      ir_version: number; producer_name: string; producer_version: string; opset_import: { version: number }[];
      graph: { input: { type: { tensor_type: { shape: { dim: { dim_param?: string; dim_value?: number }[] } } } }[] };
    };
    expect([m.ir_version, m.opset_import[0]!.version, m.producer_name, m.producer_version]).toEqual([
      ONNX_IR_VERSION,
      ONNX_OPSET,
      'residual',
      '9.9.9',
    ]);
    expect(m.graph.input[0]!.type.tensor_type.shape.dim).toEqual([{ dim_param: 'N' }, { dim_value: 3 }]);
  });

  it("writes residual's PRODUCER_VERSION (the package version) when no producerVersion is given", () => {
    const bytes = exportToOnnx(tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2 })] }));
    const m = decodeModel(bytes) as { producer_version: string };
    const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string };
    expect(PRODUCER_VERSION).toBe(pkg.version);
    expect(m.producer_version).toBe(PRODUCER_VERSION);
  });

  it('round-trips metadata_props through readOnnxMetadata', () => {
    const manifest = JSON.stringify({ name: 'm', features: ['a', 'b'] });
    const bytes = exportToOnnx(tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 2 })] }), {
      metadata: { 'residual.manifest': manifest, other: 'x' },
    });
    expect(readOnnxMetadata(bytes)).toEqual({ 'residual.manifest': manifest, other: 'x' });
  });
});
