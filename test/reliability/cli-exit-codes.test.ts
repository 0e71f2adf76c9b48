import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/main';
import { reportError } from '../../cli/report-error';
import { InputError } from '../../core/errors';
import { UsageError } from '../../core/usage-error';
import { captureStderr } from '../cli/cli-harness';

const MODEL = join(__dirname, '../../models/sensors');
const SAMPLE = join(__dirname, '../../models/sensors-sample.csv');

const stderr = captureStderr();

const score = (...extra: string[]) =>
  ['score', '--model', MODEL, '--input', SAMPLE, '--output', join(tmpdir(), 'never-written.csv'), ...extra];

describe('residual exit codes and messages', () => {
  test('a user error prints one line with a single "residual score:" prefix and exits 1', async () => {
    expect(await main(score('--mode', 'guess'))).toBe(1);
    expect(stderr.text()).toBe('residual score: --mode must be one of detect, impute, denoise, embed, got \'guess\'\n');
  });

  test('an unknown flag is a usage error: exit 2, one prefix', async () => {
    expect(await main(score('--colour', 'red'))).toBe(2);
    const text = stderr.text();
    expect(text).toMatch(/^residual score: unknown flag '--colour'/);
    expect(text.match(/residual score:/g)).toHaveLength(1);
  });

  test('a non-integer --threads is a usage error (exit 2), not a RangeError', async () => {
    expect(await main(score('--threads', 'many'))).toBe(2);
    expect(stderr.text()).toMatch(/^residual score: flag '--threads' must be an integer ≥ 1 or 'auto', got 'many'\n/);
  });

  test('a train flag without its value exits 2 with one prefix', async () => {
    expect(await main(['train', '--data'])).toBe(2);
    expect(stderr.text()).toMatch(/^residual train: flag '--data' needs a value\n/);
  });

  test('a file-system error on the output (a file where a folder should be) exits 1 with one line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'residual-exit-'));
    await writeFile(join(dir, 'file'), 'x');
    expect(await main(['score', '--model', MODEL, '--input', SAMPLE, '--output', join(dir, 'file', 'out.csv')])).toBe(1);
    const text = stderr.text();
    expect(text).toMatch(/^residual score: cannot write --output '.*out\.csv': its folder '.*file' cannot be created or written/);
    expect(text).toMatch(/\(E(EXIST|NOTDIR)\)\n$/);
    expect(text.trimEnd().split('\n')).toHaveLength(1);
  });

  test('a programming error (TypeError) in a command exits 70 and prints its stack, not a user-error line', async () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'length')");
    let code = -1;
    // stands in for a bug inside a command: the real main, with the score command replaced by one that throws
    jest.doMock('../../cli/commands/score', () => ({ runScore: async () => { throw bug; } }));
    try {
      await jest.isolateModulesAsync(async () => {
        code = await (require('../../cli/main') as typeof import('../../cli/main')).main(score());
      });
    } finally {
      jest.dontMock('../../cli/commands/score');
    }
    expect(code).toBe(70);
    const text = stderr.text();
    expect(text).toMatch(/^residual score: internal error/);
    expect(text).toContain(bug.stack!);
  });

  test('reportError classifies: usage 2, user 1, system error 1, AWS service error 1, anything else 70', () => {
    const codes = [
      new UsageError('x'), new InputError('x'), Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES', syscall: 'open' }),
      Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: {}, $fault: 'client' }), new RangeError('x'), 'a string',
    ].map((e) => reportError('score', e, () => undefined, {}));
    expect(codes).toEqual([2, 1, 1, 1, 70, 70]);
  });
});
