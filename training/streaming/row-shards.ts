import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Rng } from '../../core/rng';

/** Raw training rows (float32, row-major, NaN = missing) spread over shard files in a temporary directory. */
export interface ShardSet {
  dir: string;
  features: number;
  files: string[];
  /** rows in each file */
  rows: number[];
}

/**
 * Writes rows to `count` shard files, each row to a shard drawn at random: every shard is then a uniform random
 * subset of the rows, so an epoch that visits the shards in a random order and each shard's rows in a random order
 * sees the rows shuffled across the whole table. Each shard buffers `bufferRows` rows before a write.
 */
export class ShardWriter {
  private readonly fds: number[] = [];
  private readonly buffers: Float32Array[] = [];
  private readonly filled: number[] = [];
  readonly set: ShardSet;

  constructor(dir: string, features: number, count: number, private readonly rng: Rng, private readonly bufferRows = 4096) {
    this.set = { dir, features, files: [], rows: [] };
    for (let i = 0; i < count; i++) {
      const file = join(dir, `shard-${String(i).padStart(5, '0')}.f32`);
      this.fds.push(openSync(file, 'w'));
      this.set.files.push(file);
      this.set.rows.push(0);
      this.buffers.push(new Float32Array(bufferRows * features));
      this.filled.push(0);
    }
  }

  /** rows × features floats the writer holds (its buffers) */
  get heldRows(): number {
    return this.buffers.length * this.bufferRows;
  }

  /** Adds one row (values[at .. at + features)) to a random shard. */
  add(values: Float32Array, at: number): void {
    const f = this.set.features;
    const s = this.rng.int(this.fds.length);
    const n = this.filled[s]!;
    this.buffers[s]!.set(values.subarray(at, at + f), n * f);
    this.filled[s] = n + 1;
    this.set.rows[s]!++;
    if (n + 1 === this.bufferRows) this.flush(s);
  }

  /** Writes what is buffered and closes the files; shards left empty are dropped from the set. */
  close(): ShardSet {
    for (let s = 0; s < this.fds.length; s++) {
      this.flush(s);
      closeSync(this.fds[s]!);
    }
    const keep = this.set.rows.map((r, i) => [r, i] as const).filter(([r]) => r > 0).map(([, i]) => i);
    return { ...this.set, files: keep.map((i) => this.set.files[i]!), rows: keep.map((i) => this.set.rows[i]!) };
  }

  private flush(s: number): void {
    const n = this.filled[s]!;
    if (n === 0) return;
    const b = this.buffers[s]!;
    writeSync(this.fds[s]!, new Uint8Array(b.buffer, 0, n * this.set.features * 4));
    this.filled[s] = 0;
  }
}

/** One shard's rows, read whole (a fresh buffer). */
export function readShard(set: ShardSet, index: number): Float32Array {
  const bytes = readFileSync(set.files[index]!);
  const expected = set.rows[index]! * set.features * 4;
  if (bytes.length !== expected) throw new Error(`shard ${index} holds ${bytes.length} bytes, ${expected} expected`);
  // a large file read whole owns its memory from offset 0; a small one may sit in Node's shared pool: copied
  const own = bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.length;
  return new Float32Array(own ? bytes.buffer : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

export function removeShards(set: ShardSet): void {
  rmSync(set.dir, { recursive: true, force: true });
}
