import { InputError, ResidualError } from '../../core/errors';
import { TableError, type TableFormat } from '../../core/io';
import type { Manifest } from '../../core/manifest';
import { buildReportPage } from '../../reporting/build-page';
import { escapeHtml, renderPage } from '../../reporting/html-page';
import { openTable } from '../../storage/open-table';
import type { ObjectLocation, ObjectStore } from '../../storage/object-store';
import type { ScoreMode } from '../../scoring/score-table';

/** Largest report written; the charts are downsampled, so a page is ~200 kB whatever the input's size. */
export const MAX_REPORT_BYTES = 5 * 1024 * 1024;

export interface WriteReportRequest {
  store: ObjectStore;
  /** the scored result, already written */
  output: ObjectLocation;
  outputFormat: TableFormat;
  mode: ScoreMode;
  manifest: Manifest;
  /** the object that was scored (impute and denoise reports compare against it) */
  input: ObjectLocation & { format: TableFormat; gzip: boolean };
  maxBytes?: number;
}

export type WriteReportResult = { status: 'written'; key: string; bytes: number } | { status: 'failed'; key: string; reason: string };

/**
 * Writes `<output>.report.html` beside a result, reading the result (and for impute/denoise the input) once
 * more as a stream. A report that cannot be made never fails the scoring: a short page saying why is
 * written in its place (messages name columns and lines, never values), so the object still ends in a known state.
 */
export async function writeReportBeside(req: WriteReportRequest): Promise<WriteReportResult> {
  const key = `${req.output.key}.report.html`;
  const at: ObjectLocation = { bucket: req.output.bucket, key };
  const name = (l: ObjectLocation) => (l.bucket ? `s3://${l.bucket}/${l.key}` : l.key);
  try {
    const scored = await openTable(req.store, req.output, { format: req.outputFormat });
    const page = await buildReportPage(
      req.mode,
      {
        scored: { name: name(req.output), chunks: scored.chunks },
        input: {
          name: name(req.input),
          open: async () => (await openTable(req.store, req.input, { format: req.input.format, gzip: req.input.gzip })).chunks,
        },
      },
      {
        scored: name(req.output),
        manifest: req.manifest,
        threshold: req.manifest.threshold.value,
        rowsRejectedWhenScored: null,
        notes: [],
      },
    );
    const html = renderPage(page);
    const bytes = Buffer.byteLength(html);
    if (bytes > (req.maxBytes ?? MAX_REPORT_BYTES))
      throw new InputError(`the report would be ${bytes} bytes, over the limit of ${req.maxBytes ?? MAX_REPORT_BYTES}`);
    await req.store.put(at, html, { contentType: 'text/html; charset=utf-8' });
    return { status: 'written', key, bytes };
  } catch (err) {
    if (!(err instanceof ResidualError || err instanceof TableError)) throw err;
    const reason = err.message;
    const html =
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>No report</title></head><body>` +
      `<h1>No report for ${escapeHtml(name(req.output))}</h1>` +
      `<p>The result was written, but its report could not be made: ${escapeHtml(reason)}</p></body></html>\n`;
    await req.store.put(at, html, { contentType: 'text/html; charset=utf-8' });
    return { status: 'failed', key, reason };
  }
}
