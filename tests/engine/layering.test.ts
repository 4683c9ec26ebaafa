// The engine must run unchanged in a page, a worker and Node: no DOM, no UI, no storage,
// and TF.js only as a type in layer specs (the editor runs shape inference without it).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const engine = join(root, 'src/engine');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const imports = (src: string) => [...src.matchAll(/^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => ({ typeOnly: Boolean(m[2]), spec: m[3]! }));

describe('engine layering', () => {
  const all = files(engine);
  it('finds the engine sources', () => expect(all.length).toBeGreaterThan(15));

  it('imports nothing from the UI, storage, workers or DOM-only packages', () => {
    const forbidden = /^(solid-js|@xyflow\/|idb|comlink|uplot|workbox-)|(^|\/)(editor|storage|workers)\//;
    const bad = all.flatMap((f) => imports(readFileSync(f, 'utf8')).filter((i) => forbidden.test(i.spec)).map((i) => `${relative(root, f)} → ${i.spec}`));
    expect(bad).toEqual([]);
  });

  it('type-checks without the DOM (npm test runs tsconfig.engine.json, whose lib has no DOM)', () => {
    // A DOM global such as `document` then fails to compile; this pins the config itself.
    const cfg = JSON.parse(readFileSync(join(root, 'tsconfig.engine.json'), 'utf8')) as { compilerOptions: { lib: string[]; types: string[] }; include: string[] };
    expect(cfg.compilerOptions.lib.some((l) => /dom|webworker/i.test(l))).toBe(false);
    expect(cfg.compilerOptions.types).toEqual([]);
    expect(cfg.include).toEqual(['src/engine']);
    expect(readFileSync(join(root, 'package.json'), 'utf8')).toContain('tsc -p tsconfig.engine.json --noEmit');
  });

  it('keeps TF.js out of everything shape inference loads (type imports only)', () => {
    const inferencePaths = all.filter((f) => !/^(compile|runtime|train|export)\//.test(relative(engine, f)));
    const bad = inferencePaths.flatMap((f) =>
      imports(readFileSync(f, 'utf8')).filter((i) => !i.typeOnly && (i.spec.startsWith('@tensorflow/') || i.spec.includes('/compile/'))).map((i) => `${relative(root, f)} → ${i.spec}`),
    );
    expect(bad).toEqual([]);
  });
});
