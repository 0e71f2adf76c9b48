import * as tf from '@tensorflow/tfjs';
import { applyScaler } from '../../../core/scaler';
import type { Rng } from '../../../core/rng';
import { TrainingConfigError } from '../../errors';
import type { ProgressMode } from '../../progress';
import { checkConfigKeys, configInt } from '../common';
import { aeScores, fitAeMember, type AeMember } from './ae-member';
import { LATENT_LAYER } from '../dense-ae';
import type { ZooModel } from '../types';
import { chooseK, knnScores, MAX_REFERENCE_ROWS, type KnnMember } from './knn';
import { fitIForest, IFOREST_TREES, iforestScores, type IForestMember } from './iforest';
import { fitPcaMember, pcaScores, type PcaMember } from './pca-member';
import { scoreNorm, type ScoreNorm } from './robust-stats';
import { chooseScaling, type AutoScaling } from './scaling';

/** Most rows auto's normalisation and threshold are calibrated on (kNN cost is rows × reference rows). */
export const MAX_CALIBRATION_ROWS = 10000;

export type MemberName = 'knn' | 'pca' | 'ae' | 'iforest';
export const MEMBER_NAMES: readonly MemberName[] = ['knn', 'pca', 'ae', 'iforest'];
/**
 * Weight of each member's normalised score in the combination (a weighted mean). Equal: weight 2 for the
 * isolation member (measured) lifted the sets where anomalies come in clusters a little and cost more on the
 * rest (design-set means unsup .781 → .776, oneclass .835 → .829 in the prototype).
 */
export const MEMBER_WEIGHTS: Record<MemberName, number> = { knn: 1, pca: 1, ae: 1, iforest: 1 };
/**
 * The members auto uses unless config.members says otherwise: kNN, PCA and the isolation forest on tables; kNN
 * and PCA alone on signal rows (pooled scaling), where a split on one column of a shape says little.
 */
export const DEFAULT_MEMBERS: readonly MemberName[] = ['knn', 'pca', 'iforest'];
export const SIGNAL_MEMBERS: readonly MemberName[] = ['knn', 'pca'];

/**
 * auto: an ensemble of a kNN distance (to a stored reference sample) and a PCA RMS reconstruction error, in
 * robust-scaled space; each member's score is normalised by the median and IQR of its scores on
 * calibration rows and the normalised scores are averaged. Fitted in closed form (no epochs).
 */
export class AutoDetector implements ZooModel {
  readonly kind = 'auto' as const;
  readonly head = { latentLayer: LATENT_LAYER };
  readonly config: Record<string, unknown>;

  private constructor(
    readonly scaling: AutoScaling,
    readonly knn: KnnMember,
    readonly pca: PcaMember,
    /** The autoencoder member, when config.members names 'ae'. */
    readonly ae: AeMember | null,
    /** The isolation-forest member, when the members include 'iforest'. */
    readonly iforest: IForestMember | null,
    readonly members: readonly MemberName[],
    readonly membersReason: string,
    readonly norms: Partial<Record<MemberName, ScoreNorm>>,
    /** Combined scores of the calibration rows (leave-one-out where a row is in the reference). */
    readonly calibration: Float32Array,
    /** The PCA member's mean reconstruction error on the calibration rows (auto's "validation loss"). */
    readonly pcaLoss: number,
  ) {
    this.config = {
      members: [...members], members_reason: membersReason, combine: 'weighted mean of robust z-scores',
      scaler: scaling.pooled ? 'robust, pooled' : 'robust, per feature', scaling_reason: scaling.reason,
      k: knn.k, reference_rows: knn.rows, calibration_rows: calibration.length,
      pca_components: pca.components, pca_explained_variance: pca.explainedVariance,
      ...(ae ? { ae: ae.zoo.config, ae_epochs: ae.epochs } : {}),
      ...(iforest ? { iforest_trees: iforest.trees, iforest_sample: iforest.sample } : {}),
    };
  }

  get model(): tf.LayersModel {
    return this.pca.zoo.model;
  }

  get latentDim(): number {
    return this.pca.components;
  }

  /** Fits auto on raw rows [rows × F] (NaN = missing). `config` may set k, reference_rows and members. */
  static fit(
    values: Float32Array, features: number, rng: Rng, config: Record<string, unknown>, progress: ProgressMode = 'none',
  ): AutoDetector {
    checkConfigKeys('auto', config, ['k', 'reference_rows', 'members', 'iforest_trees']);
    const rows = values.length / features;
    if (rows < 3) throw new TrainingConfigError(`auto needs at least 3 training rows, got ${rows}`);
    const scaling = chooseScaling(values, features, rng.fork());
    const given = configMembers(config);
    const members = given ?? (scaling.pooled ? SIGNAL_MEMBERS : DEFAULT_MEMBERS);
    const membersReason = given ? 'given: config.members'
      : scaling.pooled ? 'signal rows (pooled scaling): kNN and PCA; no isolation forest (axis splits on single columns of a shape)'
        : 'table rows: kNN, PCA and an isolation forest';
    const { x, mask } = scaled(scaling, values);
    const m = Math.min(rows, configInt(config, 'reference_rows', MAX_REFERENCE_ROWS, 2));
    const order = rows > m ? rng.permutation(rows) : Int32Array.from({ length: rows }, (_, i) => i);
    const refIdx = order.subarray(0, m);
    const calIdx = rows > m ? order.subarray(m, m + Math.min(rows - m, MAX_CALIBRATION_ROWS)) : refIdx;
    const k = configInt(config, 'k', chooseK(m));
    if (k >= m) throw new TrainingConfigError(`config.k must be below the reference rows (${m}), got ${k}`);
    const knn: KnnMember = { reference: gather(x, refIdx, features), rows: m, features, k };
    const pca = fitPcaMember(x, mask, rows, features, rng.fork());
    let ae: AeMember | null = null;
    try {
      if (members.includes('ae')) ae = fitAeMember(x, mask, rows, features, rng.fork(), progress);
      const forest = members.includes('iforest')
        ? fitIForest(x, rows, features, rng.fork(), configInt(config, 'iforest_trees', IFOREST_TREES, 1)) : null;
      const cx = gather(x, calIdx, features);
      const cm = gather(mask, calIdx, features);
      const self = rows > m ? undefined : Int32Array.from({ length: m }, (_, i) => i);
      const raw: Partial<Record<MemberName, Float64Array>> = {
        knn: knnScores(knn, cx, cm, self).score,
        pca: pcaScores(pca, cx, cm).score,
        ...(ae ? { ae: aeScores(ae, cx, cm).score } : {}),
        ...(forest ? { iforest: iforestScores(forest, cx) } : {}),
      };
      const norms: Partial<Record<MemberName, ScoreNorm>> = {};
      for (const name of members) norms[name] = scoreNorm(raw[name]!);
      const calibration = Float32Array.from(raw.knn!, (_, i) => combine(norms, members, (name) => raw[name]![i]!));
      const pc = raw.pca!;
      const pcaLoss = pc.reduce((a, b) => a + b * b, 0) / pc.length;
      return new AutoDetector(scaling, knn, pca, ae, forest, members, membersReason, norms, calibration, pcaLoss);
    } catch (err) {
      pca.zoo.dispose();
      ae?.zoo.dispose();
      throw err;
    }
  }

  /** The JS reference of the ONNX graph: every output for raw rows [N × F] (NaN = missing). */
  score(values: Float32Array): { score: Float32Array; featureError: Float32Array; reconstruction: Float32Array; latent: Float32Array } {
    const f = this.knn.features;
    const { x, mask } = scaled(this.scaling, values);
    const kn = knnScores(this.knn, x, mask);
    const pc = pcaScores(this.pca, x, mask);
    const ae = this.ae ? aeScores(this.ae, x, mask) : null;
    const iso = this.iforest ? iforestScores(this.iforest, x) : null;
    const n = x.length / f;
    const score = new Float32Array(n);
    const featureError = new Float32Array(n * f);
    const reconstruction = new Float32Array(n * f);
    const { offset, scale } = this.scaling.params;
    const cellMembers = ae ? 3 : 2;
    for (let i = 0; i < n; i++) {
      const member = (name: MemberName): number =>
        (name === 'knn' ? kn.score[i]! : name === 'pca' ? pc.score[i]! : name === 'ae' ? ae!.score[i]! : iso![i]!);
      score[i] = combine(this.norms, this.members, member);
      const nn = kn.nearest[i]!;
      for (let j = 0; j < f; j++) {
        const c = i * f + j;
        const d = x[c]! - this.knn.reference[nn * f + j]!;
        featureError[c] = (mask[c]! * d * d + pc.cellError[c]! + (ae ? ae.cellError[c]! : 0)) / cellMembers;
        reconstruction[c] = pc.reconstruction[c]! * scale[j]! + offset[j]!;
      }
    }
    return { score, featureError, reconstruction, latent: pc.code };
  }

  trainStep(): tf.Scalar {
    throw new TrainingConfigError('auto is fitted in closed form; it has no gradient steps');
  }

  evalLoss(): tf.Scalar {
    throw new TrainingConfigError('auto is fitted in closed form; it has no validation loss');
  }

  private disposed = false;

  /** Frees the PCA member's tf model; safe to call twice. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.pca.zoo.dispose();
    this.ae?.zoo.dispose();
  }
}

/** The combined score: the MEMBER_WEIGHTS-weighted mean of the members' robust z-scores. */
export function combine(
  norms: Partial<Record<MemberName, ScoreNorm>>, members: readonly MemberName[], raw: (name: MemberName) => number,
): number {
  let sum = 0;
  let weight = 0;
  for (const name of members) {
    sum += (MEMBER_WEIGHTS[name] * (raw(name) - norms[name]!.median)) / norms[name]!.spread;
    weight += MEMBER_WEIGHTS[name];
  }
  return sum / weight;
}

function configMembers(config: Record<string, unknown>): readonly MemberName[] | null {
  const v = config['members'];
  if (v === undefined) return null;
  const ok = Array.isArray(v) && v.includes('knn') && v.includes('pca') && new Set(v).size === v.length
    && v.every((m) => (MEMBER_NAMES as readonly unknown[]).includes(m));
  if (!ok) {
    throw new TrainingConfigError(`config.members must list 'knn', 'pca' and optionally 'ae', 'iforest', got ${JSON.stringify(v)}`);
  }
  return v as MemberName[];
}

function scaled(scaling: AutoScaling, values: Float32Array): { x: Float32Array; mask: Float32Array } {
  const x = applyScaler(scaling.params, values);
  const mask = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    if (Number.isFinite(x[i])) mask[i] = 1;
    else x[i] = 0;
  }
  return { x, mask };
}

function gather(a: Float32Array, idx: ArrayLike<number>, f: number): Float32Array {
  const out = new Float32Array(idx.length * f);
  for (let i = 0; i < idx.length; i++) out.set(a.subarray(idx[i]! * f, idx[i]! * f + f), i * f);
  return out;
}
