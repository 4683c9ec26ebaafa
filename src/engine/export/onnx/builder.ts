// A small ONNX graph builder: unique tensor names from readable hints, initializers,
// shared constants (shapes, axes, scalars) written once, nodes, and the graph's inputs and outputs.
import {
  encodeModel, nodeProto, tensorProto, valueInfo, type Attrs, type NodeProto, type TensorData, type TensorProto, type ValueInfoProto,
} from './proto.js';
import type { OnnxDtype } from './types.js';

export class OnnxGraphBuilder {
  private readonly nodes: NodeProto[] = [];
  private readonly initializers: TensorProto[] = [];
  private readonly inputs: ValueInfoProto[] = [];
  private readonly outputs: ValueInfoProto[] = [];
  private readonly names = new Set<string>();
  private readonly constants = new Map<string, string>();

  /** A tensor name not used yet: the hint itself, else `hint_2`, `hint_3`, … */
  fresh(hint: string): string {
    let name = hint;
    for (let i = 2; this.names.has(name); i++) name = `${hint}_${i}`;
    this.names.add(name);
    return name;
  }

  /** Claims an exact name (graph inputs and outputs are named by node id). */
  claim(name: string): string {
    if (this.names.has(name)) throw new Error(`ONNX tensor name "${name}" is used twice`);
    this.names.add(name);
    return name;
  }

  initializer(hint: string, data: TensorData, dims: readonly number[]): string {
    const name = this.fresh(hint);
    this.initializers.push(tensorProto(name, data, dims));
    return name;
  }

  /** A shared int64 constant (shapes, axes, pads, indices); a scalar when dims is []. */
  int64s(values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.shared('i64', dims, values, () => ({ dtype: 'int64', values }));
  }

  /** A shared float32 constant; a scalar when dims is []. */
  floats(values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.shared('f32', dims, values.map(Math.fround), () => ({ dtype: 'float32', values: Float32Array.from(values) }));
  }

  scalar(value: number): string {
    return this.floats([value], []);
  }

  /** Adds one node and returns its single output's name. */
  op(opType: string, inputs: readonly string[], attrs: Attrs = {}, hint = opType): string {
    return this.ops(opType, inputs, 1, attrs, hint)[0]!;
  }

  /** Adds one node with `outputs` outputs (e.g. LSTM's Y and Y_h) and returns their names. */
  ops(opType: string, inputs: readonly string[], outputs: number, attrs: Attrs = {}, hint = opType): string[] {
    const names = Array.from({ length: outputs }, (_, i) => this.fresh(i === 0 ? hint : `${hint}:${i}`));
    this.nodes.push(nodeProto(opType, names[0]!, inputs, names, attrs));
    return names;
  }

  /** Adds a node whose output name is already claimed (the graph's named outputs). */
  opInto(opType: string, inputs: readonly string[], output: string, attrs: Attrs = {}): void {
    this.nodes.push(nodeProto(opType, output, inputs, [output], attrs));
  }

  input(name: string, dtype: OnnxDtype, shape: readonly (number | string)[]): void {
    this.inputs.push(valueInfo(name, dtype, shape));
  }

  output(name: string, dtype: OnnxDtype, shape: readonly (number | string)[]): void {
    this.outputs.push(valueInfo(name, dtype, shape));
  }

  get nodeCount(): number {
    return this.nodes.length;
  }

  encode(graphName: string, producerVersion: string): Uint8Array {
    return encodeModel({ name: graphName, nodes: this.nodes, initializers: this.initializers, inputs: this.inputs, outputs: this.outputs }, producerVersion);
  }

  private shared(tag: string, dims: readonly number[], values: readonly number[], data: () => TensorData): string {
    const key = `${tag}[${dims.join(',')}]${values.join(',')}`;
    const hit = this.constants.get(key);
    if (hit) return hit;
    const name = this.initializer(`const/${tag}_${values.length <= 4 ? values.join('_').replace(/[^\w.-]/g, 'm') : values.length}`, data(), dims);
    this.constants.set(key, name);
    return name;
  }
}
