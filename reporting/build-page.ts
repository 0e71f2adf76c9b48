import type { TableChunk, TableRow } from '../core/io';
import { InputError } from '../core/errors';
import { alignedRows } from '../core/evaluation/aligned-rows';
import type { ScoreMode } from '../scoring/score-table';
import { denoisePage, detectPage, embedPage, imputePage, type ReportContext } from './build-report';
import { DenoiseCollector } from './denoise-collector';
import { DetectCollector } from './detect-collector';
import { EmbedCollector } from './embed-collector';
import type { ReportPage } from './html-page';
import { ImputeCollector } from './impute-collector';

export interface PageSources {
  /** the scored output */
  scored: { name: string; chunks: AsyncIterable<TableChunk> };
  /** the table that was scored (impute, denoise), opened only when the mode needs it */
  input?: { name: string; open: () => Promise<AsyncIterable<TableChunk>> };
  /** a clean reference (denoise, optional) */
  reference?: { name: string; open: () => Promise<AsyncIterable<TableChunk>> };
  labelColumn?: string;
}

/** Streams the sources once and builds the report page for `mode`. */
export async function buildReportPage(mode: ScoreMode, src: PageSources, ctx: ReportContext): Promise<ReportPage> {
  const features = ctx.manifest?.features ?? null;
  const chunks = src.scored.chunks;
  switch (mode) {
    case 'detect': {
      const c = new DetectCollector(src.labelColumn ?? null, ctx.threshold);
      const unreadable = await eachRow(
        chunks,
        (columns) => c.begin(columns),
        (row) => c.add(row),
      );
      if (unreadable) ctx.notes.push(`${unreadable} line(s) of the scored file could not be read and are left out.`);
      return detectPage(c.finish(), ctx);
    }
    case 'embed': {
      const c = new EmbedCollector(src.labelColumn ?? null);
      const unreadable = await eachRow(
        chunks,
        (columns) => c.begin(columns),
        (row) => c.add(row),
      );
      if (unreadable) ctx.notes.push(`${unreadable} line(s) of the scored file could not be read and are left out.`);
      return embedPage(c.data, ctx);
    }
    case 'impute': {
      if (!src.input) throw new InputError(`mode 'impute' needs the input (the file that was filled in) to mark the filled cells`);
      const c = new ImputeCollector(features);
      let started = false;
      for await (const [out, inp] of alignedRows([
        { name: src.scored.name, chunks },
        { name: src.input.name, chunks: await src.input.open() },
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
      if (!src.input) throw new InputError(`mode 'denoise' needs the input (the noisy file that was denoised)`);
      const c = new DenoiseCollector(features);
      const tables = [
        { name: src.scored.name, chunks },
        { name: src.input.name, chunks: await src.input.open() },
      ];
      if (src.reference) tables.push({ name: src.reference.name, chunks: await src.reference.open() });
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
