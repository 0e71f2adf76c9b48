import { join } from 'node:path';

/**
 * The CLI's `scoreFile` (`residual score --threads 1`) of two or more source trees in this one process, alternating
 * run by run: CPU seconds (process.cpuUsage) and wall per run, then the min and median per tree. No node or bundle
 * start in the figures (impute-side-by-side.ts times whole processes); the first run of each tree includes its
 * JIT warm-up, as the impute-speed task's single run does. Trees load under tsx, so imported bindings are CommonJS
 * getters here (not in the CLI's bundle). Compare the trees' outputs with `cmp <out dir>/score-0.csv <out dir>/score-1.csv`.
 *
 * Usage: npx tsx bench/score/score-file-side-by-side.ts <model dir> <input.csv> <mode> <rounds> <out dir> <tree> <tree> …
 * (a tree: a checkout of residual, e.g. `git archive <commit> | tar -x -C <dir>` plus a node_modules link)
 */
type ScoreFile = (o: { model: string; input: string; output: string; mode: string; threads: number }) => Promise<{ rows_out: number }>;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

async function main(): Promise<void> {
  const [model, input, mode, rounds, outDir, ...trees] = process.argv.slice(2);
  if (!model || !input || !mode || !rounds || !outDir || trees.length === 0) {
    throw new Error('usage: score-file-side-by-side.ts <model dir> <input> <mode> <rounds> <out dir> <tree> <tree> …');
  }
  const fns: ScoreFile[] = [];
  for (const t of trees) fns.push(((await import(join(t, 'cli/commands/score'))) as { scoreFile: ScoreFile }).scoreFile);
  const cpu: number[][] = trees.map(() => []);
  const wall: number[][] = trees.map(() => []);
  let rows = 0;
  for (let i = 0; i < Number(rounds); i++) {
    for (let k = 0; k < trees.length; k++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const res = await fns[k]!({ model, input, output: join(outDir, `score-${k}.csv`), mode, threads: 1 });
      const d = process.cpuUsage(c0);
      rows = res.rows_out;
      cpu[k]!.push((d.user + d.system) / 1e6);
      wall[k]!.push((performance.now() - t0) / 1000);
    }
  }
  trees.forEach((t, k) => {
    const c = cpu[k]!;
    const w = wall[k]!;
    const perCpu = (rows / median(c)).toFixed(0);
    console.log(`${t}: CPU min ${Math.min(...c).toFixed(3)} median ${median(c).toFixed(3)} s (${perCpu} rows per CPU s); ` +
      `wall min ${Math.min(...w).toFixed(3)} median ${median(w).toFixed(3)} s; ${c.length} runs`);
  });
}

void main();
