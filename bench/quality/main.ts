import { writeBenchmarkSection } from '../report';
import { QUALITY_TASKS, runQualityBench, type QualityTask } from './index';

/**
 * `npx tsx bench/quality/main.ts [--quick] [--kinds a,b] [--tasks ecg,imputation,adbench,denoising,adbench18,ecg-defaults]
 * [--sets 14_glass,6_cardio | design | holdout (adbench18; nab: design | holdout) | ptb,ecg5000 (ecg-signal)] [--datasets DIR]
 * [--write]`: prints the markdown; --write also replaces the
 * `quality` section of BENCHMARKS.md.
 */
async function main(argv: string[]): Promise<void> {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const markdown = await runQualityBench({
    quick: argv.includes('--quick'),
    kinds: value('--kinds')?.split(','),
    tasks: (value('--tasks')?.split(',') as QualityTask[] | undefined) ?? [...QUALITY_TASKS],
    datasets: value('--datasets'),
    sets: value('--sets')?.split(','),
  });
  process.stdout.write(markdown);
  if (argv.includes('--write')) writeBenchmarkSection('quality', markdown);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
