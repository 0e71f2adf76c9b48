import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { InputError } from '../core/errors';
import { parseS3Uri } from '../storage/adapters/store-for-uri';

/** The objects `score` writes next to its output (see scoring/write-scored-output.ts). */
const COMPANIONS = ['.summary.json', '.errors.ndjson'] as const;

/**
 * Checks `score`'s output before any row is read: it must not land on the input (refuseOutputOverInput) and,
 * when local, its folder must exist or be creatable and be writable, so a bad path fails at once with a
 * one-line InputError instead of after the whole input was scored.
 */
export async function checkOutput(input: string, output: string): Promise<void> {
  await refuseOutputOverInput(input, output);
  if (parseS3Uri(output)) return;
  const folder = dirname(resolve(output));
  try {
    await mkdir(folder, { recursive: true });
    await access(folder, constants.W_OK);
  } catch (cause) {
    const code = (cause as { code?: string }).code ?? 'error';
    throw new InputError(`cannot write --output '${output}': its folder '${folder}' cannot be created or written (${code})`, { cause });
  }
}

/**
 * Refuses an `--output` whose writes would land on the `--input`: the same path once resolved, the same
 * file by device and inode (a hard link, a symbolic link, a case-insensitive file system), or the same S3
 * bucket and key; the output's `.summary.json` and `.errors.ndjson` companions count as outputs too.
 * Throws an InputError with a one-line message; returns when the output is safe to write.
 */
export async function refuseOutputOverInput(input: string, output: string): Promise<void> {
  const companions = COMPANIONS.map((s): [string, string] => [`the output's ${s} file`, output + s]);
  const targets: [string, string][] = [['--output', output], ...companions];
  for (const [what, target] of targets) {
    if (await sameObject(input, target)) {
      const which = what === '--output' ? `--output '${output}'` : `--output '${output}' would overwrite the input: ${what} '${target}'`;
      throw new InputError(`${which} is the input '${input}'; choose another output name`);
    }
  }
}

async function sameObject(a: string, b: string): Promise<boolean> {
  const s3a = parseS3Uri(a);
  const s3b = parseS3Uri(b);
  if (s3a || s3b) return !!s3a && !!s3b && s3a.bucket === s3b.bucket && s3a.key === s3b.key;
  if (resolve(a) === resolve(b)) return true;
  const [sa, sb] = await Promise.all([statOrNull(a), statOrNull(b)]);
  return sa !== null && sb !== null && sa.dev === sb.dev && sa.ino === sb.ino;
}

async function statOrNull(path: string) {
  try {
    return await stat(path, { bigint: true });
  } catch {
    return null;
  }
}
