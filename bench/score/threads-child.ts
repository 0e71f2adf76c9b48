// A fresh process scores the benchmark CSV with `threads` scoring threads, twice: the first run starts the worker
// pool (a one-shot `residual score`), the second finds it running (a warm Lambda). Prints both as one JSON line.
import { closeScoringWorkers } from '../../scoring/parallel/worker-pool';
import { scoreWithThreads } from './parallel-end-to-end';

const [model, csv, threads] = process.argv.slice(2);
(async () => {
  const cold = await scoreWithThreads(model!, csv!, Number(threads));
  const warm = await scoreWithThreads(model!, csv!, Number(threads));
  await closeScoringWorkers();
  process.stdout.write(JSON.stringify({ cold, warm, maxRssMB: process.resourceUsage().maxRSS / 1024 }) + '\n');
})().catch((err: unknown) => {
  process.stderr.write(`threads-child: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
