import { UsageError } from '../core/usage-error';

export interface FlagSpec {
  /** flags that take a value, e.g. ['data', 'model'] */
  values: readonly string[];
  /** flags without a value, e.g. ['help'] */
  booleans?: readonly string[];
  required?: readonly string[];
}

export type ParsedFlags = Record<string, string | true>;

/**
 * Parses `--name value`, `--name=value` and boolean `--name`. Unknown flags, missing values and missing
 * required flags are UsageErrors that name the flag (cli/main.ts prefixes `residual <command>: ` and exits 2).
 * `_command` is kept for callers that pass it; messages no longer repeat it.
 */
export function parseFlags(argv: readonly string[], spec: FlagSpec, _command?: string): ParsedFlags {
  const out: ParsedFlags = {};
  const booleans = new Set(spec.booleans ?? []);
  const values = new Set(spec.values);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument '${arg}'`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (booleans.has(name)) {
      out[name] = true;
      continue;
    }
    if (!values.has(name)) {
      const known = [...values, ...booleans].map((f) => `--${f}`).join(', ');
      throw new UsageError(`unknown flag '--${name}' (known: ${known})`);
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`flag '--${name}' needs a value`);
    out[name] = value;
  }
  for (const name of spec.required ?? []) {
    if (out[name] === undefined) throw new UsageError(`flag '--${name}' is required`);
  }
  return out;
}

export function stringFlag(flags: ParsedFlags, name: string): string | undefined {
  const v = flags[name];
  return typeof v === 'string' ? v : undefined;
}

export function intFlag(flags: ParsedFlags, name: string, min = 1): number | undefined {
  const v = stringFlag(flags, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`flag '--${name}' must be an integer ≥ ${min}, got '${v}'`);
  }
  return n;
}
