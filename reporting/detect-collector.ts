import { parseNumber } from '../core/io';
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

  add(cells: readonly (string | null)[], line: number): void {
    const at = this.at!;
    const d = this.data;
    const row = this.row++;
    d.rows++;
    const text = cells[at.score] ?? null;
    const score = text === null ? NaN : parseNumber(text);
    if (score === undefined) throw new InputError(`column 'anomaly_score' on line ${line} is not a number`);
    const label = at.label >= 0 ? (cells[at.label] ?? null) : null;
    const bin = d.bins.at(row);
    if (Number.isNaN(score)) {
      d.missingScore++;
      this.closeEvent();
      return;
    }
    d.scoredRows++;
    addScore(bin, row, score);
    d.sample.add(score);
    if (score < d.minScore) d.minScore = score;
    if (score > d.maxScore) d.maxScore = score;
    const flagged = at.flag >= 0 ? cells[at.flag] === '1' : this.threshold !== null && score > this.threshold;
    const features = at.top >= 0 ? (cells[at.top] ?? '') : '';
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
      const p = parseNumber(cells[at.prob] ?? '');
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

  /** Streaming confusion counts and event detection against the label; returns whether the row is labelled 1. */
  private label(text: string | null, flagged: boolean, line: number): boolean {
    const l = this.data.labels;
    if (!l || text === null) {
      this.closeEvent();
      return false;
    }
    const v = parseNumber(text);
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

  private closeEvent(): void {
    this.inEvent = false;
  }
}
