import * as tf from '@tensorflow/tfjs';
import { assertOnnxParity, sequentialOf } from './parity';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const seq = (inputShape: number[], ...layers: tf.layers.Layer[]) => sequentialOf(inputShape, layers);

const T = 6;
const F = 3;

describe('recurrent layers', () => {
  const cases: [string, () => tf.layers.Layer[]][] = [
    ['LSTM, last output (default hardSigmoid gates)', () => [tf.layers.lstm({ units: 4 })]],
    ['LSTM, sequences', () => [tf.layers.lstm({ units: 4, returnSequences: true })]],
    [
      'LSTM with sigmoid gates, relu activation, no bias',
      () => [tf.layers.lstm({ units: 3, recurrentActivation: 'sigmoid', activation: 'relu', useBias: false, returnSequences: true })],
    ],
    ['LSTM with linear activation', () => [tf.layers.lstm({ units: 3, activation: 'linear' })]],
    ['LSTM goBackwards, sequences', () => [tf.layers.lstm({ units: 3, goBackwards: true, returnSequences: true })]],
    ['LSTM goBackwards, last output', () => [tf.layers.lstm({ units: 3, goBackwards: true })]],
    ['GRU, last output', () => [tf.layers.gru({ units: 4 })]],
    ['GRU, sequences with sigmoid gates', () => [tf.layers.gru({ units: 4, returnSequences: true, recurrentActivation: 'sigmoid' })]],
    ['SimpleRNN, sequences', () => [tf.layers.simpleRNN({ units: 4, returnSequences: true })]],
    [
      'LSTM encoder-decoder (RepeatVector, TimeDistributed(Dense))',
      () => [
        tf.layers.lstm({ units: 4 }),
        tf.layers.repeatVector({ n: T }),
        tf.layers.lstm({ units: 4, returnSequences: true }),
        tf.layers.timeDistributed({ layer: tf.layers.dense({ units: F }) }),
      ],
    ],
  ];
  for (const [name, make] of cases) {
    it(`${name} matches tfjs`, async () => {
      await assertOnnxParity(seq([T, F], ...make()));
    });
  }
});

describe('Bidirectional', () => {
  for (const mergeMode of ['concat', 'sum', 'mul', 'ave'] as const) {
    for (const returnSequences of [false, true]) {
      it(`Bidirectional(LSTM) mergeMode ${mergeMode}, returnSequences ${returnSequences} matches tfjs`, async () => {
        await assertOnnxParity(
          seq([T, F], tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 3, returnSequences }) as tf.RNN, mergeMode })),
        );
      });
    }
  }
  it('Bidirectional(GRU) concat matches tfjs', async () => {
    await assertOnnxParity(seq([T, F], tf.layers.bidirectional({ layer: tf.layers.gru({ units: 3, returnSequences: true }) as tf.RNN })));
  });
});

describe('TimeDistributed', () => {
  it('TimeDistributed(Flatten) folds time into the batch and back', async () => {
    await assertOnnxParity(seq([T, 2, 2], tf.layers.timeDistributed({ layer: tf.layers.flatten() }), tf.layers.dense({ units: 2 })));
  });
});
