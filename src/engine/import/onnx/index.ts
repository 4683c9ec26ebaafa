// ONNX import: a model exported from PyTorch (or another tool) becomes an editable NeuralForge
// project with its weights. Image inputs become channels-last; what cannot be mapped is listed.
import type { NodeId } from '../../ids.js';
import { analyzeGraph } from '../../graph/analyze.js';
import { parseProject } from '../../project/parse.js';
import type { Project } from '../../project/types.js';
import { project as makeProject } from '../../templates/builder.js';
import { convertGraph, type UnmappedOp } from './convert.js';
import { decodeModel } from './decode.js';
import type { Draft } from './draft.js';
import { refuse } from './errors.js';
import type { ImportedIO } from './io.js';
import { ourShape } from './values.js';

export { OnnxImportError, type OnnxImportErrorCode } from './errors.js';
export { IMPORT_LIMITS, OPSET_RANGE } from './limits.js';
export type { UnmappedOp } from './convert.js';

/** A graph input or output: which node stands for it, and how its axes relate to the file's. */
export interface ImportedTensor {
  /** The ONNX value name. */
  readonly name: string;
  readonly nodeId: NodeId;
  /** Shape in the file; null is the batch. */
  readonly onnxShape: readonly (number | null)[];
  /** Shape here, batch excluded (e.g. [16, 16, 3] for an NCHW [N, 3, 16, 16] image). */
  readonly shape: readonly number[];
  /** For each axis here (batch first), the ONNX axis it holds; −1 is an added size-1 axis, ONNX axes not listed have size 1. */
  readonly axes: readonly number[];
}

export interface OnnxImport {
  /** Passes parseProject and shape inference. */
  readonly project: Project;
  /** Per node, in each layer's TF.js weight order: hand to setNodeWeights after compileGraph. */
  readonly weights: Map<NodeId, Float32Array[]>;
  /** Ops with no mapping, by op_type; when not empty the graph holds everything else. */
  readonly unmapped: UnmappedOp[];
  /** What changed on the way in (layouts, dropped ops, fixed batch sizes), one sentence each. */
  readonly notes: string[];
  readonly inputs: ImportedTensor[];
  readonly outputs: ImportedTensor[];
}

export interface OnnxImportOptions {
  /** Project name; defaults to the graph's name in the file. */
  readonly name?: string;
}

const MAX_NAME = 200;
/** Names exporters give every graph (torch.onnx, tf2onnx, …): no better than the default. */
const EXPORTER_GRAPH_NAMES = new Set(['torch_jit', 'torch-jit-export', 'main_graph', 'tf2onnx', 'graph']);

/**
 * Imports an ONNX model.
 * @example
 * const { project, weights, unmapped, notes } = importOnnx(bytes, { name: 'ResNet block' });
 * const { model } = compileGraph(analyzeGraph(project.graph)); setNodeWeights(tf, model, weights);
 * @throws OnnxImportError with a code ('truncated', 'too-large', 'external-data', 'absurd-shape',
 *   'unsupported-opset', 'invalid', 'unsupported', 'unmapped') and a message naming what and where.
 */
export function importOnnx(bytes: Uint8Array, opts: OnnxImportOptions = {}): OnnxImport {
  const { model, graph, opset } = decodeModel(bytes);
  const { draft, unmapped, inputs, outputs } = convertGraph(graph, opset);
  settleRecurrent(draft);
  const notes = [
    `Imported from ${model.producerName || 'an unknown tool'}${model.producerVersion ? ` ${model.producerVersion}` : ''}, ai.onnx opset ${opset}.`,
    ...draft.notes,
  ];
  if (draft.fixedBatch !== null) notes.push(`The file fixes the batch size at ${draft.fixedBatch}; the imported model takes any batch size.`);
  const outs = outputs.map(describe);
  for (const o of outs) if (o.axes.some((a, i) => a !== i)) notes.push(`Output "${o.name}" [${o.onnxShape.map((d) => d ?? 'batch').join(', ')}] comes out here as [${o.shape.join(', ')}] (axes ${JSON.stringify(o.axes)} of the file's).`);
  for (const u of unmapped) notes.push(`${u.count} ${u.op} node${u.count > 1 ? 's have' : ' has'} no mapping (${u.reasons.join('; ')}); ${u.count > 1 ? 'they are' : 'it is'} left out.`);

  const fileName = graph.name && !EXPORTER_GRAPH_NAMES.has(graph.name) ? graph.name : '';
  const name = (opts.name ?? fileName).slice(0, MAX_NAME) || 'Imported ONNX model';
  const candidate = makeProject(name, `Imported from an ONNX model (${model.producerName || 'unknown producer'}, opset ${opset}).`, draft.build(), {});
  const parsed = parseProject(candidate);
  if (!parsed.ok) refuse('invalid', `the imported project does not validate: ${parsed.error.path}: ${parsed.error.message}`);
  const analysis = analyzeGraph(parsed.project.graph);
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) refuse('unsupported', `the imported graph does not check: ${errors.slice(0, 3).map((d) => `${d.nodeId}: ${d.message}`).join('; ')}`);
  return { project: parsed.project, weights: draft.weights, unmapped, notes, inputs: inputs.map(describe), outputs: outs };
}

/** A recurrent layer read only at its last step stops returning sequences; read both ways, it cannot be built. */
function settleRecurrent(draft: Draft): void {
  for (const [id, use] of draft.rnnUse) {
    if (use.sequence && use.last)
      refuse('unsupported', 'its output is used both as a whole sequence and as its last step; one recurrent layer here gives one or the other', `node "${id}"`);
    if (use.last) draft.node(id).params['returnSequences'] = false;
  }
}

function describe(io: ImportedIO): ImportedTensor {
  const t = io.tensor;
  return { name: io.name, nodeId: io.node, onnxShape: [...t.shape], shape: ourShape(t).slice(1) as number[], axes: [...t.axes] };
}
