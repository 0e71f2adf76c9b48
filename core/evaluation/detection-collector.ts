import { InputError } from '../errors';
import { parseNumber } from '../io';

/**
 * Gathers, row by row, what detection metrics need: score, flag (is_anomaly), label and optional time.
 * Rows without a score or without a label are counted and left out; values that are present but not
 * numbers (or labels other than 0/1) are errors naming the column and line, never the value.
 */
export class DetectionCollector {
  private scores = new GrowableF64();
  private flags = new GrowableU8();
  private labels = new GrowableU8();
  private times = new GrowableF64();
  rowsIn = 0;
  missingScore = 0;
  missingLabel = 0;
  readonly hasFlag: boolean;
  readonly hasTime: boolean;

  constructor(readonly columns: { score: string; flag: string | null; label: string; time: string | null }) {
    this.hasFlag = columns.flag !== null;
    this.hasTime = columns.time !== null;
  }

  add(line: number, score: string | null, flag: string | null, label: string | null, time: string | null): void {
    this.rowsIn++;
    const s = score === null ? NaN : parseNumber(score);
    if (s === undefined || s === Infinity || s === -Infinity) {
      throw new InputError(`column '${this.columns.score}' on line ${line} is not a number`);
    }
    if (Number.isNaN(s)) {
      this.missingScore++;
      return;
    }
    if (label === null) {
      this.missingLabel++;
      return;
    }
    this.scores.push(s);
    this.labels.push(binary(label, this.columns.label, line));
    if (this.hasFlag) this.flags.push(flag === null ? 0 : binary(flag, this.columns.flag!, line));
    if (this.hasTime) this.times.push(parseTime(time));
  }

  get used(): number {
    return this.scores.length;
  }

  result(): { scores: Float64Array; labels: Uint8Array; flags: Uint8Array | null; times: Float64Array | null } {
    return {
      scores: this.scores.view(),
      labels: this.labels.view(),
      flags: this.hasFlag ? this.flags.view() : null,
      times: this.hasTime ? this.times.view() : null,
    };
  }
}

function binary(text: string, column: string, line: number): number {
  const v = parseNumber(text);
  if (v === 0 || v === 1) return v;
  const t = text.trim().toLowerCase();
  if (t === 'true') return 1;
  if (t === 'false') return 0;
  throw new InputError(`column '${column}' on line ${line} is not 0 or 1`);
}

/** A number (e.g. seconds) or an ISO-8601 date-time, in seconds; NaN when missing or unreadable. */
export function parseTime(text: string | null): number {
  if (text === null) return NaN;
  const v = parseNumber(text);
  if (v !== undefined) return v;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? NaN : ms / 1000;
}

/** A typed array that doubles its capacity as values are pushed. */
class Growable<A extends Float64Array | Uint8Array> {
  private data: A;
  length = 0;
  constructor(private readonly make: (capacity: number) => A) {
    this.data = make(1024);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  view(): A {
    return this.data.subarray(0, this.length) as A;
  }
}

export class GrowableF64 extends Growable<Float64Array> {
  constructor() {
    super((n) => new Float64Array(n));
  }
}

class GrowableU8 extends Growable<Uint8Array> {
  constructor() {
    super((n) => new Uint8Array(n));
  }
}
