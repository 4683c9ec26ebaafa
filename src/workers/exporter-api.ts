// The one contract between the page and the exporter worker (comlink). The worker implements
// ExporterApi; the page imports this file for its types only, so neither TF.js nor onnxruntime
// reaches the page. Replies never reject: failures come back as {ok: false, error: {message, stack}}.
import type { ExportFile, ExportFormat, UnsupportedNode, ValidationReport } from '../engine/export/types.js';
import type { Project } from '../engine/project/types.js';
import type { NamedArray } from '../engine/train/checkpoint-format.js';
import type { ExportedWeights } from '../storage/export-history.js';
import type { CheckpointId, VersionId, VersionRecord } from '../storage/types.js';
import type { WireError } from './trainer-api.js';

export type { ExportedWeights, WireError };

/**
 * Weights to export instead of the project's seeded initial ones: per node in setNodeWeights
 * order, TF.js files (model.json + shards, as the CLI's training writes), or a checkpoint kept
 * on the device, which the worker reads itself — and then exports the architecture version its
 * run trained (with the project's other fields), not the project's current graph.
 */
export type WeightsPayload =
  | { readonly kind: 'nodes'; readonly nodes: readonly (readonly [string, readonly Float32Array[]])[] }
  | { readonly kind: 'tfjs-files'; readonly modelJson: string; readonly shards: readonly Uint8Array[] }
  | { readonly kind: 'checkpoint'; readonly checkpointId: CheckpointId };

export interface ExportOptions {
  /** Execution providers for the ONNX validation (default: wasm, and webgpu too, which reports its reason when it cannot run). */
  readonly providers?: readonly ('wasm' | 'webgpu')[];
  /** Random samples compared (default 8). */
  readonly samples?: number;
}

export type ExportReply =
  | {
      readonly ok: true;
      readonly files: readonly ExportFile[];
      /** ONNX and bundle: onnxruntime-web against TF.js, per provider; null for code formats. */
      readonly report: ValidationReport | null;
      readonly bytes: number;
      readonly ms: number;
      /** The weights that went out, as resolved by the worker. */
      readonly weights: ExportedWeights;
      /** A checkpoint export: the architecture version its run trained (the graph exported); otherwise null. */
      readonly versionId: VersionId | null;
    }
  /** `unsupported` lists the nodes the format cannot express, when that is why. */
  | { readonly ok: false; readonly error: WireError; readonly unsupported: readonly UnsupportedNode[] };

/** A weight file that a model.json lists, picked together with it. */
export interface SideFile {
  readonly name: string;
  readonly bytes: ArrayBuffer;
}

export type ImportReply =
  | {
      readonly ok: true;
      readonly source: 'onnx' | 'tfjs';
      /** The model file's name, e.g. "cnn.onnx"; the project is named after it. */
      readonly fileName: string;
      /** Parsed and validated (parseProject) in the worker. */
      readonly project: Project;
      readonly totals: VersionRecord['totals'];
      /** Every weight of the compiled model by its `weightKeys` name (what a checkpoint holds); null when the graph does not compile. */
      readonly weights: readonly NamedArray[] | null;
      /** Why `weights` is null. */
      readonly weightsError: string | null;
      readonly unmapped: readonly { readonly op: string; readonly count: number; readonly nodes: readonly string[] }[];
      readonly notes: readonly string[];
    }
  /** `code` is the importer's (OnnxImportError / TfjsImportError) when it refused the file. */
  | { readonly ok: false; readonly error: WireError; readonly code: string | null };

export interface ExporterApi {
  /**
   * Exports `project` (untrusted: the worker validates it) with `weights`, or its seeded initial
   * weights when null. ONNX and bundle exports are validated with onnxruntime-web in the worker.
   */
  export(project: unknown, weights: WeightsPayload | null, format: ExportFormat, options?: ExportOptions): Promise<ExportReply>;
  /** An ONNX file, or a model.json (with `sideFiles`: the weight files it lists) → a project and its weights. */
  importModel(bytes: ArrayBuffer, fileName: string, sideFiles?: readonly SideFile[]): Promise<ImportReply>;
}
