// What every exporter takes and gives. Exporters are pure engine code: bytes in, bytes out;
// the CLI writes files, the worker hands them to storage or a download.
import type * as tf from '@tensorflow/tfjs';
import type { Analysis } from '../graph/analyze.js';
import type { NodeId } from '../ids.js';
import type { Project } from '../project/types.js';

export const EXPORT_FORMATS = ['onnx', 'tfjs', 'pytorch', 'keras', 'notebook', 'bundle'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const isExportFormat = (s: string): s is ExportFormat => (EXPORT_FORMATS as readonly string[]).includes(s);

/** A project with its compiled model; the model's current weights are the ones exported. */
export interface ExportInput {
  readonly project: Project;
  /** analyzeGraph(project.graph), valid (no errors). */
  readonly analysis: Analysis;
  /** compileGraph(analysis) with trained (or seeded initial) weights loaded. */
  readonly model: tf.LayersModel;
  /** Recorded results of the run the weights come from, for notebooks and READMEs. */
  readonly run?: ExportRunInfo;
}

export interface ExportRunInfo {
  readonly id: string;
  readonly epochs: readonly { readonly epoch: number; readonly loss: number; readonly valLoss: number | null; readonly metrics: Readonly<Record<string, number>> }[];
  readonly testMetrics?: Readonly<Record<string, number>>;
}

/** One file of an export; `path` is relative, '/'-separated, no '..'. */
export interface ExportFile {
  readonly path: string;
  readonly bytes: Uint8Array;
}

/** A node the target format cannot express, and why; exporters refuse up front with these. */
export interface UnsupportedNode {
  readonly nodeId: NodeId;
  readonly kind: string;
  readonly reason: string;
}

export class ExportError extends Error {
  constructor(
    readonly format: ExportFormat,
    readonly unsupported: readonly UnsupportedNode[],
    message?: string,
  ) {
    super(message ?? `cannot export to ${format}: ${unsupported.map((u) => `${u.nodeId} (${u.kind}): ${u.reason}`).join('; ')}`);
    this.name = 'ExportError';
  }
}

/** How an exported model's outputs compared with TF.js's on the same samples. */
export interface ValidationReport {
  readonly samples: number;
  /** Per runtime that ran ("onnxruntime-web/wasm", "onnxruntime-web/webgpu", "torch", …). */
  readonly runtimes: readonly RuntimeComparison[];
  /** Target max |Δ| for float32 outputs. */
  readonly tolerance: number;
  readonly passed: boolean;
}

export interface RuntimeComparison {
  readonly runtime: string;
  readonly maxAbsDiff: number;
  readonly meanAbsDiff: number;
  /** Median latency of one run over all samples, ms. */
  readonly latencyMs: number;
  /** The runtime's reason when it could not run (e.g. WebGPU unavailable); diffs are then NaN. */
  readonly error?: string;
}
