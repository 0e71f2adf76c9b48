import { fitScaler } from '../../core/scaler';
import { Rng } from '../../core/rng';
import { averagePath, fitIForest, iforestScores } from '../../training/models/auto/iforest';
import { chooseK, knnScores } from '../../training/models/auto/knn';
import { combine, families, memberNorm } from '../../training/models/auto/combine';
import { adjustedFence, medcouple, scoreNorm } from '../../training/models/auto/robust-stats';
import { chooseScaling } from '../../training/models/auto/scaling';

/** The pieces auto configures itself with: robust scaling, the signal-row rule, k, the kNN member, the fence. */
describe('auto parts', () => {
  it("fits the 'robust' scaler: median and IQR / 1.349, falling back to the std and then 1", () => {
    // column 0: 1..9 plus one huge outlier; column 1: mostly 5 (IQR 0) with two other values; column 2: constant
    const rows = [1, 2, 3, 4, 5, 6, 7, 8, 9, 1000];
    const values = new Float32Array(rows.flatMap((v, i) => [v, i < 8 ? 5 : i === 8 ? 4 : 6, 3]));
    const s = fitScaler(values, 3, 'robust');
    expect(s.kind).toBe('robust');
    expect(s.offset[0]).toBeCloseTo(5.5, 6);
    expect(s.scale[0]).toBeCloseTo((7.75 - 3.25) / 1.349, 5);
    expect(s.offset[1]).toBe(5);
    expect(s.scale[1]).toBeCloseTo(Math.sqrt(0.2), 5);
    expect(s.scale[2]).toBe(1);
  });

  it('pools the scale only for signal-like rows (many features, adjacent columns correlated)', () => {
    const rng = new Rng(1);
    const n = 300;
    const f = 32;
    const signal = new Float32Array(n * f);
    const table = new Float32Array(n * f);
    for (let i = 0; i < n; i++) {
      const phase = rng.next() * 6;
      for (let j = 0; j < f; j++) {
        signal[i * f + j] = Math.sin(phase + j / 8) + 0.01 * rng.normal();
        table[i * f + j] = rng.normal() * (j + 1);
      }
    }
    const s = chooseScaling(signal, f, new Rng(2));
    expect(s.pooled).toBe(true);
    expect(new Set(s.params.scale).size).toBe(1);
    const t = chooseScaling(table, f, new Rng(2));
    expect(t.pooled).toBe(false);
    expect(t.adjacentCorrelation).toBeLessThan(0.3);
    expect(chooseScaling(signal.subarray(0, n * 8), 8, new Rng(2)).pooled).toBe(false);
  });

  it('chooses k from the reference size: 2 %, within [5, 50], below the rows', () => {
    expect(chooseK(100)).toBe(5);
    expect(chooseK(1000)).toBe(20);
    expect(chooseK(2000)).toBe(40);
    expect(chooseK(100000)).toBe(50);
    expect(chooseK(4)).toBe(3);
  });

  it('scores the mean distance to the k nearest reference rows, leaving a row out of its own neighbours', () => {
    const reference = Float32Array.from([0, 0, 1, 0, 0, 2, 5, 5]);
    const member = { reference, rows: 4, features: 2, k: 2, kSmall: 1 };
    const x = Float32Array.from([0, 0, 10, 10]);
    const mask = new Float32Array(4).fill(1);
    const { score, small, nearest } = knnScores(member, x, mask);
    expect(score[0]).toBeCloseTo(0.5, 6); // distances 0 and 1
    expect(small[0]).toBeCloseTo(0, 6); // knn_small (k 1): the nearest only
    expect(small[1]).toBeCloseTo(Math.hypot(5, 5), 5);
    expect(nearest[0]).toBe(0);
    expect(score[1]).toBeCloseTo((Math.hypot(5, 5) + Math.hypot(10, 8)) / 2, 5); // (5,5) and (0,2)
    const loo = knnScores(member, reference.subarray(0, 2), mask.subarray(0, 2), Int32Array.from([0]));
    expect(loo.score[0]).toBeCloseTo(1.5, 6); // itself left out: distances 1 and 2
    expect(loo.small[0]).toBeCloseTo(1, 6);
    // a missing cell: the distance over the observed cell, rescaled by F / observed
    const half = knnScores({ ...member, k: 1, kSmall: 1 }, Float32Array.from([1, 0]), Float32Array.from([1, 0])).score[0];
    expect(half).toBeCloseTo(0, 6);
  });

  it('iforest_nn: the mean referenceIso of the same k nearest rows, itself left out; absent without referenceIso', () => {
    const reference = Float32Array.from([0, 0, 1, 0, 0, 2, 5, 5]);
    const member = { reference, rows: 4, features: 2, k: 2, kSmall: 1, referenceIso: Float32Array.from([0.1, 0.2, 0.4, 0.8]) };
    const mask = new Float32Array(4).fill(1);
    const out = knnScores(member, Float32Array.from([0, 0, 10, 10]), mask);
    expect(out.neighbourIso![0]).toBeCloseTo((0.1 + 0.2) / 2, 6); // nearest (0,0) and (1,0)
    expect(out.neighbourIso![1]).toBeCloseTo((0.8 + 0.4) / 2, 6); // (5,5) and (0,2)
    const loo = knnScores(member, reference.subarray(0, 2), mask.subarray(0, 2), Int32Array.from([0]));
    expect(loo.neighbourIso![0]).toBeCloseTo((0.2 + 0.4) / 2, 6); // itself left out: (1,0) and (0,2)
    expect(knnScores({ ...member, referenceIso: undefined }, reference, mask).neighbourIso).toBeUndefined();
  });

  it('normalises by median and IQR, and estimates contamination with the skew-adjusted fence', () => {
    const symmetric = Float64Array.from({ length: 201 }, (_, i) => i - 100);
    expect(medcouple(symmetric)).toBeCloseTo(0, 9);
    const rng = new Rng(5);
    const skewed = Float64Array.from({ length: 2000 }, () => -Math.log(1 - rng.next())).sort();
    expect(medcouple(skewed)).toBeGreaterThan(0.2);
    const norm = scoreNorm(symmetric);
    expect(norm.median).toBe(0);
    expect(norm.spread).toBeCloseTo(100 / 1.349, 6);
    // clean exponential scores: few past the fence; with 5 % far outliers mixed in, about those 5 %
    expect(adjustedFence(skewed).contamination).toBeLessThan(0.02);
    const dirty = Float64Array.from(skewed, (v, i) => (i % 20 === 0 ? 30 + v : v));
    const fence = adjustedFence(dirty);
    expect(fence.contamination).toBeGreaterThanOrEqual(0.05);
    expect(fence.contamination).toBeLessThan(0.07);
  });

  it('isolation forest: c(n) as Liu et al., trees that end in leaves, an isolated row scored highest', () => {
    expect(averagePath(1)).toBe(0);
    expect(averagePath(2)).toBe(1);
    expect(averagePath(256)).toBeCloseTo(2 * (Math.log(255) + 0.5772156649) - (2 * 255) / 256, 6);
    const rng = new Rng(8);
    // fewer rows than a tree's sample: every tree holds every row, the far one (8 σ) included
    const n = 200;
    const x = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) {
      x[i * 2] = rng.normal();
      x[i * 2 + 1] = i === 0 ? 8 : rng.normal();
    }
    const forest = fitIForest(x, n, 2, new Rng(9), 50);
    expect(forest.sample).toBe(200);
    expect(forest.nodeIds.filter((id) => id === 0)).toHaveLength(50);
    // every split has two children inside its tree; depth is at most ⌈log2 200⌉ = 8, so a leaf's value ≤ 8 + c(200)
    for (let i = 0; i < forest.feature.length; i++) {
      if (forest.feature[i]! >= 0) expect(forest.left[i]! > 0 && forest.right[i]! > forest.left[i]!).toBe(true);
      else expect(forest.leafValue[i]).toBeLessThanOrEqual(8 + averagePath(200) + 1e-4);
    }
    const s = iforestScores(forest, x);
    expect(s.every((v) => v > 0 && v <= 1)).toBe(true);
    expect(Array.from(s).indexOf(Math.max(...s))).toBe(0);
    // deterministic for a seed
    expect(iforestScores(fitIForest(x, n, 2, new Rng(9), 50), x)).toEqual(s);
  });
});

describe('auto combination rules', () => {
  const norms = {
    knn: { median: 1, spread: 2 }, knn_small: { median: 0, spread: 1 },
    pca: { median: 0, spread: 4 }, iforest: { median: 0.5, spread: 0.1 },
  };
  const raw = { knn: 5, knn_small: 1, pca: 2, iforest: 0.6, ae: 0, iforest_nn: 0 };
  const members = ['knn', 'knn_small', 'pca', 'iforest'] as const;

  it("'mean' averages the members' z; 'family-max' takes the largest family mean (the two kNN one family)", () => {
    // z: knn 2, knn_small 1, pca 0.5, iforest 1
    expect(combine('mean', norms, members, (n) => raw[n])).toBeCloseTo((2 + 1 + 0.5 + 1) / 4, 9);
    expect(combine('family-max', norms, members, (n) => raw[n])).toBeCloseTo(1.5, 9);
    expect(combine('family-max', norms, members, (n) => (n === 'iforest' ? 0.9 : raw[n]))).toBeCloseTo(4, 9);
    expect(families(members)).toEqual([['knn', 'knn_small'], ['pca'], ['iforest']]);
    expect(families(['knn', 'iforest', 'pca', 'iforest_nn'])).toEqual([['knn'], ['iforest', 'iforest_nn'], ['pca']]);
  });

  it("'family-max' measures a member in units of its calibration tail (q95 − median)", () => {
    const scores = Float64Array.from({ length: 101 }, (_, i) => i);
    expect(memberNorm('family-max', scores)).toEqual({ median: 50, spread: 45 });
    expect(memberNorm('mean', scores).spread).toBeCloseTo(50 / 1.349, 9);
    expect(memberNorm('family-max', new Float64Array(10).fill(3)).spread).toBe(1);
  });
});
