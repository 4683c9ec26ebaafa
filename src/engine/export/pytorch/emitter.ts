// The contract each layer kind's PyTorch emitter fulfils (one entry per kind in ops/): the
// layout it computes in, its modules in __init__, its lines in forward, and its weights in
// PyTorch's layouts. model-py.ts and state-dict.ts drive these over the graph.
import type { NodeId } from '../../ids.js';
import type { TensorInfo } from '../../tensor.js';
import type { NodeWeight } from '../weights.js';
import type { HelperName } from './helpers.js';

/**
 * Where a tensor keeps its channels: 'last' as TF.js, (B, …, C); 'first' as PyTorch's conv
 * and pooling layers want, (B, C, …). Tensors of rank 2 read the same either way.
 */
export type Layout = 'last' | 'first';

/** One node as an emitter sees it; shapes are TF.js's (channels last). */
export interface NodeInfo<P> {
  readonly id: NodeId;
  readonly params: P;
  readonly inputs: readonly TensorInfo[];
  readonly output: TensorInfo;
  /** The node's attribute and variable name; with a suffix, a second module of the node (`sep_pointwise`). */
  attr(suffix?: string): string;
}

export interface ForwardInfo<P> extends NodeInfo<P> {
  /** Python expressions of the inputs, in port order, already in `layout`. */
  readonly args: readonly string[];
  readonly layout: Layout;
  /** The variable the output goes into (the node's name). */
  readonly out: string;
}

/** One entry of the model's state_dict. */
export interface StateEntry {
  readonly key: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

export interface TorchEmitter<P> {
  /** Why PyTorch cannot express this configuration, or null. */
  unsupported?(n: NodeInfo<P>): string | null;
  /** The layout the inputs must be in; 'any' works in either and keeps it. */
  layout(n: NodeInfo<P>): Layout | 'any';
  /** Statements for __init__ (`self.c1 = nn.Conv2d(…)`); none for stateless kinds. */
  init(n: NodeInfo<P>): readonly string[];
  /** Statements for forward; the last assigns `out` and gets the shape comment. */
  forward(f: ForwardInfo<P>): readonly string[];
  /** The node's weights (TF.js order, see weights.ts) as state_dict entries. */
  state(n: NodeInfo<P>, weights: readonly NodeWeight[]): readonly StateEntry[];
  /** Helper functions or classes model.py must define for this node. */
  helpers?(n: NodeInfo<P>): readonly HelperName[];
}

/** Identity that fixes P for a kind's emitter (the registry erases it). */
export const emitter = <P>(e: TorchEmitter<P>): TorchEmitter<P> => e;

/** For kinds without weights. */
export const noState = (): readonly StateEntry[] => [];

/** `${out} = ${expr}`: the usual one-line forward. */
export const assign = (f: ForwardInfo<unknown>, expr: string): string[] => [`${f.out} = ${expr}`];

/** The shape as it is in `layout`: channels moved to axis 1 for 'first'. */
export function inLayout<T>(shape: readonly T[], layout: Layout): T[] {
  if (layout === 'last' || shape.length < 3) return [...shape];
  return [shape[0]!, shape[shape.length - 1]!, ...shape.slice(1, -1)];
}

/** An axis of the TF.js (channels-last) shape, as an index into the tensor in `layout`. */
export function axisIn(axis: number, rank: number, layout: Layout): number {
  const a = axis < 0 ? rank + axis : axis;
  if (layout === 'last' || rank < 3 || a === 0) return a;
  return a === rank - 1 ? 1 : a + 1;
}

/** Weights of a node by TF.js name, with a clear error when one is missing. */
export function weight(ws: readonly NodeWeight[], name: string, node: NodeId): NodeWeight {
  const w = ws.find((x) => x.name === name);
  if (!w) throw new Error(`node "${node}" has no weight "${name}" (it has ${ws.map((x) => x.name).join(', ') || 'none'})`);
  return w;
}
