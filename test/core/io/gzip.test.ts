import { gzipSync } from 'node:zlib';
import { CorruptGzipError, DecompressionBombError, readTable } from '../../../core/io';
import { collect } from './helpers';

const csv = 'a,b\n1,2\n3,4\n';

describe('readTable with gzip', () => {
  test('a gzipped CSV reads as the plain CSV does', async () => {
    const plain = await collect(csv);
    const zipped = await collect(gzipSync(csv), { gzip: true }, 4);
    expect(zipped.rows).toEqual(plain.rows);
  });

  test('concatenated gzip members read as one stream', async () => {
    const t = await collect(Buffer.concat([gzipSync('a,b\n1,2\n'), gzipSync('3,4\n')]), { gzip: true });
    expect(t.rows.map((r) => r.cells)).toEqual([['1', '2'], ['3', '4']]);
  });

  test('bytes that are not gzip throw CorruptGzipError', async () => {
    await expect(collect(csv, { gzip: true })).rejects.toMatchObject({ name: 'CorruptGzipError', code: 'CORRUPT_GZIP' });
  });

  test('a truncated gzip stream throws CorruptGzipError', async () => {
    const z = gzipSync('a,b\n' + '1,2\n'.repeat(1000));
    await expect(collect(z.subarray(0, z.length - 20), { gzip: true })).rejects.toBeInstanceOf(CorruptGzipError);
  });

  test('a gzip whose checksum is damaged throws CorruptGzipError', async () => {
    const z = Buffer.from(gzipSync(csv));
    z[z.length - 6] ^= 0xff;
    await expect(collect(z, { gzip: true })).rejects.toBeInstanceOf(CorruptGzipError);
  });

  test('decompressing past maxDecompressedBytes throws DecompressionBombError', async () => {
    const bomb = gzipSync(Buffer.alloc(8 << 20, 0x31));
    await expect(collect(bomb, { gzip: true, maxDecompressedBytes: 1 << 20 })).rejects.toMatchObject({ code: 'DECOMPRESSION_BOMB' });
  });

  test('a compression ratio above maxCompressionRatio throws DecompressionBombError', async () => {
    const bomb = gzipSync(Buffer.alloc(8 << 20, 0x31)); // ~1000:1
    await expect(collect(bomb, { gzip: true, maxCompressionRatio: 100, ratioGraceBytes: 1 << 20 }, 1024)).rejects.toBeInstanceOf(
      DecompressionBombError,
    );
  });

  test('a highly compressible but legitimate table within the guards reads fully', async () => {
    const text = 'a,b\n' + '0,0\n'.repeat(100_000);
    const t = await collect(gzipSync(text), { gzip: true });
    expect(t.rows.length).toBe(100_000);
  });

  test('a source that fails passes its own error through, not a gzip error', async () => {
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield gzipSync(csv).subarray(0, 10);
      throw new Error('network reset');
    }
    const read = async () => { for await (const chunk of readTable(failing(), { format: 'csv', gzip: true })) void chunk; };
    await expect(read()).rejects.toThrow('network reset');
  });

  test('stopping early closes the compressed source', async () => {
    let closed = false;
    const big = gzipSync('a\n' + '1\n'.repeat(2_000_000));
    async function* tracked(): AsyncGenerator<Uint8Array> {
      try {
        for (let i = 0; i < big.length; i += 1024) yield big.subarray(i, i + 1024);
      } finally {
        closed = true;
      }
    }
    for await (const chunk of readTable(tracked(), { format: 'csv', gzip: true, batchBytes: 1 })) {
      void chunk;
      break;
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(closed).toBe(true);
  });
});
