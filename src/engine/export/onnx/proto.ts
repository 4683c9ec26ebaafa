// The protobuf side of the exporter: attributes, tensors and value infos as onnx-proto
// messages, and the final ModelProto encoding. Nothing else imports onnx-proto.
import pkg from 'onnx-proto';
import { IR_VERSION, OPSET, type OnnxDtype } from './types.js';

const { onnx } = pkg;
type Proto = typeof onnx;
export type NodeProto = InstanceType<Proto['NodeProto']>;
export type TensorProto = InstanceType<Proto['TensorProto']>;
export type ValueInfoProto = InstanceType<Proto['ValueInfoProto']>;
export type AttributeProto = InstanceType<Proto['AttributeProto']>;

/** An operator attribute, typed as ONNX stores it (an int and a float of the same value differ). */
export type Attr =
  | { readonly type: 'int'; readonly value: number }
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'ints'; readonly value: readonly number[] }
  | { readonly type: 'floats'; readonly value: readonly number[] }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'strings'; readonly value: readonly string[] };

export const attr = {
  int: (value: number): Attr => ({ type: 'int', value }),
  float: (value: number): Attr => ({ type: 'float', value }),
  ints: (value: readonly number[]): Attr => ({ type: 'ints', value }),
  floats: (value: readonly number[]): Attr => ({ type: 'floats', value }),
  string: (value: string): Attr => ({ type: 'string', value }),
  strings: (value: readonly string[]): Attr => ({ type: 'strings', value }),
};

export type Attrs = Readonly<Record<string, Attr>>;

/** Attribute strings are ONNX keywords (modes, activation names): ASCII only (the engine has no TextEncoder). */
function ascii(s: string): Uint8Array {
  if (!/^[\x20-\x7e]*$/.test(s)) throw new Error(`attribute string ${JSON.stringify(s)} is not printable ASCII`);
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}
const A = onnx.AttributeProto.AttributeType;

function attributeProto(name: string, a: Attr): AttributeProto {
  switch (a.type) {
    case 'int': return onnx.AttributeProto.create({ name, type: A.INT, i: a.value });
    case 'float': return onnx.AttributeProto.create({ name, type: A.FLOAT, f: a.value });
    case 'ints': return onnx.AttributeProto.create({ name, type: A.INTS, ints: [...a.value] });
    case 'floats': return onnx.AttributeProto.create({ name, type: A.FLOATS, floats: [...a.value] });
    case 'string': return onnx.AttributeProto.create({ name, type: A.STRING, s: ascii(a.value) });
    case 'strings': return onnx.AttributeProto.create({ name, type: A.STRINGS, strings: a.value.map(ascii) });
    default: {
      const never: never = a;
      throw new Error(`unhandled attribute ${JSON.stringify(never)}`);
    }
  }
}

export function nodeProto(opType: string, name: string, inputs: readonly string[], outputs: readonly string[], attrs: Attrs): NodeProto {
  return onnx.NodeProto.create({
    opType,
    name,
    input: [...inputs],
    output: [...outputs],
    attribute: Object.entries(attrs).map(([k, v]) => attributeProto(k, v)),
  });
}

/** Values of one tensor constant; int64 values must be safe integers. */
export type TensorData =
  | { readonly dtype: 'float32'; readonly values: Float32Array }
  | { readonly dtype: 'int32'; readonly values: Int32Array }
  | { readonly dtype: 'int64'; readonly values: readonly number[] };

const ELEM: Record<OnnxDtype, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  int32: onnx.TensorProto.DataType.INT32,
  int64: onnx.TensorProto.DataType.INT64,
};

const LITTLE_ENDIAN_HOST = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** Little-endian bytes, as ONNX's raw_data requires whatever the host's byte order. */
function rawBytes(data: TensorData): Uint8Array {
  // Every browser and Node host is little-endian in practice: copy the float bytes as they are.
  if (data.dtype === 'float32' && LITTLE_ENDIAN_HOST) return new Uint8Array(data.values.slice().buffer);
  const width = data.dtype === 'int64' ? 8 : 4;
  const view = new DataView(new ArrayBuffer(data.values.length * width));
  switch (data.dtype) {
    case 'float32':
      data.values.forEach((v, i) => view.setFloat32(i * 4, v, true));
      break;
    case 'int32':
      data.values.forEach((v, i) => view.setInt32(i * 4, v, true));
      break;
    case 'int64':
      data.values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
      break;
    default: {
      const never: never = data;
      throw new Error(`unhandled tensor type ${JSON.stringify(never)}`);
    }
  }
  return new Uint8Array(view.buffer);
}

export function tensorProto(name: string, data: TensorData, dims: readonly number[]): TensorProto {
  const size = dims.reduce((a, b) => a * b, 1);
  if (size !== data.values.length) throw new Error(`tensor ${name}: ${data.values.length} values do not fill [${dims.join(',')}]`);
  return onnx.TensorProto.create({ name, dims: [...dims], dataType: ELEM[data.dtype], rawData: rawBytes(data) });
}

export function valueInfo(name: string, dtype: OnnxDtype, shape: readonly (number | string)[]): ValueInfoProto {
  const dim = shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: ELEM[dtype], shape: { dim } } } });
}

export interface GraphParts {
  readonly name: string;
  readonly nodes: readonly NodeProto[];
  readonly initializers: readonly TensorProto[];
  readonly inputs: readonly ValueInfoProto[];
  readonly outputs: readonly ValueInfoProto[];
}

/** A whole model: IR version 8, the default domain at opset 17. */
export function encodeModel(g: GraphParts, producerVersion: string): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    producerName: 'NeuralForge',
    producerVersion,
    opsetImport: [{ domain: '', version: OPSET }],
    graph: { name: g.name, node: [...g.nodes], initializer: [...g.initializers], input: [...g.inputs], output: [...g.outputs] },
  });
  return onnx.ModelProto.encode(model).finish();
}
