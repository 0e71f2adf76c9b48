/**
 * Compact number text for outputs. `formatNumber` is the shortest text that reads back as the same double
 * (JavaScript's own Number-to-String); `formatFloat32` the shortest that reads back as the same float32,
 * for values that come out of a float32 model (0.1f is '0.1', not '0.10000000149011612').
 * NaN is missing: the empty string.
 */
export function formatNumber(value: number): string {
  return value !== value ? '' : String(value);
}

export function formatFloat32(value: number): string {
  if (value !== value) return '';
  if (Number.isInteger(value) || !Number.isFinite(value)) return String(value);
  const f = Math.fround(value);
  const plain = String(f);
  if (plain.length <= 8) return plain;
  // Shortest precision p in 1..9 whose decimal rounds back to f (round-tripping is monotone in p).
  let p = 6;
  if (roundTrips(f, p)) {
    while (p > 1 && roundTrips(f, p - 1)) p--;
  } else {
    while (p < 9 && !roundTrips(f, p)) p++;
  }
  return String(Number(f.toPrecision(p)));
}

function roundTrips(f: number, p: number): boolean {
  return Math.fround(Number(f.toPrecision(p))) === f;
}
