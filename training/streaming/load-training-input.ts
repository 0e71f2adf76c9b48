import { formatFromKey } from '../../core/io';
import { InputError } from '../../core/errors';
import type { ObjectLocation, ObjectStore } from '../../storage/object-store';
import { readTrainingData, type ColumnSelection, type LoadedTrainingData } from '../read-training-data';
import { streamTrainingRows, type StreamOptions } from './stream-training-rows';

/** `train --streaming`: auto (by size), on, off. */
export const STREAMING_CHOICES = ['auto', 'on', 'off'] as const;
export type StreamingChoice = (typeof STREAMING_CHOICES)[number];

/**
 * `--streaming auto` streams a table of at least this many bytes (a .gz one: compressed bytes × 4). The in-memory
 * path holds ~3 float32 copies of the rows (values, scaled samples, masks) beside the parsed text of a chunk: about
 * 1.2 bytes of memory per input byte for a numeric CSV, so 512 MiB of CSV takes ~600 MB there.
 */
export const STREAMING_MIN_BYTES = 512 << 20;

export interface TrainingInputOptions extends StreamOptions {
  streaming?: StreamingChoice;
  /** windowed training (not streamed: windows span rows, and the shards shuffle rows) */
  windowed?: boolean;
}

/**
 * The training table, read in memory or streamed (training/streaming): `on` always streams (rows layout only),
 * `off` never, `auto` when the object is at least STREAMING_MIN_BYTES and the layout is rows. A streamed table's
 * `values` are empty and its rows are in `streamed` (its shard files go when the caller calls streamed.dispose()).
 */
export async function loadTrainingInput(
  store: ObjectStore, location: ObjectLocation, selection: ColumnSelection, options: TrainingInputOptions = {},
): Promise<LoadedTrainingData> {
  const choice = options.streaming ?? 'auto';
  // a time series keeps its rows in order (the shards shuffle them): never streamed
  const ordered = options.windowed || Boolean(selection.timeColumn);
  if (choice === 'on' && ordered) {
    throw new InputError('--streaming on trains row models only: windows and time series need the rows in order');
  }
  const stream = choice === 'on' || (choice === 'auto' && !ordered && (await sizeOf(store, location)) >= STREAMING_MIN_BYTES);
  if (!stream) return readTrainingData(store, location, selection);
  const streamed = await streamTrainingRows(store, location, selection, options);
  const { features, rejectedRows, droppedColumns, sourceBytes } = streamed;
  return { features, values: new Float32Array(0), sourceBytes, rejectedRows, droppedColumns, streamed };
}

/** The object's size as compared with STREAMING_MIN_BYTES (gzip counted at 4 × its bytes). */
async function sizeOf(store: ObjectStore, location: ObjectLocation): Promise<number> {
  const object = await store.open(location);
  try {
    return object.byteLength * (formatFromKey(location.key).gzip ? 4 : 1);
  } finally {
    await object.close();
  }
}
