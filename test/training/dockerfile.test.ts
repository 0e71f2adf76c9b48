import { execFileSync, spawnSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..');
const dockerfile = readFileSync(path.join(root, 'training', 'Dockerfile'), 'utf8');

describe('training/Dockerfile', () => {
  it('copies only paths that exist in the repository (besides the libtensorflow build arg)', () => {
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.split(/\s+/));
    const local = sources.filter((s) => !s.startsWith('${'));
    expect(local.length).toBeGreaterThan(3);
    for (const s of local) expect([s, existsSync(path.join(root, s))]).toEqual([s, true]);
  });

  it('bundles training/job.ts with the same esbuild command into a runnable entry point', () => {
    const line = /RUN npx esbuild ((?:[^\n]*\\\n)*[^\n]*)/.exec(dockerfile);
    expect(line).not.toBeNull();
    // Inside the repository, as dist/ is inside /app in the image, so that node_modules resolves.
    mkdirSync(path.join(root, 'node_modules', '.cache'), { recursive: true });
    const outDir = mkdtempSync(path.join(root, 'node_modules', '.cache', 'residual-bundle-'));
    const args = line![1]!.replace(/\\\n/g, ' ').split(/\s+/).filter(Boolean)
      .map((a) => (a.startsWith('--outfile=') ? `--outfile=${path.join(outDir, 'training-job.js')}` : a));
    execFileSync(path.join(root, 'node_modules', '.bin', 'esbuild'), [...args, '--log-level=error'], { cwd: root });
    const run = spawnSync(process.execPath, [path.join(outDir, 'training-job.js'), '--model', 'no-such-kind'], {
      cwd: root,
      encoding: 'utf8',
    });
    rmSync(outDir, { recursive: true, force: true });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/model kind must be one of .* got 'no-such-kind'/);
  });
});
