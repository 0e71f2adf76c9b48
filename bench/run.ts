// `npm run bench [score|train|quality] [--quick] [--tasks a,b] [--kinds a,b] [--sets a,b] [--datasets DIR]`: runs the
// benchmarks and rewrites their BENCHMARKS.md sections. The last four pick what `quality` runs (as bench/quality/main.ts
// takes them); a quality run limited by them prints its markdown but leaves BENCHMARKS.md's section as it is.
import { writeBenchmarkSection } from './report';
import { runScoreBench } from './score';
import type { QualityTask } from './quality';

const VALUE_FLAGS = ['--tasks', '--kinds', '--sets', '--datasets'];

async function main(argv: string[]): Promise<void> {
  const quick = argv.includes('--quick');
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const which = argv.filter((a, i) => !a.startsWith('--') && !VALUE_FLAGS.includes(argv[i - 1] ?? ''));
  const picked = VALUE_FLAGS.some((f) => value(f) !== undefined);
  const all = which.length === 0;
  if (all || which.includes('score')) {
    const md = await runScoreBench({ quick });
    writeBenchmarkSection('score', md);
    process.stdout.write(`${md}\n\n`);
  }
  if (all || which.includes('train')) {
    const { runTrainBenchMarkdown } = require('./train-bench') as typeof import('./train-bench');
    const md = await runTrainBenchMarkdown({ quick });
    writeBenchmarkSection('train', md);
    process.stdout.write(`${md}\n\n`);
  }
  if (which.includes('quality')) {
    const { runQualityBench } = require('./quality') as typeof import('./quality');
    const md = await runQualityBench({
      quick,
      tasks: value('--tasks')?.split(',') as QualityTask[] | undefined,
      kinds: value('--kinds')?.split(','),
      sets: value('--sets')?.split(','),
      datasets: value('--datasets'),
    });
    if (!picked) writeBenchmarkSection('quality', md);
    process.stdout.write(`${md}\n\n`);
  }
}

main(process.argv.slice(2)).catch((err) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
