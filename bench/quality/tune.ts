import { confusion, rocAuc } from '../../core/metrics';
import type { ModelKind } from '../../core/model-kind';
import { Rng } from '../../core/rng';
import { calibrateThreshold } from '../../core/threshold';
import { classicCandidates, filterBeats, tuneFilter } from './classic-filters';
import { datasetRoot, readEcgTrain, readNumericCsv } from './datasets';
import { gainRmse, mcarMask, roundCategorical, withMissing } from './gain-protocol';
import { scoreRows, trainArtifact, type BenchTrainOptions } from './onnx-path';
import { corruptBeats, noisyPairs, snrDb } from './signal';
import { PAIR_NOISE_SEED } from './tasks/ecg-denoising';
import { stratifiedSplit, takeRows } from './split';
import { ADBENCH_SETS, ADBENCH_SPLIT_SEED } from './tasks/adbench';
import { readAdbench } from './datasets';

/**
 * Validation-only tuning behind plans.ts (never the test files or the reported seeds' scores):
 *   npx tsx bench/quality/tune.ts ecg      'kind|{modelConfig}|{trainOptions}' ...
 *   npx tsx bench/quality/tune.ts denoise  'kind|{modelConfig}|{trainOptions}' ...
 *   npx tsx bench/quality/tune.ts impute letter|spam 'kind|{modelConfig}|{trainOptions}' ...
 * ecg: fit on 70 % of TRAIN's normal beats; validate on the other 30 % + TRAIN's 208 abnormal beats:
 *   ROC-AUC, and for each threshold spec (calibrated as trainModel does) the balanced accuracy and the
 *   accuracy at TRAIN's class balance (58 % normal: recall and specificity weighted by TRAIN's shares).
 * denoise: fit on 400 TRAIN beats (options.pairs: on that many corrupted copies → clean); SNR on the other 100,
 *   corrupted with the validation noise seed.
 * impute: protocol seed 0 (not reported) with a further 20 % of its observed cells hidden; RMSE on those.
 *   npx tsx bench/quality/tune.ts adbench cardio|thyroid 'kind|{modelConfig}|{trainOptions}' ...
 * adbench: fit on the 60 % training part (as the bench does) and score that same part: ROC-AUC against the
 *   training part's labels (the test part is never touched).
 */
const THRESHOLDS = [
  'percentile:90',
  'percentile:95',
  'percentile:97.5',
  'percentile:99',
  'percentile:99.5',
  'sigma:1',
  'sigma:2',
  'sigma:3',
  'sigma:4',
  'sigma:5',
  'sigma:6',
  'pot:1e-2',
  'pot:1e-3',
];

function parseSpec(spec: string): { kind: ModelKind; options: BenchTrainOptions } {
  const [kind, config, options] = spec.split('|');
  return {
    kind: kind as ModelKind,
    options: { seed: 42, ...(options ? JSON.parse(options) : {}), ...(config ? { modelConfig: JSON.parse(config) } : {}) },
  };
}

function split(n: number, fraction: number, seed: number): { fit: number[]; held: number[] } {
  const order = Array.from(new Rng(seed).permutation(n));
  const cut = Math.round(n * fraction);
  return { fit: order.slice(0, cut).sort((a, b) => a - b), held: order.slice(cut).sort((a, b) => a - b) };
}

async function ecg(specs: string[]): Promise<void> {
  const train = readEcgTrain(datasetRoot());
  const normal: number[] = [];
  const abnormal: number[] = [];
  for (let r = 0; r < train.rows; r++) (train.labels[r] === 1 ? normal : abnormal).push(r);
  const { fit, held } = split(normal.length, 0.7, 7);
  const fitRows = fit.map((i) => normal[i]!);
  const valRows = [...held.map((i) => normal[i]!), ...abnormal];
  const labels = valRows.map((r) => (train.labels[r] === 1 ? 0 : 1));
  const normalShare = normal.length / train.rows;
  for (const spec of specs) {
    const { kind, options } = parseSpec(spec);
    const a = await trainArtifact(kind, train.features, takeRows(train.values, 140, fitRows), options);
    const s = await scoreRows(a, takeRows(train.values, 140, valRows), 'detect');
    const accs = THRESHOLDS.map((t) => {
      let v: number;
      try {
        v = calibrateThreshold(a.validationScores, t).value;
      } catch {
        return `${t}=n/a`;
      }
      const c = confusion(Array.from(s.scores, (x) => (x > v ? 1 : 0)), labels);
      const tnr = c.tn / (c.tn + c.fp);
      return `${t}=${((c.recall + tnr) / 2).toFixed(3)}/${(normalShare * tnr + (1 - normalShare) * c.recall).toFixed(3)}`;
    });
    console.log(
      `ecg ${spec} AUC ${rocAuc(s.scores, labels).toFixed(4)} balanced/TRAIN-prevalence accuracy ${accs.join(' ')} ` +
        `(${a.epochs} epochs, ${a.trainMs} ms)`,
    );
  }
}

async function denoise(specs: string[]): Promise<void> {
  const train = readEcgTrain(datasetRoot());
  const { fit, held } = split(train.rows, 0.8, 11);
  const clean = takeRows(train.values, 140, held);
  const noisy = corruptBeats(clean, 140, 1001);
  const grids = classicCandidates();
  for (const grid of [grids.movingAverage, grids.bandPass, grids.lowPass]) {
    const best = tuneFilter(grid, clean, noisy, 140);
    console.log(
      `denoise classic ${best.filter.name} ${best.filter.params}: SNR ${best.validationSnr.toFixed(2)} (input ` +
        `${snrDb(clean, noisy).toFixed(2)})`,
    );
  }
  void filterBeats;
  for (const spec of specs) {
    const { kind, options } = parseSpec(spec);
    const { pairs, ...rest } = options as BenchTrainOptions & { pairs?: number };
    const fitBeats = takeRows(train.values, 140, fit);
    const p = pairs ? noisyPairs(fitBeats, 140, pairs, PAIR_NOISE_SEED) : null;
    const a = p
      ? await trainArtifact(kind, train.features, p.input, rest, p.target)
      : await trainArtifact(kind, train.features, fitBeats, rest);
    const out = await scoreRows(a, noisy, 'denoise');
    console.log(`denoise ${spec} SNR ${snrDb(clean, out.values).toFixed(2)} (${a.epochs} epochs, ${a.trainMs} ms)`);
  }
}

async function impute(file: string, specs: string[]): Promise<void> {
  const data = readNumericCsv(datasetRoot(), `gain_letter_spam/${file}.csv`);
  const w = data.columns.length;
  const seed0 = mcarMask(data.values.length, 0.2, 0);
  const hide = mcarMask(data.values.length, 0.2, 100);
  const observed = Uint8Array.from(seed0, (m, i) => (m && hide[i] ? 1 : 0));
  const validation = Uint8Array.from(seed0, (m, i) => (m && !hide[i] ? 0 : 1)); // 0 marks a validation cell
  const incomplete = withMissing(data.values, observed);
  for (const spec of specs) {
    const { kind, options } = parseSpec(spec);
    const a = await trainArtifact(kind, data.columns, incomplete, { ...options, seed: 0 });
    const f = await scoreRows(a, incomplete, 'impute');
    console.log(
      `impute ${file} ${spec} RMSE ` +
        `${gainRmse(data.values, roundCategorical(f.values, incomplete, observed, w), validation, w).toFixed(4)} ` +
        `(${a.epochs} epochs, ${a.trainMs} ms)`,
    );
  }
}

async function adbench(name: string, specs: string[]): Promise<void> {
  const set = ADBENCH_SETS.find((s) => s.name === name);
  if (!set) throw new Error(`adbench set must be cardio or thyroid, got '${name}'`);
  const data = readAdbench(datasetRoot(), set.file);
  const w = data.features.length;
  const { train } = stratifiedSplit(data.labels, 0.6, ADBENCH_SPLIT_SEED);
  const fit = takeRows(data.values, w, train);
  const labels = train.map((r) => data.labels[r]!);
  for (const spec of specs) {
    const { kind, options } = parseSpec(spec);
    const a = await trainArtifact(kind, data.features, fit, options);
    const s = await scoreRows(a, fit, 'detect');
    console.log(`adbench ${name} ${spec} train-part AUC ${rocAuc(s.scores, labels).toFixed(4)} (${a.epochs} epochs, ${a.trainMs} ms)`);
  }
}

const [task, ...rest] = process.argv.slice(2);
const run =
  task === 'ecg'
    ? ecg(rest)
    : task === 'denoise'
      ? denoise(rest)
      : task === 'impute'
        ? impute(rest[0]!, rest.slice(1))
        : task === 'adbench'
          ? adbench(rest[0]!, rest.slice(1))
          : Promise.reject(new Error(`task must be ecg, denoise or impute, got '${task}' (or adbench)`));
run.catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
