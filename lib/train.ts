import { defaultName } from '../cli/commands/train';
import { InputError } from '../core/errors';
import type { ModelKind } from '../core/model-kind';
import { createOnnxScorer } from '../scoring/adapters/onnx-scorer';
import { storeForUri } from '../storage/adapters/store-for-uri';
import { readTrainingData } from '../training/read-training-data';
import { trainModel, type TrainOptions as CoreTrainOptions } from '../training/train';
import { chooseAutoTask } from '../training/models/auto-impute/route';
import { TrainedModel } from './trained-model';
import type { TableInput } from './table-input';
import { trainingTable } from './training-table';

/** `residual train`'s settings (`--config` keys), typed. Every field is optional. */
export interface TrainOptions extends Omit<CoreTrainOptions, 'kind' | 'data' | 'window' | 'exportOnnx' | 'progress'> {
  /** Model kind (`--model`); default 'auto', as the CLI. */
  kind?: ModelKind;
  /** Use exactly these feature columns, in this order (`--columns`). */
  columns?: string[];
  /** Leave these columns out, e.g. a label or a timestamp (`--exclude`). */
  exclude?: string[];
  /** Sliding windows of this many rows (`--window`); without it the model scores single rows. */
  window?: number;
  /** Window stride (`--stride`, default 1); only with `window`. */
  stride?: number;
  /** Training progress on stderr: 'none' (default here), 'auto', 'bar' or 'lines'. */
  progress?: CoreTrainOptions['progress'];
  /** onnxruntime threads for the trained model's `score` (default 1). */
  threads?: number;
}

/**
 * Trains a model as `residual train` does — on an in-memory table, or on a CSV / JSON Lines / Parquet file
 * (path or s3:// URI, read as the CLI reads it: numeric columns are found and the others left out) —
 * exports it to ONNX and opens it in onnxruntime, ready to `score` and `save`.
 */
export async function train(data: TableInput | string, options: TrainOptions = {}): Promise<TrainedModel> {
  const { kind = 'auto', columns, exclude, window, stride, progress = 'none', threads, ...settings } = options;
  const timeColumn = settings.timeColumn;
  if (stride !== undefined && window === undefined) throw new InputError('stride needs window');
  let read: { features: string[]; values: Float32Array; sourceBytes?: number; rowsIn: number; rowsRejected: number };
  let droppedColumns: string[] = [];
  if (typeof data === 'string') {
    const { store, location } = storeForUri(data);
    const loaded = await readTrainingData(store, location, { columns, exclude, timeColumn });
    const used = loaded.values.length / loaded.features.length;
    read = { ...loaded, rowsIn: used + loaded.rejectedRows, rowsRejected: loaded.rejectedRows };
    droppedColumns = loaded.droppedColumns;
  } else {
    read = trainingTable(data, { columns, exclude, timeColumn });
  }
  const name = settings.name ?? (typeof data === 'string' ? defaultName(data, kind) : undefined);
  const task = kind === 'auto' ? chooseAutoTask(read, settings.task, timeColumn !== undefined).task : settings.task;
  const result = await trainModel({
    ...settings,
    ...(task ? { task } : {}),
    name,
    kind,
    data: { features: read.features, values: read.values, sourceBytes: read.sourceBytes },
    window: window !== undefined ? { size: window, stride: stride ?? 1 } : null,
    progress,
    exportOnnx: true,
  });
  try {
    const scorer = await createOnnxScorer(result.onnx!, result.manifest, { threads });
    return new TrainedModel(result, scorer, { rowsIn: read.rowsIn, rowsRejected: read.rowsRejected, droppedColumns });
  } finally {
    // the ONNX model is the model from here on: free tfjs memory (weights, optimizer state)
    result.zoo.dispose();
  }
}
