// Walks a decoded ONNX graph in order and maps each node through ops/, keeping every value's
// meaning (graph tensor, constant, missing) and what did not map; then picks the outputs.
import type { onnx } from 'onnx-proto';
import type { NodeId } from '../../ids.js';
import { Attrs } from './attrs.js';
import { Draft, idBase } from './draft.js';
import { refuse } from './errors.js';
import { chooseInput, type ImportedIO } from './io.js';
import { arityProblem } from './ops/arity.js';
import { OPS } from './ops/index.js';
import { isUnmapped, type OpContext } from './ops/types.js';
import { constTensor } from './tensor.js';
import { type GraphTensor, type Value } from './values.js';

export interface UnmappedOp {
  readonly op: string;
  readonly count: number;
  /** ONNX node names (or `Op#index` for unnamed nodes). */
  readonly nodes: string[];
  /** Why, once per distinct reason. */
  readonly reasons: string[];
}

export interface Converted {
  readonly draft: Draft;
  readonly unmapped: UnmappedOp[];
  readonly inputs: ImportedIO[];
  readonly outputs: ImportedIO[];
}

/** Names from the file, cut to a readable length for messages and lists. */
export const short = (s: string): string => (s.length > 120 ? `${s.slice(0, 119)}…` : s);
const nameOf = (n: onnx.INodeProto, i: number): string => short(n.name || `${n.opType || 'node'}#${i}`);

export function convertGraph(graph: onnx.IGraphProto, opset: number): Converted {
  const draft = new Draft();
  const values = new Map<string, Value>();
  const nodes = graph.node ?? [];
  const graphOutputs = new Set((graph.output ?? []).map((o) => o.name ?? ''));
  const readers = new Map<string, onnx.INodeProto[]>();
  for (const n of nodes)
    for (const name of n.input ?? []) {
      if (!name) continue;
      const list = readers.get(name);
      if (list) list.push(n);
      else readers.set(name, [n]);
    }

  for (const t of graph.initializer ?? []) values.set(t.name ?? '', { kind: 'const', tensor: constTensor(t, `initializer "${t.name}"`) });
  if ((graph.sparseInitializer ?? []).length) refuse('unsupported', 'sparse initializers cannot be imported', 'graph.sparse_initializer');
  const inputs: ImportedIO[] = [];
  for (const vi of graph.input ?? []) {
    if (values.has(vi.name ?? '')) continue; // IR < 4 lists initializers as inputs too
    const io = chooseInput(vi, readers.get(vi.name ?? '') ?? [], draft);
    values.set(io.name, io.tensor);
    inputs.push(io);
  }
  if (!inputs.length) refuse('invalid', 'the graph has no inputs besides its weights', 'graph.input');

  const unmapped = new Map<string, { nodes: string[]; reasons: Set<string> }>();
  const blocked: string[] = [];
  const absorbed = new Set<onnx.INodeProto>();
  /** ONNX value names bound to each draft node's output, for safe in-place fusion. */
  const aliases = new Map<NodeId, Set<string>>();

  const bind = (name: string, v: Value) => {
    if (!name) return;
    values.set(name, v);
    if (v.kind === 'tensor') aliases.set(v.node, (aliases.get(v.node) ?? new Set()).add(name));
  };

  // Constants first: a mapping that looks ahead (a bias Add, the GELU chain) may read one
  // that the file lists after it.
  nodes.forEach((node, index) => {
    if (node.opType !== 'Constant' || (node.domain && node.domain !== 'ai.onnx') || (node.input ?? []).length) return;
    const result = OPS.get('Constant')!(context(node, 'Constant', `node "${nameOf(node, index)}" (Constant)`, []));
    if (isUnmapped(result)) return; // reported when the loop reaches it
    (node.output ?? []).forEach((o, i) => bind(o, result.outputs[i] ?? { kind: 'missing', cause: 'a Constant' }));
    absorbed.add(node);
  });

  nodes.forEach((node, index) => {
    if (absorbed.has(node)) return;
    const op = node.opType ?? '';
    const name = nameOf(node, index);
    const where = `node "${name}" (${short(op) || 'no op_type'})`;
    if (!op) refuse('invalid', 'has no op_type', where);
    const ins = (node.input ?? []).map((n) => {
      if (!n) return undefined;
      const v = values.get(n);
      if (!v) refuse('invalid', `input "${short(n)}" is not produced by an earlier node, an initializer or a graph input`, where);
      return v;
    });
    const missing = ins.find((v): v is Extract<Value, { kind: 'missing' }> => v?.kind === 'missing');
    const domain = node.domain && node.domain !== 'ai.onnx' ? node.domain : '';
    const key = short(domain ? `${domain}::${op}` : op);
    const markMissing = (cause: string) => (node.output ?? []).forEach((o) => bind(o, { kind: 'missing', cause }));
    if (missing) {
      blocked.push(`${key} "${name}" (after ${missing.cause})`);
      return markMissing(missing.cause);
    }
    const arity = domain ? null : arityProblem(op, node.input ?? []);
    if (arity) refuse('invalid', arity, where);
    const mapper = domain ? undefined : OPS.get(op);
    const result = mapper
      ? mapper(context(node, op, where, ins))
      : { unmapped: domain ? `custom domain "${domain}"` : 'no mapping to a NeuralForge layer' };
    if (isUnmapped(result)) {
      const u = unmapped.get(key) ?? { nodes: [], reasons: new Set<string>() };
      u.nodes.push(name);
      u.reasons.add(result.unmapped);
      unmapped.set(key, u);
      return markMissing(`${key} "${name}"`);
    }
    (node.output ?? []).forEach((o, i) => bind(o, result.outputs[i] ?? { kind: 'missing', cause: `${key} "${name}" output ${i}` }));
  });

  function soleReader(name: string): onnx.INodeProto | null {
    if (!name || graphOutputs.has(name)) return null;
    const rs = readers.get(name) ?? [];
    return rs.length === 1 ? rs[0]! : null;
  }

  function context(node: onnx.INodeProto, op: string, where: string, ins: (Value | undefined)[]): OpContext {
    const outs = node.output ?? [];
    return {
      node,
      op,
      where,
      base: idBase(node.name || op, op),
      opset,
      attrs: new Attrs(node, where),
      draft,
      input: (i) => ins[i],
      tensor: (i) => (ins[i]?.kind === 'tensor' ? (ins[i] as GraphTensor) : null),
      valueOf: (name) => values.get(name),
      constant: (i) => (ins[i]?.kind === 'const' ? (ins[i] as Extract<Value, { kind: 'const' }>).tensor : undefined),
      soleConsumer: (i) => soleReader(outs[i] ?? ''),
      soleReader,
      exclusive(i) {
        const name = (node.input ?? [])[i];
        const v = ins[i];
        if (!name || v?.kind !== 'tensor' || graphOutputs.has(name)) return false;
        const bound = aliases.get(v.node);
        const used = draft.nodes.some((n) => n.inputs.includes(v.node));
        return !used && bound?.size === 1 && (readers.get(name) ?? []).length === 1;
      },
      absorb(other, values) {
        absorbed.add(other);
        (other.output ?? []).forEach((o, i) => bind(o, values[i] ?? { kind: 'missing', cause: `${other.opType} "${other.name}"` }));
      },
      emit: (kind, params, inputs, weights) => draft.add(idBase(node.name || op, op), kind, params, inputs, weights, node.name || op),
    };
  }

  const list = [...unmapped].map(([op, u]) => ({ op, count: u.nodes.length, nodes: u.nodes, reasons: [...u.reasons] }));
  const describe = () => list.map((u) => `${u.op} ×${u.count} (${u.nodes.slice(0, 3).join(', ')}${u.count > 3 ? ', …' : ''}): ${u.reasons.join('; ')}`).join('; ');
  if (blocked.length)
    refuse('unmapped', `cannot connect the graph past ops without a mapping: ${describe()}. Cut off after them: ${blocked.slice(0, 5).join(', ')}${blocked.length > 5 ? ', …' : ''}`);

  const outputs = pickOutputs(graph, values, draft);
  for (const io of inputs)
    if (!draft.nodes.some((n) => n.inputs.includes(io.node))) draft.notes.push(`Input "${short(io.name)}" is not connected: nothing that reads it has a mapping.`);
  if (!outputs.length) refuse('unmapped', `no graph output could be mapped${list.length ? `: ${describe()}` : ''}`);
  return { draft, unmapped: list, inputs, outputs };
}

/** Each graph output that maps to a tensor becomes a model output (given its own node when shared). */
function pickOutputs(graph: onnx.IGraphProto, values: ReadonlyMap<string, Value>, draft: Draft): ImportedIO[] {
  const out: ImportedIO[] = [];
  const taken = new Set<NodeId>();
  for (const vi of graph.output ?? []) {
    const name = vi.name ?? '';
    const v = values.get(name);
    if (!v || v.kind !== 'tensor') {
      draft.notes.push(`Output "${name}" is dropped: ${v?.kind === 'missing' ? `it comes from ${v.cause}, which has no mapping` : 'it is a constant'}.`);
      continue;
    }
    let t: GraphTensor = v;
    draft.use(t);
    if (taken.has(t.node) || draft.nodes.some((n) => n.inputs.includes(t.node))) {
      const node = draft.add(`${idBase(name, '')}.output`, 'Reshape', { targetShape: t.axes.slice(1).map((a) => (a === -1 ? 1 : t.shape[a])) }, [t]);
      t = { ...t, node: node.id, rnn: undefined };
    }
    taken.add(t.node);
    out.push({ name, node: t.node, tensor: t });
  }
  return out;
}
