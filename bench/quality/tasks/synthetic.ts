import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../../core/rng';
import { createOnnxDecoder } from '../../../scoring/adapters/onnx-decoder';
import { createOnnxGenerator } from '../../../scoring/adapters/onnx-generator';
import { FileObjectStore } from '../../../storage/adapters/file-object-store';
import { sampleToStore } from '../../../training/sample-command';
import { trainModel, type TrainOptions } from '../../../training/train';
import { writeArtifactToStore } from '../../../training/write-artifact-to-store';
import { markdownTable } from '../../report';
import { readNumericCsv, type Matrix } from '../datasets';
import { QualityBenchError } from '../errors';
import { fixed, log, seconds } from '../format';

/**
 * The sets: ECG5000 (4,500 beats, binary normal/abnormal label), letter, spam (GAIN's), ADBench dev tables.
 * Design half (settings were chosen on these) and held-out half (reported apart, never tuned on);
 * `--sets design` or `--sets holdout` names a half, `--sets a,b` any sets.
 */
export const SYNTHETIC_DESIGN_SETS = ['ecg5000', 'spam', '29_Pima', '4_breastw'] as const;
export const SYNTHETIC_HOLDOUT_SETS = ['letter', '45_wine', '14_glass', '18_Ionosphere', '39_vertebral', '42_WBC', '47_yeast'] as const;
export const SYNTHETIC_SETS = [...SYNTHETIC_DESIGN_SETS, ...SYNTHETIC_HOLDOUT_SETS] as const;
const FILES: Record<string, { file: string; label: string | null }> = {
  ecg5000: { file: 'ecg5000/ECG5000_TEST_binary.csv', label: 'label' },
  letter: { file: 'gain_letter_spam/letter.csv', label: null },
  spam: { file: 'gain_letter_spam/spam.csv', label: null },
};
export type SyntheticKind = 'gan' | 'vae';
export const SYNTHETIC_PLANS: Record<SyntheticKind, Omit<TrainOptions, 'kind' | 'data'>> = {
  gan: { seed: 42, epochs: 30, patience: 6, batchSize: 500 },
  vae: { seed: 42, epochs: 100, batchSize: 64, modelConfig: { beta: 1 } },
};

interface GeneratorScore {
  rows: number;
  c2st: number;
  near_copy_share: number;
  holdout_near_copy_share: number;
  near_copy_excess: number;
  tstr?: number;
}
interface PythonScore {
  rows: { train: number; holdout: number };
  trtr?: number;
  generators: Record<string, GeneratorScore>;
}

/**
 * `bench:quality --tasks synthetic`: per set an 80/20 split (seeded), residual's gan and vae trained with
 * trainModel on the 80 % and sampled (as many rows) through `residual sample`'s own path (sampleToStore,
 * generator.onnx / decoder.onnx on onnxruntime); bench/python/synthetic_bench.py fits the multivariate-Gaussian
 * and Gaussian-copula baselines on the same rows and scores every generator: C2ST (5-fold gradient boosting,
 * real holdout vs synthetic), near-copy share, TSTR where the set has a label.
 */
export async function synthetic(
  root: string,
  kinds: readonly SyntheticKind[],
  named: readonly string[] = SYNTHETIC_SETS,
): Promise<string> {
  const halves: Record<string, readonly string[]> = { design: SYNTHETIC_DESIGN_SETS, holdout: SYNTHETIC_HOLDOUT_SETS };
  const sets = named.flatMap((s) => halves[s] ?? [s]);
  const work = mkdtempSync(join(tmpdir(), 'residual-synthetic-'));
  const adbench = sets.filter((s) => !FILES[s]);
  if (adbench.length) python(['export', root, join(work, 'adbench'), ...adbench]);
  const table: (string | number)[][] = [];
  const notes: string[] = [];
  for (const set of sets) {
    const spec = FILES[set] ?? { file: `${set}.csv`, label: 'y' };
    const m = readNumericCsv(FILES[set] ? root : join(work, 'adbench'), spec.file);
    const dir = join(work, set);
    const { train } = split(m, dir);
    for (const kind of kinds) {
      const t0 = Date.now();
      const data = { features: m.columns, values: Float32Array.from(train) };
      const result = await trainModel({ ...SYNTHETIC_PLANS[kind], kind, progress: 'none', data });
      const model = join(dir, `model-${kind}`);
      await writeArtifactToStore(result, new FileObjectStore(), { bucket: '', key: model });
      result.zoo.dispose();
      const trainMs = Date.now() - t0;
      const s0 = Date.now();
      await sampleToStore(
        { model, rows: train.length / m.columns.length, output: join(dir, `residual-${kind}.csv`), seed: 1 },
        {
          storeForUri: (uri) => ({ store: new FileObjectStore(), location: { bucket: '', key: uri } }),
          createDecoder: createOnnxDecoder,
          createGenerator: createOnnxGenerator,
        },
      );
      const epochs = result.manifest.training.epochs;
      notes.push(`${set} ${kind}: trained ${seconds(trainMs)} (${epochs} epochs), sampled in ${seconds(Date.now() - s0)}`);
      log(notes.at(-1)!);
    }
    const score = python(['score', dir, ...(spec.label ? [spec.label] : [])]) as PythonScore;
    for (const [name, g] of Object.entries(score.generators)) {
      const tstr = g.tstr === undefined ? '–' : fixed(g.tstr);
      const trtr = score.trtr === undefined ? '–' : fixed(score.trtr);
      const half = (SYNTHETIC_DESIGN_SETS as readonly string[]).includes(set) ? 'design' : 'held out';
      const pct = (v: number): string => `${fixed(100 * v, 1)} %`;
      const copies = [pct(g.near_copy_share), pct(g.holdout_near_copy_share), pct(g.near_copy_excess)];
      table.push([set, half, name, fixed(g.c2st), ...copies, tstr, trtr]);
      log(`${set} ${name}: C2ST ${fixed(g.c2st)}, near copies ${copies.join(' / ')}, TSTR ${tstr} (TRTR ${trtr})`);
    }
  }
  return `### Synthetic data (issue 17)

Per set: 80/20 split (seed 42); generators fitted on the 80 %, as many rows sampled; scores by
\`bench/python/synthetic_bench.py\` (C2ST: 5-fold HistGradientBoosting ROC-AUC, real holdout vs synthetic, 0.5 =
indistinguishable; near copies: synthetic rows closer to a training row than the holdout's 1st-percentile distance
(or equal to one), beside the holdout's own share by the same rule and the excess (synthetic − holdout);
TSTR: accuracy on the holdout of a classifier trained on synthetic rows, TRTR the same trained on the real 80 %).
Targets: C2ST below both baselines and ≤ .75; near copies ≤ 5 % (read on the excess: rows the real data duplicates
itself are not the generator's copying); TSTR within 3 points of TRTR on ECG5000.

${markdownTable(['set', 'half', 'generator', 'C2ST AUC', 'near copies', 'holdout near copies', 'excess', 'TSTR', 'TRTR'], table)}

${notes.map((n) => `- ${n}`).join('\n')}
`;
}

function split(m: Matrix, dir: string): { train: Float64Array; holdout: Float64Array } {
  const f = m.columns.length;
  const order = new Rng(42).permutation(m.rows);
  const nTrain = Math.round(0.8 * m.rows);
  const take = (idx: Int32Array): Float64Array => {
    const out = new Float64Array(idx.length * f);
    idx.forEach((r, i) => out.set(m.values.subarray(r * f, r * f + f), i * f));
    return out;
  };
  const train = take(order.subarray(0, nTrain));
  const holdout = take(order.subarray(nTrain));
  spawnSync('mkdir', ['-p', dir]);
  const csv = (v: Float64Array): string => {
    const lines = [m.columns.join(',')];
    for (let r = 0; r < v.length / f; r++) lines.push(Array.from(v.subarray(r * f, r * f + f)).join(','));
    return lines.join('\n') + '\n';
  };
  writeFileSync(join(dir, 'train.csv'), csv(train));
  writeFileSync(join(dir, 'holdout.csv'), csv(holdout));
  return { train, holdout };
}

function python(args: string[]): unknown {
  // one thread per scikit-learn fit: the bench machine is shared, and OpenMP threads fight over its cores
  const env = { ...process.env, OMP_NUM_THREADS: '1' };
  const res = spawnSync('python3', ['bench/python/synthetic_bench.py', ...args], { encoding: 'utf8', maxBuffer: 1 << 26, env });
  if (res.status !== 0) throw new QualityBenchError(`bench/python/synthetic_bench.py exited ${res.status}: ${res.stderr.slice(-500)}`);
  return res.stdout.trim() ? JSON.parse(res.stdout) : null;
}
