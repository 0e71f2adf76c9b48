import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `residual score --mode impute` of two source trees on the same model and input, alternating, by CPU time (what a
 * loaded shared machine distorts least): each run is a whole `node bin/residual.js` process under /usr/bin/time
 * (node's start and tsx's compile included, the same for both trees). After every round the two outputs are compared
 * byte for byte. Prints each run and the medians.
 *
 * Usage: npx tsx bench/score/impute-side-by-side.ts <before tree> <after tree> <model dir> <input> [rounds] [threads] [out dir]
 * (a tree: a checkout of residual with node_modules, e.g. `git archive <commit> | tar -x -C <dir>` plus a node_modules link)
 */
interface Run {
  cpu: number;
  wall: number;
}

function timed(tree: string, model: string, input: string, output: string, threads: string): Run {
  const args = ['-f', '%U %S %e', 'node', join(tree, 'bin/residual.js'), 'score', '--model', model, '--input', input,
    '--output', output, '--mode', 'impute', '--threads', threads, '-q'];
  const r = spawnSync('/usr/bin/time', args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${tree}: exit ${r.status}: ${r.stderr}`);
  const last = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { cpu: last[0]! + last[1]!, wall: last[2]! };
}

/**
 * Where the two outputs differ (a plain CSV without quotes, as the impute-speed task writes): observed cells must be the
 * input's text in both; filled cells are counted where their text differs, with the largest absolute difference.
 */
function cellsCompared(input: Buffer, before: Buffer, after: Buffer): string {
  const [li, lb, la] = [input, before, after].map((x) => x.toString('utf8').split('\n'));
  let observedChanged = 0;
  let filled = 0;
  let filledDiffer = 0;
  let largest = 0;
  for (let r = 1; r < li!.length; r++) {
    if (li![r] === '') continue;
    const [ci, cb, ca] = [li![r]!, lb![r] ?? '', la![r] ?? ''].map((l) => l.split(','));
    ci!.forEach((cell, j) => {
      if (cell !== '') {
        if (cb![j] !== cell || ca![j] !== cell) observedChanged++;
        return;
      }
      filled++;
      if (cb![j] === ca![j]) return;
      filledDiffer++;
      largest = Math.max(largest, Math.abs(Number(cb![j]) - Number(ca![j])));
    });
  }
  return `observed cells changed ${observedChanged}; filled cells ${filled}, ${filledDiffer} differ in text (largest |Δ| ${largest})`;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

function main(): void {
  const [before, after, model, input, rounds = '3', threads = '1', outDir = '/tmp'] = process.argv.slice(2);
  if (!before || !after || !model || !input) {
    throw new Error('usage: impute-side-by-side.ts <before> <after> <model> <input> [rounds] [threads] [out dir]');
  }
  const rows = readFileSync(input, 'utf8').split('\n').filter((l) => l.length > 0).length - 1;
  const trees = { before, after };
  const runs: Record<keyof typeof trees, Run[]> = { before: [], after: [] };
  for (let i = 0; i < Number(rounds); i++) {
    for (const name of ['before', 'after'] as const) {
      const output = join(outDir, `impute-side-by-side-${name}.csv`);
      const r = timed(trees[name], model, input, output, threads);
      runs[name].push(r);
      console.log(`round ${i + 1} ${name}: ${r.cpu.toFixed(2)} s CPU, ${r.wall.toFixed(2)} s wall, ` +
        `${(rows / r.cpu).toFixed(0)} rows per CPU s`);
    }
    const [b, a] = ['before', 'after'].map((name) => readFileSync(join(outDir, `impute-side-by-side-${name}.csv`)));
    const same = b!.equals(a!);
    console.log(`round ${i + 1}: outputs ${same ? 'byte-identical' : `differ: ${cellsCompared(readFileSync(input), b!, a!)}`}`);
  }
  const b = median(runs.before.map((r) => r.cpu));
  const a = median(runs.after.map((r) => r.cpu));
  console.log(`median CPU: before ${b.toFixed(2)} s (${(rows / b).toFixed(0)} rows/CPU s), after ${a.toFixed(2)} s ` +
    `(${(rows / a).toFixed(0)} rows/CPU s), after/before ${(a / b).toFixed(3)}; ${rows} rows`);
}

main();
