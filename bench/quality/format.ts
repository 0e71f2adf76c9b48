/** Number formatting and goal lines for the quality tables. */

export function fixed(v: number, digits = 3): string {
  return Number.isFinite(v) ? v.toFixed(digits) : 'n/a';
}

/** `.985`-style for values in [0, 1]. */
export function frac(v: number, digits = 3): string {
  return Number.isFinite(v) ? v.toFixed(digits).replace(/^0\./, '.') : 'n/a';
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/**
 * One line saying whether a goal is met and by how much: `higher` goals need value ≥ goal, lower goals
 * value ≤ goal.
 */
export function goalLine(what: string, value: number, goal: number, direction: 'higher' | 'lower', digits = 3, who?: string): string {
  const met = direction === 'higher' ? value >= goal : value <= goal;
  const gap = Math.abs(value - goal);
  const by = who ? ` (${who})` : '';
  return met
    ? `- ✅ ${what}: ${fixed(value, digits)}${by} meets the goal ${direction === 'higher' ? '≥' : '≤'} ${fixed(goal, digits)} ` +
        `(margin ${fixed(gap, digits)}).`
    : `- ❌ ${what}: ${fixed(value, digits)}${by} misses the goal ${direction === 'higher' ? '≥' : '≤'} ${fixed(goal, digits)} ` +
        `by ${fixed(gap, digits)}.`;
}

/** Logs a progress line to stderr (the markdown goes to stdout / BENCHMARKS.md). */
export function log(message: string): void {
  process.stderr.write(`[bench:quality] ${message}\n`);
}
