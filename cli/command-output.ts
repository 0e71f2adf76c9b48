import type { ParsedCommandLine } from './flags/parse-command-line';

/** Where a command's words go under `--json` and `--quiet`: progress and summaries to stderr, results to stdout. */
export interface CommandOutput {
  json: boolean;
  quiet: boolean;
  /** progress and summaries: stderr, unless --quiet */
  note(text: string): void;
  /** warnings: stderr, always */
  warn(text: string): void;
  /** the result: `human` on stdout, or, with --json, `machine` on stdout as one JSON line and `human` as a note */
  result(human: string, machine: unknown): void;
}

export function commandOutput(cl: ParsedCommandLine): CommandOutput {
  const json = cl.bool('json');
  const quiet = cl.bool('quiet');
  const note = (text: string) => {
    if (!quiet) process.stderr.write(text);
  };
  return {
    json,
    quiet,
    note,
    warn: (text) => void process.stderr.write(text),
    result: (human, machine) => {
      if (!json) {
        process.stdout.write(human);
        return;
      }
      note(human);
      process.stdout.write(`${JSON.stringify(machine)}\n`);
    },
  };
}
