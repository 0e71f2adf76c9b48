import { ResidualError } from '../../core/errors';

/** Base class of the quality benchmark's errors. */
export class QualityBenchError extends ResidualError {
  readonly code: string = 'QUALITY_BENCH';
  readonly retryable: boolean = false;
}

/** A dataset file the benchmark needs is not where it looked; `path` is the full path it tried. */
export class DatasetMissingError extends QualityBenchError {
  override readonly code = 'DATASET_MISSING';
  constructor(readonly path: string, readonly root: string) {
    super(
      `dataset file '${path}' is missing (dataset root '${root}'; set options.datasets or RESIDUAL_DATASETS to the folder ` +
        `holding ecg5000/, gain_letter_spam/ and adbench_small/)`,
    );
  }
}

/** A dataset file that exists but does not have the shape its README describes. */
export class DatasetFormatError extends QualityBenchError {
  override readonly code = 'DATASET_MALFORMED';
  constructor(readonly path: string, detail: string) {
    super(`dataset file '${path}' is malformed: ${detail}`);
  }
}
