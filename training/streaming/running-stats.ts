import type { ScalerKind, ScalerParams } from '../../core/scaler';
import { fitScaler } from '../../core/scaler';

/** The smallest scale a feature gets (core/scaler.ts's MIN_SCALE). */
const MIN_SCALE = 1e-8;

/**
 * Per-feature statistics over rows seen one chunk at a time, in the order core/scaler.ts's fitScaler visits them
 * (Welford's update, row after row, in float64): the 'standard', 'minmax' and 'global' scalers it gives are the
 * in-memory ones to the last bit. 'robust' needs quantiles: it is fitted on a uniform sample of the rows (exact
 * while the sample holds every row).
 */
export class RunningStats {
  readonly count: Float64Array;
  readonly mean: Float64Array;
  readonly m2: Float64Array;
  readonly min: Float64Array;
  readonly max: Float64Array;
  private gN = 0;
  private gMean = 0;
  private gM2 = 0;

  constructor(readonly features: number) {
    this.count = new Float64Array(features);
    this.mean = new Float64Array(features);
    this.m2 = new Float64Array(features);
    this.min = new Float64Array(features).fill(Infinity);
    this.max = new Float64Array(features).fill(-Infinity);
  }

  /** Adds row-major rows [n × features] (NaN = missing). */
  add(values: Float32Array): void {
    const f = this.features;
    const { count, mean, m2, min, max } = this;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!Number.isFinite(v)) continue;
      const j = i % f;
      const n = ++count[j]!;
      const d = v - mean[j]!;
      mean[j]! += d / n;
      m2[j]! += d * (v - mean[j]!);
      if (v < min[j]!) min[j] = v;
      if (v > max[j]!) max[j] = v;
      this.gN++;
      const g = v - this.gMean;
      this.gMean += g / this.gN;
      this.gM2 += g * (v - this.gMean);
    }
  }

  /** The scaler of `kind`; 'robust' from `sample` (rows as add() takes them). */
  scaler(kind: ScalerKind, sample: Float32Array): ScalerParams {
    if (kind === 'robust') return fitScaler(sample, this.features, 'robust');
    if (kind === 'global') {
      const std = this.gN ? Math.sqrt(this.gM2 / this.gN) : 0;
      const offset = this.gN ? this.gMean : 0;
      const scale = std > MIN_SCALE * Math.max(1, Math.abs(offset)) ? std : 1;
      return { kind, offset: new Array<number>(this.features).fill(offset), scale: new Array<number>(this.features).fill(scale) };
    }
    // fitScaler validates the kind; its own loop is mirrored here
    if (kind !== 'standard' && kind !== 'minmax') return fitScaler(new Float32Array(0), this.features, kind);
    const offset: number[] = [];
    const scale: number[] = [];
    for (let j = 0; j < this.features; j++) {
      if (this.count[j] === 0) {
        offset.push(0);
        scale.push(1);
      } else if (kind === 'standard') {
        const std = Math.sqrt(this.m2[j]! / this.count[j]!);
        offset.push(this.mean[j]!);
        scale.push(std > MIN_SCALE * Math.max(1, Math.abs(this.mean[j]!)) ? std : 1);
      } else {
        const range = this.max[j]! - this.min[j]!;
        offset.push(this.min[j]!);
        scale.push(range > MIN_SCALE * Math.max(1, Math.abs(this.min[j]!)) ? range : 1);
      }
    }
    return { kind, offset, scale };
  }

  /** Per feature: 'no values', 'constant' or null (what read-training-data's label check asks of the whole table). */
  degenerate(): ('no values' | 'constant' | null)[] {
    return Array.from({ length: this.features }, (_, j) =>
      this.count[j] === 0 ? 'no values' : this.min[j] === this.max[j] ? 'constant' : null);
  }
}
