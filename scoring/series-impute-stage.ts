import { InputError } from '../core/errors';
import type { Manifest } from '../core/manifest';
import { SeriesGapFiller } from '../core/series-impute/gap-filler';
import { seriesParamsOf } from '../core/series-impute/params';
import type { RowResults, ScoringStage } from './window-stage';

/**
 * Mode 'impute' of a series imputer (manifest.imputation.series): the cross-column model (model.onnx, a row
 * model) fills every cell, then the time-aware filler (core/series-impute/gap-filler.ts) fills the missing
 * cells from their neighbours in time, holding rows back until look_ahead_rows later rows are in. One object
 * is filled on its own: a new stage per object, no series state.
 */
export class SeriesImputeStage implements ScoringStage {
  private readonly filler: SeriesGapFiller;
  /** 'rows' (trained without timestamps): interpolate by row number, as the weights were chosen, even given times */
  private readonly byRow: boolean;
  private pendingTimes: ArrayLike<number> | null = null;
  private row = 0;

  constructor(private readonly inner: ScoringStage, manifest: Manifest, private readonly f: number, private readonly withStd: boolean) {
    let params;
    try {
      params = seriesParamsOf(manifest.imputation, manifest.features)!;
    } catch (err) {
      throw new InputError(`model '${manifest.name}': malformed imputation.series (${(err as Error).message.slice(0, 200)})`);
    }
    this.filler = new SeriesGapFiller(params);
    this.byRow = params.time_basis === 'rows';
  }

  /** The next push's row times (epoch ms); without them (or for time_basis 'rows') the row numbers of the object stand in. */
  times(t: ArrayLike<number> | null): void {
    this.pendingTimes = this.byRow ? null : t;
  }

  async push(x: Float32Array, mask: Float32Array, rows: number, lines?: ArrayLike<number>): Promise<RowResults> {
    const f = this.f;
    const res = await this.inner.push(x, mask, rows, lines);
    const values = new Float64Array(rows * f);
    for (let i = 0; i < rows * f; i++) values[i] = mask[i]! > 0 ? x[i]! : NaN;
    const times = this.pendingTimes ?? Float64Array.from({ length: rows }, (_, i) => this.row + i);
    this.pendingTimes = null;
    this.row += rows;
    return this.shaped(this.filler.push(values, res.reconstruction!, res.reconstructionStd ?? null, times, rows));
  }

  async flush(): Promise<RowResults> {
    await this.inner.flush();
    return this.shaped(this.filler.flush());
  }

  tail(): ReturnType<ScoringStage['tail']> {
    return this.inner.tail();
  }

  private shaped(out: { rows: number; value: Float32Array; std: Float32Array }): RowResults {
    return { rows: out.rows, reconstruction: out.value, ...(this.withStd ? { reconstructionStd: out.std } : {}) };
  }
}

export function isSeriesImputer(manifest: Manifest): boolean {
  return manifest.layout === 'rows' && manifest.imputation !== undefined && 'series' in manifest.imputation;
}
