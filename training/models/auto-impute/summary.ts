import type { Manifest } from '../../../core/manifest';

/**
 * What `train` prints for the imputer: per column the fill that won on the held-out cells and its RMSE there
 * beside the column mean's (raw units; model quality numbers, not data values).
 */
export function imputationSummary(imputation: NonNullable<Manifest['imputation']>, forest?: unknown): string {
  const lines = imputation.columns.map((c) => {
    const how = c.method === 'knn' ? `kNN k=${String(c['k'])} ${String(c['knn_weighting'])}`
      : c.method === 'blend' ? `${String(c['knn_weight'])}·kNN k=${String(c['k'])} ${String(c['knn_weighting'])} + Gaussian`
        : c.method === 'gaussian' ? 'Gaussian conditional mean' : 'column mean';
    const fw = typeof c['forest_weight'] === 'number' && c['forest_weight'] > 0 ? c['forest_weight'] : 0;
    const fw2 = typeof c['forest2_weight'] === 'number' && c['forest2_weight'] > 0 ? c['forest2_weight'] : 0;
    const forest = (fw ? ` blended with the forest (weight ${fw})` : '') + (fw2 ? `, then with its second round (weight ${fw2})` : '');
    const rmse = c.rmse === null ? 'no held-out cells' : `RMSE ${c.rmse.toPrecision(4)} (mean ${c.rmse_mean!.toPrecision(4)})`;
    return `  ${c.name}: ${how}${forest}${c['fallback'] ? ' (too few held-out cells: the overall best)' : ''}, ${rmse}`;
  });
  const head = `imputer, per column (validation on ${imputation.held_out_cells} held-out cells):`;
  return `${head}\n${lines.join('\n')}\n${forestLine(forest)}`;
}

/** The forest member's budget and what it kept (the manifest's auto.forest), one line; '' when it was not tried. */
function forestLine(forest: unknown): string {
  if (!forest || typeof forest !== 'object') return '';
  const f = forest as Record<string, unknown>;
  const cols = Array.isArray(f['columns']) ? f['columns'].length : 0;
  const budget = `${String(f['trees_per_column'])} trees a column, <= ${String(f['max_rows'])} rows, ` +
    `<= ${String(f['max_nodes_per_tree'])} nodes a tree`;
  const r2 = f['round2'] && typeof f['round2'] === 'object' ? (f['round2'] as Record<string, unknown>) : null;
  const cols2 = r2 && Array.isArray(r2['columns']) ? r2['columns'].length : 0;
  const second = r2 ? `; second round: fitted ${String(r2['trees_fitted'])} trees (${String(r2['nodes_fitted'])} nodes) in ` +
    `${String(r2['fit_ms'])} ms, kept on ${cols2} column(s) (${String(r2['nodes_kept'])} nodes)` : '';
  return `forest: ${budget}, ` +
    `min leaf ${String(f['min_leaf'])}; fitted ${String(f['trees_fitted'])} trees (${String(f['nodes_fitted'])} nodes) in ` +
    `${String(f['fit_ms'])} ms, kept on ${cols} column(s) (${String(f['nodes_kept'])} nodes)${second}\n`;
}
