/**
 * Streaming RMSE and SNR of an estimate against a reference (impute / denoise evaluation):
 * RMSE = sqrt(mean((estimate − reference)²)), SNR = 10·log10(Σ reference² / Σ (estimate − reference)²) dB.
 * Cells where either side is missing (NaN) are counted in `skipped` and left out.
 */
export class SignalErrorAccumulator {
  private sumSq = 0;
  private sumRef = 0;
  cells = 0;
  skipped = 0;

  add(estimate: number, reference: number): void {
    if (Number.isNaN(estimate) || Number.isNaN(reference)) {
      this.skipped++;
      return;
    }
    const d = estimate - reference;
    this.sumSq += d * d;
    this.sumRef += reference * reference;
    this.cells++;
  }

  rmse(): number {
    return this.cells ? Math.sqrt(this.sumSq / this.cells) : NaN;
  }

  snrDb(): number {
    if (!this.cells) return NaN;
    return this.sumSq === 0 ? Infinity : 10 * Math.log10(this.sumRef / this.sumSq);
  }
}
