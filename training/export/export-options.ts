import type { ConverterRegistry } from './converter-registry';

/** How the scoring head wraps the model; see core/manifest.ts for the ONNX contract it produces. */
export interface ScoringHeadOptions {
  /** x is [N, F] ('rows') or [N, T, F] ('windows'). */
  layout: 'rows' | 'windows';
  /** Per-feature scaler, length F: scaled = (x - offset) / scale. */
  offset: number[];
  scale: number[];
  /** Per-cell error in scaled space: (r - s)^2 ('mse') or |r - s| ('mae'). */
  error: 'mse' | 'mae';
  /** The tfjs model takes two inputs [x_scaled, mask] (GAIN generator). */
  maskInput?: boolean;
  /** Default 1; > 1 unrolls iterative imputation x_k = mask·s + (1 - mask)·model(x_{k-1}). */
  iterations?: number;
  /** Expose this layer's output (rank 2) as graph output 'latent' [N, K]. */
  latentLayer?: string;
}

export interface ExportOptions {
  /** Wrap the model in the scoring head (inputs x, mask; outputs reconstruction, score, feature_error[, latent]). */
  head?: ScoringHeadOptions;
  /** Graph output name -> name of the layer whose output it exposes, e.g. { latent: 'code' }. */
  extraOutputs?: Record<string, string>;
  /** Written to ModelProto.metadata_props (the manifest goes under 'residual.manifest'). */
  metadata?: Record<string, string>;
  /** The layer converters to use (default: the built-ins only); see createConverterRegistry(). */
  converters?: ConverterRegistry;
  /** ModelProto.producer_version (default: residual's PRODUCER_VERSION; producer_name is always 'residual'). */
  producerVersion?: string;
  docString?: string;
}
