import type { ColumnMetaData } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { CorruptParquetError } from './errors';

/**
 * Walks the page headers of a row group's column chunks (bytes from `groupStart`) without decoding any page,
 * and returns the bytes the pages decode to. hyparquet trusts page sizes: a negative or oversized
 * compressed_page_size from a corrupt file makes its reader loop forever or read past the chunk, so every
 * page must lie inside its chunk before hyparquet reads it. Throws CorruptParquetError otherwise.
 */
export function checkPages(bytes: ArrayBuffer, groupStart: number, chunks: readonly ColumnMetaData[]): number {
  let decoded = 0;
  for (const meta of chunks) {
    const first = Math.min(Number(meta.dictionary_page_offset ?? meta.data_page_offset), Number(meta.data_page_offset));
    const start = first - groupStart;
    const end = start + Number(meta.total_compressed_size);
    if (!(start >= 0 && end <= bytes.byteLength && start <= end)) throw new CorruptParquetError('a column chunk lies outside the file');
    const reader = { view: new DataView(bytes, start, end - start), offset: 0 };
    let values = 0;
    while (reader.offset < end - start - 1) {
      let header: ReturnType<typeof parquetHeader>;
      try {
        header = parquetHeader(reader);
      } catch (cause) {
        throw new CorruptParquetError('a page header cannot be read', { cause });
      }
      const size = header.compressed_page_size;
      const raw = header.uncompressed_page_size;
      if (!(Number.isInteger(size) && size >= 0 && Number.isInteger(raw) && raw >= 0) || reader.offset + size > end - start) {
        throw new CorruptParquetError('a page header gives a size outside its column chunk');
      }
      const v2 = header.data_page_header_v2;
      const levels = v2 && v2.definition_levels_byte_length + v2.repetition_levels_byte_length;
      const counts = v2 && [v2.num_values, v2.num_nulls, v2.num_rows, v2.definition_levels_byte_length, v2.repetition_levels_byte_length];
      if (v2 && !(nonNegative(...counts!) && levels! <= Math.min(size, raw))) {
        throw new CorruptParquetError('a page header gives level sizes outside its page');
      }
      const v1 = header.data_page_header ?? header.dictionary_page_header;
      if (v1 && !nonNegative(v1.num_values)) throw new CorruptParquetError('a page header gives a negative value count');
      decoded += raw;
      values += header.data_page_header?.num_values ?? header.data_page_header_v2?.num_values ?? 0;
      reader.offset += size;
    }
    if (values > Number(meta.num_values)) throw new CorruptParquetError('a column chunk holds more values than its metadata says');
  }
  return decoded;
}

function nonNegative(...xs: (number | undefined)[]): boolean {
  return xs.every((x) => x === undefined || (Number.isInteger(x) && x >= 0));
}
