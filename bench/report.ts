import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { arch, cpus, totalmem } from 'node:os';

export const BENCHMARKS_FILE = 'BENCHMARKS.md';

const HEADER = `# residual benchmarks

Every number here was measured by \`npm run bench\` (or the command shown under its section) on the
machine named in that section; each section is rewritten when its benchmark runs again. Comparisons are
made side by side in one run, as ratios, because the machine is shared and noisy.
`;

/** One line naming the machine and runtime a section was measured on. */
export function machineLine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const memory = (totalmem() / 2 ** 30).toFixed(0);
  return `Measured ${when} UTC on ${cpus().length}× ${cpu} (${arch()}), ${memory} GiB, Node ${process.version}.`;
}

/**
 * Replaces (or appends) the section between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->` in
 * BENCHMARKS.md, leaving every other section as it was.
 */
export function writeBenchmarkSection(name: string, markdown: string, file = BENCHMARKS_FILE): void {
  const open = `<!-- bench:${name} -->`;
  const close = `<!-- /bench:${name} -->`;
  const block = `${open}\n${markdown.trim()}\n${close}`;
  const text = existsSync(file) ? readFileSync(file, 'utf8') : HEADER;
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  const next =
    start >= 0 && end > start ? text.slice(0, start) + block + text.slice(end + close.length) : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
}

/** A markdown table from a header row and body rows. */
export function markdownTable(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
