// Caps checked before anything is decoded or allocated, and the opsets the op mappings follow.
import { LIMITS } from '../../project/schema.js';

export const IMPORT_LIMITS = {
  /** Whole file: weights must be embedded, so this also caps the weights. */
  maxBytes: 512 * 1024 * 1024,
  /** Nodes over all graphs in the file, as a project allows (project/schema.ts). */
  maxNodes: LIMITS.maxNodes,
  maxInitializers: 100_000,
  /** Any single dimension. */
  maxDim: 2 ** 31,
  maxRank: 16,
  /** Elements of one tensor, and of all tensors together (2^28 float32 = 1 GiB). */
  maxElements: 2 ** 28,
  /** Protobuf fields in the whole file: bounds scan and decode time whatever the bytes say. */
  maxFields: 4_000_000,
  /** Messages nested inside each other (graphs in attributes, types in types). */
  maxDepth: 48,
  /** Elements computed by constant folding, all ops together (shape arithmetic is tiny; this stops bombs). */
  maxFoldedElements: 2 ** 24,
  /** Bytes of one packed int64 list (dims, attribute ints, int64_data): each becomes an object when decoded. */
  maxPackedInt64Bytes: 8 * 1024 * 1024,
} as const;

/** Default-domain opsets whose operator semantics the mappings in ops/ follow (torch.onnx 1.13 exports 7–17). */
export const OPSET_RANGE = { min: 11, max: 17 } as const;
