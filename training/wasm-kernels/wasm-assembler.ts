/**
 * A minimal WebAssembly binary writer: enough to emit small compute modules (i32 arithmetic, loops,
 * f32 and 128-bit SIMD loads/stores and arithmetic) from JS at runtime, with no external toolchain.
 * Functions take i32/f32 parameters and return nothing; memory is imported as env.memory.
 */

/** The parts of the WebAssembly JS API used here (the project's lib settings carry no WebAssembly types). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
export type WasmModule = object;
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}
/** The runtime's WebAssembly object, or undefined where there is none. */
export const wasmApi: WasmApi | undefined = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

export type ValType = 'i32' | 'f32' | 'v128';
const VALTYPE: Record<ValType, number> = { i32: 0x7f, f32: 0x7d, v128: 0x7b };

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function name(s: string): number[] {
  const bytes = [...Buffer.from(s, 'utf8')];
  return [...uleb(bytes.length), ...bytes];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

/** SIMD opcodes (after the 0xfd prefix) used by the kernels. */
export const SIMD = {
  load: 0x00,
  load32Splat: 0x09,
  store: 0x0b,
  const: 0x0c,
  f32x4Splat: 0x13,
  and: 0x4e,
  f32x4Nearest: 0x6a,
  i32x4Shl: 0xab,
  i32x4Add: 0xae,
  f32x4Neg: 0xe1,
  f32x4Add: 0xe4,
  f32x4Sub: 0xe5,
  f32x4Mul: 0xe6,
  f32x4Div: 0xe7,
  f32x4Pmin: 0xea,
  f32x4Pmax: 0xeb,
  i32x4TruncSatF32x4S: 0xf8,
} as const;

/** Builds one function body: parameters are locals 0..n-1, `local(type)` adds more. */
export class FunctionBuilder {
  readonly code: number[] = [];
  private readonly locals: ValType[] = [];

  constructor(readonly params: ValType[]) {}

  local(type: ValType): number {
    this.locals.push(type);
    return this.params.length + this.locals.length - 1;
  }

  emit(...bytes: number[]): this {
    this.code.push(...bytes);
    return this;
  }

  get(i: number): this {
    return this.emit(0x20, ...uleb(i));
  }
  set(i: number): this {
    return this.emit(0x21, ...uleb(i));
  }
  tee(i: number): this {
    return this.emit(0x22, ...uleb(i));
  }
  i32(v: number): this {
    return this.emit(0x41, ...sleb(v));
  }
  f32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeFloatLE(v, 0);
    return this.emit(0x43, ...b);
  }
  add(): this {
    return this.emit(0x6a);
  }
  sub(): this {
    return this.emit(0x6b);
  }
  mul(): this {
    return this.emit(0x6c);
  }
  ltS(): this {
    return this.emit(0x48);
  }
  geS(): this {
    return this.emit(0x4e);
  }
  /** local[i] += v (v an i32 constant or a local index given as { local }). */
  inc(i: number, v: number | { local: number }): this {
    this.get(i);
    if (typeof v === 'number') this.i32(v);
    else this.get(v.local);
    return this.add().set(i);
  }
  f32Load(offset = 0): this {
    return this.emit(0x2a, 2, ...uleb(offset));
  }
  f32Store(offset = 0): this {
    return this.emit(0x38, 2, ...uleb(offset));
  }
  simd(op: number, ...imm: number[]): this {
    return this.emit(0xfd, ...uleb(op), ...imm);
  }
  /** v128.load at address on the stack + offset (alignment hint 1: unaligned is allowed). */
  vLoad(offset = 0): this {
    return this.simd(SIMD.load, 0, ...uleb(offset));
  }
  vStore(offset = 0): this {
    return this.simd(SIMD.store, 0, ...uleb(offset));
  }
  vSplatLoad(offset = 0): this {
    return this.simd(SIMD.load32Splat, 2, ...uleb(offset));
  }
  /** v128.const with v in all four f32 lanes. */
  vConst(v: number): this {
    const b = Buffer.alloc(16);
    for (let i = 0; i < 4; i++) b.writeFloatLE(v, 4 * i);
    return this.simd(SIMD.const, ...b);
  }
  /**
   * `for (;;) { if (!(local[i] < limit)) break; body(); }` where body must advance local[i]; `limit` is
   * a local index. Branch depths inside body are relative to the loop (br 0 continues, br 1 breaks).
   */
  whileLt(i: number, limit: number, body: () => void): this {
    this.emit(0x02, 0x40, 0x03, 0x40);
    this.get(i).get(limit).geS().emit(0x0d, 1);
    body();
    return this.emit(0x0c, 0, 0x0b, 0x0b);
  }
  /** Straight-line `if (cond on stack) { body() }`. */
  ifThen(body: () => void): this {
    this.emit(0x04, 0x40);
    body();
    return this.emit(0x0b);
  }

  encode(): number[] {
    const groups: number[][] = [];
    for (const t of this.locals) {
      const last = groups[groups.length - 1];
      if (last && last[1] === VALTYPE[t]) last[0]!++;
      else groups.push([1, VALTYPE[t]]);
    }
    const body = [...uleb(groups.length), ...groups.flatMap(([n, t]) => [...uleb(n!), t!]), ...this.code, 0x0b];
    return [...uleb(body.length), ...body];
  }
}

/** A module of exported functions over one imported memory (env.memory). */
export function assembleModule(functions: { name: string; fn: FunctionBuilder }[], minPages = 1): Uint8Array {
  const types = functions.map(({ fn }) => [0x60, ...vec(fn.params.map((p) => [VALTYPE[p]])), 0]);
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(minPages)]])),
    ...section(3, vec(functions.map((_, i) => uleb(i)))),
    ...section(7, vec(functions.map(({ name: n }, i) => [...name(n), 0x00, ...uleb(i)]))),
    ...section(10, vec(functions.map(({ fn }) => fn.encode()))),
  ];
  return Uint8Array.from(bytes);
}
