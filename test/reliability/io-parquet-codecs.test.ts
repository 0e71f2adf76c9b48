import { brotliCompressSync, gzipSync } from 'node:zlib';
import { readParquetBytes, writeParquet } from './io-helpers';

/** An LZ4 block holding only literals (valid LZ4, no matches): enough to test decompression. */
function lz4LiteralBlock(input: Uint8Array): Uint8Array {
  const n = input.length;
  const head: number[] = [Math.min(n, 15) << 4];
  if (n >= 15) {
    let rest = n - 15;
    while (rest >= 255) { head.push(255); rest -= 255; }
    head.push(rest);
  }
  const out = new Uint8Array(head.length + n);
  out.set(head);
  out.set(input, head.length);
  return out;
}

/** LZ4 with the Hadoop framing parquet's legacy LZ4 codec uses: BE uncompressed size, BE compressed size, block. */
function lz4Hadoop(input: Uint8Array): Uint8Array {
  const block = lz4LiteralBlock(input);
  const out = new Uint8Array(8 + block.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, input.length);
  view.setUint32(4, block.length);
  out.set(block, 8);
  return out;
}

/** A zstd frame of raw (stored) blocks: node 20's zlib has no zstd, and stored blocks are valid zstd. */
function zstdRawFrame(input: Uint8Array): Uint8Array {
  const parts: number[] = [0x28, 0xb5, 0x2f, 0xfd, 0x20 | 0xc0, 0, 0, 0, 0, 0, 0, 0, 0]; // single segment, 8-byte FCS
  const fcs = new DataView(new ArrayBuffer(8));
  fcs.setBigUint64(0, BigInt(input.length), true);
  for (let i = 0; i < 8; i++) parts[5 + i] = fcs.getUint8(i);
  const max = 1 << 17;
  let at = 0;
  do {
    const size = Math.min(max, input.length - at);
    const last = at + size >= input.length ? 1 : 0;
    const header = (size << 3) | last; // block type 0 (raw)
    parts.push(header & 0xff, (header >> 8) & 0xff, (header >> 16) & 0xff);
    for (let i = 0; i < size; i++) parts.push(input[at + i]);
    at += size;
  } while (at < input.length);
  return Uint8Array.from(parts);
}

const compressors = {
  GZIP: (b: Uint8Array) => new Uint8Array(gzipSync(b)),
  BROTLI: (b: Uint8Array) => new Uint8Array(brotliCompressSync(b)),
  ZSTD: zstdRawFrame,
  LZ4: lz4Hadoop,
  LZ4_RAW: lz4LiteralBlock,
};

describe('parquet inputs with compressed pages (issue 10 item 20)', () => {
  test.each(Object.keys(compressors))('a %s-compressed parquet file is read', async (codec) => {
    const n = 300;
    const bytes = writeParquet([
      { name: 'a', data: Float64Array.from({ length: n }, (_, i) => i * 0.5), type: 'DOUBLE' },
      { name: 's', data: Array.from({ length: n }, (_, i) => `v${i % 7}`), type: 'STRING' },
    ], { codec, compressors });
    const read = await readParquetBytes(bytes);
    expect(read.columns).toEqual(['a', 's']);
    expect(read.rows).toHaveLength(n);
    expect(read.rows[299].cells).toEqual(['149.5', 'v5']);
    expect(read.rejected).toEqual([]);
  });
});
