export interface Figure {
  title: string;
  /** how to read it, in plain words */
  caption: string;
  svg: string;
}

export interface ReportPage {
  title: string;
  checked: string[];
  found: string[];
  lookFirst: string[];
  figures: Figure[];
  facts: [string, string][];
  notes: string[];
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2933; margin: 0; background: #f5f7fa; }
main { max-width: 1000px; margin: 0 auto; padding: 24px 20px 60px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; }
.summary { display: grid; grid-template-columns: repeat(3, 1fr); gap: 14px; margin-top: 16px; }
.summary section { background: #fff; border-radius: 8px; padding: 12px 16px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
.summary h2 { margin: 0 0 6px; font-size: 15px; text-transform: uppercase; letter-spacing: .04em; color: #52606d; }
.summary ul { margin: 0; padding-left: 18px; }
figure { background: #fff; border-radius: 8px; margin: 18px 0; padding: 12px 16px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
figure h3 { margin: 0 0 4px; font-size: 16px; }
figcaption { color: #52606d; font-size: 14px; margin-bottom: 6px; }
figure svg { max-width: 100%; height: auto; display: block; }
table { border-collapse: collapse; background: #fff; }
td { padding: 3px 12px; border-bottom: 1px solid #e4e7eb; font-size: 14px; }
td:first-child { color: #52606d; }
.notes { color: #52606d; font-size: 13px; }
@media (max-width: 800px) { .summary { grid-template-columns: 1fr; } }
`;

/** One self-contained HTML page: inline CSS and inline SVG, no scripts, no external resources. */
export function renderPage(p: ReportPage): string {
  const list = (items: string[]) => `<ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
  const figures = p.figures
    .map(
      (f, i) =>
        `<figure id="figure-${i + 1}"><h3>${escapeHtml(f.title)}</h3><figcaption>${escapeHtml(f.caption)}</figcaption>${f.svg}</figure>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(p.title)}</title><style>${STYLE}</style></head>
<body><main>
<h1>${escapeHtml(p.title)}</h1>
<div class="summary">
<section><h2>What was checked</h2>${list(p.checked)}</section>
<section><h2>What was found</h2>${list(p.found)}</section>
<section><h2>Look at first</h2>${list(p.lookFirst)}</section>
</div>
${figures}
<h2>Details</h2>
<table>${p.facts.map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(v)}</td></tr>`).join('')}</table>
<div class="notes">${p.notes.map((n) => `<p>${escapeHtml(n)}</p>`).join('')}</div>
</main></body></html>
`;
}
