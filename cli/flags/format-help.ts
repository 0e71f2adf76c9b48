import type { CommandSpec, FlagSpec } from './flag-spec';

/** `residual <command> --help`, generated from the command's flag table: every flag, its value, its default. */
export function formatHelp(spec: CommandSpec): string {
  const rows = spec.flags.map((f): [string, string] => [left(f), `${f.description} ${right(f)}`]);
  if (spec.positional) rows.unshift([`<${spec.positional.name}>`, spec.positional.description]);
  const width = Math.min(34, Math.max(...rows.map(([l]) => l.length)));
  const lines = [`Usage: residual ${spec.name} ${spec.synopsis}`, '', `  ${spec.summary}`, '', 'Flags:'];
  for (const [l, r] of rows) {
    lines.push(l.length > width ? `  ${l}\n  ${' '.repeat(width)}  ${r}` : `  ${l.padEnd(width)}  ${r}`);
  }
  for (const note of spec.notes ?? []) lines.push('', note);
  return lines.join('\n') + '\n';
}

function left(f: FlagSpec): string {
  const value = f.kind === 'boolean' ? '' : ` ${f.value ?? (f.kind === 'choice' ? `<${(f.choices ?? []).join('|')}>` : '<value>')}`;
  return `${f.short ? `-${f.short}, ` : '    '}--${f.name}${value}`;
}

function right(f: FlagSpec): string {
  if (f.required) return '(required)';
  if (f.kind === 'boolean') return '(default: off)';
  if (f.default !== undefined) return `(default: ${f.default})`;
  return `(default: ${f.defaultText ?? 'none'})`;
}
