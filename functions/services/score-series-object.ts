import type { TableChunk } from '../../core/io';
import { STATELESS_PROBABILITY_METHODS, probabilitySpecFor } from '../../core/probability';
import { rowTimes } from '../../core/series-impute/row-times';
import type { LoadedModel } from '../../scoring/batch-scorer';
import type { ScoreMode } from '../../scoring/score-table';
import { checkSeriesState, type SeriesState } from '../../scoring/series-state';
import { writeScoredOutput, type ScoredOutputRequest, type ScoreSummary } from '../../scoring/write-scored-output';
import type { ObjectStore } from '../../storage/object-store';
import type { IncomingKey } from './object-keys';
import { scoreWithSeriesState, type SeriesScoringOutcome } from './score-with-series-state';

export interface SeriesObjectRequest {
  store: ObjectStore;
  resultsBucket: string;
  incoming: IncomingKey;
  versionId?: string;
  model: LoadedModel;
  mode: ScoreMode;
  /** writeScoredOutput's request for this object, less what the series state decides */
  output: Omit<ScoredOutputRequest, 'chunks' | 'state' | 'seriesState' | 'timeColumn' | 'model' | 'mode'>;
  chunks: AsyncIterable<TableChunk>;
}

/**
 * Whether scoring a model carries anything from one object of a series to the next: a time column (row order
 * across objects), a window (the last T−1 rows) or a probability method with state. Rows models with the
 * stateless `tail` probability score every object on its own, as before, and write no state.
 */
export function needsSeriesState(model: LoadedModel, mode: ScoreMode): boolean {
  if (mode !== 'detect' && mode !== 'embed') return false;
  const m = model.manifest;
  const statefulProbability = !STATELESS_PROBABILITY_METHODS.includes(probabilitySpecFor(m).method);
  return (m.time_column ?? null) !== null || m.layout === 'windows' || statefulProbability;
}

/**
 * Scores one object of `incoming/<model>/<series>/…` from its series' state (docs/contract.md "Series state
 * across objects") when the model needs one, else on its own; returns the outcome with the summary written.
 */
export async function scoreSeriesObject(req: SeriesObjectRequest): Promise<SeriesScoringOutcome<ScoreSummary>> {
  const { model, mode } = req;
  const timeColumn = model.manifest.time_column ?? null;
  type Decision = SeriesScoringOutcome<ScoreSummary>['seriesState'];
  const run = (chunks: AsyncIterable<TableChunk>, state: SeriesState | null, seriesState: Decision) =>
    writeScoredOutput({ ...req.output, chunks, model, mode, timeColumn, state, seriesState });
  if (!needsSeriesState(model, mode)) {
    const { state: _state, ...summary } = await run(req.chunks, null, null);
    return { status: 'scored', result: summary, seriesState: null };
  }
  const isState = (v: unknown): v is SeriesState => {
    try {
      checkSeriesState(v, model.manifest, 'series state');
      return true;
    } catch {
      return false;
    }
  };
  return scoreWithSeriesState<SeriesState, ScoreSummary>({
    store: req.store,
    resultsBucket: req.resultsBucket,
    incoming: req.incoming,
    versionId: req.versionId,
    model: { name: model.manifest.name, version: model.manifest.version },
    chunks: req.chunks,
    isState,
    timeOf: (row, columns) => {
      const i = timeColumn === null ? -1 : columns.indexOf(timeColumn);
      // read as TimeOrder reads it (a parquet timestamp from its value), so it compares with the state's last_time_ms
      const ms = i < 0 ? NaN : rowTimes([row], i)[0]!;
      return Number.isFinite(ms) ? ms : null;
    },
    score: async (chunks, from, seriesState) => {
      const { state, ...summary } = await run(chunks, from, seriesState);
      return { result: summary, state, lastTimeMs: state.last_time_ms };
    },
  });
}
