import * as tf from '@tensorflow/tfjs';
import { BroadcastRepeatVector } from './layers/broadcast-repeat-vector';
import { FusedLSTM } from './layers/fused-lstm';
import { fusedLstmAvailable } from './layers/fused-lstm-sequence';
import { checkConfigKeys, configInt, seededKernel, setOrthogonal } from './common';
import { sequenceView } from './conv1d-ae';
import { LATENT_LAYER, ReconstructionModel, sampleDims } from './dense-ae';
import type { ModelDefinition } from './types';

/**
 * lstm-ae: an LSTM encoder–decoder. The encoder's final state ('code', `units` wide) is repeated over
 * the T steps and decoded by a second LSTM and a per-step Dense back to the channels. Windows [T, F]
 * are T steps × F channels; in 'rows' layout a row of F values is a sequence of F steps × 1 channel.
 */
export const lstmAe: ModelDefinition = {
  kind: 'lstm-ae',
  layouts: ['windows', 'rows'],
  build(ctx) {
    checkConfigKeys('lstm-ae', ctx.config, ['units']);
    const { shape, rng } = ctx;
    const units = configInt(ctx.config, 'units', 32);
    const { steps, channels } = sequenceView(shape);
    const input = tf.input({ shape: sampleDims(shape), name: 'x' });
    let h: tf.SymbolicTensor = input;
    if (shape.layout === 'rows') h = tf.layers.reshape({ targetShape: [steps, 1], name: 'as_sequence' }).apply(h) as tf.SymbolicTensor;
    // On WASM and the JS backend the fused layer (one op per sequence, WebAssembly SIMD BPTT) replaces
    // tfjs-layers' per-step LSTM; both have the same weights, config and class name, so export is unchanged.
    const fused = (tf.getBackend() === 'wasm' || tf.getBackend() === 'cpu') && fusedLstmAvailable();
    const lstm = (name: string, returnSequences: boolean): tf.layers.Layer => {
      const args = {
        units,
        returnSequences,
        name,
        recurrentActivation: 'sigmoid' as const,
        kernelInitializer: seededKernel(rng),
        recurrentInitializer: 'zeros' as const,
      };
      return fused ? new FusedLSTM(args) : tf.layers.lstm(args);
    };
    h = lstm(LATENT_LAYER, false).apply(h) as tf.SymbolicTensor;
    h = (fused ? new BroadcastRepeatVector({ n: steps, name: 'repeat' }) : tf.layers.repeatVector({ n: steps, name: 'repeat' })).apply(
      h,
    ) as tf.SymbolicTensor;
    h = lstm('decoder', true).apply(h) as tf.SymbolicTensor;
    // A Dense on [N, T, U] acts per step (what TimeDistributed(Dense) computes, without its per-step loop).
    h = tf.layers.dense({ units: channels, kernelInitializer: seededKernel(rng), name: 'recon' }).apply(h) as tf.SymbolicTensor;
    if (shape.layout === 'rows') h = tf.layers.reshape({ targetShape: [steps], name: 'as_row' }).apply(h) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: h, name: 'lstm_ae' });
    for (const name of [LATENT_LAYER, 'decoder']) {
      // tfjs suffixes repeated variable names (recurrent_kernel_1, ...), so match the stem.
      const w = model.getLayer(name).weights.find((v) => /recurrent_kernel/.test(v.name))!;
      setOrthogonal(w.read() as tf.Variable, rng);
    }
    return new ReconstructionModel('lstm-ae', model, units, { units }, ctx.learningRate);
  },
};
