import * as tf from '@tensorflow/tfjs';
import { gatherRows, scaledWithMask } from '../../../core/masked-rows';
import type { Rng } from '../../../core/rng';
import type { ProgressMode } from '../../progress';
import { checkConfigKeys, configInt } from '../common';
import { aeScores, fitAeMember, type AeMember } from './ae-member';
import { LATENT_LAYER } from '../dense-ae';
import type { ZooModel } from '../types';
import { chooseK, KNN_SMALL_K, knnScores, MAX_REFERENCE_ROWS, type KnnMember } from './knn';
import { fitIForest, IFOREST_TREES, iforestScores, type IForestMember } from './iforest';
import { fitPcaMember, pcaScores, type PcaMember } from './pca-member';
import { TrainingConfigError } from '../../errors';
import { combine, configCombine, DEFAULT_COMBINE, memberNorm, type CombineRule } from './combine';
import {
  combineReason, configMembers, configTrimRule, configTrimShare, DEFAULT_MEMBERS, REFERENCE_TRIM, SIGNAL_MEMBERS, type MemberName,
  type TrimRule,
} from './detector-config';
import type { ScoreNorm } from './robust-stats';
import { chooseScaling, type AutoScaling } from './scaling';

export type { MemberName, TrimRule } from './detector-config';

/** Most rows auto's normalisation and threshold are calibrated on (kNN cost is rows × reference rows). */
export const MAX_CALIBRATION_ROWS = 10000;

/**
 * auto: an ensemble, in robust-scaled space, of kNN distances at two k (to a stored reference sample), a PCA RMS
 * reconstruction error and, on tables, an isolation forest (whose top REFERENCE_TRIM of the sampled rows leave the
 * reference and the PCA fit); each member's score is normalised on calibration rows and combined by combine.ts's
 * rule (DEFAULT_COMBINE, 'mean', unless config.combine says otherwise). Fitted in closed form (no epochs).
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
    readonly rule: CombineRule,
    /** config.combine set the rule. */
    readonly combineGiven: boolean,
    /** Combined scores of the calibration rows (leave-one-out where a row is in the reference). */
    readonly calibration: Float32Array,
    /** The PCA member's mean reconstruction error on the calibration rows (auto's "validation loss"). */
    readonly pcaLoss: number,
    /** Sampled reference rows left out by the trim share (0 without the isolation member). */
    readonly trimmedRows: number,
    readonly trimRule: TrimRule = 'iforest',
    readonly trimShare: number = REFERENCE_TRIM,
  ) {
    this.config = {
      members: [...members], members_reason: membersReason, combine: rule,
      combine_reason: combineReason(rule, combineGiven),
      scaler: scaling.pooled ? 'robust, pooled' : 'robust, per feature', scaling_reason: scaling.reason,
      k: knn.k, k_small: knn.kSmall, reference_rows: knn.rows, calibration_rows: calibration.length,
      pca_components: pca.components, pca_explained_variance: pca.explainedVariance,
      ...(ae ? { ae: ae.zoo.config, ae_epochs: ae.epochs } : {}),
      ...(iforest ? { iforest_trees: iforest.trees, iforest_sample: iforest.sample } : {}),
      reference_trimmed: trimmedRows,
      reference_trim_reason: iforest
        ? `the ${trimmedRows} sampled rows (${+(100 * trimShare).toFixed(3)} %) ` +
          (trimRule === 'iforest' ? 'the isolation member scores highest'
            : 'whose k nearest sampled rows the isolation member scores highest') +
          ' are left out of the kNN reference and the PCA fit'
        : 'no isolation member: no trimming',
      trim_by: trimRule,
      reference_trim: trimShare,
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
    checkConfigKeys('auto', config, ['k', 'reference_rows', 'members', 'iforest_trees', 'combine', 'trim_by', 'reference_trim']);
    const rows = values.length / features;
    if (rows < 3) throw new TrainingConfigError(`auto needs at least 3 training rows, got ${rows}`);
    const scaling = chooseScaling(values, features, rng.fork());
    const given = configMembers(config);
    const rule = configCombine(config['combine']) ?? DEFAULT_COMBINE;
    const members = given ?? (scaling.pooled ? SIGNAL_MEMBERS : DEFAULT_MEMBERS);
    const membersReason = given ? 'given: config.members'
      : scaling.pooled
        ? 'signal rows (pooled scaling): kNN at two k and PCA; no isolation forest (axis splits on single columns of a shape)'
        : 'table rows: kNN at two k, PCA and an isolation forest';
    const { x, mask } = scaled(scaling, values);
    const m = Math.min(rows, configInt(config, 'reference_rows', MAX_REFERENCE_ROWS, 2));
    const order = rows > m ? rng.permutation(rows) : Int32Array.from({ length: rows }, (_, i) => i);
    const sampled = order.subarray(0, m);
    const calIdx = rows > m ? order.subarray(m, m + Math.min(rows - m, MAX_CALIBRATION_ROWS)) : sampled;
    const trimRule = configTrimRule(config['trim_by']);
    const trimShare = configTrimShare(config['reference_trim']);
    if (trimRule === 'iforest_nn' && !members.includes('iforest')) {
      throw new TrainingConfigError("config.trim_by 'iforest_nn' needs the 'iforest' member");
    }
    const forest = members.includes('iforest')
      ? fitIForest(x, rows, features, rng.fork(), configInt(config, 'iforest_trees', IFOREST_TREES, 1)) : null;
    const trim = forest
      ? trimmed(forest, x, mask, sampled, features, trimRule, trimShare)
      : { keep: sampled, dropped: new Uint8Array(rows), keepIso: null };
    const refIdx = trim.keep;
    const kept = refIdx.length;
    const k = configInt(config, 'k', chooseK(kept));
    if (k >= kept) throw new TrainingConfigError(`config.k must be below the reference rows (${kept}), got ${k}`);
    const knn: KnnMember = {
      reference: gatherRows(x, refIdx, features), rows: kept, features, k, kSmall: Math.min(KNN_SMALL_K, k),
      ...(members.includes('iforest_nn') && trim.keepIso ? { referenceIso: trim.keepIso } : {}),
    };
    const fitRows = forest ? Int32Array.from({ length: rows }, (_, i) => i).filter((i) => !trim.dropped[i]) : null;
    const pca = fitRows
      ? fitPcaMember(gatherRows(x, fitRows, features), gatherRows(mask, fitRows, features), fitRows.length, features, rng.fork())
      : fitPcaMember(x, mask, rows, features, rng.fork());
    let ae: AeMember | null = null;
    try {
      if (members.includes('ae')) ae = fitAeMember(x, mask, rows, features, rng.fork(), progress);
      const cx = gatherRows(x, calIdx, features);
      const cm = gatherRows(mask, calIdx, features);
      let self: Int32Array | undefined;
      if (rows <= m) {
        // calibration rows are the sampled rows: leave each kept one out of its own neighbours
        const at = new Int32Array(rows).fill(-1);
        refIdx.forEach((r, i) => { at[r] = i; });
        self = Int32Array.from(calIdx, (r) => at[r]!);
      }
      const kn = knnScores(knn, cx, cm, self);
      const raw: Partial<Record<MemberName, Float64Array>> = {
        knn: kn.score,
        knn_small: kn.small,
        pca: pcaScores(pca, cx, cm).score,
        ...(ae ? { ae: aeScores(ae, cx, cm).score } : {}),
        ...(forest ? { iforest: iforestScores(forest, cx) } : {}),
        ...(kn.neighbourIso ? { iforest_nn: kn.neighbourIso } : {}),
      };
      const norms: Partial<Record<MemberName, ScoreNorm>> = {};
      for (const name of members) norms[name] = memberNorm(rule, raw[name]!);
      const calibration = Float32Array.from(raw.knn!, (_, i) => combine(rule, norms, members, (name) => raw[name]![i]!));
      const pc = raw.pca!;
      const pcaLoss = pc.reduce((a, b) => a + b * b, 0) / pc.length;
      const combineGiven = config['combine'] !== undefined;
      return new AutoDetector(
        scaling, knn, pca, ae, forest, members, membersReason, norms, rule, combineGiven, calibration, pcaLoss, sampled.length - kept,
        trimRule, trimShare,
      );
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
      const member = (name: MemberName): number => (name === 'knn' ? kn.score[i]! : name === 'knn_small' ? kn.small[i]!
        : name === 'pca' ? pc.score[i]! : name === 'ae' ? ae!.score[i]! : name === 'iforest_nn' ? kn.neighbourIso![i]! : iso![i]!);
      score[i] = combine(this.rule, this.norms, this.members, member);
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

function scaled(scaling: AutoScaling, values: Float32Array): { x: Float32Array; mask: Float32Array } {
  return scaledWithMask(scaling.params, values);
}

/**
 * The sampled reference rows less the `share` the rule ranks highest (TrimRule; ties: the earlier sampled row stays), at
 * least 2 rows kept; `dropped` marks the left-out rows by their training-row index, `keepIso` holds the kept rows'
 * isolation scores (float32, as the graph stores them).
 */
function trimmed(
  forest: IForestMember, x: Float32Array, mask: Float32Array, sampled: Int32Array, f: number, rule: TrimRule, share: number,
): { keep: Int32Array; dropped: Uint8Array; keepIso: Float32Array } {
  const sx = gatherRows(x, sampled, f);
  const raw = iforestScores(forest, sx);
  const iso = Float32Array.from(raw);
  const m = sampled.length;
  let scores: ArrayLike<number> = raw;
  if (rule === 'iforest_nn' && m > 1) {
    // each sampled row's mean isolation score over its k nearest sampled rows, itself left out
    const k = chooseK(m);
    const member: KnnMember = { reference: sx, rows: m, features: f, k, kSmall: Math.min(KNN_SMALL_K, k), referenceIso: iso };
    scores = knnScores(member, sx, gatherRows(mask, sampled, f), Int32Array.from({ length: m }, (_, i) => i)).neighbourIso!;
  }
  const drop = Math.min(Math.round(share * m), Math.max(m - 2, 0));
  const byScore = Array.from({ length: m }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]! || b - a);
  const dropped = new Uint8Array(x.length / f);
  for (const i of byScore.slice(0, drop)) dropped[sampled[i]!] = 1;
  const keptAt = Array.from({ length: m }, (_, i) => i).filter((i) => !dropped[sampled[i]!]);
  return { keep: Int32Array.from(keptAt, (i) => sampled[i]!), dropped, keepIso: Float32Array.from(keptAt, (i) => iso[i]!) };
}

