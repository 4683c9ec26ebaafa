// custom-layers.generated.ts is built from src/engine/compile/custom/ by esbuild; a stale copy
// (someone changed a layer and did not rebuild) fails here, like docs/layers.md in docs.test.ts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENERATED_FILE, renderCustomLayerSources } from '../../scripts/build-custom-layers.js';
import { CUSTOM_LAYERS } from '../../src/engine/compile/custom/index.js';
import { customClassNames, customLayersModule, STANDARD_REPLACED } from '../../src/engine/export/tfjs/custom-source.js';

describe('generated custom layer sources', () => {
  it('are up to date (run `npx tsx scripts/build-custom-layers.ts`)', async () => {
    expect(readFileSync(GENERATED_FILE, 'utf8')).toBe(await renderCustomLayerSources());
  });

  it('cover every custom class the exporter does not replace with a standard layer', () => {
    const kept = Object.entries(CUSTOM_LAYERS)
      .filter(([k]) => !STANDARD_REPLACED.includes(k as never))
      .map(([, cls]) => (cls as unknown as { className: string }).className);
    expect([...customClassNames()].sort()).toEqual(kept.sort());
  });

  it('refuses a class it has no source for, naming it', () => {
    expect(() => customLayersModule(['NFWarpDrive'])).toThrow(/no generated source for the custom layer class NFWarpDrive/);
  });
});
