import * as z from 'zod/mini';
import { ManifestError, SchemaMismatchError } from './errors';
import { MODEL_KINDS } from './model-kind';

/**
 * The model manifest (SPEC.md "Model artifact"). It travels beside `model.onnx` and inside its
 * `metadata_props` under the key `residual.manifest`.
 *
 * ONNX contract of every exported model (the scoring head):
 *   inputs  `x`    float32 [N, F] (layout 'rows') or [N, T, F] (layout 'windows'), raw units, missing cells any value
 *           `mask` float32, same shape as `x`: 1 = observed, 0 = missing
 *   outputs `reconstruction` float32, same shape as `x`, raw units
 *           `score`          float32 [N]      (higher = more anomalous)
 *           `feature_error`  float32 [N, F]   (per-feature error, mean over time for windows)
 *           `latent`         float32 [N, K]   (only when `latent_dim` is set)
 */
const tensorSpec = z.object({
  name: z.string().check(z.minLength(1)),
  dtype: z.literal('float32'),
  shape: z.array(z.union([z.int().check(z.positive()), z.string().check(z.minLength(1))])),
});

const finite = () => z.number().check(z.refine(Number.isFinite, 'must be finite'));
const count = () => z.int().check(z.nonnegative());

const thresholdSchema = z.catchall(
  z.object({
    value: finite(),
    method: z.enum(['percentile', 'sigma', 'pot']),
    param: finite(),
    calibration: z.catchall(
      z.object({
        n: count(),
        mean: finite(),
        std: finite().check(z.nonnegative()),
        min: finite(),
        max: finite(),
        quantiles: z.record(z.string(), finite()),
      }),
      z.unknown(),
    ),
  }),
  z.unknown(),
);

const nullableNumber = () => z.nullable(z.number());
const imputationSchema = z.catchall(
  z.object({
    held_out_cells: count(),
    /** the ONNX output holding each fill's sd (raw units), when the model gives one */
    std_output: z.optional(z.string().check(z.minLength(1))),
    columns: z.array(z.catchall(
      z.object({
        name: z.string().check(z.minLength(1)),
        method: z.string().check(z.minLength(1)),
        held_out_cells: count(),
        rmse: nullableNumber(),
        rmse_mean: nullableNumber(),
      }),
      z.unknown(),
    )),
  }),
  z.unknown(),
);

/*
 * Written with zod/mini: the scoring Lambda validates every manifest it loads, and the full zod build
 * was 40% of the handler bundle (and of its cold start).
 */
export const manifestSchema = z.object({
  schema_version: z.literal(1),
  name: z.string().check(z.regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "_" and "-"')),
  version: z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/)),
  kind: z.enum(MODEL_KINDS),
  created_at: z.iso.datetime(),
  producer: z.object({ name: z.literal('residual'), version: z.string().check(z.minLength(1)) }),
  training: z.object({
    backend: z.string().check(z.minLength(1)),
    seed: z.int(),
    epochs: count(),
    duration_ms: z.number().check(z.nonnegative()),
    data_hash: z.string().check(z.regex(/^sha256:[0-9a-f]{64}$/)),
    data_rows: count(),
    data_bytes: count(),
    config: z.record(z.string(), z.unknown()),
  }),
  features: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)),
  layout: z.enum(['rows', 'windows']),
  window: z.nullable(z.object({ size: z.int().check(z.positive()), stride: z.int().check(z.positive()) })),
  /**
   * layout `windows` only: what the graph's x and mask hold. 'windows' (the default, absent): [N, T, F], one window
   * per row scored; 'segment' (auto-series): [1, N + T − 1, F], consecutive rows, the graph scores the N windows in it.
   */
  window_input: z.optional(z.enum(['windows', 'segment'])),
  scaler: z.object({
    kind: z.enum(['standard', 'minmax', 'global', 'robust']),
    offset: z.array(finite()),
    scale: z.array(finite().check(z.positive())),
  }),
  score: z.object({ error: z.enum(['mse', 'mae']) }),
  latent_dim: z.nullable(z.int().check(z.positive())),
  onnx: z.object({
    file: z.string().check(z.minLength(1)),
    opset: z.int().check(z.positive()),
    inputs: z.array(tensorSpec).check(z.minLength(1)),
    outputs: z.array(tensorSpec).check(z.minLength(1)),
  }),
  threshold: thresholdSchema,
  metrics: z.object({ validation: z.record(z.string(), z.number()) }),
  /** kind 'auto' only: what it chose from the training data and why (members, scaling, k, normalisation, threshold rule). */
  auto: z.optional(z.record(z.string(), z.unknown())),
  time_column: z.optional(z.string().check(z.minLength(1))),
  probability: z.optional(z.object({
    method: z.string().check(z.minLength(1)),
    threshold: z.number().check(z.gt(0), z.lt(1)),
    params: z.record(z.string(), z.unknown()),
  })),
  /**
   * Continuous-signal denoisers (issue 15): the sample rate the model was trained at, the hop between the
   * windows `score --mode denoise` overlap-adds (default the window size / 2), the `--augment` spec, and
   * the morphology gate's outcome (figures in metrics.validation).
   */
  signal: z.optional(z.object({
    sample_rate: finite().check(z.positive()),
    denoise_hop: z.int().check(z.positive()),
    augment: z.optional(z.string()),
    gate: z.enum(['passed', 'failed', 'not-run']),
    /** with a filter branch, the gate's choice: 'filter' (correction zeroed), 'lowpass' (high-pass too) or 'identity' (input) */
    denoiser: z.optional(z.enum(['network', 'filter', 'lowpass', 'identity'])),
  })),
  /** kinds 'gan' and 'vae': the training columns' types and transforms (core/synthesis/column-spec.ts validates it). */
  synthesis: z.optional(z.record(z.string(), z.unknown())),
  /** kind 'auto', task 'impute' only: per column, the fill that won on held-out cells and its RMSE there (raw units). */
  imputation: z.optional(imputationSchema),
}).check(
  z.superRefine((m, ctx) => {
    const f = m.features.length;
    if (m.scaler.offset.length !== f || m.scaler.scale.length !== f) {
      ctx.addIssue({
        code: 'custom',
        path: ['scaler'],
        message: `scaler has ${m.scaler.offset.length}/${m.scaler.scale.length} entries for ${f} features`,
        input: m.scaler,
      });
    }
    if (new Set(m.features).size !== f)
      ctx.addIssue({ code: 'custom', path: ['features'], message: 'feature names must be unique', input: m.features });
    if ((m.layout === 'windows') !== (m.window !== null)) {
      ctx.addIssue({
        code: 'custom',
        path: ['window'],
        message: `layout '${m.layout}' ${m.layout === 'windows' ? 'needs' : 'must not have'} a window`,
        input: m.window,
      });
    }
    if (m.window_input !== undefined && m.layout !== 'windows')
      ctx.addIssue({ code: 'custom', path: ['window_input'], message: `layout '${m.layout}' has no window input`, input: m.window_input });
    if (m.time_column !== undefined && m.features.includes(m.time_column))
      ctx.addIssue({ code: 'custom', path: ['time_column'], message: 'the time column must not be a feature', input: m.time_column });
  }),
);

export type Manifest = z.infer<typeof manifestSchema>;
export type ThresholdInfo = z.infer<typeof thresholdSchema>;
export type TensorSpec = z.infer<typeof tensorSpec>;

/** The key under which the manifest JSON is stored in the ONNX model's metadata_props. */
export const MANIFEST_METADATA_KEY = 'residual.manifest';

/** Validates an unknown value (parsed JSON) as a manifest, or throws ManifestError listing every problem. */
export function parseManifest(value: unknown): Manifest {
  const result = manifestSchema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ManifestError(`invalid manifest: ${issues.join('; ')}`, issues);
  }
  return result.data;
}

export function parseManifestJson(text: string): Manifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new ManifestError('manifest.json is not valid JSON', [], { cause });
  }
  return parseManifest(value);
}

/**
 * Maps the input's columns onto the model's features. Every feature must be present; other columns are
 * carried through untouched unless `strict` is set. Returns, for each feature, its column index.
 */
export function resolveFeatureColumns(manifest: Pick<Manifest, 'features'>, columns: readonly string[], strict = false): number[] {
  const index = new Map(columns.map((c, i) => [c, i] as const));
  const missing = manifest.features.filter((f) => !index.has(f));
  const extra = strict ? columns.filter((c) => !manifest.features.includes(c)) : [];
  if (missing.length || extra.length) throw new SchemaMismatchError(missing, extra);
  return manifest.features.map((f) => index.get(f)!);
}
