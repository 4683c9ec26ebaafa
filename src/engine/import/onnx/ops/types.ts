// The contract every op mapping fulfils: it reads its node through an OpContext and returns
// the values of the node's outputs, or says why it cannot be mapped.
import type { onnx } from 'onnx-proto';
import type { Attrs } from '../attrs.js';
import type { Draft, DraftNode } from '../draft.js';
import type { ConstTensor } from '../tensor.js';
import type { GraphTensor, Value } from '../values.js';

export interface OpContext {
  readonly node: onnx.INodeProto;
  readonly op: string;
  /** `node "/conv1/Conv" (Conv)`: how messages name this node. */
  readonly where: string;
  /** A readable base for the ids of nodes this mapping adds. */
  readonly base: string;
  readonly opset: number;
  readonly attrs: Attrs;
  readonly draft: Draft;
  /** Input `i`'s value; undefined when the optional input is absent. */
  input(i: number): Value | undefined;
  /** Input `i` when it is a graph tensor; null when it is a constant or absent. */
  tensor(i: number): GraphTensor | null;
  /** The value bound to any ONNX name seen so far (for looking one node ahead). */
  valueOf(name: string): Value | undefined;
  /** Input `i` when its values are known; undefined otherwise. */
  constant(i: number): ConstTensor | undefined;
  /**
   * Whether this node alone reads input `i`, a tensor no other value or node shares: its
   * producer may then be changed in place (an activation fused into a Dense or Conv).
   */
  exclusive(i: number): boolean;
  /** The one node reading output `i`, when nothing else (not even a graph output) does. */
  soleConsumer(i: number): onnx.INodeProto | null;
  /** The one node reading the value `name`, when nothing else (not even a graph output) does. */
  soleReader(name: string): onnx.INodeProto | null;
  /** Marks a later node as handled by this mapping (a fused bias Add), binding its outputs. */
  absorb(node: onnx.INodeProto, outputs: readonly Value[]): void;
  /** Adds a node labelled with this ONNX node's name. */
  emit(kind: string, params: Record<string, unknown>, inputs: readonly GraphTensor[], weights?: Float32Array[]): DraftNode;
}

export type OpResult = { readonly outputs: readonly Value[] } | { readonly unmapped: string };

export type OpMapper = (ctx: OpContext) => OpResult;

export const outputs = (...values: Value[]): OpResult => ({ outputs: values });
export const unmapped = (reason: string): OpResult => ({ unmapped: reason });
export const isUnmapped = (r: OpResult): r is { readonly unmapped: string } => 'unmapped' in r;
