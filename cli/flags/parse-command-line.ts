import { parseArgs } from 'node:util';
import { InputError } from '../../core/errors';
import { UsageError } from '../../core/usage-error';
import { closest } from './did-you-mean';
import type { CommandSpec, FlagSpec, FlagValue } from './flag-spec';

/** What a command line said, read through the command's table (unknown names are a bug, so they throw). */
export class ParsedCommandLine {
  constructor(
    readonly spec: CommandSpec,
    private readonly values: ReadonlyMap<string, FlagValue>,
    readonly positionals: readonly string[],
    /** the flags given on the command line (not filled in from defaults) */
    readonly given: ReadonlySet<string>,
  ) {}

  string(name: string): string | undefined {
    const v = this.value(name, ['string', 'choice']);
    return v === undefined ? undefined : String(v);
  }

  /** A flag the table marks required (the parser has already refused a command line without it). */
  required(name: string): string {
    const v = this.string(name);
    if (v === undefined) throw new Error(`flag '--${name}' of '${this.spec.name}' is not required in its table`);
    return v;
  }

  int(name: string): number | undefined {
    return this.value(name, ['integer']) as number | undefined;
  }

  bool(name: string): boolean {
    return this.value(name, ['boolean']) === true;
  }

  list(name: string): string[] | undefined {
    return this.value(name, ['list']) as string[] | undefined;
  }

  private value(name: string, kinds: readonly FlagSpec['kind'][]): FlagValue {
    const flag = this.spec.flags.find((f) => f.name === name);
    if (!flag || !kinds.includes(flag.kind)) throw new Error(`'${this.spec.name}' has no ${kinds.join('/')} flag '--${name}' in its table`);
    return this.values.get(name);
  }
}

/** True when the command line asks for help (`--help` or `-h` anywhere before `--`). */
export function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

/**
 * Parses `argv` against `spec` with node:util parseArgs (long and short flags, `--name=value`, `-m value`,
 * `--` ends the flags). Unknown flags (with a "did you mean" from the table), missing values, stray arguments,
 * missing required flags and malformed integers are UsageErrors (exit 2); a value outside a flag's choices is
 * an InputError (exit 1) naming the choices. Defaults come from the same table `--help` prints.
 */
export function parseCommandLine(spec: CommandSpec, argv: readonly string[]): ParsedCommandLine {
  const byName = new Map(spec.flags.map((f) => [f.name, f]));
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const f of spec.flags) {
    options[f.name] = { type: f.kind === 'boolean' ? 'boolean' : 'string', ...(f.short ? { short: f.short } : {}) };
  }
  const { tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  const raw = new Map<string, string | true>();
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      if (!spec.positional) throw new UsageError(`unexpected argument '${token.value}'`);
      positionals.push(token.value);
      continue;
    }
    const flag = byName.get(token.name);
    if (!flag) throw unknownFlag(token.rawName, spec);
    if (flag.kind === 'boolean') {
      if (token.value !== undefined) throw new UsageError(`flag '--${flag.name}' takes no value`);
      raw.set(flag.name, true);
      continue;
    }
    const v = token.value;
    if (v === undefined || (!token.inlineValue && /^-(-|[a-zA-Z])/.test(v))) throw new UsageError(`flag '--${flag.name}' needs a value`);
    raw.set(flag.name, v);
  }
  if (spec.positional && positionals.length > 1) throw new UsageError(`give one ${spec.positional.name}, got ${positionals.length}`);
  const values = new Map<string, FlagValue>();
  for (const f of spec.flags) {
    const given = raw.get(f.name);
    if (given === undefined && f.required) throw new UsageError(`flag '--${f.name}' is required`);
    values.set(f.name, convert(f, given));
  }
  return new ParsedCommandLine(spec, values, positionals, new Set(raw.keys()));
}

function unknownFlag(rawName: string, spec: CommandSpec): UsageError {
  const long = rawName.startsWith('--');
  const typed = rawName.replace(/^-+/, '');
  const names = spec.flags.map((f) => f.name);
  const hit = long ? closest(typed, names) : null;
  const suggestion = hit ? ` (did you mean --${hit}?)` : '';
  return new UsageError(`unknown flag '${rawName}'${suggestion}`);
}

function convert(f: FlagSpec, given: string | true | undefined): FlagValue {
  if (f.kind === 'boolean') return given === true;
  const v = given === undefined ? f.default : given;
  if (v === undefined) return undefined;
  const text = String(v);
  switch (f.kind) {
    case 'integer': {
      const min = f.min ?? 1;
      const n = Number(text);
      if (text.trim() === '' || !Number.isSafeInteger(n) || n < min) {
        throw new UsageError(`flag '--${f.name}' must be an integer ≥ ${min}, got '${text}'`);
      }
      return n;
    }
    case 'choice': {
      const choices = f.choices ?? [];
      if (choices.includes(text)) return text;
      const hit = closest(text, choices);
      throw new InputError(`--${f.name} must be one of ${choices.join(', ')}, got '${text}'${hit ? ` (did you mean '${hit}'?)` : ''}`);
    }
    case 'list':
      return text.split(',').map((s) => s.trim()).filter(Boolean);
    default:
      return text;
  }
}
