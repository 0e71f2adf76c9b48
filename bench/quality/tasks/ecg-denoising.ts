import type { ModelKind } from '../../../core/model-kind';
import { markdownTable } from '../../report';
import { classicCandidates, filterBeats, tuneFilter } from '../classic-filters';
import { readEcgTestBinary, readEcgTrain } from '../datasets';
import { fixed, goalLine, log, seconds } from '../format';
import { scoreRows, trainArtifact } from '../onnx-path';
import type { DenoisingPlan } from '../plans';
import { corruptBeats, noisyPairs, rmse, snrDb } from '../signal';
import type { TaskResult } from './ecg-detection';

export const BEAT = 140;
/** Corruption seeds: validation beats (TRAIN, for tuning the classic filters) and test beats. */
export const VALIDATION_NOISE_SEED = 1001;
export const TEST_NOISE_SEED = 2002;
/** First corruption seed of the training pairs (copy k uses PAIR_NOISE_SEED + k). */
export const PAIR_NOISE_SEED = 3000;

export interface DenoisingRow {
  method: string;
  params: string;
  snrOut: number;
  snrGain: number;
  rmse: number;
  ms: number;
}

/**
 * ECG denoising: the ECG5000 test beats with white Gaussian noise at 5 dB SNR plus a slow
 * baseline-wander sinusoid. Models are trained with trainModel on the TRAIN beats: with a plan's `pairs`,
 * on that many corrupted copies of each beat (PAIR_NOISE_SEED…, never the test or validation seeds) with
 * the clean beat as TrainingData.target; without, on the clean beats alone. They denoise through ONNX +
 * scoreTable in mode 'denoise'. Classic
 * filters are tuned for SNR on corrupted TRAIN beats (a different noise seed) and applied per beat.
 */
export async function ecgDenoising(
  root: string,
  plans: ReadonlyMap<ModelKind, DenoisingPlan>,
  testBeats?: number,
): Promise<TaskResult<DenoisingRow>> {
  const train = readEcgTrain(root);
  const test = readEcgTestBinary(root);
  const clean = testBeats ? test.values.subarray(0, testBeats * BEAT) : test.values;
  const noisy = corruptBeats(clean, BEAT, TEST_NOISE_SEED);
  const validationNoisy = corruptBeats(train.values, BEAT, VALIDATION_NOISE_SEED);
  const snrIn = snrDb(clean, noisy);
  const rows: DenoisingRow[] = [];
  const add = (method: string, params: string, estimate: Float64Array, ms: number): void => {
    const snrOut = snrDb(clean, estimate);
    rows.push({ method, params, snrOut, snrGain: snrOut - snrIn, rmse: rmse(clean, estimate), ms });
    log(`denoising ${method}: SNR ${fixed(snrOut, 2)} dB (+${fixed(snrOut - snrIn, 2)}), RMSE ${fixed(rmse(clean, estimate), 4)}`);
  };
  add('none (noisy input)', '—', noisy, 0);
  const grids = classicCandidates();
  for (const grid of [grids.movingAverage, grids.bandPass, grids.lowPass]) {
    const t0 = Date.now();
    const { filter } = tuneFilter(grid, train.values, validationNoisy, BEAT);
    add(filter.name, filter.params, filterBeats(filter, noisy, BEAT), Date.now() - t0);
  }
  const classicBest = Math.max(...rows.slice(1).map((r) => r.snrOut));
  for (const [kind, { pairs, ...options }] of plans) {
    const t0 = Date.now();
    const p = pairs ? noisyPairs(train.values, BEAT, pairs, PAIR_NOISE_SEED) : null;
    const artifact = p
      ? await trainArtifact(kind, train.features, p.input, options, p.target)
      : await trainArtifact(kind, train.features, train.values, options);
    const out = await scoreRows(artifact, noisy, 'denoise');
    const params = {
      ...(artifact.manifest.training.config['model'] as Record<string, unknown>),
      scaler: artifact.manifest.scaler.kind,
      ...(pairs ? { pairs } : {}),
    };
    add(`residual \`${kind}\``, JSON.stringify(params), out.values, Date.now() - t0);
  }
  return { rows, markdown: denoisingMarkdown(rows, snrIn, clean.length / BEAT, classicBest) };
}

function denoisingMarkdown(rows: DenoisingRow[], snrIn: number, beats: number, classicBest: number): string {
  const table = markdownTable(
    ['method', 'output SNR (dB)', 'SNR improvement (dB)', 'RMSE', 'parameters', 'time'],
    rows.map((r) => [
      r.method,
      fixed(r.snrOut, 2),
      fixed(r.snrGain, 2),
      fixed(r.rmse, 4),
      r.params.replace(/\|/g, '/'),
      r.ms ? seconds(r.ms) : '—',
    ]),
  );
  const models = rows.filter((r) => r.method.startsWith('residual'));
  const best = [...models].sort((a, b) => b.snrOut - a.snrOut)[0];
  const goal = best
    ? goalLine('best model SNR over the best classic filter (dB)', best.snrOut - classicBest, 3, 'higher', 2, best.method.replace(/`/g, ''))
    : '- no kinds were run.';
  return `### ECG denoising

${beats} ECG5000 test beats (140 samples, values as in the archive) + white Gaussian noise at 5 dB SNR per beat +
a baseline-wander sinusoid per beat (amplitude 0.3–0.7 × the beat's RMS, 0.2–0.6 cycles per beat, random phase);
input SNR ${fixed(snrIn, 2)} dB over all samples. Models are trained on the 500 TRAIN beats: where the parameters give
\`pairs\`, on that many corrupted copies of
each beat (other noise seeds) with the clean beat as the training target (\`TrainingData.target\`), else on the clean
beats alone; they denoise through ONNX + \`scoreTable\` (\`residual score --mode denoise\`). Classic filters run per beat
with parameters chosen for
SNR on corrupted TRAIN beats (another noise seed); cutoffs in cycles per sample.

${table}

Goal: ≥ 3 dB better than the best classic filter (${fixed(classicBest, 2)} dB).
${goal}`;
}
