import { formatFromKey, type TableFormat } from '../../core/io';

/** SPEC.md S3 layout: `incoming/<model-name>/<any path>.<ext>` triggers scoring. */
export const INCOMING_PREFIX = 'incoming/';
export const RESULTS_PREFIX = 'results/';
export const QUARANTINE_PREFIX = 'quarantine/';

export interface IncomingKey {
  key: string;
  model: string;
  /** the path below `incoming/<model-name>/`, extension included */
  path: string;
  /** that path without its extension */
  stem: string;
  format: TableFormat;
  gzip: boolean;
}

/** Parses an incoming key, or returns null for keys outside `incoming/<model>/` (they are ignored). */
export function parseIncomingKey(key: string): IncomingKey | null {
  if (!key.startsWith(INCOMING_PREFIX)) return null;
  const rest = key.slice(INCOMING_PREFIX.length);
  const slash = rest.indexOf('/');
  if (slash <= 0 || slash === rest.length - 1) return null;
  const model = rest.slice(0, slash);
  const path = rest.slice(slash + 1);
  const { format, gzip } = formatFromKey(path);
  const extension = FORMAT_EXTENSIONS[format] + (gzip ? '.gz' : '');
  return { key, model, path, stem: path.slice(0, path.length - extension.length), format, gzip };
}

export const FORMAT_EXTENSIONS: Record<TableFormat, string> = { csv: '.csv', jsonl: '.jsonl', parquet: '.parquet' };

/**
 * Where the result of an incoming object goes. In the input's own format and compression (what the Lambda
 * writes) it is `results/<model>/<version>/<path>`: the full input path with its extension exactly as spelt,
 * so `x.csv`, `x.CSV` and `x.csv.gz` get three results. In another format it is `<stem><ext>[.gz]`.
 * Companions append `.summary.json` and `.errors.ndjson`, which are not scored extensions, so no input's
 * result is another input's companion. The output never lands under a prefix that triggers scoring.
 */
export function resultKey(incoming: IncomingKey, version: string, format: TableFormat, gzip = incoming.gzip): string {
  const same = format === incoming.format && gzip === incoming.gzip;
  const name = same ? incoming.path : `${incoming.stem}${FORMAT_EXTENSIONS[format]}${gzip ? '.gz' : ''}`;
  return `${RESULTS_PREFIX}${incoming.model}/${version}/${name}`;
}

export function quarantineKey(incoming: { model: string; path: string }): string {
  return `${QUARANTINE_PREFIX}${incoming.model}/${incoming.path}`;
}

/** S3 event notifications URL-encode keys with '+' for spaces; EventBridge events carry them plain. */
export function decodeS3EventKey(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

