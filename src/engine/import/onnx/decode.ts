// Bytes → onnx.ModelProto: size cap, the wire scan (wire.ts), then onnx-proto's decoder, with its
// errors turned into OnnxImportErrors; and the opset check every mapping relies on.
import pkg from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { OnnxImportError, refuse } from './errors.js';
import { IMPORT_LIMITS, OPSET_RANGE } from './limits.js';
import { int64 } from './tensor.js';
import { scanWire, type WireSummary } from './wire.js';

const { onnx } = pkg;

export type ModelProto = OnnxTypes.ModelProto;

export interface Decoded {
  readonly model: ModelProto;
  readonly graph: OnnxTypes.IGraphProto;
  /** The default-domain (ai.onnx) opset version. */
  readonly opset: number;
  readonly summary: WireSummary;
}

const MB = 1024 * 1024;

/**
 * Decodes and checks an ONNX model. Nothing is allocated from declared sizes before the scan.
 * @throws OnnxImportError with code 'too-large', 'truncated', 'invalid', 'absurd-shape', 'external-data' or 'unsupported-opset'.
 */
export function decodeModel(bytes: Uint8Array): Decoded {
  if (!(bytes instanceof Uint8Array)) refuse('invalid', 'expected the file as a Uint8Array');
  if (bytes.length > IMPORT_LIMITS.maxBytes)
    refuse('too-large', `the file is ${Math.round(bytes.length / MB)} MB; models up to ${IMPORT_LIMITS.maxBytes / MB} MB can be imported`);
  if (bytes.length === 0) refuse('invalid', 'the file is empty');
  const summary = scanWire(bytes);
  let model: ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw decodeError(e);
  }
  const graph = model.graph;
  if (!graph) refuse('invalid', 'the model has no graph');
  return { model, graph, opset: defaultOpset(model), summary };
}

/** The scan catches malformed input first; this keeps the decoder's own failures readable all the same. */
function decodeError(e: unknown): OnnxImportError {
  const message = e instanceof Error ? e.message : String(e);
  const range = /index out of range: (\d+) \+ (\d+) > (\d+)/.exec(message);
  if (range) return new OnnxImportError('truncated', `the file ends at byte ${range[3]} inside a field that needs ${range[2]} more bytes`, `byte ${range[1]}`);
  if (/call stack/i.test(message)) return new OnnxImportError('invalid', 'messages are nested too deeply to decode');
  return new OnnxImportError('invalid', `not a valid ONNX model: ${message}`);
}

function defaultOpset(model: ModelProto): number {
  const entry = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
  const range = `opsets ${OPSET_RANGE.min} to ${OPSET_RANGE.max} can be imported`;
  if (!entry) refuse('unsupported-opset', `the model declares no ai.onnx opset; ${range}`, 'opset_import');
  const version = int64(entry.version);
  if (version < OPSET_RANGE.min || version > OPSET_RANGE.max)
    refuse('unsupported-opset', `the model uses ai.onnx opset ${version}; ${range} (re-export it, e.g. torch.onnx.export(..., opset_version=17))`, 'opset_import');
  return version;
}
