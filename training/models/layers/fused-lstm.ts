import * as tf from '@tensorflow/tfjs';
import { repeatSource } from './broadcast-repeat-vector';
import { fusedLstmSequence } from './fused-lstm-sequence';
import { LstmWorkspace } from './lstm-workspace';
import { InternalError } from '../../../core/errors';

type LstmArgs = Parameters<typeof tf.layers.lstm>[0];
interface LstmCellWeights {
  kernel: { read(): tf.Tensor };
  recurrentKernel: { read(): tf.Tensor };
  bias: { read(): tf.Tensor };
}

/**
 * tfjs-layers' LSTM with the whole sequence computed by fusedLstmSequence (one op, WebAssembly SIMD
 * BPTT in a workspace owned by the layer). Same
 * weights, config and class name ('LSTM'), so the exporter converts it as any LSTM. Only the setup the
 * zoo uses is accepted: sigmoid recurrent activation, tanh activation, bias, no dropout, not stateful,
 * zero initial state, no masking.
 */
export class FusedLSTM extends tf.layers.Layer {
  static className = 'LSTM';
  private readonly inner: tf.layers.Layer;
  private workspace: LstmWorkspace | null = null;

  constructor(args: LstmArgs) {
    super({ name: args.name });
    const config = { ...args, activation: 'tanh' as const, recurrentActivation: 'sigmoid' as const, useBias: true };
    if (args.dropout || args.recurrentDropout || args.stateful || args.returnState || args.goBackwards) {
      throw new InternalError('FusedLSTM supports no dropout, stateful, returnState or goBackwards');
    }
    this.inner = tf.layers.lstm(config);
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    this.inner.build(inputShape);
    this.built = true;
  }

  override get trainableWeights(): tf.LayerVariable[] {
    return this.inner.trainableWeights;
  }

  override get nonTrainableWeights(): tf.LayerVariable[] {
    return this.inner.nonTrainableWeights;
  }

  override get weights(): tf.LayerVariable[] {
    return this.inner.weights;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return this.inner.computeOutputShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const cell = (this.inner as unknown as { cell: LstmCellWeights }).cell;
    this.workspace ??= new LstmWorkspace();
    // Fed by a RepeatVector: take its [B, F] source and let the op use that every input step is the same.
    const repeated = repeatSource(x);
    const input = repeated && repeated.n === x.shape[1] ? repeated.source : x;
    return fusedLstmSequence(
      input,
      cell.kernel.read(),
      cell.recurrentKernel.read(),
      cell.bias.read(),
      this.returnSequences,
      this.workspace,
      input === x ? undefined : repeated!.n,
    );
  }

  get returnSequences(): boolean {
    return Boolean((this.inner as unknown as { returnSequences: boolean }).returnSequences);
  }

  get units(): number {
    return (this.inner as unknown as { units: number }).units;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return this.inner.getConfig();
  }
}
