import { readFileSync } from 'fs';
import * as path from 'path';

/** residual's package version, recorded as the manifest's producer version. */
export const PRODUCER_VERSION: string = readVersion();

/**
 * The nearest package.json named `residual` above this file: `../` from the sources (training/), `../../`
 * from the compiled library (dist/training/).
 */
function readVersion(): string {
  for (const up of ['..', path.join('..', '..')]) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(__dirname, up, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'residual') return pkg.version ?? '0.0.0';
    } catch {
      // not there: try one level up
    }
  }
  return '0.0.0';
}
