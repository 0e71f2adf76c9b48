// `npm run bench [score|train|quality] [--quick]`: runs the benchmarks and rewrites their BENCHMARKS.md sections.
import { writeBenchmarkSection } from './report';
import { runScoreBench } from './score';

async function main(argv: string[]): Promise<void> {
  const quick = argv.includes('--quick');
  const which = argv.filter((a) => !a.startsWith('--'));
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
    const md = await runQualityBench({ quick });
    writeBenchmarkSection('quality', md);
    process.stdout.write(`${md}\n\n`);
  }
}

main(process.argv.slice(2)).catch((err) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
