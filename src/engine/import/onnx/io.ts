// Graph inputs become Input nodes: image inputs channels-last, sequence-first recurrent inputs
// batch-first, every size but the batch fixed. Each choice is written to the notes.
import type { onnx } from 'onnx-proto';
import type { NodeId } from '../../ids.js';
import type { Draft } from './draft.js';
import { refuse } from './errors.js';
import { int64 } from './tensor.js';
import { channelsLastAxes, identityAxes, sampleShape, type Dim, type GraphTensor } from './values.js';

/** A graph input or output and the node that stands for it. */
export interface ImportedIO {
  readonly name: string;
  readonly node: NodeId;
  readonly tensor: GraphTensor;
}

const FLOAT_TYPES = new Set([1, 10, 11, 16]);
const INT_TYPES = new Set([2, 3, 4, 5, 6, 7, 9, 12, 13]);
/** Ops that read [N, C, …spatial]: an input they read is given to the graph channels-last. */
const SPATIAL_OPS = new Set(['Conv', 'ConvTranspose', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'GlobalMaxPool', 'BatchNormalization', 'Pad']);
const RNN_OPS = new Set(['LSTM', 'GRU', 'RNN']);

/** Whether `reader` is a recurrent op reading `name` as [steps, batch, features] (layout 0, the default). */
function seqFirstReader(reader: onnx.INodeProto, name: string): boolean {
  if (!RNN_OPS.has(reader.opType ?? '') || reader.input?.[0] !== name) return false;
  const layout = reader.attribute?.find((a) => a.name === 'layout');
  return !layout || int64(layout.i) === 0;
}

/** The Input node for graph input `vi`, read by `readers`. */
export function chooseInput(vi: onnx.IValueInfoProto, readers: readonly onnx.INodeProto[], draft: Draft): ImportedIO {
  const name = vi.name ?? '';
  const where = `input "${name}"`;
  const tt = vi.type?.tensorType;
  if (!tt) refuse('unsupported', 'is not a tensor', where);
  const elem = tt.elemType ?? 0;
  if (!FLOAT_TYPES.has(elem) && !INT_TYPES.has(elem)) refuse('unsupported', `has element type ${elem}; only numeric inputs can be imported`, where);
  const dtype = FLOAT_TYPES.has(elem) ? 'float32' : 'int32';
  const dims = tt.shape?.dim ?? [];
  if (!tt.shape || dims.length < 2) refuse('unsupported', 'needs a known shape with a batch axis and at least one more', where);
  const seqFirst = dims.length === 3 && readers.some((r) => seqFirstReader(r, name));
  const batchAxis = seqFirst ? 1 : 0;
  const shape: Dim[] = dims.map((d, i) => {
    const v = int64(d.dimValue);
    if (i === batchAxis) {
      if (v > 0) draft.fixedBatch = v;
      return null;
    }
    if (v > 0) return v;
    return refuse('unsupported', `dimension ${i} is ${d.dimParam ? `"${d.dimParam}"` : 'unknown'}; only the batch may vary: export with a fixed size for it`, where);
  });
  const rank = dims.length;
  const spatial = rank >= 3 && !seqFirst && (rank >= 4 || readers.some((r) => SPATIAL_OPS.has(r.opType ?? '')));
  const axes = seqFirst ? [1, 0, 2] : spatial ? channelsLastAxes(rank) : identityAxes(rank);
  const draftShape = sampleShape({ shape, axes });
  const node = draft.add(name, 'Input', { shape: draftShape, dtype }, [], undefined, name);
  const onnxShape = `[${shape.map((d) => d ?? 'batch').join(', ')}]`;
  if (spatial)
    draft.notes.push(
      `Input "${name}" ${onnxShape} is channels-last here: [${draftShape.join(', ')}]. Transpose data from the file's layout with perm [${axes.join(', ')}]${rank === 4 ? ' (NCHW → NHWC)' : ''}.`,
    );
  if (seqFirst) draft.notes.push(`Input "${name}" ${onnxShape} is [steps, batch, features] in the file; here it is batch-first: [${draftShape.join(', ')}].`);
  if (dtype === 'int32' && elem !== 6) draft.notes.push(`Input "${name}" is read as int32 (the file says element type ${elem}).`);
  return { name, node: node.id, tensor: { kind: 'tensor', node: node.id, shape, axes, dtype } };
}
