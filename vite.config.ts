import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import solid from 'vite-plugin-solid';
import { TFJS_WASM_DIR } from './src/workers/wasm-paths.js';

// Cross-origin isolation lets TF.js and onnxruntime use multi-threaded wasm (SharedArrayBuffer).
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * Serves TF.js's wasm binaries at /tfjs-wasm/ in dev and copies them into the build, so the
 * wasm backend loads them from our own origin (no CDN: works offline and under COEP).
 */
function tfjsWasm(): Plugin {
  const dir = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm')); // dist/, beside the .wasm files
  const files = readdirSync(dir).filter((f) => f.endsWith('.wasm'));
  const prefix = `/${TFJS_WASM_DIR}/`;
  return {
    name: 'neuralforge:tfjs-wasm',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const name = req.url?.startsWith(prefix) ? req.url.slice(prefix.length).split('?')[0]! : '';
        if (!files.includes(name)) return next();
        res.setHeader('Content-Type', 'application/wasm');
        res.end(readFileSync(join(dir, name)));
      });
    },
    generateBundle() {
      for (const f of files) this.emitFile({ type: 'asset', fileName: `${TFJS_WASM_DIR}/${f}`, source: readFileSync(join(dir, f)) });
    },
  };
}

export default defineConfig({
  plugins: [solid(), tfjsWasm()],
  server: { headers: isolation },
  preview: { headers: isolation },
  build: { target: 'es2022', sourcemap: true },
  worker: { format: 'es' },
});
