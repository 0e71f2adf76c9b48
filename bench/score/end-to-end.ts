import { statSync } from 'node:fs';
import { join } from 'node:path';
import { scoreFile } from '../../cli/commands/score';
import { BENCH_DIR } from './fixtures';

export interface EndToEndResult {
  seconds: number;
  mbPerSecond: number;
  rowsPerSecond: number;
  modelSeconds: number;
}

/** `residual score` on local files, in process: the same streaming code the handler runs. Best of `repeats`. */
export async function endToEnd(modelDir: string, csv: string, repeats = 2): Promise<EndToEndResult> {
  const bytes = statSync(csv).size;
  let best: EndToEndResult | null = null;
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    const summary = await scoreFile({ model: modelDir, input: csv, output: join(BENCH_DIR, 'scored.csv'), mode: 'detect', threads: 1 });
    const seconds = (performance.now() - start) / 1000;
    const result = {
      seconds,
      mbPerSecond: bytes / 1e6 / seconds,
      rowsPerSecond: summary.rows_out / seconds,
      modelSeconds: summary.timings.model_ms / 1000,
    };
    if (!best || result.seconds < best.seconds) best = result;
  }
  return best!;
}
