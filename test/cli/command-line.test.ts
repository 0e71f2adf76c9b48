import { closest, editDistance } from '../../cli/flags/did-you-mean';
import { formatHelp } from '../../cli/flags/format-help';
import { parseCommandLine } from '../../cli/flags/parse-command-line';
import { COMMAND_SPECS } from '../../cli/specs';
import { SCORE_SPEC } from '../../cli/specs/score-spec';
import { TRAIN_BACKENDS, TRAIN_SPEC } from '../../cli/specs/train-spec';
import { InputError } from '../../core/errors';
import { UsageError } from '../../core/usage-error';
import { BACKEND_CHOICES } from '../../training/backend';
import { runMain } from './cli-harness';

const run = runMain;

describe('--help, generated from each command\'s flag table', () => {
  const specs = COMMAND_SPECS.map((s) => [s.name, s] as const);
  test.each(specs)('%s --help lists every flag with its description and default', async (name, spec) => {
    const { code, stdout } = await run([name, '--help']);
    expect(code).toBe(0);
    expect(stdout).toBe(formatHelp(spec));
    const lines = stdout.split('\n');
    for (const f of spec.flags) {
      const at = lines.findIndex((l) => new RegExp(`^  (-${f.short}, |    )--${f.name}\\b`).test(l));
      expect([f.name, at >= 0]).toEqual([f.name, true]);
      // the description and default are on the flag's line, or on the next one when the flag itself is long
      const text = `${lines[at]} ${lines[at + 1]}`;
      expect(text).toContain(f.description);
      const value = f.default ?? f.defaultText ?? 'none';
      const shown = f.required ? '(required)' : f.kind === 'boolean' ? '(default: off)' : `(default: ${value})`;
      expect([f.name, text.includes(shown)]).toEqual([f.name, true]);
    }
  });

  test('-h is --help, and help wins over an otherwise bad command line', async () => {
    const { code, stdout } = await run(['score', '--colour', 'red', '-h']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: residual score /);
  });

  test('defaults the parser applies are the ones --help prints', () => {
    const cl = parseCommandLine(SCORE_SPEC, ['-m', 'm', '-i', 'in.csv', '-o', 'out.csv']);
    expect(cl.string('mode')).toBe('detect');
    expect(cl.required('max-rejected')).toBe('50%');
    expect(formatHelp(SCORE_SPEC)).toMatch(/--mode <detect\|impute\|denoise\|embed>\n\s+.*\(default: detect\)/);
    expect(formatHelp(SCORE_SPEC)).toMatch(/--max-rejected <N\|P%> .*\(default: 50%\)/);
  });

  test('the top-level help names every command', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    for (const s of COMMAND_SPECS) expect(stdout).toContain(`residual ${s.name.padEnd(8)} ${s.synopsis}`);
  });

  test('train offers exactly the backends training/backend.ts knows', () => {
    expect([...TRAIN_BACKENDS]).toEqual([...BACKEND_CHOICES]);
  });
});

describe('typos and usage errors', () => {
  test.each([
    [['score', '--modle', 'm'], "residual score: unknown flag '--modle' (did you mean --model?)"],
    [['score', '--ouptut', 'x'], "residual score: unknown flag '--ouptut' (did you mean --output?)"],
    [['train', '--batchsize', '8'], "residual train: unknown flag '--batchsize' (did you mean --batch-size?)"],
    [['evaluate', '--label', 'y'], "residual evaluate: unknown flag '--label' (did you mean --labels?)"],
    [['inspect', 'm', '--jsn'], "residual inspect: unknown flag '--jsn' (did you mean --json?)"],
  ])('%j suggests the flag meant and exits 2', async (argv, line) => {
    const { code, stderr } = await run(argv);
    expect(code).toBe(2);
    expect(stderr).toBe(`${line}\nRun 'residual ${argv[0]} --help' for its flags.\n`);
  });

  test('a flag far from every known one gets no suggestion', async () => {
    const { code, stderr } = await run(['score', '--colour', 'red']);
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toBe("residual score: unknown flag '--colour'");
  });

  test('an unknown command suggests the closest one and exits 2', async () => {
    const { code, stderr } = await run(['scroe']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^residual: unknown command 'scroe' \(did you mean 'score'\?\)\n/);
  });

  test.each([
    [['score', '-m', 'x', '-i', 'y'], "flag '--output' is required"],
    [['score', '-m', '-i', 'y', '-o', 'z'], "flag '--model' needs a value"],
    [['score', '-m', 'x', '-i', 'y', '-o', 'z', '--json=yes'], "flag '--json' takes no value"],
    [['score', '-m', 'x', '-i', 'y', '-o', 'z', 'stray'], "unexpected argument 'stray'"],
    [['score', '-m', 'x', '-i', 'y', '-o', 'z', '-x'], "unknown flag '-x'"],
    [['train', '-d', 'x', '-m', 'pca', '-o', 'y', '--epochs', '1.5'], "flag '--epochs' must be an integer ≥ 0, got '1.5'"],
    [['inspect'], 'give one model folder or s3:// prefix'],
    [['inspect', 'a', 'b'], 'give one model, got 2'],
    [['score', '-m', 'x', '-i', 'y', '-o', 'z', '--endpoint-url', 'localhost:9000'],
      "--endpoint-url must be an http:// or https:// URL, got 'localhost:9000'"],
  ])('%j exits 2 with one prefixed line', async (argv, message) => {
    const { code, stderr } = await run(argv);
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toBe(`residual ${argv[0]}: ${message}`);
    expect(stderr.match(/residual \w+:/g)).toHaveLength(1);
  });

  test('a value outside a flag\'s choices is bad input (exit 1) that names them, with a suggestion when close', async () => {
    const { code, stderr } = await run(['score', '-m', 'x', '-i', 'y', '-o', 'z', '--mode', 'detct']);
    expect(code).toBe(1);
    expect(stderr).toBe("residual score: --mode must be one of detect, impute, denoise, embed, got 'detct' (did you mean 'detect'?)\n");
  });
});

describe('the parser', () => {
  test('short flags, --name=value and a value that is - (stdin/stdout)', () => {
    const cl = parseCommandLine(SCORE_SPEC, ['-m', 'model', '-i', '-', '--output=-', '-q', '--threads=2']);
    expect([cl.required('model'), cl.required('input'), cl.required('output'), cl.bool('quiet'), cl.string('threads')])
      .toEqual(['model', '-', '-', true, '2']);
    expect(cl.given.has('mode')).toBe(false);
    const t = parseCommandLine(TRAIN_SPEC, ['-d', 'data.csv', '-m', 'pca', '-o', 'out', '--columns', 'a, b,,c', '--seed', '0']);
    expect([t.required('data'), t.required('model'), t.required('out'), t.list('columns'), t.int('seed')])
      .toEqual(['data.csv', 'pca', 'out', ['a', 'b', 'c'], 0]);
  });

  test('errors are UsageErrors, except a value outside the choices (InputError, not a UsageError)', () => {
    expect(() => parseCommandLine(SCORE_SPEC, ['--nope'])).toThrow(UsageError);
    let err: unknown;
    try {
      parseCommandLine(TRAIN_SPEC, ['-d', 'x', '-m', 'tree', '-o', 'y']);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect(err).not.toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(/^--model must be one of dense-ae, .*, got 'tree'$/);
  });

  test('asking for a flag the table does not have is a bug, not undefined', () => {
    const cl = parseCommandLine(SCORE_SPEC, ['-m', 'm', '-i', 'a.csv', '-o', 'b.csv']);
    expect(() => cl.string('modle')).toThrow(/has no string\/choice flag '--modle'/);
    expect(() => cl.int('model')).toThrow(/has no integer flag '--model'/);
  });

  test('edit distance counts an adjacent swap as one edit; suggestions need to be close', () => {
    expect(editDistance('ouptut', 'output')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(closest('modle', ['model', 'mode'])).toBe('model');
    expect(closest('thread', ['threads', 'top-k'])).toBe('threads');
    expect(closest('max', ['max-rejected', 'mode'])).toBe('max-rejected');
    expect(closest('colour', ['model', 'output', 'format'])).toBeNull();
  });
});
