import { createGunzip } from 'node:zlib';
import { CorruptGzipError, DecompressionBombError } from './errors';

export interface ByteSourceOptions {
  gzip?: boolean;
  maxDecompressedBytes?: number;
  maxCompressionRatio?: number;
  ratioGraceBytes?: number;
  /** Pieces are gathered into buffers of at least this many bytes (except the last). Default 1 MiB. */
  batchBytes?: number;
}

const GiB = 1024 * 1024 * 1024;

/**
 * The input as a stream of Buffers of at least `batchBytes` (fewer, larger pieces make the parsers'
 * per-piece work negligible), gunzipped when `gzip` is set, with the decompression-bomb guards.
 */
export async function* byteBatches(source: AsyncIterable<Uint8Array>, options: ByteSourceOptions = {}): AsyncGenerator<Buffer> {
  const batchBytes = options.batchBytes ?? 1024 * 1024;
  const pieces = options.gzip ? gunzip(source, options) : source;
  let held: Buffer[] = [];
  let heldBytes = 0;
  for await (const piece of pieces) {
    if (piece.length === 0) continue;
    held.push(Buffer.isBuffer(piece) ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength));
    heldBytes += piece.length;
    if (heldBytes >= batchBytes) {
      yield held.length === 1 ? held[0] : Buffer.concat(held, heldBytes);
      held = [];
      heldBytes = 0;
    }
  }
  if (heldBytes > 0) yield held.length === 1 ? held[0] : Buffer.concat(held, heldBytes);
}

async function* gunzip(source: AsyncIterable<Uint8Array>, options: ByteSourceOptions): AsyncGenerator<Buffer> {
  const maxBytes = options.maxDecompressedBytes ?? 20 * GiB;
  const maxRatio = options.maxCompressionRatio ?? 200;
  const grace = options.ratioGraceBytes ?? 64 * 1024 * 1024;
  const z = createGunzip();
  let compressed = 0;
  let sourceError: unknown;
  // Errors reach the consumer through the iteration below; this listener only keeps a late error (a write
  // after the consumer stopped) from being an unhandled 'error' event.
  z.on('error', () => undefined);
  // Feed the compressed input with backpressure; the consumer below pulls decompressed output. Leaving the
  // loop (break) closes the source when the consumer stops early.
  const feeding = (async () => {
    try {
      for await (const piece of source) {
        if (z.destroyed) break;
        compressed += piece.length;
        if (!z.write(piece)) {
          if (z.destroyed) break;
          await new Promise<void>((resolve) => { z.once('drain', resolve); z.once('close', resolve); });
        }
      }
      if (!z.destroyed) z.end();
    } catch (error) {
      sourceError = error;
      z.destroy(error as Error);
    }
  })();
  let produced = 0;
  try {
    for await (const out of z as AsyncIterable<Buffer>) {
      produced += out.length;
      if (produced > maxBytes) throw new DecompressionBombError(produced, compressed, `maxDecompressedBytes=${maxBytes}`);
      if (produced > grace && produced > maxRatio * compressed) {
        throw new DecompressionBombError(produced, compressed, `maxCompressionRatio=${maxRatio}`);
      }
      yield out;
    }
  } catch (error) {
    if (error === sourceError || error instanceof DecompressionBombError) throw error;
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('Z_')) {
      throw new CorruptGzipError((error as Error).message, { cause: error });
    }
    throw error;
  } finally {
    // Stops the feeder at its next piece; it is not awaited, since a stalled source would block the caller.
    z.destroy();
    void feeding;
  }
}
