import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scoreFile } from '../../../cli/commands/score';
import { formatFloat32 } from '../../../core/io/format-number';
import { scoreRows, type TrainedArtifact } from '../onnx-path';

export interface DenoiseSpeed {
  /** `residual score --mode denoise --threads 1` (the CLI's scoreFile, CSV file in and out): × real time per CPU-second. */
  cliCpu: number;
  /** The same by the wall clock (depends on the machine's load). */
  cliWall: number;
  /** The bench's in-memory path (scoreRows: rows as strings into scoreTable, cells read back), × real time per CPU-second. */
  rowsCpu: number;
}

/** The recording as CSV text, with a time column (seconds) first when the model has one. */
function csvOf(columns: readonly string[], values: Float32Array, rows: number, time: string | null, fs: number): string {
  const f = columns.length;
  const lines = [(time === null ? columns : [time, ...columns]).join(',')];
  for (let r = 0; r < rows; r++) {
    const cells = new Array<string>(f);
    for (let j = 0; j < f; j++) cells[j] = formatFloat32(values[r * f + j]!);
    lines.push(time === null ? cells.join(',') : `${(r / fs).toFixed(4)},${cells.join(',')}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Times denoising a recording (rows × leads) with a trained continuous-signal denoiser, after a warm-up call on its
 * first 4096 rows: the CLI's own scoreFile (one thread: onnxruntime's one intra-op thread, CSV parse and the CSV
 * splice's float writer included, process start-up not) and the bench's scoreRows path. × real time per second of
 * this process's CPU time (every thread counted) and per wall-clock second.
 */
export async function denoiseSpeed(artifact: TrainedArtifact, values: Float32Array, fs: number): Promise<DenoiseSpeed> {
  const columns = artifact.manifest.features;
  const rows = values.length / columns.length;
  const signal = rows / fs;
  const time = artifact.manifest.time_column ?? null;
  const dir = mkdtempSync(join(tmpdir(), 'ecg-signal-speed-'));
  const cpu = (c0: NodeJS.CpuUsage): number => {
    const u = process.cpuUsage(c0);
    return (u.user + u.system) / 1e6;
  };
  try {
    const model = join(dir, 'model');
    mkdirSync(model);
    writeFileSync(join(model, 'manifest.json'), JSON.stringify(artifact.manifest));
    writeFileSync(join(model, 'model.onnx'), artifact.onnx);
    writeFileSync(join(dir, 'warm.csv'), csvOf(columns, values, Math.min(rows, 4096), time, fs));
    writeFileSync(join(dir, 'in.csv'), csvOf(columns, values, rows, time, fs));
    await scoreFile({ model, input: join(dir, 'warm.csv'), output: join(dir, 'warm-out.csv'), mode: 'denoise', threads: 1 });
    const c0 = process.cpuUsage();
    const t0 = Date.now();
    await scoreFile({ model, input: join(dir, 'in.csv'), output: join(dir, 'out.csv'), mode: 'denoise', threads: 1 });
    const cliCpu = signal / cpu(c0);
    const cliWall = signal / ((Date.now() - t0) / 1000);
    const x = Float64Array.from(values);
    await scoreRows(artifact, x.subarray(0, Math.min(x.length, 4096 * columns.length)), 'denoise');
    const c1 = process.cpuUsage();
    await scoreRows(artifact, x, 'denoise');
    return { cliCpu, cliWall, rowsCpu: signal / cpu(c1) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
