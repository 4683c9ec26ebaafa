// The graph being built: nodes that later mappings may still adjust (a fused activation, an
// LSTM that only its last step feeds), weights per node in TF.js order, readable unique ids, and
// the Permute/Reshape nodes that move a tensor between layouts.
import { nodeId, type NodeId } from '../../ids.js';
import type { Graph } from '../../project/types.js';
import { GraphBuilder } from '../../templates/builder.js';
import { refuse } from './errors.js';
import { IMPORT_LIMITS } from './limits.js';
import { isUnit, sampleShape, type GraphTensor } from './values.js';

export interface DraftNode {
  readonly id: NodeId;
  readonly kind: string;
  /** Mutable until the project is built (fusing an activation, choosing returnSequences). */
  readonly params: Record<string, unknown>;
  readonly inputs: readonly NodeId[];
  readonly label?: string;
}

const MAX_ID = 64;
const MAX_LABEL = 200;

/** Ops PyTorch names after the module that holds their weights ("/block1/conv1/Conv"). */
const MODULE_OPS = new Set(['Conv', 'ConvTranspose', 'Gemm', 'MatMul', 'BatchNormalization', 'LayerNormalization', 'PRelu', 'LSTM', 'GRU', 'RNN', 'Gather']);

/**
 * "/block1/conv1/Conv" → "block1.conv1", "/block1/Relu_1" → "block1.Relu_1". Ids keep to
 * [A-Za-z0-9_.-], start alphanumeric (TF.js layer names) and never contain "__" (compile's
 * helper-layer separator).
 */
export function idBase(name: string, op: string): string {
  const parts = name.split('/').filter(Boolean);
  if (parts.length > 1 && parts.at(-1) === op && MODULE_OPS.has(op)) parts.pop();
  let s = (parts.join('.') || op || 'node').replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/_{2,}/g, '_');
  if (!/^[A-Za-z0-9]/.test(s)) s = `n${s}`;
  return s.slice(0, MAX_ID - 8).replace(/[_.-]+$/, '') || 'node';
}

export class Draft {
  readonly nodes: DraftNode[] = [];
  readonly weights = new Map<NodeId, Float32Array[]>();
  readonly notes: string[] = [];
  /** Elements produced by constant folding so far (IMPORT_LIMITS.maxFoldedElements). */
  folded = 0;
  /** The batch size when the file fixes one (Reshape targets may then spell it out). */
  fixedBatch: number | null = null;
  private readonly ids = new Set<string>();
  private readonly layouts = new Map<string, GraphTensor>();
  /** Per recurrent node: whether its full sequence and/or its last step is read. */
  readonly rnnUse = new Map<NodeId, { sequence: boolean; last: boolean }>();

  /** A fresh id from a readable base: "conv1", then "conv1_2", … */
  private freshId(base: string): NodeId {
    const clean = idBase(base, '');
    let id = clean;
    for (let i = 2; this.ids.has(id); i++) id = `${clean}_${i}`;
    this.ids.add(id);
    return nodeId(id);
  }

  /** Adds a node fed by `inputs`; `weights` in the TF.js order of the layer's weights. */
  add(base: string, kind: string, params: Record<string, unknown>, inputs: readonly GraphTensor[], weights?: Float32Array[], label?: string): DraftNode {
    if (this.nodes.length >= IMPORT_LIMITS.maxNodes) refuse('too-large', `the imported graph would have more than ${IMPORT_LIMITS.maxNodes} nodes`);
    const node: DraftNode = { id: this.freshId(base), kind, params, inputs: inputs.map((t) => this.use(t)), ...(label ? { label: label.slice(0, MAX_LABEL) } : {}) };
    this.nodes.push(node);
    if (weights) this.weights.set(node.id, weights);
    return node;
  }

  /** The node id to connect to, noting how a recurrent layer's output is read. */
  use(t: GraphTensor): NodeId {
    if (t.rnn) {
      const u = this.rnnUse.get(t.node) ?? { sequence: false, last: false };
      u[t.rnn === 'sequence' ? 'sequence' : 'last'] = true;
      this.rnnUse.set(t.node, u);
    }
    return t.node;
  }

  node(id: NodeId): DraftNode {
    const n = this.nodes.find((x) => x.id === id);
    if (!n) throw new Error(`no draft node ${id}`);
    return n;
  }

  /**
   * `t` with our axes holding ONNX axes `want` (batch first; −1 for an added size-1 axis):
   * Reshape away size-1 axes, Permute the rest into order, Reshape in the size-1 axes wanted.
   * @throws OnnxImportError 'unsupported' when the batch would have to move.
   */
  toLayout(t: GraphTensor, want: readonly number[], base: string, where: string): GraphTensor {
    if (same(t.axes, want)) return t;
    // One conversion per tensor and layout, however many ops read it that way.
    const key = `${t.node}|${t.shape.join(',')}|${t.axes.join(',')}|${want.join(',')}`;
    const hit = this.layouts.get(key);
    if (hit) return hit;
    const out = this.convert(t, want, base, where);
    this.layouts.set(key, out);
    return out;
  }

  private convert(t: GraphTensor, want: readonly number[], base: string, where: string): GraphTensor {
    const core = (axes: readonly number[]) => axes.filter((a) => !isUnit(t, a));
    const from = core(t.axes);
    const to = core(want);
    if (from.length !== to.length || from.some((a) => !to.includes(a)))
      throw new Error(`layout ${JSON.stringify(t.axes)} → ${JSON.stringify(want)} for shape ${JSON.stringify(t.shape)} changes which axes hold data`);
    if (from[0] !== to[0])
      refuse('unsupported', `needs the batch on ONNX axis ${to[0]} but it is on axis ${from[0]}; only layouts that keep the batch first can be imported`, where);
    let cur = t;
    if (from.length !== t.axes.length) cur = this.reshape(cur, from, base);
    if (!same(from, to)) {
      const dims = to.slice(1).map((a) => from.indexOf(a)); // 1-based: batch is 0 in both
      const node = this.add(`${base}.permute`, 'Permute', { dims }, [cur]);
      cur = { ...cur, node: node.id, axes: to, rnn: undefined };
    }
    if (to.length !== want.length) cur = this.reshape(cur, want, base);
    return cur;
  }

  private reshape(t: GraphTensor, axes: readonly number[], base: string): GraphTensor {
    const next = { ...t, axes, rnn: undefined };
    const node = this.add(`${base}.reshape`, 'Reshape', { targetShape: sampleShape(next) }, [t]);
    return { ...next, node: node.id };
  }

  /** The project graph: nodes in order, laid out by depth, labelled with their ONNX names. */
  build(): Graph {
    const b = new GraphBuilder();
    const labels = new Map<NodeId, string>();
    for (const n of this.nodes) {
      b.layer(n.id, n.kind, n.params, n.inputs);
      if (n.label) labels.set(n.id, n.label);
    }
    const g = b.build();
    return { nodes: g.nodes.map((n) => (labels.has(n.id) ? { ...n, label: labels.get(n.id)! } : n)), edges: g.edges };
  }
}

const same = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

