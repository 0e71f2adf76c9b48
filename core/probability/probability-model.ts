/**
 * Turns raw anomaly scores, in row order, into anomaly probabilities in [0, 1]. Causal: the output for a
 * row depends only on that row and earlier rows, so pushing a series in pieces gives the output of pushing
 * it whole.
 */
export interface ProbabilityModel {
  /** scores in row order; NaN = no score for the row (its probability is NaN). Returns a new array of the same length. */
  push(scores: Float32Array): Float32Array;
  /** JSON-serialisable state after the last pushed row; the factory resumes from it exactly */
  snapshot(): unknown;
}

/** The manifest's `probability` block. */
export interface ProbabilitySpec {
  method: string;
  /** `is_anomaly` = 1 when anomaly_probability >= threshold (the manifest's probability threshold) */
  threshold: number;
  params: Record<string, unknown>;
}
