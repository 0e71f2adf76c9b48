/**
 * Design probe for auto's label-free threshold (issue 13): trains `auto` with defaults on ECG5000's normal TRAIN
 * beats and on the ADBench sets in both protocols, and writes, per case, the calibration scores the threshold is
 * set on, the test scores (ONNX + scoreTable), the test labels and the manifest's threshold, as one JSON file for
 * bench/python/threshold_rules.py. Labels are written for the offline evaluation only; nothing is fed back.
 * `npx tsx bench/quality/threshold-probe.ts <datasets> <out.json> [set …]`
 */
import { writeFileSync } from 'node:fs';
import { readEcgTestBinary, readEcgTrain } from './datasets';
import { scoreRows, trainArtifact } from './onnx-path';
import { takeRows } from './split';
import { pythonSets, PROTOCOLS } from './tasks/adbench18';

interface Case {
  name: string;
  calibration: number[];
  scores: number[];
  labels: number[];
  threshold: number;
  estimate: number;
}

async function one(name: string, features: string[], fit: Float64Array, test: Float64Array, labels: number[]): Promise<Case> {
  const artifact = await trainArtifact('auto', features, fit, {});
  const scored = await scoreRows(artifact, test, 'detect');
  const c: Case = {
    name, calibration: Array.from(artifact.validationScores), scores: Array.from(scored.scores), labels,
    threshold: artifact.manifest.threshold.value, estimate: Number(artifact.manifest.auto?.['contamination_estimate']),
  };
  process.stderr.write(`${name}: ${c.calibration.length} calibration rows, estimate ${c.estimate.toFixed(4)}\n`);
  return c;
}

async function main(): Promise<void> {
  const [root, out, ...only] = process.argv.slice(2);
  if (!root || !out) throw new Error('usage: threshold-probe.ts <datasets> <out.json> [set …]');
  const cases: Case[] = [];
  const train = readEcgTrain(root);
  const ecgTest = readEcgTestBinary(root);
  const normal = Array.from({ length: train.rows }, (_, r) => r).filter((r) => train.labels[r] === 1);
  const fit = takeRows(train.values, train.features.length, normal);
  cases.push(await one('ecg5000', train.features, fit, ecgTest.values, Array.from(ecgTest.labels, (l) => (l === 0 ? 1 : 0))));
  for (const set of pythonSets(root, only.length ? only : undefined)) {
    const x = Float64Array.from(set.x);
    const features = Array.from({ length: set.features }, (_, j) => `x${j}`);
    for (const p of PROTOCOLS) {
      const split = set.protocols[p];
      const labels = split.test.map((r) => set.y[r]!);
      const fitRows = takeRows(x, set.features, split.train);
      cases.push(await one(`${set.name}/${p}`, features, fitRows, takeRows(x, set.features, split.test), labels));
    }
  }
  writeFileSync(out, JSON.stringify({ cases }));
}

void main();
