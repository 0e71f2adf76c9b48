import type { FileMetaData } from 'hyparquet';

const GiB = 1024 * 1024 * 1024;

export interface ParquetBombLimits {
  maxDecompressedBytes?: number;
  maxCompressionRatio?: number;
  ratioGraceBytes?: number;
}

/**
 * The bytes a parquet file decodes to, from its footer: per column chunk the larger of its uncompressed
 * page bytes and 8 bytes per value (RLE and dictionary pages make a few bytes stand for millions of values).
 * Returns the estimate and the limit it breaks, or undefined when it is within the limits (as the gzip guard:
 * a total cap, and a decoded/file-size ratio once past a grace amount).
 */
export function parquetBombCheck(
  metadata: FileMetaData, fileBytes: number, limits: ParquetBombLimits,
): { decoded: number; limit: string } | undefined {
  let decoded = 0;
  for (const group of metadata.row_groups) {
    const rows = Number(group.num_rows);
    for (const chunk of group.columns) {
      const meta = chunk.meta_data;
      const values = meta ? Number(meta.num_values) : rows;
      decoded += Math.max(meta ? Number(meta.total_uncompressed_size) : 0, 8 * Math.max(values, rows));
    }
  }
  const limit = overLimits(decoded, fileBytes, limits);
  return limit === undefined ? undefined : { decoded, limit };
}

/** The limit `decoded` bytes from a `fileBytes` file break, or undefined. */
export function overLimits(decoded: number, fileBytes: number, limits: ParquetBombLimits): string | undefined {
  const maxBytes = limits.maxDecompressedBytes ?? 20 * GiB;
  const maxRatio = limits.maxCompressionRatio ?? 200;
  const grace = limits.ratioGraceBytes ?? 64 * 1024 * 1024;
  if (decoded > maxBytes) return `maxDecompressedBytes=${maxBytes}`;
  if (decoded > grace && decoded > maxRatio * fileBytes) return `maxCompressionRatio=${maxRatio}`;
  return undefined;
}
