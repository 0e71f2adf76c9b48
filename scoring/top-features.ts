import { formatFloat32 } from '../core/io';

/**
 * The `top_features` and `top_errors` cells of a detect row: the k features with the largest feature_error, largest
 * first (ties keep the earlier feature first; a NaN error is never passed), named `;`-separated, and their errors in the
 * same order, each as formatFloat32 writes it. One selection per row into scratch arrays, no per-row arrays.
 */
export class TopFeatures {
  private readonly index: Int32Array;
  private readonly value: Float64Array;
  private count = 0;

  constructor(private readonly features: readonly string[], private readonly k: number) {
    this.index = new Int32Array(Math.max(k, 1));
    this.value = new Float64Array(Math.max(k, 1));
  }

  /** Selects the top k of errors[at .. at+f) (one row); read them with names() and errors(). */
  select(errors: Float32Array, at: number, f: number): void {
    const k = this.k;
    const index = this.index;
    const value = this.value;
    let len = 0;
    if (k > 0) {
      for (let j = 0; j < f; j++) {
        const e = errors[at + j]!;
        if (len < k || e > value[len - 1]!) {
          let i = len < k ? len++ : k - 1;
          index[i] = j;
          value[i] = e;
          while (i > 0 && value[i - 1]! < e) {
            index[i] = index[i - 1]!;
            value[i] = value[i - 1]!;
            index[i - 1] = j;
            value[i - 1] = e;
            i--;
          }
        }
      }
    }
    this.count = len;
  }

  /** `top_features` of the row selected last. */
  names(): string {
    let text = '';
    for (let i = 0; i < this.count; i++) text += (i === 0 ? '' : ';') + this.features[this.index[i]!]!;
    return text;
  }

  /** `top_errors` of the row selected last. */
  errors(): string {
    let text = '';
    for (let i = 0; i < this.count; i++) text += (i === 0 ? '' : ';') + formatFloat32(this.value[i]!);
    return text;
  }
}
