/**
 * residual as a library: `import { train, loadModel, score } from 'residual'`.
 * A thin facade over the code the CLI and the Lambda run; see README "The library".
 */
export { train, type TrainOptions } from './train';
export { TrainedModel, type TrainingRows } from './trained-model';
export { loadModel, type LoadModelOptions } from './load-model';
export { Model, type ModelScoreOptions } from './model';
export { score, type ScoreFileOptions } from './score-file';
export type { CellValue, ColumnRows, RecordRows, TableInput } from './table-input';
export type {
  DenoiseRow, DetectRow, EmbedRow, ImputeRow, RowOrigin, RowResultByMode, ScoreResult,
} from './scored-rows';
export * from './errors';

export type { Manifest, ThresholdInfo } from '../core/manifest';
export { MODEL_KINDS, type ModelKind } from '../core/model-kind';
export type { ScalerKind } from '../core/scaler';
export type { TableFormat } from '../core/io';
export { SCORE_MODES, type ScoreMode } from '../scoring/score-table';
export type { ScoreSummary } from '../scoring/write-scored-output';
export { BACKEND_CHOICES, type BackendChoice } from '../training/backend';
export type { EpochHistory } from '../training/loop';
export type { ErrorKind } from '../training/score';
export { exportToOnnx, readOnnxMetadata, type ExportOptions } from '../training/export';
export { PRODUCER_VERSION } from '../training/producer';
