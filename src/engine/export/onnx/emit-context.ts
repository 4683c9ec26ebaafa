// What an emitter sees: its node (params, input values, output info), the node's TF.js weights
// in order, and a builder scoped to the node so every tensor name starts with the node id.
import type { NodeId } from '../../ids.js';
import type { Dtype, Shape, TensorInfo } from '../../tensor.js';
import type { NodeWeight } from '../weights.js';
import type { OnnxGraphBuilder } from './builder.js';
import { toFirstPerm, toLastPerm, type Layout, type Value } from './layout.js';
import { attr, type Attrs } from './proto.js';

/** A node as its emitter receives it. Params are resolved (defaults filled) by the analysis. */
export interface EmitNode {
  readonly id: NodeId;
  readonly params: Readonly<Record<string, unknown>>;
  readonly inputs: readonly Value[];
  readonly output: TensorInfo;
}

/** What `refuse` may look at: the analysis alone, no weights. */
export interface SupportQuery {
  readonly params: Readonly<Record<string, unknown>>;
  readonly inputs: readonly TensorInfo[];
  readonly output: TensorInfo;
}

/** One layer kind's ONNX writer (see ops/index.ts). */
export interface OnnxEmitter {
  /** Why this node cannot be written to ONNX, or null; absent when every configuration can. */
  readonly refuse?: (q: SupportQuery) => string | null;
  /** Adds the node's ONNX ops and returns its output. */
  readonly emit: (ctx: EmitContext, node: EmitNode) => Value;
}

/** Transposed copies already made, shared by all nodes: `name|layout` → name. */
export type LayoutCache = Map<string, string>;

export class EmitContext {
  private next = 0;

  constructor(
    private readonly g: OnnxGraphBuilder,
    readonly nodeId: NodeId,
    private readonly weights: readonly NodeWeight[],
    private readonly layouts: LayoutCache,
    /** The batch dimension as the graph declares it. */
    readonly batch: number | string,
  ) {}

  /** Declares the node as a graph input named by its id (Input nodes only). */
  graphInput(info: TensorInfo): Value {
    const name = this.g.claim(this.nodeId);
    this.g.input(name, info.dtype, [this.batch, ...(info.shape.slice(1) as number[])]);
    return { name, layout: 'channels-last', shape: info.shape, dtype: info.dtype };
  }

  op(opType: string, inputs: readonly string[], attrs: Attrs = {}, hint = opType): string {
    return this.g.op(opType, inputs, attrs, `${this.nodeId}/${hint}`);
  }

  ops(opType: string, inputs: readonly string[], outputs: number, attrs: Attrs = {}, hint = opType): string[] {
    return this.g.ops(opType, inputs, outputs, attrs, `${this.nodeId}/${hint}`);
  }

  /** A float32 initializer owned by this node. */
  initializer(hint: string, values: Float32Array, dims: readonly number[]): string {
    return this.g.initializer(`${this.nodeId}/${hint}`, { dtype: 'float32', values }, dims);
  }

  /** The node's next weight (see `weight`) as an initializer, in TF.js's layout. */
  param(name: string): string {
    const w = this.weight(name);
    return this.initializer(name, w.values, w.shape);
  }

  /** `param` for a weight a param may turn off (bias, gamma, beta); null when absent. */
  optionalParam(name: string): string | null {
    return this.weights[this.next]?.name === name ? this.param(name) : null;
  }

  int64s(values: readonly number[], dims?: readonly number[]): string {
    return this.g.int64s(values, dims);
  }

  floats(values: readonly number[], dims?: readonly number[]): string {
    return this.g.floats(values, dims);
  }

  scalar(value: number): string {
    return this.g.scalar(value);
  }

  /** The node's next TF.js weight, which must be called `name` (weights come in TF.js order). */
  weight(name: string): NodeWeight {
    const w = this.weights[this.next];
    if (!w || w.name !== name) throw new Error(`${this.nodeId}: expected weight "${name}" at position ${this.next}, found ${w ? `"${w.name}"` : 'none'}`);
    this.next++;
    return w;
  }

  /** The next weight if it is called `name` (biases, gamma and beta that a param may turn off). */
  optionalWeight(name: string): NodeWeight | null {
    return this.weights[this.next]?.name === name ? this.weight(name) : null;
  }

  /** Throws unless the emitter used every weight the node has: a forgotten weight is a wrong model. */
  finish(): void {
    if (this.next !== this.weights.length)
      throw new Error(`${this.nodeId}: the ONNX emitter used ${this.next} of ${this.weights.length} weights (${this.weights.map((w) => w.name).join(', ')})`);
  }

  /** The value's tensor stored channels last (as TF.js holds it). */
  last(v: Value): string {
    return this.convert(v, 'channels-last');
  }

  /** The value's tensor stored channels first (ONNX's Conv and pooling layout); rank ≥ 3. */
  first(v: Value): string {
    if (v.shape.length < 3) throw new Error(`${this.nodeId}: a rank-${v.shape.length} tensor has no channels-first layout`);
    return this.convert(v, 'channels-first');
  }

  value(name: string, layout: Layout, shape: Shape, dtype: Dtype = 'float32'): Value {
    return { name, layout, shape, dtype };
  }

  private convert(v: Value, to: Layout): string {
    if (v.layout === to) return v.name;
    const key = `${v.name}|${to}`;
    const hit = this.layouts.get(key);
    if (hit) return hit;
    const rank = v.shape.length;
    const perm = to === 'channels-first' ? toFirstPerm(rank) : toLastPerm(rank);
    const name = this.g.op('Transpose', [v.name], { perm: attr.ints(perm) }, `${v.name}/${to === 'channels-first' ? 'to_nchw' : 'to_nhwc'}`);
    this.layouts.set(key, name);
    return name;
  }
}

/** A node's params as its kind's shape; the analysis resolved and checked them against the kind's schema. */
export const paramsOf = <P>(n: { readonly params: Readonly<Record<string, unknown>> }): P => n.params as unknown as P;
