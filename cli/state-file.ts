import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import type { Manifest } from '../core/manifest';
import { parseSeriesState, type SeriesState } from '../scoring/series-state';

/** `--state FILE`: the state it holds (checked against the model), or null when the file does not exist yet. */
export async function readStateFile(path: string, manifest: Manifest): Promise<SeriesState | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  return parseSeriesState(text, manifest, `'${path}'`);
}

/** Writes the state atomically: a temporary file beside it, renamed over it (a reader sees the old state or the new one). */
export async function writeStateFile(path: string, state: SeriesState): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, JSON.stringify(state) + '\n');
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
