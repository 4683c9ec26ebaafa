// Writes small ONNX models with onnx-proto for the import tests: well-formed ones onnxruntime can
// run, and hostile ones (external data, absurd shapes, deep nesting) no exporter would write.
import pkg from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { rng } from '../../src/engine/random.js';

const { onnx } = pkg;
export { onnx };

const A = onnx.AttributeProto.AttributeType;

export const attr = {
  int: (name: string, i: number): OnnxTypes.IAttributeProto => ({ name, type: A.INT, i }),
  ints: (name: string, ints: number[]): OnnxTypes.IAttributeProto => ({ name, type: A.INTS, ints }),
  float: (name: string, f: number): OnnxTypes.IAttributeProto => ({ name, type: A.FLOAT, f }),
  str: (name: string, s: string): OnnxTypes.IAttributeProto => ({ name, type: A.STRING, s: new TextEncoder().encode(s) }),
  strs: (name: string, s: string[]): OnnxTypes.IAttributeProto => ({ name, type: A.STRINGS, strings: s.map((x) => new TextEncoder().encode(x)) }),
  tensor: (name: string, t: OnnxTypes.ITensorProto): OnnxTypes.IAttributeProto => ({ name, type: A.TENSOR, t }),
};

/** A float32 initializer with raw little-endian data. */
export function floats(name: string, dims: number[], values: ArrayLike<number>): OnnxTypes.ITensorProto {
  return { name, dims, dataType: 1, rawData: new Uint8Array(Float32Array.from(values).buffer) };
}

/** An int64 initializer (shapes, axes, pads). */
export function int64s(name: string, dims: number[], values: number[]): OnnxTypes.ITensorProto {
  return { name, dims, dataType: 7, int64Data: values };
}

/** Seeded uniform values in [−scale, scale). */
export function random(n: number, seed: number, scale = 0.5): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: n }, () => (2 * r() - 1) * scale);
}

export function valueInfo(name: string, dims: (number | string)[], elemType = 1): OnnxTypes.IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  };
}

export function node(opType: string, input: string[], output: string[], attribute: OnnxTypes.IAttributeProto[] = [], name = `/${opType}`, domain = ''): OnnxTypes.INodeProto {
  return { opType, input, output, attribute, name, domain };
}

export interface ModelSpec {
  readonly nodes: OnnxTypes.INodeProto[];
  readonly inputs: OnnxTypes.IValueInfoProto[];
  readonly outputs: OnnxTypes.IValueInfoProto[];
  readonly initializers?: OnnxTypes.ITensorProto[];
  readonly opset?: number;
  readonly extraOpsets?: OnnxTypes.IOperatorSetIdProto[];
}

/** Encodes a ModelProto (IR 8) with the given graph. */
export function model(spec: ModelSpec): Uint8Array {
  return onnx.ModelProto.encode({
    irVersion: 8,
    producerName: 'neuralforge-test',
    opsetImport: [{ domain: '', version: spec.opset ?? 17 }, ...(spec.extraOpsets ?? [])],
    graph: { name: 'test', node: spec.nodes, input: spec.inputs, output: spec.outputs, initializer: spec.initializers ?? [] },
  }).finish();
}
