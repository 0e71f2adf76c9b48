import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { Rng } from '../core/rng';
import { createTableWriter, extractFeatures, readTable, type FeatureBuffers, type TableWriter } from '../core/io';

export interface ParseBenchResult {
  file: string;
  bytes: number;
  rows: number;
  columns: number;
  /** readTable alone (rows counted, cells not touched), wall clock. */
  parseMBps: number;
  /** readTable + extractFeatures of every column, wall clock. */
  parseExtractMBps: number;
  /** readTable + extractFeatures + CSV output (raw pass-through + 3 appended columns, bytes discarded), wall clock. */
  parseExtractWriteMBps: number;
  /** Bytes (or UTF-16 units, for string output) the CSV writer produced. */
  outputBytes: number;
  /** The same two on this process's CPU time (user + system), which a busy shared machine distorts less. */
  parseCpuMBps: number;
  parseExtractCpuMBps: number;
  /** extractFeatures output checksum (sum of x over observed cells), so the work cannot be skipped. */
  checksum: number;
}

const DEFAULT_ROWS = 100_000;
const DEFAULT_COLUMNS = 140;

/** Writes (once) a rows × columns CSV of standard-normal values with 6 decimals under `.bench/` (~133 MB). */
export async function ensureBenchCsv(rows = DEFAULT_ROWS, columns = DEFAULT_COLUMNS, dir = '.bench'): Promise<string> {
  const file = join(dir, `parse-${rows}x${columns}.csv`);
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  const tmp = `${file}.partial`;
  const out = createWriteStream(tmp);
  const rng = new Rng(42);
  out.write(Array.from({ length: columns }, (_, j) => `f${j}`).join(',') + '\n');
  for (let r = 0; r < rows; r += 1000) {
    let block = '';
    for (let i = r; i < Math.min(rows, r + 1000); i++) {
      const cells = new Array<string>(columns);
      for (let j = 0; j < columns; j++) cells[j] = rng.normal().toFixed(6);
      block += cells.join(',') + '\n';
    }
    if (!out.write(block)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  renameSync(tmp, file);
  return file;
}

async function timeRead(
  file: string,
  extract: boolean,
  write = false,
): Promise<{ seconds: number; cpuSeconds: number; rows: number; columns: number; checksum: number; written: number }> {
  const start = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  let rows = 0;
  let columns = 0;
  let checksum = 0;
  let featureColumns: number[] | undefined;
  const out: FeatureBuffers = { x: new Float32Array(0), mask: new Float32Array(0) };
  let writer: TableWriter | undefined;
  let written = 0;
  for await (const chunk of readTable(createReadStream(file, { highWaterMark: 1 << 20 }), { format: 'csv' })) {
    columns = chunk.columns.length;
    rows += chunk.rows.length;
    if (extract) {
      featureColumns ??= chunk.columns.map((_, j) => j);
      const batch = extractFeatures(chunk, featureColumns, out);
      if (out.x.length < batch.x.length) {
        out.x = new Float32Array(batch.x.length);
        out.mask = new Float32Array(batch.x.length);
      }
      checksum += batch.x[0] ?? 0;
      if (write) {
        writer ??= createTableWriter('csv', [...chunk.columns, 'anomaly_score', 'is_anomaly', 'top_features'], {
          delimiter: chunk.delimiter,
          sourceFormat: 'csv',
          float32: true,
        });
        const f = featureColumns.length;
        written += writer.rows(batch.keep.map((row, r) => ({ source: row, values: [batch.x[r * f] * 0.5, 0, 'f1;f2;f3'] }))).length;
      }
    }
  }
  const cpu = process.cpuUsage(cpu0);
  return {
    seconds: Number(process.hrtime.bigint() - start) / 1e9,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    rows,
    columns,
    checksum,
    written,
  };
}

/** Parse-only and parse+extract throughput (MB/s, 1 MB = 1e6 bytes) on one core; best of `repeats` runs each. */
export async function runParseBench(file?: string, repeats = 3): Promise<ParseBenchResult> {
  const path = file ?? (await ensureBenchCsv());
  const bytes = statSync(path).size;
  let parse = Infinity;
  let both = Infinity;
  let write = Infinity;
  let outputBytes = 0;
  let parseCpu = Infinity;
  let bothCpu = Infinity;
  let rows = 0;
  let columns = 0;
  let checksum = 0;
  for (let i = 0; i < repeats; i++) {
    const p = await timeRead(path, false);
    parse = Math.min(parse, p.seconds);
    parseCpu = Math.min(parseCpu, p.cpuSeconds);
    const b = await timeRead(path, true);
    both = Math.min(both, b.seconds);
    bothCpu = Math.min(bothCpu, b.cpuSeconds);
    const w = await timeRead(path, true, true);
    write = Math.min(write, w.seconds);
    outputBytes = w.written;
    ({ rows, columns, checksum } = b);
  }
  return { file: path, bytes, rows, columns, parseMBps: bytes / 1e6 / parse, parseExtractMBps: bytes / 1e6 / both,
    parseExtractWriteMBps: bytes / 1e6 / write, outputBytes,
    parseCpuMBps: bytes / 1e6 / parseCpu, parseExtractCpuMBps: bytes / 1e6 / bothCpu, checksum };
}

if (require.main === module) {
  runParseBench(process.argv[2]).then((r) => console.log(JSON.stringify(r, null, 2)), (e) => { console.error(e); process.exit(1); });
}
