import type { Manifest } from '../../../core/manifest';

/**
 * What `train` prints for the imputer: per column the fill that won on the held-out cells and its RMSE there
 * beside the column mean's (raw units; model quality numbers, not data values).
 */
export function imputationSummary(imputation: NonNullable<Manifest['imputation']>): string {
  const lines = imputation.columns.map((c) => {
    const how = c.method === 'knn' ? `kNN k=${String(c['k'])} ${String(c['knn_weighting'])}`
      : c.method === 'blend' ? `${String(c['knn_weight'])}·kNN k=${String(c['k'])} ${String(c['knn_weighting'])} + Gaussian`
        : c.method === 'gaussian' ? 'Gaussian conditional mean' : 'column mean';
    const rmse = c.rmse === null ? 'no held-out cells' : `RMSE ${c.rmse.toPrecision(4)} (mean ${c.rmse_mean!.toPrecision(4)})`;
    return `  ${c.name}: ${how}${c['fallback'] ? ' (too few held-out cells: the overall best)' : ''}, ${rmse}`;
  });
  return `imputer, per column (validation on ${imputation.held_out_cells} held-out cells):\n${lines.join('\n')}\n`;
}
