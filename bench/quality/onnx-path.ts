import type { TableChunk, TableRow } from '../../core/io';
import { parseManifestJson, type Manifest } from '../../core/manifest';
import type { ModelKind } from '../../core/model-kind';
import { createOnnxScorer } from '../../scoring/adapters/onnx-scorer';
import { emptyStats, scoreTable, type ScoreMode } from '../../scoring/score-table';
import { trainModel, type TrainOptions } from '../../training/train';
import { QualityBenchError } from './errors';

/** A trained model as the scorer sees it: the manifest (after a JSON round trip) and the ONNX bytes. */
export interface TrainedArtifact {
  manifest: Manifest;
  onnx: Uint8Array;
  trainMs: number;
  epochs: number;
  /** Scores of trainModel's own validation split (what the manifest threshold was calibrated on). */
  validationScores: Float32Array;
}

export type BenchTrainOptions = Omit<TrainOptions, 'data' | 'kind' | 'progress' | 'backend'>;

/**
 * Trains one model with trainModel (the CLI's and the training job's function) on raw rows
 * [rows × features] (NaN = missing) and returns its artifact; the tfjs model is disposed. With `target`
 * (same shape) the model learns values → target (TrainingData.target: a denoiser on noisy → clean pairs).
 */
export async function trainArtifact(
  kind: ModelKind,
  features: string[],
  values: Float64Array | Float32Array,
  options: BenchTrainOptions,
  target?: Float64Array,
): Promise<TrainedArtifact> {
  const started = Date.now();
  const data = { features, values: Float32Array.from(values), ...(target ? { target: Float32Array.from(target) } : {}) };
  const result = await trainModel({ ...options, kind, data, progress: 'none' });
  try {
    if (!result.onnx) throw new QualityBenchError(`trainModel returned no ONNX bytes for kind '${kind}'`);
    // The same manifest text the artifact writer stores and loadModelArtifact parses.
    return {
      manifest: parseManifestJson(JSON.stringify(result.manifest)),
      onnx: result.onnx,
      trainMs: Date.now() - started,
      epochs: result.history.length,
      validationScores: result.validationScores,
    };
  } finally {
    result.zoo.dispose();
  }
}

/** What scoring returns per input row: the score and flag (detect) or the row's feature values (impute/denoise). */
export interface ScoredRows {
  scores: Float64Array;
  flags: Uint8Array;
  /** rows × features after the mode's replacement (impute: observed cells unchanged) */
  values: Float64Array;
}

/**
 * Scores raw rows through the product's scoring path: an onnxruntime session over the ONNX bytes
 * (createOnnxScorer) driven by scoreTable, the streaming transform the CLI and the Lambda use. Rows are
 * handed over as table rows whose cells are the numbers' text (null = missing), in chunks of `chunkRows`.
 */
export async function scoreRows(artifact: TrainedArtifact, values: Float64Array, mode: ScoreMode, chunkRows = 4096): Promise<ScoredRows> {
  const { manifest } = artifact;
  const f = manifest.features.length;
  const rows = values.length / f;
  const scorer = await createOnnxScorer(artifact.onnx, manifest);
  const scores = new Float64Array(rows).fill(NaN);
  const flags = new Uint8Array(rows);
  const out = new Float64Array(values.length);
  try {
    const stats = emptyStats();
    let r = 0;
    for await (const batch of scoreTable(tableChunks(manifest.features, values, chunkRows), { manifest, scorer }, { mode }, stats)) {
      for (const row of batch.rows) {
        if (mode === 'detect') {
          const s = row.extra[0];
          scores[r] = typeof s === 'number' ? s : NaN;
          // extra: anomaly_score, anomaly_probability, is_anomaly, top_features (scoring/score-table.ts)
          const at = batch.extraColumns.indexOf('is_anomaly');
          flags[r] = row.extra[at] === 1 ? 1 : 0;
        }
        const cells = row.cells ?? row.source.cells;
        for (let j = 0; j < f; j++) {
          const c = cells[batch.featureColumns[j]!];
          out[r * f + j] = typeof c === 'number' ? c : c === null || c === undefined ? NaN : Number(c);
        }
        r++;
      }
    }
    if (r !== rows || stats.rowsRejected)
      throw new QualityBenchError(`scoring returned ${r} of ${rows} rows (${stats.rowsRejected} rejected)`);
  } finally {
    await scorer.release();
  }
  return { scores, flags, values: out };
}

async function* tableChunks(columns: string[], values: Float64Array, chunkRows: number): AsyncGenerator<TableChunk> {
  const f = columns.length;
  const rows = values.length / f;
  for (let start = 0; start < rows; start += chunkRows) {
    const chunk: TableRow[] = [];
    for (let r = start; r < Math.min(rows, start + chunkRows); r++) {
      const cells = new Array<string | null>(f);
      for (let j = 0; j < f; j++) {
        const v = values[r * f + j]!;
        cells[j] = Number.isNaN(v) ? null : String(v);
      }
      chunk.push({ line: r + 2, cells });
    }
    yield { columns, rows: chunk, rejected: [] };
  }
}
