// Builds the production app into a temporary folder (worker chunk and wasm files included)
// and serves it on a loopback port. Used by the browser tests' global setup and by
// measure-backends.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { buildMnistFile } from '../../src/engine/data/node-files.js';
import { serveStatic, type StaticServer } from './static-server.js';

export async function buildAndServe(): Promise<StaticServer & { buildMs: number; outDir: string }> {
  const root = resolve(import.meta.dirname, '../..');
  await buildMnistFile({ force: false }); // public/data/mnist.bin, copied into the build
  const outDir = mkdtempSync(join(tmpdir(), 'nf-app-'));
  const t0 = Date.now();
  await build({ root, configFile: join(root, 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true, sourcemap: false } });
  const buildMs = Date.now() - t0;
  const server = await serveStatic(outDir);
  return {
    url: server.url,
    buildMs,
    outDir,
    async close() {
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}
