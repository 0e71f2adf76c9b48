import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { Rng } from '../../core/rng';
import { fitImputer, scaled } from '../../training/models/auto-impute/fit-imputer';
import { FOREST_MIN_ROWS, fitForest, forestBudget, forestPredict } from '../../training/models/auto-impute/forest-fill';
import type { AutoImputer } from '../../training/models/auto-impute/imputer-zoo';
import { combine, memberPredictions } from '../../training/models/auto-impute/predict';
import { imputationSummary } from '../../training/models/auto-impute/summary';
import { trainModel, type TrainResult } from '../../training/train';

/**
 * The auto imputer's forest member (forest-fill.ts, choose-forest.ts): trees fit a step the Gaussian and kNN
 * members cannot, the forest is kept only on the columns where it wins on the held-out cells, its budget holds,
 * and the ONNX graph (TreeEnsembleRegressor) equals the JS reference.
 */
const F = 4;

/** a, b uniform; c a step in a (with a discrete level count), d a noisy sum: trees win on c, the Gaussian on d */
function table(rows: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const out = new Float32Array(rows * F);
  for (let i = 0; i < rows; i++) {
    const a = rng.next() * 4 - 2;
    const b = rng.next() * 4 - 2;
    const c = (a > 0.3 ? 3 : -1) + (b > 1 ? 2 : 0) + 0.05 * rng.normal();
    out.set([a, b, c, a + b + 0.3 * rng.normal()], i * F);
  }
  return out;
}

const hide = (values: Float32Array, rate: number, seed: number): Float32Array => {
  const rng = new Rng(seed);
  return values.map((v) => (rng.next() < rate ? NaN : v));
};

describe('forest member', () => {
  it('grows trees that fit a step, never split on their own column, and respect the node budget', () => {
    const n = 400;
    const x = new Float32Array(n * 2);
    const rng = new Rng(3);
    for (let i = 0; i < n; i++) {
      const a = rng.next();
      x[i * 2] = a;
      x[i * 2 + 1] = a < 0.5 ? -1 : 1;
    }
    const b = { ...forestBudget(2), maxNodes: 15 };
    const forest = fitForest(x, new Uint8Array(n * 2).fill(1), 2, [1], new Rng(4), b);
    expect(forest.treesOf[0]).toBe(0);
    expect(forest.treesOf[1]).toBe(b.trees);
    for (let i = 0; i < forest.feature.length; i++) expect(forest.feature[i]).not.toBe(1);
    const perTree = new Map<number, number>();
    for (const t of forest.treeIds) perTree.set(t, (perTree.get(t) ?? 0) + 1);
    for (const count of perTree.values()) expect(count).toBeLessThanOrEqual(15);
    const pred = forestPredict(forest, x);
    let sse = 0;
    for (let i = 0; i < n; i++) sse += (pred[i * 2 + 1]! - x[i * 2 + 1]!) ** 2;
    expect(Math.sqrt(sse / n)).toBeLessThan(0.3);
  });

  it('forestBudget caps the rows by cells and the nodes by the total budget', () => {
    const small = forestBudget(5);
    const wide = forestBudget(50);
    expect(wide.maxRows).toBeLessThan(small.maxRows);
    expect(wide.maxNodes * wide.trees * 50).toBeLessThanOrEqual(250_000);
    expect(forestBudget(245).maxRows).toBeGreaterThanOrEqual(FOREST_MIN_ROWS);
    expect(forestBudget(260).maxRows).toBeLessThan(FOREST_MIN_ROWS);
  });

  it('is not tried on a table too wide for the budget, and says so', () => {
    const f = 260;
    const rng = new Rng(9);
    const x = new Float32Array(40 * f).map(() => (rng.next() < 0.2 ? NaN : rng.normal()));
    const fitted = fitImputer(x, f, Array.from({ length: f }, (_, j) => `c${j}`), new Rng(1), { members: ['gaussian', 'forest'] });
    const forest = fitted.config['forest'] as Record<string, unknown>;
    expect(forest['skipped']).toMatch(/^too wide: fewer than 100 training rows a column/);
    expect(forest['trees_fitted']).toBe(0);
    expect(fitted.parts.forest).toBeNull();
  });
});

describe('auto imputer with the forest', () => {
  let result: TrainResult;
  const features = ['a', 'b', 'c', 'd'];
  const incomplete = hide(table(800, 1), 0.2, 2);

  beforeAll(async () => {
    await tf.setBackend('cpu');
    result = await trainModel({ kind: 'auto', task: 'impute', data: { features, values: incomplete }, backend: 'cpu', progress: 'none' });
  });

  afterAll(() => result?.zoo.dispose());

  it('keeps the forest on the step column and records it in the manifest', () => {
    const forest = (result.manifest.training.config as { model: { forest: { columns: number[]; nodes_kept: number } } }).model.forest;
    expect(forest.columns).toContain(2);
    expect(forest.nodes_kept).toBeGreaterThan(0);
    const parts = (result.zoo as AutoImputer).fitted.parts;
    expect(parts.forest!.weight[2]).toBeGreaterThan(0);
    const col = result.manifest.imputation!.columns[2]!;
    expect(col['forest_weight']).toBe(parts.forest!.weight[2]);
    expect(col.rmse).toBe(col['rmse_forest']);
    const printed = imputationSummary(result.manifest.imputation!, result.manifest.auto!['forest']);
    expect(printed).toMatch(/ c: .* blended with the forest \(weight [\d.]+\)/);
    expect(printed).toMatch(/^forest: 20 trees a column, <= \d+ rows, <= \d+ nodes a tree, min leaf 3; fitted \d+ trees/m);
  });

  it('fits a second, chained round on the first round\'s fill and keeps it where it wins (here a and b: c is now filled by trees)', () => {
    const parts = (result.zoo as AutoImputer).fitted.parts;
    expect(parts.forest2).toBeTruthy();
    expect(parts.forest2!.weight[0]).toBeGreaterThan(0);
    expect(parts.forest2!.weight[1]).toBeGreaterThan(0);
    for (let i = 0; i < parts.forest2!.feature.length; i++) expect(parts.forest2!.feature[i]).not.toBe(parts.forest2!.target[i]);
    const round2 = (result.manifest.auto!['forest'] as { round2: { columns: number[]; trees_fitted: number } }).round2;
    expect(round2.columns).toEqual([0, 1]);
    expect(round2.trees_fitted).toBeGreaterThan(0);
    const col = result.manifest.imputation!.columns[0]!;
    expect(col['forest2_weight']).toBe(parts.forest2!.weight[0]);
    expect(col.rmse).toBe(col['rmse_forest2']);
    const printed = imputationSummary(result.manifest.imputation!, result.manifest.auto!['forest']);
    expect(printed).toMatch(/ a: .*, then with its second round \(weight [\d.]+\)/);
    expect(printed).toMatch(/; second round: fitted \d+ trees \(\d+ nodes\) in \d+ ms, kept on 2 column\(s\)/);
  });

  it('ONNX fills equal the JS reference', async () => {
    const parts = (result.zoo as AutoImputer).fitted.parts;
    const x = incomplete.slice(0, 300 * F);
    const mask = x.map((v) => (Number.isNaN(v) ? 0 : 1));
    const session = await ort.InferenceSession.create(result.onnx!);
    let rec: Float32Array;
    try {
      const out = await session.run({ x: new ort.Tensor('float32', x, [300, F]), mask: new ort.Tensor('float32', mask, [300, F]) });
      rec = out['reconstruction']!.data as Float32Array;
    } finally {
      await session.release();
    }
    const { x: s, mask: m } = scaled(parts, x);
    const want = combine(parts, memberPredictions(parts, s, m), m, s);
    // the second round moves the fills of a and b: the graph must apply it as the JS reference does
    const firstOnly = combine({ ...parts, forest2: null }, memberPredictions(parts, s, m), m, s);
    let moved = 0;
    for (let i = 0; i < rec.length; i++) if (m[i]! < 0.5 && Math.abs(firstOnly.value[i]! - want.value[i]!) > 0.05) moved++;
    expect(moved).toBeGreaterThan(10);
    let worst = 0;
    for (let i = 0; i < rec.length; i++) {
      const j = i % F;
      if (m[i]! > 0.5) continue;
      const raw = want.value[i]! * parts.scaler.scale[j]! + parts.scaler.offset[j]!;
      worst = Math.max(worst, Math.abs(rec[i]! - raw) / parts.scaler.scale[j]!);
    }
    expect(worst).toBeLessThan(2e-3);
  });

  it('members without forest fit none', () => {
    const fitted = fitImputer(incomplete, F, features, new Rng(5), { members: ['knn', 'gaussian'] });
    expect(fitted.parts.forest ?? null).toBeNull();
    expect(fitted.config['forest']).toBeNull();
  });
});
