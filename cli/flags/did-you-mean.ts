/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent transpositions). Written here rather than
 * taken from a package: a dozen lines for lists of a few flag names, and no new dependency for the CLI.
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The known name closest to `typed`: within 1 edit for short names, about a third of the length for longer
 * ones, or the only name `typed` is a prefix of. Null when nothing is close enough to be a likely typo.
 */
export function closest(typed: string, known: readonly string[]): string | null {
  const lower = typed.toLowerCase();
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const name of known) {
    const distance = editDistance(lower, name.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [name, distance];
  }
  if (best !== null && bestDistance <= Math.max(1, Math.floor(typed.length / 3))) return best;
  const prefixed = known.filter((name) => lower.length >= 2 && name.toLowerCase().startsWith(lower));
  return prefixed.length === 1 ? prefixed[0]! : null;
}
