import { InputError } from '../core/errors';
import { stepMatchesRate } from '../core/signal/step-rate';

/** How many steps between time-column cells the check reads before it stops looking (the start of the input). */
const STEPS = 256;

/**
 * `score --mode denoise` with a continuous-signal denoiser (manifest.signal) and a time column: the median step
 * of the input's first rows must agree with the model's sample rate within 1 %, read as seconds or as milliseconds
 * (the way train checks --sample-rate against --time-column), else an InputError: a recording at another rate
 * would be filtered at the wrong cut-offs in Hz, silently. Rows without a time column cannot be checked.
 */
export class SampleRateCheck {
  private readonly steps: number[] = [];
  private last = NaN;
  private done = false;

  constructor(private readonly sampleRate: number, private readonly column: string) {}

  /** `times` are the epoch ms (core/time/parse-timestamp.ts) of the rows kept, in order; throws on a mismatch. */
  push(times: Float64Array, rows: number): void {
    if (this.done) return;
    for (let i = 0; i < rows && this.steps.length < STEPS; i++) {
      const t = times[i]!;
      if (Number.isFinite(this.last)) this.steps.push(t - this.last);
      this.last = t;
    }
    if (this.steps.length < 2) return;
    if (this.steps.length >= STEPS) this.done = true;
    const median = [...this.steps].sort((a, b) => a - b)[this.steps.length >> 1]!;
    // times are epoch ms (seconds parse as seconds × 1000): median / 1000 is the step read as seconds
    const fs = this.sampleRate;
    if (stepMatchesRate(median / 1000, fs)) return;
    throw new InputError(`the time column '${this.column}' steps by ${+(median / 1000).toPrecision(4)} (median of the first ` +
      `${this.steps.length + 1} rows), ${+(1000 / median).toPrecision(4)} Hz read as seconds: the model denoises at ${fs} Hz ` +
      `(manifest.signal.sample_rate); resample the recording or train a model at its rate`);
  }
}
