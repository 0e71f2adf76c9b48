import * as ort from 'onnxruntime-node';
import { groupedArgMax } from '../../training/export/grouped-argmax';
import { GraphBuilder } from '../../training/export/graph-builder';
import { encodeModel, tensorValueInfo } from '../../training/export/onnx-proto';

/** The two-stage ArgMax gives ArgMax's answer: the first index of the maximum, ties across and within groups included. */
async function both(x: Float32Array, n: number, groups: number, size: number): Promise<[number[], number[]]> {
  const g = new GraphBuilder();
  const input = g.reserve('x');
  g.op('Identity', [groupedArgMax(g, input, groups, size)], {}, g.reserve('grouped'));
  g.op('ArgMax', [input], { axis: { type: 'int', value: 1 }, keepdims: { type: 'int', value: 0 } }, g.reserve('plain'));
  const int64 = (name: string) => ({ name, type: { tensor_type: { elem_type: 7, shape: { dim: [{ dim_param: 'N' }] } } } });
  const model = encodeModel({
    ir_version: 8, opset_import: [{ domain: '', version: 17 }], producer_name: 'test',
    graph: {
      name: 'g', node: g.nodes, initializer: g.initializers,
      input: [tensorValueInfo(input, ['N', groups * size])], output: [int64('grouped'), int64('plain')],
    },
  });
  const session = await ort.InferenceSession.create(model);
  try {
    const out = await session.run({ x: new ort.Tensor('float32', x, [n, groups * size]) });
    return [[...(out['grouped']!.data as BigInt64Array)].map(Number), [...(out['plain']!.data as BigInt64Array)].map(Number)];
  } finally {
    await session.release();
  }
}

describe('groupedArgMax', () => {
  it('equals ArgMax on random rows and on ties (first index wins)', async () => {
    const n = 50;
    const groups = 5;
    const size = 4;
    const x = Float32Array.from({ length: n * groups * size }, (_, i) => Math.round(10 * Math.sin(i * 1.7)));
    x.fill(3, 0, groups * size); // row 0: every column ties
    x[groups * size + 6] = 99; // row 1: one maximum, in group 1
    x[groups * size + 13] = 99; // … tied by one in group 3: the first wins
    const [grouped, plain] = await both(x, n, groups, size);
    expect(grouped).toEqual(plain);
    expect(grouped.slice(0, 2)).toEqual([0, 6]);
  });

  it('handles one group and an empty batch', async () => {
    const [one] = await both(Float32Array.from([1, 5, 5, 2]), 1, 1, 4);
    expect(one).toEqual([1]);
    const [none] = await both(new Float32Array(0), 0, 2, 4);
    expect(none).toEqual([]);
  });
});
