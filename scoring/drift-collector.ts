import { DriftAccumulator, driftReference, type DriftCounts, type DriftReport } from '../core/drift';
import type { Manifest } from '../core/manifest';
import { probabilitySpecFor } from '../core/probability';
import type { ScoredBatch, ScoreMode } from './score-table';

export interface DriftCollector {
  push(batch: ScoredBatch): void;
  report(): DriftReport;
  counts(): DriftCounts;
  add(counts: DriftCounts): void;
}

/**
 * Feeds detect-mode batches into a DriftAccumulator, reading the appended columns by name (`anomaly_score`,
 * `is_anomaly`, `anomaly_probability` where present). Null for the other modes (no scores to watch).
 */
export function driftCollector(manifest: Manifest, mode: ScoreMode): DriftCollector | null {
  if (mode !== 'detect') return null;
  const acc = new DriftAccumulator(driftReference({ ...manifest, probability: probabilitySpecFor(manifest) }));
  let columns: string[] | null = null;
  let at = { score: -1, flagged: -1, probability: -1 };
  return {
    push(batch) {
      if (batch.extraColumns !== columns) {
        columns = batch.extraColumns;
        const i = (name: string) => columns!.indexOf(name);
        at = { score: i('anomaly_score'), flagged: i('is_anomaly'), probability: i('anomaly_probability') };
      }
      if (at.score < 0) return;
      for (const row of batch.rows) {
        const score = row.extra[at.score];
        if (typeof score !== 'number') continue;
        const flagged = at.flagged >= 0 ? row.extra[at.flagged] : null;
        const probability = at.probability >= 0 ? row.extra[at.probability] : null;
        acc.push(score, typeof flagged === 'number' ? flagged : null, typeof probability === 'number' ? probability : null);
      }
    },
    report: () => acc.report(),
    counts: () => acc.counts(),
    add: (counts) => acc.add(counts),
  };
}
