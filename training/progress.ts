import { SingleBar } from 'cli-progress';

export type ProgressMode = 'auto' | 'bar' | 'lines' | 'none';

export interface EpochReport {
  epoch: number;
  epochs: number;
  loss: number;
  valLoss: number;
  /** Further numbers to show after val (the gan's generator and critic losses). */
  detail?: string;
}

/** Progress inside an epoch: `batch` of `batches` mini-batches of epoch `epoch` (1-based) are done. */
export interface BatchReport {
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
}

/** Reports training progress: a cli-progress bar, periodic plain lines, or nothing. */
export interface ProgressReporter {
  start(epochs: number): void;
  /** called after every mini-batch; reporters throttle what they draw */
  batch?(report: BatchReport): void;
  epoch(report: EpochReport): void;
  stop(message?: string): void;
}

export interface ProgressOptions {
  mode?: ProgressMode;
  stream?: NodeJS.WriteStream;
  label?: string;
  /** Minimum milliseconds between plain lines (the last epoch is always reported). Default 2000. */
  lineIntervalMs?: number;
}

/**
 * 'auto' draws a bar when the stream (stderr by default) is a TTY and prints plain lines every few
 * seconds otherwise; 'bar' and 'lines' force one; 'none' is silent.
 */
export function createProgress(options: ProgressOptions = {}): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  const mode = options.mode ?? 'auto';
  const label = options.label ?? 'training';
  if (mode === 'none') return { start() {}, batch() {}, epoch() {}, stop() {} };
  if (mode === 'bar' || (mode === 'auto' && stream.isTTY)) return barReporter(stream, label);
  return lineReporter(stream, label, options.lineIntervalMs ?? 2000);
}

function barReporter(stream: NodeJS.WriteStream, label: string): ProgressReporter {
  const bar = new SingleBar({
    stream,
    // the bar's value counts epochs in fractions (batches done / batches per epoch), so the bar and its ETA move within an epoch
    format: `${label} [{bar}] {done}/{total} epochs{batches} | loss {loss} | val {val}{detail} | ETA {eta_formatted}`,
    barsize: 24,
    hideCursor: true,
    forceRedraw: true,
    etaBuffer: 5,
  });
  return {
    start(epochs) {
      bar.start(epochs, 0, { loss: '-', val: '-', done: 0, batches: '', detail: '' });
    },
    batch(r) {
      bar.update(r.epoch - 1 + r.batch / r.batches, { done: r.epoch - 1, batches: ` | batch ${r.batch}/${r.batches}` });
    },
    epoch(r) {
      bar.update(r.epoch, { loss: fmt(r.loss), val: fmt(r.valLoss), done: r.epoch, batches: '', detail: r.detail ? ` | ${r.detail}` : '' });
    },
    stop(message) {
      bar.stop();
      if (message) stream.write(`${label}: ${message}\n`);
    },
  };
}

function lineReporter(stream: NodeJS.WriteStream, label: string, intervalMs: number): ProgressReporter {
  let started = 0;
  let last = 0;
  return {
    start() {
      started = Date.now();
      last = 0;
    },
    batch(r) {
      const now = Date.now();
      if (now - last < intervalMs || r.batch === r.batches) return;
      last = now;
      const done = (r.epoch - 1 + r.batch / r.batches) / r.epochs;
      const eta = Math.round(((now - started) / done) * (1 - done) / 1000);
      const where = `epoch ${r.epoch}/${r.epochs} batch ${r.batch}/${r.batches}`;
      stream.write(`${label}: ${where} (${Math.floor(100 * done)}% of training) ETA ${eta}s\n`);
    },
    epoch(r) {
      const now = Date.now();
      if (now - last < intervalMs && r.epoch < r.epochs) return;
      last = now;
      const perEpoch = (now - started) / r.epoch;
      const eta = Math.round((perEpoch * (r.epochs - r.epoch)) / 1000);
      const detail = r.detail ? ` ${r.detail}` : '';
      stream.write(`${label}: epoch ${r.epoch}/${r.epochs} loss ${fmt(r.loss)} val ${fmt(r.valLoss)}${detail} ETA ${eta}s\n`);
    },
    stop(message) {
      if (message) stream.write(`${label}: ${message}\n`);
    },
  };
}

function fmt(v: number): string {
  return Number.isFinite(v) ? v.toPrecision(4) : String(v);
}
