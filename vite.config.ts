import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import solid from 'vite-plugin-solid';
import { META_CONTENT_SECURITY_POLICY, requestTarget, responseKind, securityHeaders } from './src/sw/security-headers.js';
import { TFJS_WASM_DIR } from './src/workers/wasm-paths.js';

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

/**
 * Cross-origin isolation (multi-threaded wasm in TF.js and onnxruntime needs SharedArrayBuffer)
 * and the Content-Security-Policy on every dev and preview response, chosen per request so
 * `?embed=1` may be framed by other sites. The built index.html also carries the policy as a
 * <meta>, for static hosts on the first visit, before the service worker adds the headers.
 */
function securityHeadersPlugin(): Plugin {
  const handler = (dev: boolean) => (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    // Sec-Fetch-Dest says what the browser loads; without it (curl), HTML-accepting requests are documents.
    const dest = req.headers['sec-fetch-dest'] ?? ((req.headers.accept ?? '').includes('text/html') ? 'document' : '');
    for (const [name, value] of Object.entries(securityHeaders(responseKind(url, requestTarget(dest)), { dev }))) res.setHeader(name, value);
    next();
  };
  return {
    name: 'neuralforge:security-headers',
    configureServer: (server) => void server.middlewares.use(handler(true)),
    configurePreviewServer: (server) => void server.middlewares.use(handler(false)),
    transformIndexHtml: {
      order: 'pre',
      handler: (html, ctx) =>
        // The app's page, in the build only: the dev server's inline <style> injection needs the
        // relaxed header policy, and other pages (bench/browser/) are not the app.
        ctx.server || ctx.path !== '/index.html' ? html : html.replace('<meta charset="UTF-8" />', `<meta charset="UTF-8" />\n    <meta http-equiv="Content-Security-Policy" content="${META_CONTENT_SECURITY_POLICY}" />`),
    },
  };
}

/**
 * zod (4.x) probes once with `new Function("")` whether it may compile fast object parsers. Our
 * script-src has no 'unsafe-eval', so the probe fails, which is harmless but is reported as a
 * CSP violation in the page and in each worker. jitless skips the probe; it must be set before
 * any schema is built, i.e. inside zod's own config module, for every bundle (page and workers).
 */
function zodJitless(): Plugin {
  const module = /zod\/v4\/core\/core\.js$/;
  const line = 'export const globalConfig = globalThis.__zod_globalConfig;';
  return {
    name: 'neuralforge:zod-jitless',
    transform(code, id) {
      if (!module.test(id.split('?')[0]!)) return null;
      if (!code.includes(line)) this.error(`zod's config module changed: cannot set jitless in ${id} (see zodJitless in vite.config.ts)`);
      // Appended on the same line: no code moves, so `map: null` keeps the source maps right.
      return { code: code.replace(line, `${line} globalConfig.jitless ??= true;`), map: null };
    },
  };
}

/** Precache everything the app needs offline; onnxruntime-web's wasm alone is ~28 MB. */
const PRECACHE_MAX_FILE_BYTES = 40 * 1024 * 1024;

/**
 * The installable, offline app: a manifest with icons (public/icons/, from scripts/build-icons.ts)
 * and our own service worker (src/sw/sw.ts), into which Workbox writes the precache list. The page
 * registers it itself (src/editor/pwa/) and asks before switching to a new version.
 */
const pwa = VitePWA({
  strategies: 'injectManifest',
  srcDir: 'src/sw',
  filename: 'sw.ts',
  registerType: 'prompt',
  injectRegister: false,
  includeManifestIcons: false, // the glob below already lists them (no duplicate precache entries)
  manifest: {
    name: 'NeuralForge',
    short_name: 'NeuralForge',
    description: 'Design and train neural networks in your browser, on your own GPU.',
    theme_color: '#1d2330',
    background_color: '#f6f7f9',
    display: 'standalone',
    start_url: '.',
    scope: '.',
    icons: [
      { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
      { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
      { src: 'icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
  },
  injectManifest: {
    // A classic script (no module service worker): registered the same way in every browser.
    rollupFormat: 'iife',
    // The app's code and styles, both workers and their chunks, TF.js's and onnxruntime's wasm,
    // built-in MNIST (data/mnist.bin) and the icons; the plugin adds manifest.webmanifest itself.
    // Source maps stay on the network.
    globPatterns: ['**/*.{js,css,html,wasm,bin,svg,png}'],
    globIgnores: ['sw.js'],
    maximumFileSizeToCacheInBytes: PRECACHE_MAX_FILE_BYTES,
  },
});

export default defineConfig({
  plugins: [solid(), tfjsWasm(), securityHeadersPlugin(), zodJitless(), pwa],
  build: { target: 'es2022', sourcemap: true },
  worker: { format: 'es', plugins: () => [zodJitless()] },
  // Served as plain modules in dev so zodJitless applies there too (pre-bundling skips plugins).
  optimizeDeps: { exclude: ['zod'] },
});
