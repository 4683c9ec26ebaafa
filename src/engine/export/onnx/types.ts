// What the ONNX exporter hands back: the model bytes and its inputs and outputs, named by node id.
import type { NodeId } from '../../ids.js';

/** Element types the exported graph's inputs and outputs use. */
export type OnnxDtype = 'float32' | 'int64' | 'int32';

export interface OnnxIO {
  /** The graph's tensor name: the node id. */
  readonly name: string;
  readonly nodeId: NodeId;
  /** Batch first: a number when fixed, 'N' when dynamic. */
  readonly shape: readonly (number | string)[];
  readonly dtype: OnnxDtype;
}

export interface OnnxExport {
  /** A serialised onnx.ModelProto (IR version 8). */
  readonly bytes: Uint8Array;
  readonly inputs: readonly OnnxIO[];
  readonly outputs: readonly OnnxIO[];
  readonly opset: 17;
}

export interface OnnxExportOptions {
  /** Batch size baked into the graph, or 'dynamic' (default) for a symbolic 'N'. */
  readonly batch?: number | 'dynamic';
}

/** The symbolic batch dimension's name in a dynamic-batch export. */
export const DYNAMIC_BATCH = 'N';
export const OPSET = 17;
export const IR_VERSION = 8;
