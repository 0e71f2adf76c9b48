import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const CACHE = join(ROOT, 'bin/bundle-cache.js');

// in a child process of its own each time, as bin/residual.js runs it: os.tmpdir() there reads the TMPDIR set here
// (a jest test's process.env is not the one node:os reads)
function node(code: string, env: Record<string, string | undefined> = {}): string {
  return execFileSync(process.execPath, ['-e', code], { encoding: 'utf8', env: { ...process.env, ...env } });
}

describe('bin/bundle-cache.js', () => {
  let work: string;
  let tmp: string;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'residual-bundle-test-'));
    tmp = join(work, 'tmp');
    mkdirSync(tmp);
  });
  afterEach(() => {
    rmSync(work, { recursive: true, force: true });
  });
  const cacheDir = () => node(`process.stdout.write(require(${JSON.stringify(CACHE)}).cacheDir())`, { TMPDIR: tmp });
  const bundledEntry = (entry: string, dir = tmp) => JSON.parse(node(
    `require(${JSON.stringify(CACHE)}).bundledEntry(${JSON.stringify(entry)}).then((b) => process.stdout.write(JSON.stringify(b)))`,
    { TMPDIR: dir },
  )) as string | null;

  function sources(b: string): string {
    const src = join(work, 'src');
    mkdirSync(src, { recursive: true });
    writeFileSync(join(src, 'b.ts'), b);
    writeFileSync(join(src, 'a.ts'), [
      "import { b } from './b';", 'export const where = __dirname;', 'export const value: string = b;',
      "export function fail(): void { throw new Error('here'); }", '',
    ].join('\n'));
    return join(src, 'a.ts');
  }
  const load = (bundle: string) => {
    const { where, value } = JSON.parse(node(`process.stdout.write(JSON.stringify(require(${JSON.stringify(bundle)})))`)) as {
      where: string; value: string;
    };
    return { where, value };
  };

  test('builds a bundle that keeps each file its own __dirname, reuses it, and rebuilds it when a source changes', () => {
    const entry = sources("export const b = 'one';\n");
    const first = bundledEntry(entry);
    expect(first).not.toBeNull();
    expect(first!.startsWith(cacheDir())).toBe(true);
    expect(load(first!)).toEqual({ where: join(work, 'src'), value: 'one' });
    expect(bundledEntry(entry)).toBe(first);
    // with source maps on (bin/residual.js turns them on), a stack names the TypeScript file and line
    const fail = `try { require(${JSON.stringify(first)}).fail() } catch (e) { process.stdout.write(e.stack) }`;
    const stack = node(`process.setSourceMapsEnabled(true); ${fail}`);
    expect(stack).toContain(`${join(work, 'src', 'a.ts')}:4`);

    // same size, new mtime: rebuilt all the same
    writeFileSync(join(work, 'src', 'b.ts'), "export const b = 'two';\n");
    utimesSync(join(work, 'src', 'b.ts'), new Date(), new Date(Date.now() + 5000));
    const second = bundledEntry(entry);
    expect(load(second!)).toEqual({ where: join(work, 'src'), value: 'two' });
    // only the bundle, its source map and its index, no temporary files left behind
    expect(readdirSync(cacheDir()).map((f) => f.replace(/^[0-9a-f]+/, '')).sort()).toEqual(['.js', '.js.map', '.json']);
  });

  test('returns null (the caller runs the sources through tsx) on a build error, an unusable or a shared cache folder', () => {
    expect(bundledEntry(sources('export const b = ;\n'))).toBeNull();
    const entry = sources("export const b = 'one';\n");
    writeFileSync(join(work, 'not-a-folder'), '');
    expect(bundledEntry(entry, join(work, 'not-a-folder'))).toBeNull();
    mkdirSync(cacheDir(), { recursive: true });
    chmodSync(cacheDir(), 0o777);
    expect(bundledEntry(entry)).toBeNull();
  });

  test('bin/residual.js prints the same from the bundle as through tsx', () => {
    const run = (env: Record<string, string>) => execFileSync(process.execPath, [join(ROOT, 'bin/residual.js'), 'score', '--help'], {
      encoding: 'utf8', env: { ...process.env, TMPDIR: tmp, ...env },
    });
    const bundled = run({});
    expect(readdirSync(cacheDir()).some((f) => f.endsWith('.js'))).toBe(true);
    expect(bundled).toContain('Usage: residual score');
    expect(run({ RESIDUAL_NO_BUNDLE: '1' })).toBe(bundled);
    // no temp folder to write: neither the bundle nor tsx's cache, and the CLI still starts
    writeFileSync(join(work, 'not-a-folder'), '');
    expect(run({ TMPDIR: join(work, 'not-a-folder') })).toBe(bundled);
  });
});
