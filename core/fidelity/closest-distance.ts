/**
 * Distance of each row of `a` to its closest row of `b` (Euclidean, each column divided by `scale`):
 * the gan's threshold calibration (held-out rows against synthetic ones) and fidelity's privacy check.
 */
export function closestDistances(a: ArrayLike<number>, b: ArrayLike<number>, f: number, scale: ArrayLike<number>): Float64Array {
  const na = Math.floor(a.length / f);
  const nb = Math.floor(b.length / f);
  const inv = Float64Array.from({ length: f }, (_, j) => (scale[j]! > 0 ? 1 / scale[j]! : 1));
  const out = new Float64Array(na);
  for (let i = 0; i < na; i++) {
    let best = Infinity;
    for (let k = 0; k < nb; k++) {
      let d = 0;
      for (let j = 0; j < f && d < best; j++) {
        const t = (a[i * f + j]! - b[k * f + j]!) * inv[j]!;
        d += t * t;
      }
      if (d < best) best = d;
    }
    out[i] = Math.sqrt(best);
  }
  return out;
}
