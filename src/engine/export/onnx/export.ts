// Analysis + compiled model → ONNX bytes: walks the graph in topological order, hands each
// node to its kind's emitter, and names the graph's inputs and outputs by node id.
import * as tf from '@tensorflow/tfjs';
import type { Analysis } from '../../graph/analyze.js';
import type { NodeId } from '../../ids.js';
import { isLayerKind } from '../../layers/kinds.js';
import { ExportError, type ExportInput, type UnsupportedNode } from '../types.js';
import { nodeWeights } from '../weights.js';
import { OnnxGraphBuilder } from './builder.js';
import { EmitContext, type LayoutCache, type OnnxEmitter } from './emit-context.js';
import type { Value } from './layout.js';
import { ONNX_EMITTERS } from './ops/index.js';
import { DYNAMIC_BATCH, type OnnxExport, type OnnxExportOptions, type OnnxIO } from './types.js';

/**
 * The nodes ONNX cannot express, with the reason; empty when the whole graph exports.
 * A node the analysis could not resolve (unknown kind, invalid params or shapes) is listed too.
 * @example onnxSupport(analyzeGraph(project.graph)) // → []
 */
export function onnxSupport(analysis: Analysis): UnsupportedNode[] {
  const out: UnsupportedNode[] = [];
  for (const node of analysis.structure.byId.values()) {
    const a = analysis.nodes.get(node.id);
    const firstError = analysis.diagnostics.find((d) => d.nodeId === node.id && d.severity === 'error');
    if (!isLayerKind(node.kind) || !a?.params || !a.output || firstError) {
      const reason = firstError ? `the graph has an error here: ${firstError.message}` : 'an input of this node has an error (see the nodes upstream)';
      out.push({ nodeId: node.id, kind: node.kind, reason });
      continue;
    }
    const inputs = analysis.structure.incoming.get(node.id)!.map((e) => analysis.nodes.get(e!.source)!.output!);
    const emitter: OnnxEmitter = ONNX_EMITTERS[node.kind];
    const reason = emitter.refuse?.({ params: a.params, inputs, output: a.output });
    if (reason) out.push({ nodeId: node.id, kind: node.kind, reason });
  }
  return out;
}

function checkBatch(batch: number | 'dynamic'): number | string {
  if (batch === 'dynamic') return DYNAMIC_BATCH;
  if (!Number.isInteger(batch) || batch < 1) throw new Error(`ONNX export: batch must be a positive integer or 'dynamic', got ${String(batch)}`);
  return batch;
}

/**
 * Writes the model (its current weights) as an ONNX opset-17 graph whose inputs and outputs
 * are TF.js's, channels last, named by node id; int32 token ids stay int32.
 * @example const { bytes, inputs, outputs } = exportOnnx({ project, analysis, model }); // batch 'N'
 * @throws ExportError listing every node ONNX cannot express (see onnxSupport) or the graph's errors;
 *   Error when `batch` is neither 'dynamic' nor a positive integer.
 */
export function exportOnnx(input: ExportInput, opts: OnnxExportOptions = {}): OnnxExport {
  const { analysis } = input;
  const unsupported = onnxSupport(analysis);
  if (unsupported.length) throw new ExportError('onnx', unsupported);
  const graphErrors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (graphErrors.length) throw new ExportError('onnx', [], `cannot export to onnx: ${graphErrors.map((d) => d.message).join('; ')}`);
  const batch = checkBatch(opts.batch ?? 'dynamic');
  const weights = nodeWeights(input.model);
  const g = new OnnxGraphBuilder();
  for (const id of analysis.outputs) g.claim(id);
  const layouts: LayoutCache = new Map();
  const values = new Map<NodeId, Value>();
  const inputSet = new Set(analysis.inputs);
  for (const id of analysis.structure.order) {
    const node = analysis.structure.byId.get(id)!;
    const a = analysis.nodes.get(id)!;
    if (node.kind === 'Input' && !inputSet.has(id)) continue; // a stray Input is no model input
    if (!isLayerKind(node.kind)) throw new Error(`unreachable: ${node.kind} passed onnxSupport`);
    const ctx = new EmitContext(g, id, weights.get(id) ?? [], layouts, batch);
    const inputs = analysis.structure.incoming.get(id)!.map((e) => values.get(e!.source)!);
    values.set(id, ONNX_EMITTERS[node.kind].emit(ctx, { id, params: a.params!, inputs, output: a.output! }));
    ctx.finish();
  }
  const io = (id: NodeId): OnnxIO => {
    const info = analysis.nodes.get(id)!.output!;
    return { name: id, nodeId: id, shape: [batch, ...(info.shape.slice(1) as number[])], dtype: info.dtype };
  };
  const outputs = analysis.outputs.map(io);
  for (const o of outputs) {
    const v = values.get(o.nodeId)!;
    const ctx = new EmitContext(g, o.nodeId, [], layouts, batch);
    g.opInto('Identity', [ctx.last(v)], o.name);
    g.output(o.name, o.dtype, o.shape);
  }
  return { bytes: g.encode(input.project.name || 'neuralforge', `TensorFlow.js ${tf.version.tfjs}`), inputs: analysis.inputs.map(io), outputs, opset: 17 };
}
