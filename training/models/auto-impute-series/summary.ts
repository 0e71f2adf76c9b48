import { GAP_CLASSES, type GapWeights } from '../../../core/series-impute/params';

const weights = (w: GapWeights): string =>
  (['linear', 'seasonal', 'model'] as const).filter((k) => w[k] > 0).map((k) => (w[k] === 1 ? k : `${k} ${w[k]}`)).join(' + ');

interface SeriesBlock {
  look_ahead_rows: number;
  held_out_cells: number;
  columns: { name: string; period_rows: number; weights: Record<string, GapWeights>; rmse?: unknown; rmse_linear?: unknown }[];
}

const fmt = (v: unknown): string => (typeof v === 'number' && Number.isFinite(v) ? v.toPrecision(4) : 'n/a');

/** train's note on a series imputer: per column the blend per gap class and the held-out RMSE beside linear's (no data values). */
export function seriesSummary(imputation: Record<string, unknown> | undefined): string | null {
  const s = imputation?.['series'] as SeriesBlock | undefined;
  if (!s) return null;
  const lines = s.columns.map((c) => {
    const blend = GAP_CLASSES.map((g) => `${g}: ${weights(c.weights[g]!)}`).join('; ');
    return `  ${c.name}: ${blend}; period ${c.period_rows || 'none'}; RMSE ${fmt(c.rmse)} (linear ${fmt(c.rmse_linear)})\n`;
  });
  const head = `look-ahead ${s.look_ahead_rows} rows; ${s.held_out_cells} held-out cells shaped like its gaps`;
  return `series fill along the time column (${head}):\n` +
    lines.join('');
}
