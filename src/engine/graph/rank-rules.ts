// Rank rules: wirings that are valid Keras but rarely what a person meant, reported as warnings
// (the model still compiles). Today one: a Dense fed an image-like [B, H, W, C] tensor.
import type { NodeId } from '../ids.js';
import type { InputInfo } from '../layers/spec.js';
import type { Shape } from '../tensor.js';
import type { Diagnostic } from './diagnostics.js';

/**
 * Kinds that project only the last axis and are usually meant to see a whole sample. Others that
 * also act on the last axis (Softmax, LayerNormalization, activations) are per-position by design
 * on feature maps (segmentation heads, ConvNeXt blocks), so warning on them would be noise.
 */
const LAST_AXIS_PROJECTIONS: ReadonlySet<string> = new Set(['Dense']);

/** Rank from which an input is a feature map ([B, H, W, C], [B, D, H, W, C]), not a sequence ([B, T, F]). */
const FEATURE_MAP_RANK = 4;

/** `[B, 5, 5, 120]`: the batch is B, an unknown dim is ?, as the canvas writes shapes. */
function readable(shape: Shape): string {
  return `[${shape.map((d, i) => (i === 0 ? 'B' : d === null ? '?' : String(d))).join(', ')}]`;
}

/**
 * Warnings for a node whose shapes inferred fine but whose input rank makes the result unlikely
 * to be meant: a Dense on a rank ≥ 4 tensor keeps every spatial axis, so a classifier head ends
 * up [B, H, W, classes] instead of [B, classes]. Rank-3 sequences are per-timestep use: no warning.
 * A Dense fed straight by such a Dense is not warned again: the fix belongs upstream, once.
 * @example rankWarnings(nodeId('fc'), 'Dense', [{ shape: [null, 5, 5, 16], dtype: 'float32', source }], [null, 5, 5, 120])
 * // → [{ code: 'last-axis-only', severity: 'warning', nodeId: 'fc',
 * //      message: 'Dense applies to the last axis only of its [B, 5, 5, 16] input: its output stays [B, 5, 5, 120]', … }]
 */
export function rankWarnings(nodeId: NodeId, kind: string, inputs: readonly InputInfo[], out: Shape): Diagnostic[] {
  const x = inputs[0]?.shape;
  if (!LAST_AXIS_PROJECTIONS.has(kind) || inputs.length !== 1 || !x || x.length < FEATURE_MAP_RANK) return [];
  if (LAST_AXIS_PROJECTIONS.has(inputs[0]!.source.kind)) return []; // that Dense already carries the warning
  return [
    {
      code: 'last-axis-only',
      severity: 'warning',
      nodeId,
      message: `${kind} applies to the last axis only of its ${readable(x)} input: its output stays ${readable(out)}`,
      suggestion: `Insert a Flatten before it to classify the whole image${x.length === 4 ? ' (or a GlobalAveragePooling2D)' : ''}; keep it only for one ${kind} per position.`,
    },
  ];
}
