import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

// Cross-origin isolation lets TF.js and onnxruntime use multi-threaded wasm (SharedArrayBuffer).
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [solid()],
  server: { headers: isolation },
  preview: { headers: isolation },
  build: { target: 'es2022', sourcemap: true },
  worker: { format: 'es' },
});
