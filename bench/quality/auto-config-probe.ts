/**
 * Design probe for `auto` (issue 13): the adbench18 task for kind `auto` alone with a model config (JSON), on the
 * named sets (default: the 12 design sets, never the held-out ones unless named), printing per set and protocol
 * auto's ROC-AUC beside the same-run IForest / KNN, and the means. Not a benchmark row: defaults are what count.
 * `npx tsx bench/quality/auto-config-probe.ts <datasets> '<config json>' [set …]`
 */
import { adbench18, PROTOCOLS } from './tasks/adbench18';

async function main(): Promise<void> {
  const [root, json, ...named] = process.argv.slice(2);
  if (!root || !json) throw new Error("usage: auto-config-probe.ts <datasets> '<config json>' [set …]");
  const modelConfig = JSON.parse(json) as Record<string, unknown>;
  // 'design': bench/python/adbench18.py's selection of the sets that are not held out
  const sets = named.length ? named : ['design'];
  const res = await adbench18(root, ['auto'], sets, { auto: { modelConfig } });
  for (const p of PROTOCOLS) {
    const names = Object.keys(res.auc[p]);
    const m = (k: string): number => names.reduce((a, n) => a + res.auc[p][n]![k]!, 0) / names.length;
    for (const n of names) {
      const r = res.auc[p][n]!;
      const line = `auto ${r['auto']!.toFixed(3)} iforest ${r['sk-iforest']!.toFixed(3)} knn ${r['sk-knn']!.toFixed(3)}`;
      process.stdout.write(`${p} ${n} ${line}\n`);
    }
    const far = names.filter((n) => res.auc[p][n]!['auto']! < res.auc[p][n]!['sk-iforest']! - 0.1);
    const means = `auto ${m('auto').toFixed(4)} iforest ${m('sk-iforest').toFixed(4)} knn ${m('sk-knn').toFixed(4)}`;
    process.stdout.write(`${p} MEAN ${means} far: ${far.join(',')}\n`);
  }
}

void main();
