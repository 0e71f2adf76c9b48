/**
 * Whether a time column's median step agrees with a sample rate within 1 %, the step read as seconds or as
 * milliseconds (train's --sample-rate against --time-column, and score --mode denoise against the model's rate).
 */
export function stepMatchesRate(medianStepSeconds: number, sampleRate: number): boolean {
  const implied = 1 / medianStepSeconds;
  const near = (rate: number) => Math.abs(rate - sampleRate) <= 0.01 * sampleRate;
  return near(implied) || near(implied * 1000);
}
