import type { ConversionContext, LayerCall, WeightValue } from '../converter-registry';

/** The layer's weight named `suffix`, or the named export error when the layer has none. */
export function requireWeight(ctx: ConversionContext, call: LayerCall, suffix: string): WeightValue {
  const w = ctx.weight(call.layer, suffix);
  if (!w) call.unsupported(suffix, `layer has no weight named '${suffix}' (was it built?)`);
  return w!;
}

/** Initializer holding the weight `suffix` unchanged. */
export function weightInitializer(ctx: ConversionContext, call: LayerCall, suffix: string): string {
  return ctx.initializer(call.layer, suffix, () => requireWeight(ctx, call, suffix));
}

/** Transposes a row-major array of the given shape by `perm` (like numpy.transpose). */
export function transposeArray(values: Float32Array, shape: readonly number[], perm: readonly number[]): WeightValue {
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = stridesOf(shape);
  const outStrides = stridesOf(outShape);
  const out = new Float32Array(values.length);
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let rem = o;
    let src = 0;
    for (let d = 0; d < rank; d++) {
      idx[d] = Math.floor(rem / outStrides[d]!);
      rem -= idx[d]! * outStrides[d]!;
      src += idx[d]! * inStrides[perm[d]!]!;
    }
    out[o] = values[src]!;
  }
  return { values: out, shape: outShape };
}

function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length).fill(1);
  for (let d = shape.length - 2; d >= 0; d--) strides[d] = strides[d + 1]! * shape[d + 1]!;
  return strides;
}

/** Reads a numeric config field, with the layer named in the error when it is missing or not a number. */
export function numberConfig(call: LayerCall, key: string, fallback?: number): number {
  const v = call.config[key];
  if (v === undefined || v === null) {
    if (fallback !== undefined) return fallback;
    call.unsupported(key, 'missing from the layer config');
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) call.unsupported(key, `expected a number, got ${JSON.stringify(v)}`);
  return v as number;
}

/** A config field that is a number or a one-element number array (tfjs writes both for 1-D sizes). */
export function scalarOrFirst(call: LayerCall, key: string, fallback?: number): number {
  const v = call.config[key];
  if (Array.isArray(v)) {
    if (v.length !== 1 || typeof v[0] !== 'number') call.unsupported(key, `expected one number, got ${JSON.stringify(v)}`);
    return v[0] as number;
  }
  return numberConfig(call, key, fallback);
}
