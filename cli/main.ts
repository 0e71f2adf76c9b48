import { UsageError } from '../core/usage-error';
import { configureS3 } from '../storage/adapters/store-for-uri';
import { PRODUCER_VERSION } from '../training/producer';
import { closest } from './flags/did-you-mean';
import type { CommandSpec } from './flags/flag-spec';
import { formatHelp } from './flags/format-help';
import { parseCommandLine, wantsHelp, type ParsedCommandLine } from './flags/parse-command-line';
import { EXIT, reportError } from './report-error';
import { COMMAND_SPECS } from './specs';

type Run = (cl: ParsedCommandLine) => Promise<number>;

/** Each command's module loads only when it runs, so `score` never loads tfjs and `--help` loads neither. */
const RUNS: Record<string, Run> = {
  train: (cl) => (require('./commands/train') as typeof import('./commands/train')).runTrain(cl),
  score: (cl) => (require('./commands/score') as typeof import('./commands/score')).runScore(cl),
  sample: (cl) => (require('./commands/sample') as typeof import('./commands/sample')).runSample(cl),
  demo: (cl) => (require('./commands/demo') as typeof import('./commands/demo')).runDemo(cl),
  evaluate: (cl) => (require('./commands/evaluate') as typeof import('./commands/evaluate')).runEvaluate(cl),
  inspect: (cl) => (require('./commands/inspect') as typeof import('./commands/inspect')).runInspect(cl),
  report: (cl) => (require('./commands/report') as typeof import('./commands/report')).runReport(cl),
  denoise: (cl) => (require('./commands/denoise') as typeof import('./commands/denoise')).runDenoise(cl),
  fidelity: (cl) => (require('./commands/fidelity') as typeof import('./commands/fidelity')).runFidelity(cl),
};

/** `residual --help`: every command's synopsis and summary, from the same tables as each command's help. */
export function usage(): string {
  const commands = COMMAND_SPECS.map((s) => `  residual ${s.name.padEnd(8)} ${s.synopsis}\n      ${s.summary}`).join('\n');
  return `residual ${PRODUCER_VERSION} — anomaly detection, imputation and denoising

Usage:
${commands}

Run 'residual <command> --help' for a command's flags and their defaults. '-' reads stdin or writes stdout where a
command's help says so; s3:// paths take --profile, --region and --endpoint-url as aws-cli does.
Exit codes: 0 done, 1 bad input (the message says which), 2 bad command line, 70 a bug in residual (stack printed).
`;
}

/** Dispatches a command; returns the process exit code (see EXIT in report-error.ts). */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(usage());
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  if (command === '--version' || command === '-V') {
    process.stdout.write(`${PRODUCER_VERSION}\n`);
    return EXIT.ok;
  }
  const spec = COMMAND_SPECS.find((s) => s.name === command);
  const run = RUNS[command];
  if (!spec || !run) {
    const hit = closest(command, COMMAND_SPECS.map((s) => s.name));
    const suggestion = hit ? ` (did you mean '${hit}'?)` : '';
    process.stderr.write(`residual: unknown command '${command}'${suggestion}\nRun 'residual --help' for the commands.\n`);
    return EXIT.usage;
  }
  try {
    if (wantsHelp(rest)) {
      process.stdout.write(formatHelp(spec));
      return EXIT.ok;
    }
    const cl = parseCommandLine(spec, rest);
    configureS3(s3Settings(spec, cl));
    return await run(cl);
  } catch (err) {
    return reportError(command, err, (s) => process.stderr.write(s));
  }
}

function s3Settings(spec: CommandSpec, cl: ParsedCommandLine) {
  if (!spec.flags.some((f) => f.name === 'endpoint-url')) return {};
  const endpoint = cl.string('endpoint-url');
  if (endpoint !== undefined && !/^https?:\/\/[^/]/.test(endpoint)) {
    throw new UsageError(`--endpoint-url must be an http:// or https:// URL, got '${endpoint}'`);
  }
  return { profile: cl.string('profile'), region: cl.string('region'), endpoint };
}
