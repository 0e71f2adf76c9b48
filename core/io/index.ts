export type { TableFormat, CsvDelimiter, TableRow, RowRejection, TableChunk, ReadOptions } from './table';
export { CONTENT_TYPES, DEFAULT_CHUNK_ROWS, DEFAULT_MAX_LINE_BYTES } from './table';
export {
  TableError, type TableErrorCode, EmptyObjectError, NotUtf8Error, LineTooLongError, CorruptGzipError,
  DecompressionBombError, HeaderError, CorruptParquetError, OutputSchemaError,
} from './errors';
export { formatFromKey } from './format-from-key';
export { readTable } from './read-table';
export { readCsv } from './csv-reader';
export { readJsonl } from './jsonl-reader';
export { readParquetTable, type ParquetSource, type ParquetReadOptions } from './parquet-reader';
export { CsvRow } from './csv-row';
export { sniffDelimiter } from './csv-header';
export {
  extractFeatures, featureBoundsFor, MAX_SCALED_MAGNITUDE, type FeatureBuffers, type FeatureBatch, type FeatureBounds,
} from './extract-features';
export { parseNumber, parseNumberBytes, isMissingText } from './parse-number';
export { parseCellNumber } from './decimal-comma';
export { columnLabel } from './column-label';
export { isParquetRow, type ParquetTableRow } from './parquet-reader';
export { formatNumber, formatFloat32 } from './format-number';
export { createTableWriter, type TableWriter, type TableWriterOptions, type OutputRow, type OutputCell } from './table-writer';
export { csvField, CsvWriter } from './csv-writer';
export { JsonlWriter } from './jsonl-writer';
export { ParquetTableWriter, type ParquetColumnType } from './parquet-writer';
