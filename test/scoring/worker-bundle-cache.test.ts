import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

// in a child process (through tsx, as the CLI's sources run): os.tmpdir() there reads the TMPDIR given here
function bundledWorker(tmp: string): string | null {
  const cache = join(ROOT, 'scoring/parallel/worker-bundle-cache.ts');
  const entry = join(ROOT, 'scoring/parallel/worker-main.ts');
  const code = `const b = require(${JSON.stringify(cache)}).bundledWorker(${JSON.stringify(entry)}, ['onnxruntime-node']);`
    + ' process.stdout.write(JSON.stringify(b));';
  const out = execFileSync(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', code], {
    encoding: 'utf8', env: { ...process.env, TMPDIR: tmp }, cwd: ROOT,
  });
  return JSON.parse(out) as string | null;
}

describe('the worker bundle cache', () => {
  let tmp: string;
  beforeEach(() => void (tmp = mkdtempSync(join(tmpdir(), 'residual-worker-cache-test-'))));
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  test('builds into a folder of this user only, and runs nothing from one others may write to', () => {
    const uid = process.getuid?.() ?? 'user';
    const first = bundledWorker(tmp);
    expect(first).not.toBeNull();
    expect(first!.startsWith(join(tmp, `residual-worker-cache-${uid}`))).toBe(true);
    expect(bundledWorker(tmp)).toBe(first);
    chmodSync(join(tmp, `residual-worker-cache-${uid}`), 0o777);
    expect(bundledWorker(tmp)).toBeNull();
  });
});
