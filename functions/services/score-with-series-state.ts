import type { TableChunk, TableRow } from '../../core/io';
import type { SeriesStateSummary } from '../../core/series/state-decision';
import type { ObjectStore } from '../../storage/object-store';
import type { IncomingKey } from './object-keys';
import { peekFirstRow } from './peek-first-row';
import { decideSeriesState, readSeriesState, saveSeriesState, seriesOf, seriesStateSummary } from './series-state-store';

export interface SeriesScoringRequest<S, R> {
  store: ObjectStore;
  resultsBucket: string;
  incoming: IncomingKey;
  /** the object's S3 version id, when the bucket is versioned */
  versionId?: string;
  model: { name: string; version: string };
  chunks: AsyncIterable<TableChunk>;
  /** epoch ms of a row's time (the manifest's time column), or null without one or when it does not parse */
  timeOf: (row: TableRow, columns: string[]) => number | null;
  isState: (value: unknown) => value is S;
  /** scores `chunks` from `from` (null: fresh) and returns the new state and the time of the last scored row */
  score: (chunks: AsyncIterable<TableChunk>, from: S | null, seriesState: SeriesStateSummary | null) =>
    Promise<{ result: R; state: S | null; lastTimeMs: number | null }>;
}

export type SeriesScoringOutcome<R> =
  | { status: 'scored'; result: R; seriesState: SeriesStateSummary | null }
  | { status: 'skipped'; reason: string; seriesState: SeriesStateSummary };

/**
 * The scoring function's per-series state around one object (docs/contract.md "Series state across objects"):
 * read the series' state, peek the first row's time, decide, score from the chosen state, then write the new
 * state conditionally (PreconditionFailedError, retryable, when another writer got there first: the record is
 * retried). An object outside a series is scored fresh with no state; an ALREADY_SCORED object is not scored.
 */
export async function scoreWithSeriesState<S, R>(req: SeriesScoringRequest<S, R>): Promise<SeriesScoringOutcome<R>> {
  const series = seriesOf(req.incoming);
  if (series === null) {
    const { result } = await req.score(req.chunks, null, null);
    return { status: 'scored', result, seriesState: null };
  }
  const stored = await readSeriesState(req.store, { bucket: req.resultsBucket, model: req.model, series }, req.isState);
  const { first, chunks } = await peekFirstRow(req.chunks);
  const version = req.versionId ?? null;
  const firstTime = first ? req.timeOf(first.row, first.columns) : null;
  const loaded = decideSeriesState(stored, { key: req.incoming.key, version, first_time_ms: firstTime });
  const summary = seriesStateSummary(loaded);
  if (loaded.decision.use === 'skip') {
    return { status: 'skipped', reason: `object '${req.incoming.key}' was already scored into its series' state`, seriesState: summary };
  }
  const { result, state, lastTimeMs } = await req.score(chunks, loaded.decision.from, summary);
  if (state !== null) {
    await saveSeriesState(req.store, loaded, { key: req.incoming.key, version, first_time_ms: firstTime, last_time_ms: lastTimeMs }, state);
  }
  return { status: 'scored', result, seriesState: summary };
}
