import { ResidualError } from '../errors';

/** Codes a caller maps to an outcome (quarantine, metric name). One per whole-object failure. */
export type TableErrorCode =
  | 'EMPTY_OBJECT'
  | 'NOT_UTF8'
  | 'LINE_TOO_LONG'
  | 'CORRUPT_GZIP'
  | 'DECOMPRESSION_BOMB'
  | 'BAD_HEADER'
  | 'CORRUPT_PARQUET'
  | 'OUTPUT_SCHEMA';

/** A table object that cannot be processed as a whole. Row-level problems are rejections, not errors. */
export abstract class TableError extends ResidualError {
  abstract override readonly code: TableErrorCode;
  /** the same bytes fail the same way: never retryable */
  readonly retryable = false;
}

/** The object holds no bytes (or only a BOM, blank lines and whitespace). */
export class EmptyObjectError extends TableError {
  readonly code = 'EMPTY_OBJECT' as const;
  constructor(message = 'the object is empty: no header and no rows') {
    super(message);
  }
}

/** The bytes are not valid UTF-8. `line` is the 1-based physical line of the first invalid byte. */
export class NotUtf8Error extends TableError {
  readonly code = 'NOT_UTF8' as const;
  constructor(readonly line: number, readonly byteOffset: number) {
    super(`the object is not valid UTF-8: invalid byte sequence on line ${line} (decompressed byte offset ${byteOffset})`);
  }
}

/** A record (line) longer than `maxLineBytes`. */
export class LineTooLongError extends TableError {
  readonly code = 'LINE_TOO_LONG' as const;
  constructor(readonly line: number, readonly limit: number) {
    super(`line ${line} is longer than maxLineBytes=${limit} bytes`);
  }
}

/** The gzip stream is invalid or truncated. */
export class CorruptGzipError extends TableError {
  readonly code = 'CORRUPT_GZIP' as const;
  constructor(detail: string, options?: { cause?: unknown }) {
    super(`the object is not a valid gzip stream: ${detail}`, options);
  }
}

/** Decompression produced more bytes than allowed, in total or relative to the compressed size. */
export class DecompressionBombError extends TableError {
  readonly code = 'DECOMPRESSION_BOMB' as const;
  constructor(readonly decompressedBytes: number, readonly compressedBytes: number, readonly limit: string) {
    super(`decompression stopped after ${decompressedBytes} bytes from ${compressedBytes} compressed bytes: exceeds ${limit}`);
  }
}

/** Missing, empty or duplicate column names. */
export class HeaderError extends TableError {
  readonly code = 'BAD_HEADER' as const;
}

/** A parquet file hyparquet cannot read. */
export class CorruptParquetError extends TableError {
  readonly code = 'CORRUPT_PARQUET' as const;
}

/** A value that does not fit the output column's type (parquet output, whose schema is fixed by its first row group). */
export class OutputSchemaError extends TableError {
  readonly code = 'OUTPUT_SCHEMA' as const;
}
