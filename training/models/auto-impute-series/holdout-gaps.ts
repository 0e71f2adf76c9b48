import type { Rng } from '../../../core/rng';

/** Share of each column's observed cells hidden to choose the fill (at most HOLDOUT_MAX_CELLS). */
export const HOLDOUT_SHARE = 0.1;
export const HOLDOUT_MAX_CELLS = 20000;
/** A column keeps at least this many observed cells. */
export const MIN_KEPT = 5;
/** With fewer missing runs than this in a column, the run lengths are drawn from DEFAULT_RUNS instead of the column's own. */
export const MIN_RUNS = 5;
/** Default run lengths: one cell half of the time, else uniform in 2 … 32 rows. */
export const DEFAULT_LONGEST = 32;

export interface GapHoldout {
  /** the training rows with the held-out cells set to NaN */
  values: Float32Array;
  /** 1 at a held-out cell (row · F + column) */
  held: Uint8Array;
  cells: number;
}

/**
 * Hides cells shaped like the column's real gaps: runs of consecutive rows whose lengths are those of the runs
 * holding random missing cells of the column (so a run is drawn in proportion to its length; MIN_RUNS runs at
 * least, else one cell half of the time and 2 … 32 rows otherwise), each placed at a seeded random row with
 * observed (not hidden) neighbours on both sides (the observed cells inside are hidden, missing ones stay
 * missing), until HOLDOUT_SHARE of the observed cells are hidden. Every run so lies between two observed cells, as a gap inside
 * the series does; gaps at the ends of a series are not simulated (their fill is one-sided, see gap-filler.ts).
 */
export function holdOutGaps(values: Float32Array, f: number, rng: Rng): GapHoldout {
  const n = values.length / f;
  const out = values.slice();
  const held = new Uint8Array(values.length);
  let cells = 0;
  for (let j = 0; j < f; j++) {
    const runs: number[] = [];
    let observed = 0;
    let run = 0;
    for (let i = 0; i < n; i++) {
      if (Number.isFinite(values[i * f + j])) {
        observed++;
        if (run > 0 && runs.length < 100000) runs.push(run);
        run = 0;
      } else run++;
    }
    const target = Math.min(HOLDOUT_MAX_CELLS, Math.round(HOLDOUT_SHARE * observed), Math.max(0, observed - MIN_KEPT));
    const own = runs.length >= MIN_RUNS;
    const cum = own ? cumulative(runs) : new Float64Array(0);
    let hidden = 0;
    for (let tries = 0; hidden < target && tries < 50 * target + 100; tries++) {
      const drawn = own ? runOfCell(runs, cum, rng) : rng.next() < 0.5 ? 1 : 2 + rng.int(DEFAULT_LONGEST - 1);
      const len = Math.min(drawn, target - hidden);
      if (len + 2 > n) continue;
      const s = 1 + rng.int(n - len - 1);
      // observed (and not hidden) neighbours; cells inside that are missing already stay missing, as in a real gap
      if (!Number.isFinite(out[(s - 1) * f + j]) || !Number.isFinite(out[(s + len) * f + j])) continue;
      for (let i = s; i < s + len; i++) {
        if (!Number.isFinite(out[i * f + j])) continue;
        out[i * f + j] = NaN;
        held[i * f + j] = 1;
        hidden++;
      }
    }
    cells += hidden;
  }
  return { values: out, held, cells };
}

/** The length of the run holding a random missing cell (runs drawn in proportion to their length). */
function runOfCell(runs: readonly number[], cum: Float64Array, rng: Rng): number {
  const u = rng.next() * cum[cum.length - 1]!;
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid]! > u) hi = mid;
    else lo = mid + 1;
  }
  return runs[lo]!;
}

function cumulative(runs: readonly number[]): Float64Array {
  const out = new Float64Array(runs.length);
  let s = 0;
  runs.forEach((r, i) => (out[i] = s += r));
  return out;
}
