import type * as tf from '@tensorflow/tfjs';
import type { Manifest } from '../../../core/manifest';
import { attr, GraphBuilder, HEAD_INPUTS, HEAD_OUTPUTS } from '../../export';
import { encodeManifestGraph } from '../../export/encode-manifest-graph';
import { knnReferenceTerms } from '../../export/knn-reference-terms';
import { OnnxDataType } from '../../export/onnx-proto';
import { TrainingFailedError } from '../../errors';
import { families } from './combine';
import type { AutoDetector, MemberName } from './detector';
import { averagePath, type IForestMember } from './iforest';

/**
 * auto's ONNX graph (opset 17, plain ops, one session.run per batch), the contract of every kind:
 * inputs x, mask [N, F]; outputs reconstruction (PCA, raw units), score (mean of the members' robust
 * z-scores: kNN distances at two k, PCA RMS error, isolation score, autoencoder RMS error when chosen), feature_error (mean of
 * the members' cell errors — PCA, autoencoder, squared difference to the nearest reference row — scaled space,
 * observed cells only) and latent (the PCA code).
 * kNN: d²(i, r) = Σ_j m_ij (s_ij − R_rj)² = Σ_j s_ij² − 2 s_i·R_r + m_i·R_r² (s is 0 where missing), rescaled
 * by F / observed: one MatMul against the stored reference terms, TopK, then the row terms on the k chosen.
 */
export function exportAuto(det: AutoDetector, manifest: Manifest): Uint8Array {
  const g = new GraphBuilder();
  const f = det.knn.features;
  const { offset, scale } = det.scaling.params;
  const x = g.reserve(HEAD_INPUTS.x);
  const mask = g.reserve(HEAD_INPUTS.mask);
  const outputs = [HEAD_OUTPUTS.reconstruction, HEAD_OUTPUTS.score, HEAD_OUTPUTS.featureError, HEAD_OUTPUTS.latent];
  const [recName, scoreName, feName, latentName] = outputs.map((n) => g.reserve(n));
  const off = g.floatTensor(offset, [f], 'scaler_offset');
  const sc = g.floatTensor(scale, [f], 'scaler_scale');
  const observed = g.op('Greater', [mask, g.scalar(0.5)]);
  const m = g.op('Cast', [observed], { to: attr.int(OnnxDataType.FLOAT) });
  const s0 = g.op('Where', [observed, g.op('Div', [g.op('Sub', [x, off]), sc]), g.scalar(0)]);
  const count = g.op('Max', [g.op('ReduceSum', [m, g.ints([1])], { keepdims: attr.int(1) }), g.scalar(1)]);

  // kNN member: per row, −d²·observed/F = 2·s·R_r − m·R_r² − Σ s², so TopK over the one MatMul
  // [m, s] × [−R²ᵀ; 2Rᵀ] picks the k nearest; the row constants are applied to those k only.
  const { reference, rows: refRows, k } = det.knn;
  const both = g.op('Concat', [m, s0], { axis: attr.int(1) });
  const terms = g.floatTensor(knnReferenceTerms(reference, refRows, f), [2 * f, refRows], 'knn_reference_terms');
  const closeness = g.op('MatMul', [both, terms]);
  const topAttrs = { axis: attr.int(1), largest: attr.int(1), sorted: attr.int(1) };
  const [top, topIdx] = g.opMulti('TopK', [closeness, g.int64Tensor([k], [1], 'knn_k')], 2, topAttrs);
  const sq = g.op('ReduceSum', [g.op('Mul', [s0, s0]), g.ints([1])], { keepdims: attr.int(1) });
  const d2n = g.op('Mul', [g.op('Div', [g.op('Sub', [sq, top!]), count]), g.scalar(f)]);
  const dist = g.op('Sqrt', [g.op('Max', [d2n, g.scalar(0)])]);
  const knnScore = g.op('ReduceMean', [dist], { axes: attr.ints([1]), keepdims: attr.int(0) });
  // knn_small: the same TopK is sorted (nearest first), so its k nearest are the first kSmall columns
  const near = g.op('Slice', [dist, g.int64Tensor([0], [1], 'knn_small_start'), g.int64Tensor([det.knn.kSmall], [1], 'knn_small_end'),
    g.int64Tensor([1], [1], 'knn_small_axis')]);
  const knnSmallScore = g.op('ReduceMean', [near], { axes: attr.ints([1]), keepdims: attr.int(0) });
  const nearest = g.op('Gather', [topIdx!, g.int64Tensor([0], [], 'first')], { axis: attr.int(1) });
  const nnRows = g.op('Gather', [g.floatTensor(reference, [refRows, f], 'knn_reference'), nearest], { axis: attr.int(0) });
  const nnDiff = g.op('Sub', [s0, nnRows]);
  const knnCell = g.op('Mul', [g.op('Mul', [nnDiff, nnDiff]), m]);

  // the observed count [N] once for every member's RMS (count above is [N, 1] for the kNN broadcast)
  const observedCount = g.op('Reshape', [count, g.ints([-1])]);
  const rms = (cell: string): string =>
    g.op('Sqrt', [g.op('Div', [g.op('ReduceSum', [cell, g.ints([1])], { keepdims: attr.int(0) }), observedCount])]);

  // PCA member
  const p = det.pca;
  const encoded = g.op('MatMul', [s0, g.floatTensor(p.w, [f, p.components], 'pca_w')]);
  const code = g.op('Add', [encoded, g.floatTensor(p.encBias, [p.components], 'pca_enc_bias')]);
  const decoded = g.op('MatMul', [code, g.floatTensor(p.wt, [p.components, f], 'pca_wt')]);
  const rec = g.op('Add', [decoded, g.floatTensor(p.mean, [f], 'pca_mean')]);
  const recDiff = g.op('Sub', [rec, s0]);
  const pcaCell = g.op('Mul', [g.op('Mul', [recDiff, recDiff]), m]);
  const pcaScore = rms(pcaCell);

  const raw: Record<string, string> = { knn: knnScore, knn_small: knnSmallScore, pca: pcaScore };
  const cells = [knnCell, pcaCell];
  if (det.ae) {
    const aeOut = denseStack(g, det.ae.zoo.model, s0);
    const aeDiff = g.op('Sub', [aeOut, s0]);
    const aeCell = g.op('Mul', [g.op('Mul', [aeDiff, aeDiff]), m]);
    raw['ae'] = rms(aeCell);
    cells.push(aeCell);
  }
  if (det.iforest) raw['iforest'] = isolationScore(g, det.iforest, s0);
  if (det.knn.referenceIso) {
    // iforest_nn: the mean stored isolation score of the same k nearest reference rows (TopK's indices)
    const isoRef = g.floatTensor(det.knn.referenceIso, [refRows], 'knn_reference_iso');
    raw['iforest_nn'] = g.op('ReduceMean', [g.op('Gather', [isoRef, topIdx!], { axis: attr.int(0) })], {
      axes: attr.ints([1]), keepdims: attr.int(0),
    });
  }

  // normalise and combine (combine.ts): the mean of the members' z, or the max over families of their mean z
  const z = (name: MemberName): string => {
    const norm = det.norms[name]!;
    return g.op('Div', [g.op('Sub', [raw[name]!, g.scalar(norm.median)]), g.scalar(norm.spread)]);
  };
  const sum = (names: string[]): string => names.slice(1).reduce((acc, t) => g.op('Add', [acc, t]), names[0]!);
  const meanOf = (names: readonly MemberName[]): string => {
    const total = sum(names.map(z));
    return names.length === 1 ? total : g.op('Mul', [total, g.scalar(1 / names.length)]);
  };
  if (det.rule === 'mean') g.op('Identity', [meanOf(det.members)], {}, scoreName);
  else {
    const fams = families(det.members).map(meanOf);
    g.op(fams.length === 1 ? 'Identity' : 'Max', fams, {}, scoreName);
  }
  g.op('Mul', [sum(cells), g.scalar(1 / cells.length)], {}, feName);
  g.op('Add', [g.op('Mul', [rec, sc]), off], {}, recName);
  g.op('Identity', [code], {}, latentName);

  return encodeManifestGraph(g, manifest, {
    name: 'auto',
    docString: `residual auto: ${det.members.join(' + ')} ensemble`,
    inputs: [{ name: x, dims: ['N', f] }, { name: mask, dims: ['N', f] }],
    outputs: [
      { name: recName!, dims: ['N', f] }, { name: scoreName!, dims: ['N'] },
      { name: feName!, dims: ['N', f] }, { name: latentName!, dims: ['N', p.components] },
    ],
    extraOpsets: det.iforest ? [{ domain: ML_DOMAIN, version: ML_OPSET }] : [],
  });
}

/** The ONNX-ML operator set TreeEnsembleRegressor comes from (in onnxruntime's default build). */
const ML_DOMAIN = 'ai.onnx.ml';
const ML_OPSET = 3;

/**
 * The isolation member as one ai.onnx.ml TreeEnsembleRegressor (every tree, AVERAGE of the leaves' path lengths,
 * BRANCH_LT: x < value goes to the true branch) on the scaled rows, then 2^(−E / c(sample)) = Exp(−E·ln 2 / c).
 */
function isolationScore(g: GraphBuilder, forest: IForestMember, s0: string): string {
  const leaves: number[] = [];
  for (let i = 0; i < forest.feature.length; i++) if (forest.feature[i]! < 0) leaves.push(i);
  const isLeaf = (i: number) => forest.feature[i]! < 0;
  const attributes = {
    n_targets: attr.int(1), aggregate_function: attr.string('AVERAGE'), post_transform: attr.string('NONE'),
    nodes_treeids: attr.ints([...forest.treeIds]), nodes_nodeids: attr.ints([...forest.nodeIds]),
    nodes_featureids: attr.ints(Array.from(forest.feature, (j) => Math.max(j, 0))),
    nodes_values: attr.floats([...forest.value]),
    nodes_modes: attr.strings(Array.from(forest.feature, (_, i) => (isLeaf(i) ? 'LEAF' : 'BRANCH_LT'))),
    nodes_truenodeids: attr.ints([...forest.left]), nodes_falsenodeids: attr.ints([...forest.right]),
    target_treeids: attr.ints(leaves.map((i) => forest.treeIds[i]!)), target_nodeids: attr.ints(leaves.map((i) => forest.nodeIds[i]!)),
    target_ids: attr.ints(leaves.map(() => 0)), target_weights: attr.floats(leaves.map((i) => forest.leafValue[i]!)),
  };
  const path = g.op('TreeEnsembleRegressor', [s0], attributes);
  const node = g.nodes[g.nodes.length - 1]!;
  node.domain = ML_DOMAIN;
  const mean = g.op('Reshape', [path, g.int64Tensor([-1], [1], 'iforest_shape')]);
  return g.op('Exp', [g.op('Mul', [mean, g.scalar(-Math.LN2 / Math.max(averagePath(forest.sample), 1e-12))])]);
}

/**
 * The autoencoder member's Dense layers (relu or linear) as MatMul + Add (+ Relu) on `input`, from its
 * weights: the member is a plain stack, so it needs none of the layer converters.
 */
function denseStack(g: GraphBuilder, model: tf.LayersModel, input: string): string {
  let h = input;
  for (const layer of model.layers) {
    if (layer.getClassName() === 'InputLayer') continue;
    const activation = (layer.getConfig() as { activation?: string }).activation;
    if (layer.getClassName() !== 'Dense' || (activation !== 'relu' && activation !== 'linear')) {
      throw new TrainingFailedError(
        `auto's autoencoder member has layer '${layer.name}' (${layer.getClassName()}, ${String(activation)}); ` +
          'only Dense relu/linear are exported',
      );
    }
    const [kernel, bias] = layer.getWeights();
    const [inDim, outDim] = kernel!.shape as [number, number];
    h = g.op('MatMul', [h, g.floatTensor(kernel!.dataSync(), [inDim, outDim], `${layer.name}_kernel`)]);
    if (bias) h = g.op('Add', [h, g.floatTensor(bias.dataSync(), [outDim], `${layer.name}_bias`)]);
    if (activation === 'relu') h = g.op('Relu', [h]);
  }
  return h;
}
