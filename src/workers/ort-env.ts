// onnxruntime-web for the exporter worker: loaded on first use, its wasm binary served from our
// own origin. The default `onnxruntime-web` entry (1.30) is the JSEP build (wasm EP plus WebGPU)
// with its loader bundled in; only the .wasm is fetched. Vite emits it once as a hashed asset
// (the `?url` import here and the package's own `new URL(…, import.meta.url)` resolve to the same
// file), in dev and build alike, so no copy step or CDN is needed.
import jsepWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.wasm?url';

type Ort = typeof import('onnxruntime-web');
let loading: Promise<Ort> | null = null;

/**
 * onnxruntime-web, configured once: its wasm from our origin, one thread (validation runs a
 * handful of samples; threads would spawn nested workers for little gain).
 */
export function loadOrt(): Promise<Ort> {
  loading ??= import('onnxruntime-web').then((ort) => {
    ort.env.wasm.wasmPaths = { wasm: jsepWasmUrl };
    ort.env.wasm.numThreads = 1;
    return ort;
  });
  return loading;
}

/** The providers to validate on: wasm always; webgpu too, which reports its own reason when it cannot run. */
export const VALIDATION_PROVIDERS = ['wasm', 'webgpu'] as const;
