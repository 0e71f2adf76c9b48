import { OnnxAttributeType, OnnxDataType, type AttributeProtoJson, type NodeProtoJson, type TensorProtoJson } from './onnx-proto';

/** A typed ONNX node attribute value; build with the `attr` helpers. */
export type AttributeValue =
  | { type: 'int'; value: number }
  | { type: 'float'; value: number }
  | { type: 'string'; value: string }
  | { type: 'ints'; value: readonly number[] }
  | { type: 'floats'; value: readonly number[] }
  | { type: 'strings'; value: readonly string[] };

export type Attributes = Record<string, AttributeValue>;

/** Constructors for node attributes: `attr.int(1)`, `attr.floats([0.2])`, ... */
export const attr = {
  int: (value: number): AttributeValue => ({ type: 'int', value }),
  float: (value: number): AttributeValue => ({ type: 'float', value }),
  string: (value: string): AttributeValue => ({ type: 'string', value }),
  ints: (value: readonly number[]): AttributeValue => ({ type: 'ints', value }),
  floats: (value: readonly number[]): AttributeValue => ({ type: 'floats', value }),
  strings: (value: readonly string[]): AttributeValue => ({ type: 'strings', value }),
};

const utf8 = new TextEncoder();

function toAttributeProto(name: string, a: AttributeValue): AttributeProtoJson {
  switch (a.type) {
    case 'int': return { name, type: OnnxAttributeType.INT, i: a.value };
    case 'float': return { name, type: OnnxAttributeType.FLOAT, f: a.value };
    case 'string': return { name, type: OnnxAttributeType.STRING, s: utf8.encode(a.value) };
    case 'ints': return { name, type: OnnxAttributeType.INTS, ints: [...a.value] };
    case 'floats': return { name, type: OnnxAttributeType.FLOATS, floats: [...a.value] };
    case 'strings': return { name, type: OnnxAttributeType.STRINGS, strings: a.value.map((s) => utf8.encode(s)) };
  }
}

function sanitize(base: string): string {
  const cleaned = base.replace(/[^A-Za-z0-9_./-]/g, '_');
  return cleaned.length > 0 ? cleaned : 't';
}

/**
 * Accumulates the nodes and initializers of one ONNX graph. Every tensor name it hands out is unique;
 * constants can be shared through `cached`.
 */
export class GraphBuilder {
  readonly nodes: NodeProtoJson[] = [];
  readonly initializers: TensorProtoJson[] = [];
  private readonly names = new Set<string>();
  private readonly cache = new Map<string, string>();

  /** Claims an exact name (graph inputs/outputs); throws when it is already taken. */
  reserve(name: string): string {
    if (this.names.has(name)) throw new Error(`ONNX tensor name '${name}' is already used`);
    this.names.add(name);
    return name;
  }

  /** A fresh tensor name derived from `base`. */
  uniqueName(base: string): string {
    const clean = sanitize(base);
    let name = clean;
    for (let i = 1; this.names.has(name); i++) name = `${clean}_${i}`;
    this.names.add(name);
    return name;
  }

  /** Adds a node with `outputCount` outputs and returns their names. '' stands for an omitted optional input. */
  opMulti(
    opType: string,
    inputs: readonly string[],
    outputCount: number,
    attributes: Attributes = {},
    outputs?: readonly string[],
  ): string[] {
    const outs = outputs
      ? [...outputs]
      : Array.from({ length: outputCount }, (_, i) => this.uniqueName(`${opType}_${this.nodes.length}${i ? `_${i}` : ''}`));
    this.nodes.push({
      name: this.uniqueName(`node_${opType}_${this.nodes.length}`),
      op_type: opType,
      input: [...inputs],
      output: outs,
      attribute: Object.entries(attributes).map(([k, v]) => toAttributeProto(k, v)),
    });
    return outs;
  }

  /** Adds a single-output node and returns its output name (or writes to `output` when given). */
  op(opType: string, inputs: readonly string[], attributes: Attributes = {}, output?: string): string {
    return this.opMulti(opType, inputs, 1, attributes, output ? [output] : undefined)[0]!;
  }

  /** Adds a float32 initializer (raw_data, little-endian) and returns its name. */
  floatTensor(values: ArrayLike<number>, dims: readonly number[], base = 'const'): string {
    const data = Float32Array.from(values as ArrayLike<number>);
    checkSize(data.length, dims);
    const name = this.uniqueName(base);
    this.initializers.push({ name, dims: [...dims], data_type: OnnxDataType.FLOAT, raw_data: new Uint8Array(data.buffer) });
    return name;
  }

  /** Adds an int64 initializer and returns its name. */
  int64Tensor(values: readonly number[], dims: readonly number[], base = 'const_i64'): string {
    const data = BigInt64Array.from(values.map((v) => BigInt(v)));
    checkSize(data.length, dims);
    const name = this.uniqueName(base);
    this.initializers.push({ name, dims: [...dims], data_type: OnnxDataType.INT64, raw_data: new Uint8Array(data.buffer) });
    return name;
  }

  /** Returns the tensor stored under `key`, creating it once with `make`. */
  cached(key: string, make: () => string): string {
    let name = this.cache.get(key);
    if (name === undefined) {
      name = make();
      this.cache.set(key, name);
    }
    return name;
  }

  /** A shared float32 scalar constant. */
  scalar(value: number): string {
    return this.cached(`scalar:${value}`, () => this.floatTensor([value], [], 'c'));
  }

  /** A shared 1-D int64 constant (axes, shapes, repeats). */
  ints(values: readonly number[]): string {
    return this.cached(`ints:${values.join(',')}`, () => this.int64Tensor(values, [values.length], 'ints'));
  }
}

function checkSize(length: number, dims: readonly number[]): void {
  const expected = dims.reduce((a, b) => a * b, 1);
  if (expected !== length) throw new Error(`initializer has ${length} values but dims [${dims.join(',')}] need ${expected}`);
}
