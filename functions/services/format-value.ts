/**
 * Formats a float32 result compactly: 7 significant digits (float32 carries about that many), no
 * trailing zeros, no exponent for ordinary magnitudes. NaN and infinities become ''.
 */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return '';
  if (v === 0) return '0';
  return String(Number(v.toPrecision(7)));
}
