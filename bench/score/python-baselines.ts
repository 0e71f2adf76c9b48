import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BENCH_DIR } from './fixtures';

export interface PythonBaselines {
  pandas_read_MBps: number;
  pandas_pipeline_MBps: number;
  ort_python_rows_per_s: number;
  versions: Record<string, string>;
}

/** Runs bench/python/score_baselines.py side by side; null (with the reason) when Python lacks the packages. */
export function pythonBaselines(modelDir: string, csv: string): { result: PythonBaselines | null; note: string } {
  const res = spawnSync(
    'python3',
    ['bench/python/score_baselines.py', join(modelDir, 'model.onnx'), csv, join(BENCH_DIR, 'pandas-out.csv')],
    {
      encoding: 'utf8',
      env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
      maxBuffer: 1 << 20,
    },
  );
  if (res.status !== 0) {
    const why = (res.stdout || res.stderr || String(res.error)).trim().split('\n').pop();
    return { result: null, note: `Python baselines not measured: ${why} (pip install pandas onnxruntime)` };
  }
  return { result: JSON.parse(res.stdout.trim().split('\n').pop()!) as PythonBaselines, note: '' };
}
