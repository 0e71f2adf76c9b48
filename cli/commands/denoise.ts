import { pipeline, Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { CONTENT_TYPES, createTableWriter, formatFromKey, parseCellNumber, type OutputRow, type TableRow } from '../../core/io';
import { InputError, InternalError } from '../../core/errors';
import { BlockFilter } from '../../core/signal/block-filter';
import { bandpassFilter, waveletFilter, type LeadFilter } from '../../core/signal/classic-denoise';
import { storeForUri } from '../../storage/adapters/store-for-uri';
import { openTable } from '../../storage/open-table';
import { commandOutput } from '../command-output';
import type { ParsedCommandLine } from '../flags/parse-command-line';

/** Context rows each side of a block, in seconds (longer than the filters' memory at ECG settings). */
const MARGIN_S = 10;

/** `residual denoise`: a classical filter over every lead of a continuous signal, streamed (issue 15). */
export async function runDenoise(cl: ParsedCommandLine): Promise<number> {
  const out = commandOutput(cl);
  const fs = positive(cl.required('sample-rate'), '--sample-rate');
  const filter = leadFilter(cl, fs);
  const block = Math.max(1, Math.round(positive(cl.required('block'), '--block') * fs));
  const input = storeForUri(cl.required('input'));
  const output = storeForUri(cl.required('output'));
  const inFormat = formatFromKey(input.location.key);
  const outFormat = formatFromKey(output.location.key);
  const table = await openTable(input.store, input.location, inFormat);
  const passThrough = new Set([...(cl.list('exclude') ?? []), ...(cl.string('time-column') ? [cl.string('time-column')!] : [])]);
  const counts = { rowsIn: 0, rowsOut: 0, rejected: 0, gaps: 0 };
  const t0 = Date.now();
  async function* encoded(): AsyncGenerator<string | Uint8Array> {
    let columns: string[] | null = null;
    let leadIdx: number[] = [];
    let writer: ReturnType<typeof createTableWriter> | null = null;
    let stage: BlockFilter | null = null;
    const pending: TableRow[] = [];
    const write = (y: Float64Array): string | Uint8Array => {
      const n = y.length / leadIdx.length;
      const rows: OutputRow[] = pending.splice(0, n).map((row, r) => {
        const values: (string | number | null)[] = [...row.cells];
        leadIdx.forEach((c, j) => (values[c] = Number.isFinite(y[r * leadIdx.length + j]!) ? y[r * leadIdx.length + j]! : null));
        return { values };
      });
      counts.rowsOut += rows.length;
      return writer!.rows(rows);
    };
    try {
      for await (const chunk of table.chunks) {
        counts.rejected += chunk.rejected.length;
        counts.rowsIn += chunk.rejected.length + chunk.rows.length;
        if (!columns) {
          columns = chunk.columns;
          const chosen = cl.list('columns') ?? columns.filter((c) => !passThrough.has(c));
          const missing = chosen.filter((c) => !columns!.includes(c));
          if (missing.length) throw new InputError(`--columns names column(s) the input lacks: ${missing.join(', ')}`);
          if (!chosen.length) throw new InputError('no signal columns: every column is excluded');
          leadIdx = chosen.map((c) => columns!.indexOf(c));
          stage = new BlockFilter(leadIdx.length, block, Math.round(MARGIN_S * fs), filter);
          writer = createTableWriter(outFormat.format, columns, { delimiter: chunk.delimiter });
          const h = writer.header();
          if (h !== undefined) yield h;
        }
        const x = new Float64Array(chunk.rows.length * leadIdx.length);
        chunk.rows.forEach((row, r) => leadIdx.forEach((c, j) => {
          const text = row.cells[c];
          const v = text === null || text === undefined ? NaN : parseCellNumber(text, chunk.delimiter);
          x[r * leadIdx.length + j] = v === undefined ? NaN : v;
          if (!Number.isFinite(x[r * leadIdx.length + j]!)) counts.gaps++;
        }));
        pending.push(...chunk.rows);
        const y = stage!.push(x, chunk.rows.length);
        if (y.length) yield write(y);
      }
      if (!writer || !stage) throw new InputError(`'${input.location.key}' holds no rows`);
      const y = stage.flush();
      if (y.length) yield write(y);
      const end = writer.end();
      if (end !== undefined) yield end;
    } finally {
      await table.close();
    }
  }
  const contentType = outFormat.gzip ? 'application/gzip' : CONTENT_TYPES[outFormat.format];
  // pipeline(), not pipe(): a failing encoded() (bad --columns, no rows) must destroy the gzip stream too, or put() waits forever
  const body = outFormat.gzip ? pipeline(Readable.from(encoded()), createGzip(), () => undefined) : Readable.from(encoded());
  await output.store.put(output.location, body, { contentType });
  if (counts.rowsIn !== counts.rowsOut + counts.rejected) throw new InternalError('rows were lost while denoising');
  if (counts.gaps) out.warn(`denoise: ${counts.gaps} signal cell(s) were empty or not numbers: bridged for filtering, written empty\n`);
  out.note(`denoised ${counts.rowsOut} of ${counts.rowsIn} rows (${counts.rejected} rejected) with ${cl.required('filter')} ` +
    `in ${((Date.now() - t0) / 1000).toFixed(2)} s\n`);
  if (out.json) {
    const summary = { rows_in: counts.rowsIn, rows_out: counts.rowsOut, rows_rejected: counts.rejected, gap_cells: counts.gaps };
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  }
  return 0;
}

function leadFilter(cl: ParsedCommandLine, fs: number): LeadFilter {
  if (cl.required('filter') === 'wavelet') return waveletFilter(fs, positive(cl.required('threshold-scale'), '--threshold-scale'));
  const low = Number(cl.required('low'));
  const high = positive(cl.required('high'), '--high');
  if (!(low >= 0)) throw new InputError('--low must be a number of Hz >= 0');
  if (!(high < fs / 2)) throw new InputError(`--high ${high} Hz must be below half the sample rate (${fs / 2} Hz)`);
  if (!(low < high)) throw new InputError('--low must be below --high');
  return bandpassFilter(fs, low, high);
}

function positive(text: string, flag: string): number {
  const v = Number(text);
  if (!(Number.isFinite(v) && v > 0)) throw new InputError(`${flag} must be a positive number, got '${text}'`);
  return v;
}
