import { InputError, isPermanent } from '../../core/errors';
import { DeadlineError, ObjectNotFoundError } from '../../storage/errors';
import { abortableStore } from '../../storage/abortable-store';
import type { ModelRepository } from '../../storage/artifact/model-repository';
import { parseIncomingKey, quarantineKey, resultKey, type IncomingKey } from './object-keys';
import { openTable, type OpenedTable } from '../../storage/open-table';
import type { ObjectLocation, ObjectStore } from '../../storage/object-store';
import { SCORE_MODES, type ScoreMode } from '../../scoring/score-table';
import type { ScoreSummary } from '../../scoring/write-scored-output';
import { PARALLEL_MIN_BYTES } from '../../scoring/parallel/parallel-min-bytes';
import { scoreSeriesObject } from './score-series-object';
import { wantsReport } from './report-request';

export interface ScoreObjectDeps {
  store: ObjectStore;
  models: Pick<ModelRepository, 'load'>;
  resultsBucket: string;
  defaultMode?: ScoreMode;
  /** bytes the reader may decompress from one object (bomb guard) */
  maxDecompressedBytes?: number;
  /**
   * Worker threads for a CSV object of a row model (scoring/parallel; default 1: this thread). The handler passes
   * SCORING_THREADS, else os.availableParallelism(): the vCPUs the function's memory size gives it.
   */
  threads?: number;
  /** the smallest object scored in worker threads (default PARALLEL_MIN_BYTES, 256 MiB: below it the workers cost more than they save) */
  parallelMinBytes?: number;
}


export type ScoreOutcome =
  | { status: 'scored'; summary: ScoreSummary }
  | { status: 'ignored'; reason: string }
  | { status: 'quarantined'; reason: string; code: string; quarantine: string };

/** Object metadata a producer may set to steer scoring (x-amz-meta-residual-*). */
export const METADATA_MODEL_VERSION = 'residual-model-version';
export const METADATA_MODE = 'residual-mode';

/**
 * Scores one object that landed under `incoming/<model>/`. A ResidualError that a retry cannot fix
 * (`retryable: false`: unknown model, schema mismatch, corrupt or hostile input) quarantines it with an
 * `.error.json` carrying the error's `code` and returns; every other error (retryable ones such as
 * transient storage failures, and anything residual does not raise on purpose) is thrown so the caller
 * can fail the record and let SQS retry it.
 */
export async function scoreObject(source: ObjectLocation, deps: ScoreObjectDeps, signal?: AbortSignal): Promise<ScoreOutcome> {
  const store = signal ? abortableStore(deps.store, signal) : deps.store;
  let incoming: IncomingKey | null;
  try {
    incoming = parseIncomingKey(source.key);
  } catch (err) {
    // whatever fails while parsing the key is the key's fault: INVALID_INPUT unless the error names its own code
    const code = isPermanent(err) ? err.code : 'INVALID_INPUT';
    return quarantine(source, { model: modelOf(source.key), path: pathOf(source.key) }, code, err, { ...deps, store });
  }
  if (!incoming) return { status: 'ignored', reason: `key '${source.key}' is outside incoming/<model>/` };
  let table: OpenedTable | undefined;
  try {
    const { format, gzip } = incoming;
    let raw: AsyncIterable<Uint8Array> | undefined;
    const capture = (body: AsyncIterable<Uint8Array>) => (raw = body);
    table = await openTable(store, source, { format, gzip, maxDecompressedBytes: deps.maxDecompressedBytes, wrap: capture });
    const mode = parseMode(table.metadata[METADATA_MODE] ?? deps.defaultMode ?? 'detect');
    const model = await deps.models.load(incoming.model, table.metadata[METADATA_MODEL_VERSION]);
    const output = { bucket: deps.resultsBucket, key: resultKey(incoming, model.manifest.version, incoming.format) };
    const versionId = table.versionId ?? source.versionId;
    const threads = deps.threads ?? 1;
    const big = (table.bytes ?? 0) >= (deps.parallelMinBytes ?? PARALLEL_MIN_BYTES);
    const run = await scoreSeriesObject({
      store, resultsBucket: deps.resultsBucket, incoming, versionId, model, mode, chunks: table.chunks,
      output: {
        // read instead of `chunks` where writeScoredOutput's worker pipeline applies (CSV in and out, a row model)
        parallel: threads > 1 && big && raw ? { bytes: raw, gzip, maxDecompressedBytes: deps.maxDecompressedBytes, threads } : undefined,
        inputFormat: incoming.format,
        outputFormat: incoming.format,
        store,
        output,
        gzip: incoming.gzip,
        input: { uri: `s3://${source.bucket}/${source.key}`, bytes: table.bytes, versionId: table.versionId },
      },
    });
    if (run.status === 'skipped') return { status: 'ignored', reason: run.reason };
    const summary = run.result;
    // issue 16: an HTML report beside the result when the manifest or the object's metadata asks (loaded only then)
    if (wantsReport(model.manifest, table.metadata))
      await (require('./write-report') as typeof import('./write-report')).writeReportBeside({
        store,
        output,
        outputFormat: incoming.format,
        mode,
        manifest: model.manifest,
        input: { ...source, ...incoming },
      });
    return { status: 'scored', summary };
  } catch (err) {
    // the body is released before anything else is requested: no socket is held while waiting for another
    await table?.close();
    if (signal?.aborted) {
      throw err instanceof DeadlineError ? err : new DeadlineError('the invocation deadline passed while scoring', { cause: err });
    }
    if (err instanceof ObjectNotFoundError && err.key === source.key)
      return { status: 'ignored', reason: `object '${source.key}' no longer exists` };
    if (isPermanent(err)) return quarantine(source, incoming, err.code, err, { ...deps, store });
    throw err;
  } finally {
    await table?.close();
  }
}

function parseMode(value: string): ScoreMode {
  if ((SCORE_MODES as readonly string[]).includes(value)) return value as ScoreMode;
  throw new InputError(`mode '${value}' is not one of ${SCORE_MODES.join(', ')}`);
}

async function quarantine(
  source: ObjectLocation, where: { model: string; path: string }, code: string, err: unknown, deps: ScoreObjectDeps,
): Promise<ScoreOutcome> {
  const key = quarantineKey(where);
  const reason = err instanceof Error ? err.message : String(err);
  try {
    await deps.store.copy(source, { bucket: deps.resultsBucket, key });
  } catch (copyErr) {
    // an object deleted since its event (whatever its key) has nothing to quarantine: ignored, as on the scoring path
    if (copyErr instanceof ObjectNotFoundError) return { status: 'ignored', reason: `object '${source.key}' no longer exists` };
    throw copyErr;
  }
  const report = { input: `s3://${source.bucket}/${source.key}`, input_version: source.versionId ?? null, code, reason };
  await deps.store.put({ bucket: deps.resultsBucket, key: `${key}.error.json` }, JSON.stringify(report, null, 2) + '\n', {
    contentType: 'application/json',
  });
  return { status: 'quarantined', reason, code, quarantine: `s3://${deps.resultsBucket}/${key}` };
}

const modelOf = (key: string) => key.split('/')[1] || '_unknown';
const pathOf = (key: string) => key.split('/').slice(2).join('/') || key;
