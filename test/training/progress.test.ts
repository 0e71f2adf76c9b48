import { PassThrough } from 'node:stream';
import { Rng } from '../../core/rng';
import { fitScaler } from '../../core/scaler';
import { prepareSamples, splitSamples } from '../../training/dataset';
import { runTrainingLoop } from '../../training/loop';
import { modelDefinition } from '../../training/models';
import { createProgress, type BatchReport, type ProgressReporter } from '../../training/progress';
import { correlatedRows } from './synthetic';

/** A stream that keeps what is written to it (a real Writable; cli-progress and the line reporter write to it). */
function captureStream(isTTY = false): { stream: NodeJS.WriteStream; text: () => string } {
  const s = new PassThrough();
  let text = '';
  s.on('data', (c: Buffer) => (text += c.toString()));
  return { stream: Object.assign(s, { isTTY, columns: 120 }) as unknown as NodeJS.WriteStream, text: () => text };
}

describe('training progress within an epoch', () => {
  test('the training loop reports every mini-batch, in order, with the batch count per epoch', () => {
    const d = correlatedRows(300, 4, 3);
    const scaler = fitScaler(d.values, 4, 'standard');
    const samples = prepareSamples(d.values, 4, scaler, 'rows', null);
    const { train, validation } = splitSamples(samples, 0.2, new Rng(1));
    const zm = modelDefinition('dense-ae').build({ shape: samples.shape, rng: new Rng(2), config: {}, learningRate: 1e-3 });
    const batches: BatchReport[] = [];
    const epochs: number[] = [];
    const progress: ProgressReporter = {
      start() {},
      batch: (r) => void batches.push(r),
      epoch: (r) => void epochs.push(r.epoch),
      stop() {},
    };
    try {
      runTrainingLoop(zm, train, validation, { epochs: 2, batchSize: 32, patience: 5, rng: new Rng(3), progress });
    } finally {
      zm.dispose();
    }
    const steps = Math.floor(train.count / 32);
    expect(batches).toHaveLength(2 * steps);
    expect(batches[0]).toEqual({ epoch: 1, epochs: 2, batch: 1, batches: steps });
    expect(batches[steps]).toEqual({ epoch: 2, epochs: 2, batch: 1, batches: steps });
    expect(batches[2 * steps - 1]).toEqual({ epoch: 2, epochs: 2, batch: steps, batches: steps });
    expect(epochs).toEqual([1, 2]);
  });

  test('plain lines show the batch, the share of training done and an ETA before the first epoch ends', async () => {
    const out = captureStream();
    const p = createProgress({ mode: 'lines', stream: out.stream, label: 'train lstm-ae', lineIntervalMs: 0 });
    p.start(2);
    await new Promise((r) => setTimeout(r, 20));
    p.batch!({ epoch: 1, epochs: 2, batch: 250, batches: 1000 });
    p.stop();
    await new Promise((r) => setImmediate(r));
    const line = out.text().trim();
    expect(line).toMatch(/^train lstm-ae: epoch 1\/2 batch 250\/1000 \(12% of training\) ETA \d+s$/);
  });

  test('the bar moves within an epoch: it shows the batch and a fractional position', async () => {
    // cli-progress draws only on a terminal; this stream says it is one
    const out = captureStream(true);
    const p = createProgress({ mode: 'bar', stream: out.stream, label: 'train' });
    p.start(2);
    p.batch!({ epoch: 1, epochs: 2, batch: 500, batches: 1000 });
    p.stop();
    await new Promise((r) => setImmediate(r));
    expect(out.text()).toMatch(/train \[[^\]]*\] 0\/2 epochs \| batch 500\/1000 \| loss - \| val - \| ETA/);
    // half an epoch of two is a quarter of the bar (24 cells): 6 filled
    expect(out.text()).toMatch(/\[={6}-{18}\] 0\/2 epochs \| batch 500/);
  });
});
