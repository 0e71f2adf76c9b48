import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { REPO_ROOT } from './helpers';

const INFRA = path.join(REPO_ROOT, 'infra');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

/** `Interface.prop` of every optional property of an exported interface in `file` with no `@default` TSDoc tag. */
function undocumentedDefaults(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const missing: string[] = [];
  source.forEachChild((node) => {
    if (!ts.isInterfaceDeclaration(node) || !node.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return;
    for (const member of node.members) {
      if (!ts.isPropertySignature(member) || !member.questionToken) continue;
      const tags = ts.getJSDocTags(member).map((t) => t.tagName.text);
      if (!tags.includes('default')) missing.push(`${node.name.text}.${member.name.getText(source)}`);
    }
  });
  return missing;
}

describe('infra sources', () => {
  const files = sources(INFRA);

  test('document the default of every optional prop with @default (as aws-solutions-constructs do)', () => {
    expect(files.length).toBeGreaterThan(10);
    expect(files.flatMap(undocumentedDefaults)).toEqual([]);
  });

  test('the check finds an optional prop without @default', () => {
    const file = path.join(fs.mkdtempSync(path.join(REPO_ROOT, 'node_modules', '.cache-')), 'x.ts');
    fs.writeFileSync(file, [
      'export interface XProps {', '  /** documented', '   * @default 1', '   */', '  readonly a?: number;',
      '  /** no default */', '  readonly b?: number;', '}', '',
    ].join('\n'));
    try {
      expect(undocumentedDefaults(file)).toEqual(['XProps.b']);
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });

  test('stay under 300 lines per file', () => {
    const long = files.map((f) => [path.relative(REPO_ROOT, f), fs.readFileSync(f, 'utf8').split('\n').length] as const)
      .filter(([, n]) => n > 300);
    expect(long).toEqual([]);
  });
});
