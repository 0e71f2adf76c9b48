/**
 * `text` (one valid JSON object, as JSON.parse accepted it) without its top-level members whose key is in
 * `drop`; every other byte is kept. Written by hand because re-serialising with JSON.stringify would change
 * other members' text (1.50 → 1.5, large integers rounded), and the JSONL output copies rows byte for byte.
 */
export function withoutMembers(text: string, drop: ReadonlySet<string>): string {
  const spans: [number, number][] = [];
  let i = skipSpace(text, text.indexOf('{') + 1);
  let prevEnd = -1; // end of the previous kept member's value
  while (i < text.length && text[i] !== '}') {
    const keyStart = i;
    const keyEnd = skipString(text, i);
    const key = JSON.parse(text.slice(keyStart, keyEnd)) as string;
    i = skipSpace(text, keyEnd);
    i = skipSpace(text, i + 1); // ':'
    const valueEnd = skipValue(text, i);
    i = skipSpace(text, valueEnd);
    const comma = text[i] === ',';
    if (drop.has(key)) {
      // drop the member with the comma before it (or after it, when it is the first member)
      if (prevEnd >= 0) spans.push([prevEnd, valueEnd]);
      else spans.push([keyStart, comma ? skipSpace(text, i + 1) : valueEnd]);
    } else {
      prevEnd = valueEnd;
    }
    if (comma) i = skipSpace(text, i + 1);
  }
  let out = '';
  let at = 0;
  for (const [s, e] of spans) {
    out += text.slice(at, s);
    at = e;
  }
  return out + text.slice(at);
}

/** Offset of the first non-whitespace (JSON's four whitespace characters) at or after t[i]. */
export function skipSpace(t: string, i: number): number {
  while (i < t.length && (t[i] === ' ' || t[i] === '\t' || t[i] === '\n' || t[i] === '\r')) i++;
  return i;
}

/** Offset after the string starting at t[i] === '"'. */
export function skipString(t: string, i: number): number {
  for (let k = i + 1; k < t.length; k++) {
    if (t[k] === '\\') k++;
    else if (t[k] === '"') return k + 1;
  }
  return t.length;
}

/** Offset after the JSON value starting at t[i]. */
function skipValue(t: string, i: number): number {
  if (t[i] === '"') return skipString(t, i);
  if (t[i] === '{' || t[i] === '[') {
    let depth = 0;
    for (let k = i; k < t.length; k++) {
      const c = t[k];
      if (c === '"') { k = skipString(t, k) - 1; continue; }
      if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') { depth--; if (depth === 0) return k + 1; }
    }
    return t.length;
  }
  let k = i;
  while (k < t.length && t[k] !== ',' && t[k] !== '}' && t[k] !== ' ' && t[k] !== '\t' && t[k] !== '\n' && t[k] !== '\r') k++;
  return k;
}
