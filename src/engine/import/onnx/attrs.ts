// Typed access to a node's attributes, refusing a wrong type with the node and attribute named.
import type { onnx } from 'onnx-proto';
import { refuse } from './errors.js';
import { constTensor, int64, type ConstTensor } from './tensor.js';
import { decodeUtf8 } from './text.js';

// AttributeProto.AttributeType
const FLOAT = 1, INT = 2, STRING = 3, TENSOR = 4, FLOATS = 6, INTS = 7;
const TYPE_NAMES: Record<number, string> = { 1: 'float', 2: 'int', 3: 'string', 4: 'tensor', 5: 'graph', 6: 'floats', 7: 'ints', 8: 'strings' };


export class Attrs {
  private readonly byName = new Map<string, onnx.IAttributeProto>();

  constructor(
    node: onnx.INodeProto,
    private readonly where: string,
  ) {
    for (const a of node.attribute ?? []) if (a.name) this.byName.set(a.name, a);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  private get(name: string, type: number): onnx.IAttributeProto | undefined {
    const a = this.byName.get(name);
    if (a && a.type && a.type !== type) refuse('invalid', `attribute "${name}" is a ${TYPE_NAMES[a.type] ?? a.type}, expected ${TYPE_NAMES[type]}`, this.where);
    return a;
  }

  int(name: string, fallback: number): number {
    const a = this.get(name, INT);
    return a ? int64(a.i) : fallback;
  }

  float(name: string, fallback: number): number {
    const a = this.get(name, FLOAT);
    return a ? (a.f ?? 0) : fallback;
  }

  string(name: string, fallback: string): string {
    const a = this.get(name, STRING);
    return a?.s ? decodeUtf8(a.s) : fallback;
  }

  ints(name: string): number[] | undefined {
    const a = this.get(name, INTS);
    return a ? (a.ints ?? []).map((v) => int64(v)) : undefined;
  }

  floats(name: string): number[] | undefined {
    const a = this.get(name, FLOATS);
    return a ? [...(a.floats ?? [])] : undefined;
  }

  strings(name: string): string[] | undefined {
    const a = this.get(name, 8);
    return a ? (a.strings ?? []).map((s) => decodeUtf8(s)) : undefined;
  }

  tensor(name: string): ConstTensor | undefined {
    const a = this.get(name, TENSOR);
    return a?.t ? constTensor(a.t, `${this.where} attribute "${name}"`) : undefined;
  }
}
