// The layer reference is generated from the registry; a stale docs/layers.md fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAYER_KINDS } from '../../src/engine/layers/kinds.js';
import { renderLayerReference } from '../../src/engine/layers/reference.js';
import { LAYERS } from '../../src/engine/layers/registry.js';

describe('layer reference', () => {
  it('docs/layers.md is up to date (run `npm run docs`)', () => {
    expect(readFileSync(join(import.meta.dirname, '../../docs/layers.md'), 'utf8')).toBe(renderLayerReference());
  });
  it('documents every kind, and every registry entry is keyed by its own kind', () => {
    const doc = renderLayerReference();
    for (const k of LAYER_KINDS) expect(doc).toContain(`### ${k}\n`);
    for (const [key, spec] of Object.entries(LAYERS)) expect(spec.kind).toBe(key);
  });
});
