// Why an ONNX file was refused: a code a caller can branch on, and a message that says what and where.

export type OnnxImportErrorCode =
  /** The protobuf ends inside a field (a cut-off download or a sliced file). */
  | 'truncated'
  /** Over a size or count cap (file bytes, nodes, elements). */
  | 'too-large'
  /** A tensor keeps its data outside the file; only embedded weights are read. */
  | 'external-data'
  /** A dimension, element count or data length no real model has. */
  | 'absurd-shape'
  /** The default-domain opset is outside the supported range. */
  | 'unsupported-opset'
  /** The file is not a well-formed ONNX model (bad wire format, attributes, references). */
  | 'invalid'
  /** A well-formed model that uses something the importer cannot represent (symbolic sizes, …). */
  | 'unsupported'
  /** Ops without a mapping cut the graph: what follows them cannot be connected. */
  | 'unmapped';

export class OnnxImportError extends Error {
  /**
   * @param where The node, tensor or byte position at fault, e.g. `node "/conv1/Conv" (Conv)`,
   *   `initializer "fc.weight"`, `byte 2612`; undefined when the whole file is at fault.
   */
  constructor(
    readonly code: OnnxImportErrorCode,
    message: string,
    readonly where?: string,
  ) {
    super(where ? `${where}: ${message}` : message);
    this.name = 'OnnxImportError';
  }
}

/** Throws an OnnxImportError; `never` lets callers use it in expressions. */
export function refuse(code: OnnxImportErrorCode, message: string, where?: string): never {
  throw new OnnxImportError(code, message, where);
}
