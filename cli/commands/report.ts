import type { TableChunk } from '../../core/io';
import { InputError } from '../../core/errors';
import { storeForUri } from '../../storage/adapters/store-for-uri';
import { ObjectNotFoundError } from '../../storage/errors';
import { SCORE_MODES, type ScoreMode } from '../../scoring/score-table';
import { buildReportPage } from '../../reporting/build-page';
import type { ReportContext } from '../../reporting/build-report';
import { renderPage } from '../../reporting/html-page';
import { commandOutput } from '../command-output';
import type { ParsedCommandLine } from '../flags/parse-command-line';
import { openChunks } from './evaluate';
import { readManifest } from './inspect';

export interface ReportOptions {
  scored: string;
  output: string;
  model?: string;
  labelColumn?: string;
  mode?: ScoreMode;
  input?: string;
  reference?: string;
}

export async function runReport(cl: ParsedCommandLine): Promise<number> {
  const out = commandOutput(cl);
  const result = await writeReport({
    scored: cl.required('scored'),
    output: cl.required('output'),
    model: cl.string('model'),
    labelColumn: cl.string('label-column'),
    mode: cl.string('mode') as ScoreMode | undefined,
    input: cl.string('input'),
    reference: cl.string('reference'),
  });
  out.note(`report (${result.mode}, ${result.rows} rows, ${result.figures} charts): ${result.output} (${result.bytes} bytes)\n`);
  if (out.json) process.stdout.write(`${JSON.stringify(result)}\n`);
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
  const page = await buildReportPage(
    mode,
    {
      scored: { name: o.scored, chunks: chunks.chunks },
      input: o.input ? { name: o.input, open: () => openChunks(o.input!) } : undefined,
      reference: o.reference ? { name: o.reference, open: () => openChunks(o.reference!) } : undefined,
      labelColumn: o.labelColumn,
    },
    ctx,
  );
  const html = renderPage(page);
  const { store, location } = storeForUri(o.output);
  await store.put(location, html, { contentType: 'text/html; charset=utf-8' });
  const rows = Number(page.facts.find(([k]) => k === 'rows read')?.[1] ?? 0);
  return { output: o.output, mode, rows, figures: page.figures.length, bytes: Buffer.byteLength(html) };
}

const modeOf = (m: string | undefined): ScoreMode | undefined =>
  (SCORE_MODES as readonly string[]).includes(m ?? '') ? (m as ScoreMode) : undefined;

function inferMode(columns: readonly string[]): ScoreMode {
  if (columns.includes('anomaly_score')) return 'detect';
  if (columns.includes('z0')) return 'embed';
  throw new InputError(
    `cannot tell the mode from the columns (no anomaly_score, no z0); pass --mode impute or --mode denoise`,
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
