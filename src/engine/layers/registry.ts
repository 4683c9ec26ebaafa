// The layer registry: one spec per kind. `satisfies Record<LayerKind, LayerSpec>` makes a
// kind without a spec (or a spec for an unknown kind) a compile error.
import { activationLayers } from './activations.js';
import { attentionLayers } from './attention.js';
import { convLayers } from './conv.js';
import { coreLayers } from './core.js';
import type { LayerKind } from './kinds.js';
import { isLayerKind } from './kinds.js';
import { mergeLayers } from './merge.js';
import { normalizationLayers } from './normalization.js';
import { poolingLayers } from './pooling.js';
import { recurrentLayers } from './recurrent.js';
import type { LayerSpec } from './spec.js';

export const LAYERS = {
  ...coreLayers,
  ...convLayers,
  ...poolingLayers,
  ...recurrentLayers,
  ...attentionLayers,
  ...normalizationLayers,
  ...activationLayers,
  ...mergeLayers,
} satisfies Record<LayerKind, LayerSpec>;

export function layerSpec(kind: string): LayerSpec | undefined {
  return isLayerKind(kind) ? LAYERS[kind] : undefined;
}
