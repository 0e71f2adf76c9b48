import { InputError } from '../../core/errors';
import { checkSampleRate, parseAugmentSpec } from '../../core/signal/ecg-noise';
import { stepMatchesRate } from '../../core/signal/step-rate';
import { storeForUri } from '../../storage/adapters/store-for-uri';
import { readTrainingData, type LoadedTrainingData } from '../../training/read-training-data';
import { prepareSignalTraining } from '../../training/signal-denoiser';
import type { TrainOptions } from '../../training/train';
import type { ParsedCommandLine } from '../flags/parse-command-line';

/** The train options `--target`, `--augment`, `--sample-rate` and `--time-column` add (issue 15); {} without them. */
export async function signalTrainOptions(
  cl: ParsedCommandLine, data: LoadedTrainingData, windowSize: number | undefined, seed: number,
): Promise<Partial<TrainOptions>> {
  const targetUri = cl.string('target');
  const augment = cl.string('augment');
  const rateText = cl.string('sample-rate');
  const timeColumn = cl.string('time-column');
  if (!targetUri && augment === undefined && rateText === undefined) return {};
  if (targetUri && augment !== undefined) throw new InputError('--target and --augment cannot be combined: give clean data to --augment');
  const sampleRate = rateText === undefined ? undefined : Number(rateText);
  if (rateText !== undefined && !(Number.isFinite(sampleRate) && sampleRate! > 0)) {
    throw new InputError(`--sample-rate must be a positive number of Hz, got '${rateText}'`);
  }
  if (augment !== undefined && sampleRate === undefined) {
    throw new InputError('--augment needs --sample-rate HZ (the noise models are in Hz)');
  }
  if (data.rejectedRows) {
    throw new InputError(`--data has ${data.rejectedRows} row(s) with non-numeric feature values: a continuous signal ` +
      `(or rows paired with --target) cannot skip rows; fix or fill them (empty cells are read as missing)`);
  }
  if (augment !== undefined) checkSampleRate(sampleRate!, parseAugmentSpec(augment));
  if (timeColumn && sampleRate !== undefined) await checkTimeColumn(cl.required('data'), timeColumn, sampleRate);
  let target: Float32Array | undefined;
  if (targetUri) {
    const source = storeForUri(targetUri);
    const t = await readTrainingData(source.store, source.location, { columns: data.features });
    const rows = data.values.length / data.features.length;
    const targetRows = t.values.length / data.features.length;
    if (t.rejectedRows || targetRows !== rows) {
      throw new InputError(`--target must have one row per --data row (aligned): --data has ${rows} row(s), --target ${targetRows}` +
        `${t.rejectedRows ? ` after skipping ${t.rejectedRows} non-numeric row(s)` : ''}`);
    }
    target = t.values;
  }
  if (sampleRate === undefined) return { data: { ...data, target } };
  const prepared = prepareSignalTraining({
    features: data.features, values: data.values, target, sampleRate, augment, window: windowSize, seed,
  });
  return {
    data: { features: data.features, values: prepared.values, target: prepared.target, sourceBytes: data.sourceBytes },
    window: prepared.window,
    signal: prepared.signal,
  };
}

/**
 * A numeric time column (|t| < 10⁶: seconds or milliseconds from the start) must increase, and its median spacing
 * must agree with --sample-rate within 1 %, read as seconds or as milliseconds.
 */
async function checkTimeColumn(dataUri: string, column: string, fs: number): Promise<void> {
  const source = storeForUri(dataUri);
  const times = await readTrainingData(source.store, source.location, { columns: [column] });
  if (times.rejectedRows) return; // not numbers (ISO timestamps): only the sample rate says the spacing
  const t = times.values;
  if (t.some((v) => !(Math.abs(v) < 1e6))) return; // epoch times: float32 cannot resolve their steps
  const steps = new Float64Array(Math.max(0, t.length - 1));
  for (let i = 1; i < t.length; i++) {
    steps[i - 1] = t[i]! - t[i - 1]!;
    if (!(steps[i - 1]! > 0)) throw new InputError(`--time-column '${column}' must increase from row to row (row ${i + 1} does not)`);
  }
  if (!steps.length) return;
  const median = steps.sort()[steps.length >> 1]!;
  if (!stepMatchesRate(median, fs)) {
    throw new InputError(`--sample-rate ${fs} Hz disagrees with the median spacing of --time-column '${column}' ` +
      `(read as seconds or as milliseconds)`);
  }
}
