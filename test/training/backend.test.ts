import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../training/backend';
import { BackendUnavailableError } from '../../training/errors';

describe('selectBackend', () => {
  afterAll(async () => {
    await selectBackend('cpu');
  });

  it("falls back from tfjs-node (absent here) to 'wasm' under 'auto'", async () => {
    expect(await selectBackend('auto')).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  it("refuses 'tensorflow' when tfjs-node cannot be loaded, naming the packages tried", async () => {
    await expect(selectBackend('tensorflow')).rejects.toThrow(BackendUnavailableError);
    await expect(selectBackend('tensorflow')).rejects.toThrow(/@tensorflow\/tfjs-node-gpu.*@tensorflow\/tfjs-node/);
  });

  it("selects 'cpu' when asked", async () => {
    expect(await selectBackend('cpu')).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('registers the WASM gradient kernels', async () => {
    await selectBackend('wasm');
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    expect(tf.getKernel('UnsortedSegmentSum', 'wasm')).toBeDefined();
  });

  it('rejects an unknown choice, naming it', async () => {
    await expect(selectBackend('gpu' as never)).rejects.toThrow(/got 'gpu'/);
  });
});
