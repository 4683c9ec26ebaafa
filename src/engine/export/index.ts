// One entry for every export format: refuse unsupported nodes up front, run the exporter,
// validate ONNX against TF.js (always: the report travels with the export), total the bytes.
import type * as Ort from 'onnxruntime-web';
import type { Analysis } from '../graph/analyze.js';
import { bundleFileName, servingBundle } from './bundle.js';
import { exportKeras } from './keras/index.js';
import { exportNotebook } from './notebook.js';
import { exportOnnx, onnxSupport, validateOnnx, type OnnxExport, type OnnxProvider } from './onnx/index.js';
import { exportPytorch, pytorchSupport } from './pytorch/index.js';
import { exportTfjs } from './tfjs/index.js';
import { ExportError, type ExportFile, type ExportFormat, type ExportInput, type UnsupportedNode, type ValidationReport } from './types.js';

export interface ExportDeps {
  /** onnxruntime-web, set up by the caller (wasm paths in a page, numThreads = 1 in Node): needed for onnx and bundle. */
  readonly ort?: typeof Ort;
  /** Execution providers the ONNX validation runs on (default wasm only). */
  readonly providers?: readonly OnnxProvider[];
  /** Random samples the validation compares (default 8). */
  readonly samples?: number;
}

export interface ExportResult {
  readonly files: ExportFile[];
  /** ONNX and bundle: how onnxruntime's outputs compared with TF.js's; null for code formats. */
  readonly report: ValidationReport | null;
  /** Total size of the files. */
  readonly bytes: number;
}

/** The nodes `format` cannot express (empty: everything exports). */
export function supportFor(format: ExportFormat, analysis: Analysis): UnsupportedNode[] {
  switch (format) {
    case 'onnx':
    case 'bundle':
      return onnxSupport(analysis);
    case 'pytorch':
    case 'notebook':
      return pytorchSupport(analysis);
    case 'tfjs':
    case 'keras':
      return [];
    default: {
      const never: never = format;
      throw new Error(`unknown export format ${String(never)}`);
    }
  }
}

async function onnxValidated(input: ExportInput, deps: ExportDeps): Promise<{ exported: OnnxExport; report: ValidationReport }> {
  if (!deps.ort) throw new Error('ONNX exports are always validated: pass onnxruntime-web as deps.ort');
  const exported = exportOnnx(input);
  const report = await validateOnnx(input, exported, { ort: deps.ort, providers: deps.providers ?? ['wasm'], samples: deps.samples ?? 8 });
  return { exported, report };
}

const done = (files: ExportFile[], report: ValidationReport | null): ExportResult => ({ files, report, bytes: files.reduce((s, f) => s + f.bytes.byteLength, 0) });

/**
 * @example const { files, report } = await exportModel('onnx', { project, analysis, model }, { ort });
 * @throws ExportError listing the nodes the format cannot express (before any work).
 */
export async function exportModel(format: ExportFormat, input: ExportInput, deps: ExportDeps = {}): Promise<ExportResult> {
  const unsupported = supportFor(format, input.analysis);
  if (unsupported.length) throw new ExportError(format, unsupported);
  switch (format) {
    case 'onnx': {
      const { exported, report } = await onnxValidated(input, deps);
      return done([{ path: 'model.onnx', bytes: exported.bytes }], report);
    }
    case 'bundle': {
      const { exported, report } = await onnxValidated(input, deps);
      return done([{ path: bundleFileName(input.project.name), bytes: servingBundle(input.project.name, exported, report) }], report);
    }
    case 'tfjs':
      return done(exportTfjs(input), null);
    case 'pytorch':
      return done(exportPytorch(input), null);
    case 'keras':
      return done(exportKeras(input), null);
    case 'notebook':
      return done(exportNotebook(input), null);
    default: {
      const never: never = format;
      throw new Error(`unknown export format ${String(never)}`);
    }
  }
}
