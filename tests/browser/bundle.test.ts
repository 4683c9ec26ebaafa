// The page's own JavaScript stays small and free of TF.js: TF.js and its backends load only
// in the trainer worker (and the wasm/webgpu backends only when tried). Checked on the same
// production build the browser tests run against.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, inject, it } from 'vitest';

/** Strings only TF.js's code contains (kernel registration, the engine's backend registry). */
const TFJS = /registerKernel|Kernel '.*' not registered|WEBGL_VERSION/;

/**
 * The page's initial JS budget, gzip: the editor issue's target, 300 KB. History: 24 KB before
 * training, 98 KB once projects opened from storage (zod validates every record read), 176 KB
 * with the graph editor (@xyflow/system with d3-zoom/d3-drag, dagre, the panels). uPlot,
 * .nfproj (fflate) and the workers (TF.js, onnxruntime) load on demand.
 */
const PAGE_BUDGET_GZIP = 300 * 1024;

describe('production bundle', () => {
  const dir = inject('appDir');
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const entry = /<script type="module"[^>]*src="\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
  const assets = readdirSync(join(dir, 'assets')).filter((f) => f.endsWith('.js'));

  it('keeps TF.js out of the page entry and under the size budget', () => {
    expect(entry).toBeDefined();
    const js = readFileSync(join(dir, entry!));
    expect(TFJS.test(js.toString('utf8'))).toBe(false);
    expect(gzipSync(js).length).toBeLessThan(PAGE_BUDGET_GZIP);
    // Static imports of the entry (modulepreload) must not pull TF.js in either.
    for (const m of html.matchAll(/<link rel="modulepreload"[^>]*href="\/(assets\/[^"]+)"/g)) {
      expect(TFJS.test(readFileSync(join(dir, m[1]!), 'utf8')), m[1]).toBe(false);
    }
  });

  it('puts TF.js in the trainer worker chunk, and ships the wasm binaries and MNIST', () => {
    const worker = assets.find((f) => f.startsWith('trainer.worker-'));
    expect(worker).toBeDefined();
    expect(TFJS.test(readFileSync(join(dir, 'assets', worker!), 'utf8'))).toBe(true);
    expect(readdirSync(join(dir, 'tfjs-wasm')).sort()).toEqual(['tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm', 'tfjs-backend-wasm.wasm']);
    expect(readdirSync(join(dir, 'data'))).toContain('mnist.bin');
  });
});
