import { storeForUri } from '../storage/adapters/store-for-uri';
import type { BatchScorer } from '../scoring/batch-scorer';
import type { EpochHistory } from '../training/loop';
import type { TrainResult } from '../training/train';
import { writeArtifactToStore } from '../training/write-artifact-to-store';
import { Model } from './model';

/** What training read: rowsIn = rows trained on + rowsRejected. */
export interface TrainingRows {
  rowsIn: number;
  /** Rows left out because a feature cell was not a number. */
  rowsRejected: number;
  /** File input only: columns left out because they hold no numbers (the CLI's notice). */
  droppedColumns: string[];
}

/** A model just trained: a `Model` (manifest, score, close) that can also be saved as an artifact. */
export class TrainedModel extends Model {
  /** model.onnx */
  readonly onnx: Uint8Array;
  /** Further artifact files by name (a vae's `decoder.onnx`). */
  readonly extraFiles: Readonly<Record<string, Uint8Array>>;
  /** Loss per epoch (empty for closed-form kinds such as pca). */
  readonly history: readonly EpochHistory[];
  /** Scores of the validation samples the threshold was calibrated on. */
  readonly validationScores: Float32Array;
  readonly data: TrainingRows;

  constructor(result: TrainResult, scorer: BatchScorer, data: TrainingRows) {
    super({ manifest: result.manifest, scorer });
    this.onnx = result.onnx!;
    this.extraFiles = result.extraFiles;
    this.history = result.history;
    this.validationScores = result.validationScores;
    this.data = data;
  }

  /** Writes the artifact (`model.onnx`, `manifest.json`, extra files) to a folder or s3:// prefix, as `--out`. */
  async save(dirOrUri: string): Promise<void> {
    const { store, location } = storeForUri(dirOrUri);
    await writeArtifactToStore({ manifest: this.manifest, onnx: this.onnx, extraFiles: { ...this.extraFiles } }, store, location);
  }
}
