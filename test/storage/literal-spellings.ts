import * as ts from 'typescript';

/** The artifact's file names, as words (not `LATEST_FILE`, not `model.onnx2`). */
const NAMES = /(?<![\w.])(manifest\.json|model\.onnx|decoder\.onnx|generator\.onnx|LATEST)(?![\w])/;

/** `file:line "name"` for each literal in `text` that spells an artifact file name. */
export function literalSpellings(file: string, text: string): string[] {
  const found: string[] = [];
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      const m = NAMES.exec(node.text);
      if (m) found.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1} "${m[1]}"`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

