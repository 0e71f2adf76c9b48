import type { TableChunk, TableRow } from '../../core/io';
import { InputError } from '../../core/errors';
import { alignedRows } from '../../core/evaluation';
import type { Manifest } from '../../core/manifest';
import { storeForUri } from '../../functions/adapters/store-for-uri';
import { ObjectNotFoundError } from '../../functions/errors';
import { SCORE_MODES, type ScoreMode } from '../../functions/services/score-table';
import { denoisePage, detectPage, embedPage, imputePage, type ReportContext } from '../../reporting/build-report';
import { DenoiseCollector } from '../../reporting/denoise-collector';
import { DetectCollector } from '../../reporting/detect-collector';
import { EmbedCollector } from '../../reporting/embed-collector';
import { renderPage, type ReportPage } from '../../reporting/html-page';
import { ImputeCollector } from '../../reporting/impute-collector';
import { parseFlags, stringFlag } from '../args';
import { openChunks } from './evaluate';
import { readManifest } from './inspect';

export const REPORT_USAGE = `residual report --scored <file|s3://...> --output <report.html>
                [--model <dir|s3://...>] [--label-column <name>]
                [--mode detect|impute|denoise|embed] [--input <file the output was scored from>] [--reference <clean file>]
  one self-contained HTML page (inline SVG charts, no scripts, no network). The mode comes from --mode, else the
  scoring summary beside the file (<scored>.summary.json), else the columns. impute and denoise need --input;
  denoise takes an optional clean --reference.`;

export interface ReportOptions {
  scored: string;
  output: string;
  model?: string;
  labelColumn?: string;
  mode?: ScoreMode;
  input?: string;
  reference?: string;
}

export async function runReport(argv: string[]): Promise<number> {
  const flags = parseFlags(
    argv,
    {
      values: ['scored', 'output', 'model', 'label-column', 'mode', 'input', 'reference'],
      required: ['scored', 'output'],
    },
    'report',
  );
  const mode = stringFlag(flags, 'mode');
  if (mode !== undefined && !(SCORE_MODES as readonly string[]).includes(mode)) {
    throw new InputError(`residual report: --mode must be one of ${SCORE_MODES.join(', ')}, got '${mode}'`);
  }
  const result = await writeReport({
    scored: stringFlag(flags, 'scored')!,
    output: stringFlag(flags, 'output')!,
    model: stringFlag(flags, 'model'),
    labelColumn: stringFlag(flags, 'label-column'),
    mode: mode as ScoreMode | undefined,
    input: stringFlag(flags, 'input'),
    reference: stringFlag(flags, 'reference'),
  });
  process.stderr.write(
    `report (${result.mode}, ${result.rows} rows, ${result.figures} charts): ${result.output} (${result.bytes} bytes)\n`,
  );
  return 0;
}

interface ScoringSummary {
  mode?: string;
  threshold?: { value?: number };
  rows_rejected?: number;
}

export async function writeReport(
  o: ReportOptions,
): Promise<{ output: string; mode: ScoreMode; rows: number; figures: number; bytes: number }> {
  const manifest = o.model ? await readManifest(o.model) : null;
  const summary = await readSummary(o.scored);
  const chunks = await peekable(await openChunks(o.scored));
  const mode = o.mode ?? modeOf(summary?.mode) ?? inferMode(chunks.first?.columns ?? []);
  const threshold = manifest?.threshold.value ?? summary?.threshold?.value ?? null;
  const notes: string[] = [];
  if (o.model && summary?.threshold?.value !== undefined && manifest && summary.threshold.value !== manifest.threshold.value) {
    notes.push("The threshold of the given model differs from the one the file was scored with; the model's is drawn.");
  }
  const ctx: ReportContext = { scored: o.scored, manifest, threshold, rowsRejectedWhenScored: summary?.rows_rejected ?? null, notes };
  const page = await buildPage(mode, chunks.chunks, ctx, o, manifest);
  const html = renderPage(page);
  const { store, location } = storeForUri(o.output);
  await store.put(location, html, { contentType: 'text/html; charset=utf-8' });
  const rows = Number(page.facts.find(([k]) => k === 'rows read')?.[1] ?? 0);
  return { output: o.output, mode, rows, figures: page.figures.length, bytes: Buffer.byteLength(html) };
}

async function buildPage(
  mode: ScoreMode,
  chunks: AsyncIterable<TableChunk>,
  ctx: ReportContext,
  o: ReportOptions,
  manifest: Manifest | null,
): Promise<ReportPage> {
  const features = manifest?.features ?? null;
  switch (mode) {
    case 'detect': {
      const c = new DetectCollector(o.labelColumn ?? null, ctx.threshold);
      const unreadable = await eachRow(
        chunks,
        (columns) => c.begin(columns),
        (row) => c.add(row),
      );
      if (unreadable) ctx.notes.push(`${unreadable} line(s) of the scored file could not be read and are left out.`);
      return detectPage(c.finish(), ctx);
    }
    case 'embed': {
      const c = new EmbedCollector(o.labelColumn ?? null);
      const unreadable = await eachRow(
        chunks,
        (columns) => c.begin(columns),
        (row) => c.add(row),
      );
      if (unreadable) ctx.notes.push(`${unreadable} line(s) of the scored file could not be read and are left out.`);
      return embedPage(c.data, ctx);
    }
    case 'impute': {
      if (!o.input)
        throw new InputError(`residual report: mode 'impute' needs --input (the file that was filled in) to mark the filled cells`);
      const c = new ImputeCollector(features);
      let started = false;
      for await (const [out, inp] of alignedRows([
        { name: o.scored, chunks },
        { name: o.input, chunks: await openChunks(o.input) },
      ])) {
        if (!started) {
          c.begin(out!.columns, inp!.columns);
          started = true;
        }
        c.add(out!.row.cells, inp!.row.cells);
      }
      return imputePage(c.data, ctx);
    }
    case 'denoise': {
      if (!o.input) throw new InputError(`residual report: mode 'denoise' needs --input (the noisy file that was denoised)`);
      const c = new DenoiseCollector(features);
      const tables = [
        { name: o.scored, chunks },
        { name: o.input, chunks: await openChunks(o.input) },
      ];
      if (o.reference) tables.push({ name: o.reference, chunks: await openChunks(o.reference) });
      let started = false;
      for await (const [out, inp, ref] of alignedRows(tables)) {
        if (!started) {
          c.begin(out!.columns, inp!.columns, ref?.columns ?? null);
          started = true;
        }
        c.add(out!.row.cells, inp!.row.cells, ref?.row.cells ?? null);
      }
      return denoisePage(c.finish(), ctx);
    }
  }
}

/** Calls `row` for every row (no promise per row) and `begin` once with the columns; returns how many rows were unreadable. */
async function eachRow(chunks: AsyncIterable<TableChunk>, begin: (columns: string[]) => void, row: (r: TableRow) => void): Promise<number> {
  let started = false;
  let rejected = 0;
  for await (const chunk of chunks) {
    if (!started) {
      begin(chunk.columns);
      started = true;
    }
    rejected += chunk.rejected.length;
    for (const r of chunk.rows) row(r);
  }
  return rejected;
}

const modeOf = (m: string | undefined): ScoreMode | undefined =>
  (SCORE_MODES as readonly string[]).includes(m ?? '') ? (m as ScoreMode) : undefined;

function inferMode(columns: readonly string[]): ScoreMode {
  if (columns.includes('anomaly_score')) return 'detect';
  if (columns.includes('z0')) return 'embed';
  throw new InputError(
    `residual report: cannot tell the mode from the columns (no anomaly_score, no z0); pass --mode impute or --mode denoise`,
  );
}

async function readSummary(scored: string): Promise<ScoringSummary | null> {
  const { store, location } = storeForUri(scored);
  try {
    const bytes = await store.getBytes({ bucket: location.bucket, key: `${location.key}.summary.json` });
    return JSON.parse(new TextDecoder().decode(bytes)) as ScoringSummary;
  } catch (err) {
    if (err instanceof ObjectNotFoundError || err instanceof SyntaxError) return null;
    throw err;
  }
}

/** Reads the first chunk (for its columns) and gives back a stream that still starts with it. */
async function peekable(chunks: AsyncIterable<TableChunk>): Promise<{ first: TableChunk | undefined; chunks: AsyncIterable<TableChunk> }> {
  const it = chunks[Symbol.asyncIterator]();
  const head = await it.next();
  const first = head.done ? undefined : head.value;
  return {
    first,
    chunks: (async function* () {
      if (first) yield first;
      for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
    })(),
  };
}
