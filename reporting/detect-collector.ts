import type { TableRow } from '../core/io';
import { cellOf, numberOf } from '../core/evaluation/cell-of';
import { InputError } from '../core/errors';
import { AdaptiveBins, Reservoir } from './adaptive-bins';
import { addScore, scoreBins, type ScoreBin } from './score-bins';

/** Bins of the score-over-rows chart (a min/max pair per bin; see docs). */
export const SCORE_BINS = 1000;
/** Bins of the feature heatmap. */
export const HEAT_BINS = 40;
/** Scores sampled for the histogram. */
export const HISTOGRAM_SAMPLE = 20000;

export interface DetectData {
  rows: number;
  scoredRows: number;
  missingScore: number;
  flagged: number;
  hasFlag: boolean;
  hasProbability: boolean;
  bins: AdaptiveBins<ScoreBin>;
  sample: Reservoir<number>;
  heat: AdaptiveBins<Map<string, number>>;
  featureCounts: Map<string, number>;
  /** runs of consecutive flagged rows (exact, counted row by row) and the longest one, [start, end) */
  runs: number;
  longestRun: [number, number] | null;
  /** the highest-scoring rows, highest first (row = 0-based data row) */
  top: { row: number; score: number; features: string }[];
  labels: { column: string; positives: number; tp: number; fp: number; fn: number; events: number; eventsDetected: number } | null;
  minScore: number;
  maxScore: number;
}

/**
 * Streams the rows of a detect-mode output (anomaly_score, is_anomaly, top_features, and optionally
 * anomaly_probability and a label column) into bounded summaries for the charts.
 */
export class DetectCollector {
  private at: { score: number; flag: number; top: number; prob: number; label: number } | null = null;
  private row = 0;
  private inEvent = false;
  private eventHit = false;
  private runStart = -1;
  readonly data: DetectData;

  constructor(
    private readonly labelColumn: string | null,
    private readonly threshold: number | null,
  ) {
    this.data = {
      rows: 0,
      scoredRows: 0,
      missingScore: 0,
      flagged: 0,
      hasFlag: false,
      hasProbability: false,
      bins: scoreBins(SCORE_BINS),
      sample: new Reservoir<number>(HISTOGRAM_SAMPLE, 16),
      heat: new AdaptiveBins<Map<string, number>>(
        HEAT_BINS,
        () => new Map(),
        (a, b) => b.forEach((v, k) => a.set(k, (a.get(k) ?? 0) + v)),
      ),
      featureCounts: new Map(),
      runs: 0,
      longestRun: null,
      top: [],
      labels: labelColumn ? { column: labelColumn, positives: 0, tp: 0, fp: 0, fn: 0, events: 0, eventsDetected: 0 } : null,
      minScore: Infinity,
      maxScore: -Infinity,
    };
  }

  begin(columns: readonly string[]): void {
    const find = (name: string) => columns.indexOf(name);
    const score = find('anomaly_score');
    if (score < 0) throw new InputError(`the scored file has no column 'anomaly_score' (is it a detect-mode output?)`);
    const label = this.labelColumn ? find(this.labelColumn) : -1;
    if (this.labelColumn && label < 0) throw new InputError(`the scored file has no column '${this.labelColumn}'`);
    this.at = { score, flag: find('is_anomaly'), top: find('top_features'), prob: find('anomaly_probability'), label };
    this.data.hasFlag = this.at.flag >= 0;
    this.data.hasProbability = this.at.prob >= 0;
  }

  add(r: TableRow): void {
    const line = r.line;
    const at = this.at!;
    const d = this.data;
    const row = this.row++;
    d.rows++;
    const score = numberOf(r, at.score);
    if (score === undefined) throw new InputError(`column 'anomaly_score' on line ${line} is not a number`);
    const label = at.label >= 0 ? numberOf(r, at.label) : NaN;
    const bin = d.bins.at(row);
    if (Number.isNaN(score)) {
      d.missingScore++;
      this.closeEvent();
      this.endRun(row);
      return;
    }
    d.scoredRows++;
    addScore(bin, row, score);
    d.sample.add(score);
    if (score < d.minScore) d.minScore = score;
    if (score > d.maxScore) d.maxScore = score;
    const flagged = at.flag >= 0 ? numberOf(r, at.flag) === 1 : this.threshold !== null && score > this.threshold;
    // top_features is decoded only where it is used: flagged rows and the running top 10
    const wanted = flagged || d.top.length < 10 || score > d.top[d.top.length - 1]!.score;
    const features = wanted ? (cellOf(r, at.top) ?? '') : '';
    if (flagged && this.runStart < 0) {
      this.runStart = row;
      d.runs++;
    } else if (!flagged) this.endRun(row);
    if (flagged) {
      d.flagged++;
      bin.flagged++;
      if (features) {
        const heat = d.heat.at(row);
        for (const f of features.split(';')) {
          heat.set(f, (heat.get(f) ?? 0) + 1);
          d.featureCounts.set(f, (d.featureCounts.get(f) ?? 0) + 1);
        }
      }
    } else {
      d.heat.at(row);
    }
    if (at.prob >= 0) {
      const p = numberOf(r, at.prob);
      if (p !== undefined && !Number.isNaN(p)) {
        bin.probMax = Math.max(bin.probMax, p);
        bin.probMin = Math.min(bin.probMin, p);
      }
    }
    if (d.top.length < 10 || score > d.top[d.top.length - 1]!.score) {
      d.top.push({ row, score, features });
      d.top.sort((a, b) => b.score - a.score);
      if (d.top.length > 10) d.top.pop();
    }
    if (this.label(label, flagged, line)) bin.labelled++;
  }

  /** Streaming confusion counts and event detection against the label (NaN = no label); returns whether the row is labelled 1. */
  private label(v: number | undefined, flagged: boolean, line: number): boolean {
    const l = this.data.labels;
    if (!l || (v !== undefined && Number.isNaN(v))) {
      this.closeEvent();
      return false;
    }
    if (v !== 0 && v !== 1) throw new InputError(`column '${l.column}' on line ${line} is not 0 or 1`);
    if (v === 1) {
      l.positives++;
      if (flagged) l.tp++;
      else l.fn++;
      if (!this.inEvent) {
        this.inEvent = true;
        this.eventHit = false;
        l.events++;
      }
      if (flagged && !this.eventHit) {
        this.eventHit = true;
        l.eventsDetected++;
      }
      return true;
    }
    if (flagged) l.fp++;
    this.closeEvent();
    return false;
  }

  private endRun(row: number): void {
    if (this.runStart < 0) return;
    const l = this.data.longestRun;
    if (!l || row - this.runStart > l[1] - l[0]) this.data.longestRun = [this.runStart, row];
    this.runStart = -1;
  }

  /** Closes a flagged run still open at the last row. */
  finish(): DetectData {
    this.endRun(this.row);
    return this.data;
  }

  private closeEvent(): void {
    this.inEvent = false;
  }
}
