import { PRODUCER_VERSION } from '../training/producer';
import { EXIT, reportError } from './report-error';

const USAGE = `residual ${PRODUCER_VERSION} — anomaly detection, imputation and denoising

Usage:
  residual train  --data <file|s3://b/k> --model <kind> --out <dir|s3://b/prefix> [options]
  residual score  --model <dir|s3://...> --input <file|s3://...> --output <file|s3://...>
                  [--mode detect|impute|denoise|embed] [--format csv|jsonl|parquet]
  residual sample --model <dir> --rows N --output <file>      (vae: synthetic rows)
  residual demo   the whole pipeline on this machine against a local S3 server
  residual evaluate --scored <file> --label-column <y> [--labels <file>] [--json]   (or --reference <file>)
  residual inspect <model dir|s3://...> [--json]
  residual report --scored <file> [--model <dir>] [--label-column <y>] --output report.html

Model kinds: dense-ae, sparse-ae, denoising-ae, vae, conv1d-ae, lstm-ae, gain, pca
Run 'residual <command> --help' for a command's flags.
Exit codes: 0 done, 1 bad input (the message says which), 2 bad command line, 70 a bug in residual (stack printed).
`;

/**
 * Dispatches a command; returns the process exit code (see EXIT in report-error.ts). Commands load lazily so
 * `score` never loads tfjs.
 */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  if (command === '--version') {
    process.stdout.write(`${PRODUCER_VERSION}\n`);
    return 0;
  }
  try {
    switch (command) {
      case 'train':
        return await (require('./commands/train') as typeof import('./commands/train')).runTrain(rest);
      case 'score':
        if (rest.includes('--help')) return help((require('./commands/score') as typeof import('./commands/score')).SCORE_USAGE);
        return await (require('./commands/score') as typeof import('./commands/score')).runScore(rest);
      case 'sample':
        return await (require('./commands/sample') as typeof import('./commands/sample')).runSample(rest);
      case 'demo':
        if (rest.includes('--help')) return help((require('./commands/demo') as typeof import('./commands/demo')).DEMO_USAGE);
        return await (require('./commands/demo') as typeof import('./commands/demo')).runDemo(rest);
      case 'evaluate':
        if (rest.includes('--help')) return help((require('./commands/evaluate') as typeof import('./commands/evaluate')).EVALUATE_USAGE);
        return await (require('./commands/evaluate') as typeof import('./commands/evaluate')).runEvaluate(rest);
      case 'inspect':
        if (rest.includes('--help')) return help((require('./commands/inspect') as typeof import('./commands/inspect')).INSPECT_USAGE);
        return await (require('./commands/inspect') as typeof import('./commands/inspect')).runInspect(rest);
      case 'report':
        if (rest.includes('--help')) return help((require('./commands/report') as typeof import('./commands/report')).REPORT_USAGE);
        return await (require('./commands/report') as typeof import('./commands/report')).runReport(rest);
      default:
        process.stderr.write(`residual: unknown command '${command}'\n\n${USAGE}`);
        return EXIT.usage;
    }
  } catch (err) {
    return reportError(command, err, (s) => process.stderr.write(s));
  }
}

function help(text: string): number {
  process.stdout.write(`${text}\n`);
  return 0;
}
