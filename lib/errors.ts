// The error classes a library user may catch. Every one extends ResidualError and carries a stable `code` and `retryable`.
export { ResidualError, InputError, ManifestError, SchemaMismatchError } from '../core/errors';
export {
  TableError, type TableErrorCode, EmptyObjectError, NotUtf8Error, LineTooLongError, CorruptGzipError,
  DecompressionBombError, HeaderError, CorruptParquetError, OutputSchemaError,
} from '../core/io';
export { BackendUnavailableError, TrainingConfigError, TrainingFailedError, ArtifactError } from '../training/errors';
export { ObjectNotFoundError, UnknownModelError, ModelArtifactError } from '../storage/errors';
export { ExportError, ExportOptionsError, OnnxExportError } from '../training/export';
