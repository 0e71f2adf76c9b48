import { assembleModule, FunctionBuilder, SIMD, sleb, uleb, wasmApi } from '../../../training/wasm-kernels/wasm-assembler';

describe('wasm-assembler', () => {
  it('encodes unsigned LEB128', () => {
    expect([uleb(0), uleb(127), uleb(128), uleb(624485)]).toEqual([[0], [0x7f], [0x80, 0x01], [0xe5, 0x8e, 0x26]]);
  });

  it('encodes signed LEB128', () => {
    expect([sleb(0), sleb(-1), sleb(63), sleb(64), sleb(-123456)]).toEqual([[0], [0x7f], [0x3f], [0xc0, 0x00], [0xc0, 0xbb, 0x78]]);
  });

  it('assembles a SIMD loop that the runtime validates and runs', () => {
    // out[i..i+3] = a[i..i+3] * 2 + 1 for i < n (n a multiple of 4).
    const f = new FunctionBuilder(['i32', 'i32', 'i32']);
    const [a, out, n] = [0, 1, 2];
    const i = f.local('i32');
    f.i32(0).set(i);
    f.whileLt(i, n, () => {
      f.get(out).get(i).i32(4).mul().add();
      f.get(a).get(i).i32(4).mul().add().vLoad().vConst(2).simd(SIMD.f32x4Mul).vConst(1).simd(SIMD.f32x4Add).vStore();
      f.inc(i, 4);
    });
    const bytes = assembleModule([{ name: 'affine', fn: f }]);
    expect(wasmApi!.validate(bytes)).toBe(true);
    const memory = new wasmApi!.Memory({ initial: 1 });
    const { affine } = new wasmApi!.Instance(new wasmApi!.Module(bytes), { env: { memory } }).exports as { affine: (a: number, o: number, n: number) => void };
    const m = new Float32Array(memory.buffer);
    m.set([1, 2, 3, 4, 5, 6, 7, 8]);
    affine(0, 64, 8);
    expect(Array.from(m.subarray(16, 24))).toEqual([3, 5, 7, 9, 11, 13, 15, 17]);
  });
});
