import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { literalSpellings } from './literal-spellings';

/**
 * The artifact's file names are spelled in two modules only: the layout module (storage/artifact/layout.ts)
 * and the manifest schema (core/manifest.ts, whose parse error names the file). Every other reader and
 * writer takes them from the layout module, so they cannot drift apart again. This parses every source
 * file (outside infra/, test/, bench/, docs/ and build outputs) and lists each string or template literal
 * that contains one of the names as a word; comments are not literals and may name the files.
 */
const ROOT = join(__dirname, '..', '..');
const ALLOWED = new Set(['storage/artifact/layout.ts', 'core/manifest.ts']);
const SKIPPED_DIRS = new Set(['infra', 'test', 'bench', 'docs', 'node_modules', 'dist', 'cdk.out', 'coverage', '.demo', '.bench', '.git']);
const SOURCE = /\.(ts|tsx|js|mjs|cjs)$/;

function sourceFiles(dir: string, top = true): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (SKIPPED_DIRS.has(entry.name) || (!top && entry.name === 'node_modules') || entry.name.startsWith('.')) continue;
      out.push(...sourceFiles(join(dir, entry.name), false));
    } else if (entry.isFile() && SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      out.push(join(dir, entry.name));
    }
  }
  return out;
}

describe('the artifact layout is spelled in one module', () => {
  it('finds the names in string and template literals, not in comments', () => {
    const text = [
      "// manifest.json in a comment",
      "const a = 'manifest.json';",
      'const b = `${p}/model.onnx`;',
      'const c = `x ${y} decoder.onnx`;',
      'const d = "LATEST";',
      "const e = 'LATEST_FILE or latest or model.onnx2';",
      'const f = `${a} and ${b} moved LATEST`;',
    ].join('\n');
    expect(literalSpellings('x.ts', text)).toEqual([
      'x.ts:2 "manifest.json"',
      'x.ts:3 "model.onnx"',
      'x.ts:4 "decoder.onnx"',
      'x.ts:5 "LATEST"',
      'x.ts:7 "LATEST"',
    ]);
  });

  it('no module besides storage/artifact/layout.ts and core/manifest.ts spells an artifact file name or LATEST', () => {
    const files = sourceFiles(ROOT).map((f) => relative(ROOT, f).split(sep).join('/'));
    expect(files.length).toBeGreaterThan(50);
    expect(files).toEqual(expect.arrayContaining([...ALLOWED]));
    const spelled = files.filter((f) => !ALLOWED.has(f)).flatMap((f) => literalSpellings(f, readFileSync(join(ROOT, f), 'utf8')));
    expect(spelled).toEqual([]);
    // the layout module itself does spell them (the check above is not vacuous)
    expect(literalSpellings('layout.ts', readFileSync(join(ROOT, 'storage/artifact/layout.ts'), 'utf8')).length).toBeGreaterThanOrEqual(4);
  });
});
