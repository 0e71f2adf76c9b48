import type { BatchScorer, ScorerOutput, ScorerOutputs } from './batch-scorer';

/**
 * Rows of a batch sit at positions ≡ (line − 1) mod ROW_ALIGN. onnxruntime's float32 result for a row depends on
 * where the row lies in its batch (its CPU kernels work on blocks of rows, and a row's sums come out in the last
 * digit differently at different offsets in a block; measured on this project's x86 machine: the period is 4), not
 * on the other rows' values or on the batch's size. A row's position modulo a multiple of that period fixed by its
 * own line number makes its result the same however the input was cut into chunks or pieces (`--threads`).
 */
export const ROW_ALIGN = 64;

const mod = (v: number, m: number) => ((v % m) + m) % m;

/**
 * Runs one batch of rows with each row at a position fixed by its line (ROW_ALIGN): the rows are copied into a
 * padded batch (zeros, mask 0, where no row sits: before the first row and where lines are missing) and the outputs
 * are read back at the rows' positions. The padding is at most ROW_ALIGN − 1 rows before the first row, plus the
 * lines between rows that are not rows (rejected, blank, the extra lines of a quoted multi-line record).
 */
export class AlignedRowBatch {
  private xs = new Float32Array(0);
  private ms = new Float32Array(0);
  private pos = new Int32Array(0);

  constructor(private readonly scorer: BatchScorer, private readonly f: number) {}

  async run(
    x: Float32Array, mask: Float32Array, rows: number, lines: ArrayLike<number>, fetch: readonly ScorerOutput[],
  ): Promise<ScorerOutputs> {
    const f = this.f;
    if (this.pos.length < rows) this.pos = new Int32Array(Math.max(rows, 2 * this.pos.length));
    const pos = this.pos;
    let p = mod(lines[0]! - 1, ROW_ALIGN);
    const first = p;
    pos[0] = p;
    let contiguous = true;
    let ordered = Number.isInteger(lines[0]);
    for (let i = 1; i < rows; i++) {
      const gap = lines[i]! - lines[i - 1]!;
      if (!(gap >= 1 && Number.isInteger(gap))) ordered = false;
      const step = mod(gap - 1, ROW_ALIGN) + 1;
      if (step !== 1) contiguous = false;
      p += step;
      pos[i] = p;
    }
    // rows not in increasing whole line numbers (no source gives them): the batch as it came
    if (!ordered) return this.scorer.run(x.subarray(0, rows * f), mask.subarray(0, rows * f), rows, fetch);
    const n = p + 1;
    if (this.xs.length < n * f) {
      this.xs = new Float32Array(Math.max(n * f, 2 * this.xs.length));
      this.ms = new Float32Array(this.xs.length);
    }
    const xs = this.xs.subarray(0, n * f);
    const ms = this.ms.subarray(0, n * f);
    if (contiguous) {
      xs.fill(0, 0, first * f);
      ms.fill(0, 0, first * f);
      xs.set(x.subarray(0, rows * f), first * f);
      ms.set(mask.subarray(0, rows * f), first * f);
    } else {
      xs.fill(0);
      ms.fill(0);
      for (let i = 0; i < rows; i++) {
        xs.set(x.subarray(i * f, (i + 1) * f), pos[i]! * f);
        ms.set(mask.subarray(i * f, (i + 1) * f), pos[i]! * f);
      }
    }
    const out = await this.scorer.run(xs, ms, n, fetch);
    const result: ScorerOutputs = {};
    for (const key of Object.keys(out) as (keyof ScorerOutputs)[]) {
      const all = out[key];
      if (all === undefined) continue;
      const per = all.length / n;
      if (contiguous) {
        result[key] = all.subarray(first * per, (first + rows) * per);
        continue;
      }
      const mine = new Float32Array(rows * per);
      for (let i = 0; i < rows; i++) mine.set(all.subarray(pos[i]! * per, (pos[i]! + 1) * per), i * per);
      result[key] = mine;
    }
    return result;
  }
}
