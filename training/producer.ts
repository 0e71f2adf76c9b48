import { readFileSync } from 'fs';
import * as path from 'path';

/** residual's package version, recorded as the manifest's producer version. */
export const PRODUCER_VERSION: string = readVersion();

function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
