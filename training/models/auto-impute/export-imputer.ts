import type { Manifest } from '../../../core/manifest';
import { MANIFEST_METADATA_KEY } from '../../../core/manifest';
import { attr, GraphBuilder, HEAD_INPUTS, HEAD_OUTPUTS, ONNX_IR_VERSION, ONNX_OPSET, PRODUCER_NAME } from '../../export';
import { encodeModel, OnnxDataType, tensorValueInfo } from '../../export/onnx-proto';
import type { ImputerParts } from './column-plan';
import type { ForestFill } from './forest-fill';
import { DISTANCE_EPS, FAR, NEIGHBOURS, referenceTerms } from './knn-fill';

/** The imputer's extra output: the sd of each cell's fill, raw units [N, F]. */
export const STD_OUTPUT = 'reconstruction_std';

/**
 * The auto imputer as one ONNX graph (opset 17, plain ops): the same arithmetic as predict.ts in float32.
 * Outputs: reconstruction (every cell's fill, raw units), reconstruction_std, score (mean squared scaled error
 * of the fills of the observed cells), feature_error (those squared errors; 0 where missing).
 */
export function exportImputer(parts: ImputerParts, manifest: Manifest): Uint8Array {
  const g = new GraphBuilder();
  const f = parts.features;
  const x = g.reserve(HEAD_INPUTS.x);
  const mask = g.reserve(HEAD_INPUTS.mask);
  const [recName, scoreName, feName, stdName] = [HEAD_OUTPUTS.reconstruction, HEAD_OUTPUTS.score, HEAD_OUTPUTS.featureError, STD_OUTPUT]
    .map((n) => g.reserve(n));
  const vec = (v: ArrayLike<number>, name: string): string => g.floatTensor(Float32Array.from(v), [f], name);
  const off = vec(parts.scaler.offset, 'scaler_offset');
  const sc = vec(parts.scaler.scale, 'scaler_scale');
  const observed = g.op('Greater', [mask, g.scalar(0.5)]);
  const m = g.op('Cast', [observed], { to: attr.int(OnnxDataType.FLOAT) });
  const u = g.op('Sub', [g.scalar(1), m]);
  const s0 = g.op('Where', [observed, g.op('Div', [g.op('Sub', [x, off]), sc]), g.scalar(0)]);
  const colMean = vec(parts.mean, 'column_mean');
  const colVar = vec(parts.sd.map((s) => s * s), 'column_var');
  const w = (key: 'knn' | 'gaussian' | 'mean'): string => vec(parts.plans.map((p) => p.weights[key]), `weight_${key}`);
  const sumAxis = (t: string, axis: number, keep = 0): string => g.op('ReduceSum', [t, g.ints([axis])], { keepdims: attr.int(keep) });
  let value = g.op('Mul', [w('mean'), colMean]);
  let variance = g.op('Mul', [w('mean'), colVar]);

  const useKnn = parts.knn !== null && parts.plans.some((p) => p.weights.knn > 0);
  const filledQuery = useKnn && parts.knn!.distance === 'filled';
  let gFilled: string | null = null;
  if (parts.gaussian && (filledQuery || parts.plans.some((p) => p.weights.gaussian > 0))) {
    const ga = parts.gaussian;
    const mu = vec(ga.mean, 'gauss_mean');
    const isd = vec(ga.invSqrtDiag, 'gauss_isd');
    const pn = g.floatTensor(Float32Array.from(ga.pn), [f, f], 'gauss_pn');
    const off2 = Float32Array.from(ga.pn);
    for (let j = 0; j < f; j++) off2[j * f + j] = 0;
    const pnOff = g.floatTensor(off2, [f, f], 'gauss_pn_offdiag');
    const dn = g.op('Mul', [m, g.op('Div', [g.op('Sub', [s0, mu]), isd])]);
    const apply = (v: string): string => g.op('Mul', [u, g.op('MatMul', [v, pn])]);
    const dot = (a: string, b: string): string => sumAxis(g.op('Mul', [a, b]), 1, 1);
    let r = g.op('Neg', [apply(dn)]);
    let p = r;
    let e = g.op('Mul', [r, g.scalar(0)]);
    let rr = dot(r, r);
    for (let s = 0; s < ga.steps; s++) {
      const ap = apply(p);
      const alpha = g.op('Div', [rr, g.op('Max', [dot(p, ap), g.scalar(1e-30)])]);
      e = g.op('Add', [e, g.op('Mul', [alpha, p])]);
      r = g.op('Sub', [r, g.op('Mul', [alpha, ap])]);
      const rr2 = dot(r, r);
      const beta = g.op('Div', [rr2, g.op('Max', [rr, g.scalar(1e-30)])]);
      p = g.op('Add', [r, g.op('Mul', [beta, p])]);
      rr = rr2;
    }
    const filled = g.op('Add', [g.op('Mul', [m, s0]), g.op('Mul', [u, g.op('Add', [mu, g.op('Mul', [e, isd])])])]);
    gFilled = filled;
    const d = g.op('Div', [g.op('Sub', [filled, mu]), isd]);
    const gv = g.op('Sub', [mu, g.op('Mul', [isd, g.op('MatMul', [d, pnOff])])]);
    value = g.op('Add', [value, g.op('Mul', [w('gaussian'), gv])]);
    variance = g.op('Add', [variance, g.op('Mul', [w('gaussian'), g.op('Mul', [isd, isd])])]);
  }

  if (useKnn) {
    const knn = parts.knn!;
    // distance 'filled': the query is the row at its Gaussian conditional means, every cell counted
    const qs = filledQuery ? gFilled! : s0;
    const qm = filledQuery ? g.op('Add', [g.op('Mul', [m, g.scalar(0)]), g.scalar(1)]) : m;
    const width = Math.min(NEIGHBOURS, knn.rows);
    const { terms, counts } = referenceTerms(knn);
    const lhs = g.op('Concat', [g.op('Mul', [qs, qs]), qs, qm], { axis: attr.int(1) });
    const a = g.op('MatMul', [lhs, g.floatTensor(terms, [3 * f, knn.rows], 'knn_terms')]);
    const c = g.op('MatMul', [qm, g.floatTensor(counts, [f, knn.rows], 'knn_counts')]);
    // −d² = −F·a / max(c, 1), and −FAR where no cell is observed in both: four passes over [N, rows] (the Mul folds
    // into the MatMul); the same float32 values as negating F·a / max(c, 1) + FAR·[c < 0.5] (knn-fill.ts)
    const negD2 = g.op('Div', [g.op('Mul', [a, g.scalar(-f)]), g.op('Max', [c, g.scalar(1)])]);
    const negD2Far = g.op('Where', [g.op('Less', [c, g.scalar(0.5)]), g.scalar(-FAR), negD2]);
    const topAttrs = { axis: attr.int(1), largest: attr.int(1), sorted: attr.int(1) };
    const [top, idx] = g.opMulti('TopK', [negD2Far, g.int64Tensor([width], [1], 'knn_width')], 2, topAttrs);
    const dist = g.op('Sqrt', [g.op('Max', [g.op('Neg', [top!]), g.scalar(0)])]);
    const nv = g.op('Gather', [g.floatTensor(knn.reference, [knn.rows, f], 'knn_reference'), idx!], { axis: attr.int(0) });
    const nm = g.op('Gather', [g.floatTensor(knn.refMask, [knn.rows, f], 'knn_reference_mask'), idx!], { axis: attr.int(0) });
    const rank = g.op('CumSum', [nm, g.int64Tensor([1], [], 'axis_1')]);
    const kVec = vec(parts.plans.map((p) => p.k + 0.5), 'knn_k');
    const sel = g.op('Mul', [nm, g.op('Cast', [g.op('Less', [rank, kVec])], { to: attr.int(OnnxDataType.FLOAT) })]);
    const inv = g.op('Unsqueeze', [g.op('Reciprocal', [g.op('Add', [dist, g.scalar(DISTANCE_EPS)])]), g.ints([2])]);
    const uniform = vec(parts.plans.map((p) => (p.byDistance ? 0 : 1)), 'knn_uniform');
    const byDist = vec(parts.plans.map((p) => (p.byDistance ? 1 : 0)), 'knn_by_distance');
    const wt = g.op('Mul', [sel, g.op('Add', [uniform, g.op('Mul', [byDist, inv])])]);
    const sw = sumAxis(wt, 1);
    const swSafe = g.op('Max', [sw, g.scalar(1e-30)]);
    const kMean = g.op('Div', [sumAxis(g.op('Mul', [wt, nv]), 1), swSafe]);
    const kSq = g.op('Div', [sumAxis(g.op('Mul', [wt, g.op('Mul', [nv, nv])]), 1), swSafe]);
    const kVar = g.op('Max', [g.op('Sub', [kSq, g.op('Mul', [kMean, kMean])]), g.scalar(0)]);
    const anyObs = g.op('ReduceMax', [m], { axes: attr.ints([1]), keepdims: attr.int(1) });
    const ok = g.op('Mul', [g.op('Cast', [g.op('Greater', [sw, g.scalar(0)])], { to: attr.int(OnnxDataType.FLOAT) }), anyObs]);
    const notOk = g.op('Sub', [g.scalar(1), ok]);
    const knnV = g.op('Add', [g.op('Mul', [ok, kMean]), g.op('Mul', [notOk, colMean])]);
    const knnVar = g.op('Add', [g.op('Mul', [ok, kVar]), g.op('Mul', [notOk, colVar])]);
    value = g.op('Add', [value, g.op('Mul', [w('knn'), knnV])]);
    variance = g.op('Add', [variance, g.op('Mul', [w('knn'), knnVar])]);
  }

  // the forest's rounds in order: the second reads the row with its missing cells at the first's fill
  const rounds = [parts.forest, parts.forest2].filter((r): r is ForestFill => Boolean(r && r.weight.some((v) => v > 0)));
  rounds.forEach((r, i) => {
    value = forestBlend(g, parts, r, value, s0, m, u, off, sc, i ? `_round${i + 1}` : '');
  });
  const forest = rounds.length > 0;

  // a row with no observed cell: the column means and sds
  const anyObserved = g.op('ReduceMax', [m], { axes: attr.ints([1]), keepdims: attr.int(1) });
  const noneObserved = g.op('Sub', [g.scalar(1), anyObserved]);
  const sdFit = g.op('Add', [g.op('Mul', [vec(parts.sdScale, 'sd_scale'), g.op('Sqrt', [variance])]), vec(parts.sdFloor, 'sd_floor')]);
  const sd = g.op('Add', [g.op('Mul', [anyObserved, sdFit]), g.op('Mul', [noneObserved, vec(parts.sd, 'column_sd')])]);
  value = g.op('Add', [g.op('Mul', [anyObserved, value]), g.op('Mul', [noneObserved, colMean])]);
  const diff = g.op('Sub', [value, s0]);
  g.op('Mul', [g.op('Mul', [diff, diff]), m], {}, feName);
  g.op('Div', [sumAxis(feName!, 1), g.op('Max', [sumAxis(m, 1), g.scalar(1)])], {}, scoreName);
  const raw = g.op('Add', [g.op('Mul', [value, sc]), off]);
  if (parts.plans.some((p) => p.round)) {
    const rounding = g.op('Cast', [vec(parts.plans.map((p) => (p.round ? 1 : 0)), 'round_columns')], { to: attr.int(OnnxDataType.BOOL) });
    g.op('Where', [rounding, g.op('Round', [raw]), raw], {}, recName);
  } else {
    g.op('Identity', [raw], {}, recName);
  }
  g.op('Mul', [sd, sc], {}, stdName);

  return encodeModel({
    ir_version: ONNX_IR_VERSION,
    opset_import: [{ domain: '', version: ONNX_OPSET }, ...(forest ? [{ domain: ML_DOMAIN, version: ML_OPSET }] : [])],
    producer_name: PRODUCER_NAME,
    producer_version: manifest.producer.version,
    doc_string: `residual auto imputer: per-column mean / kNN / Gaussian conditional mean${forest ? ' / extra-trees forest' : ''}`,
    graph: {
      name: 'auto_impute',
      node: g.nodes,
      initializer: g.initializers,
      input: [tensorValueInfo(x, ['N', f]), tensorValueInfo(mask, ['N', f])],
      output: [
        tensorValueInfo(recName!, ['N', f]), tensorValueInfo(scoreName!, ['N']),
        tensorValueInfo(feName!, ['N', f]), tensorValueInfo(stdName!, ['N', f]),
      ],
    },
    metadata_props: [{ key: MANIFEST_METADATA_KEY, value: JSON.stringify(manifest) }],
  });
}

/** The ONNX-ML operator set TreeEnsembleRegressor comes from (in onnxruntime's default build). */
const ML_DOMAIN = 'ai.onnx.ml';
const ML_OPSET = 3;

/**
 * predict.ts's forest step, once per round (`suffix` keeps the rounds' initializer names apart): the current value v
 * (rounded on discrete columns, in scaled units), the row m·s0 + u·v into one TreeEnsembleRegressor (n_targets F,
 * SUM of leaf mean / trees of the column; BRANCH_LT: x < threshold goes to the true branch), then v + w·(forest − v)
 * per column.
 */
function forestBlend(
  g: GraphBuilder, parts: ImputerParts, forest: ForestFill, value: string, s0: string, m: string, u: string, off: string, sc: string,
  suffix: string,
): string {
  const f = parts.features;
  let v = value;
  if (parts.plans.some((p) => p.round)) {
    const rounding = g.op('Cast', [g.floatTensor(Float32Array.from(parts.plans, (p) => (p.round ? 1 : 0)), [f], `forest_round${suffix}`)],
      { to: attr.int(OnnxDataType.BOOL) });
    const raw = g.op('Add', [g.op('Mul', [value, sc]), off]);
    v = g.op('Div', [g.op('Sub', [g.op('Where', [rounding, g.op('Round', [raw]), raw]), off]), sc]);
  }
  const input = g.op('Add', [g.op('Mul', [m, s0]), g.op('Mul', [u, v])]);
  const leaves: number[] = [];
  for (let i = 0; i < forest.feature.length; i++) if (forest.feature[i]! < 0) leaves.push(i);
  const attributes = {
    n_targets: attr.int(f), aggregate_function: attr.string('SUM'), post_transform: attr.string('NONE'),
    nodes_treeids: attr.ints([...forest.treeIds]), nodes_nodeids: attr.ints([...forest.nodeIds]),
    nodes_featureids: attr.ints(Array.from(forest.feature, (j) => Math.max(j, 0))),
    nodes_values: attr.floats([...forest.threshold]),
    nodes_modes: attr.strings(Array.from(forest.feature, (j) => (j < 0 ? 'LEAF' : 'BRANCH_LT'))),
    nodes_truenodeids: attr.ints(Array.from(forest.left, (l) => Math.max(l, 0))),
    nodes_falsenodeids: attr.ints(Array.from(forest.right, (r) => Math.max(r, 0))),
    target_treeids: attr.ints(leaves.map((i) => forest.treeIds[i]!)), target_nodeids: attr.ints(leaves.map((i) => forest.nodeIds[i]!)),
    target_ids: attr.ints(leaves.map((i) => forest.target[i]!)),
    target_weights: attr.floats(leaves.map((i) => forest.leafValue[i]! / forest.treesOf[forest.target[i]!]!)),
  };
  const pred = g.op('TreeEnsembleRegressor', [input], attributes);
  g.nodes[g.nodes.length - 1]!.domain = ML_DOMAIN;
  const w = g.floatTensor(Float32Array.from(forest.weight), [f], `forest_weight${suffix}`);
  return g.op('Add', [v, g.op('Mul', [w, g.op('Sub', [pred, v])])]);
}
