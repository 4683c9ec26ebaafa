// The browser side of backend set-up, from inside the worker: navigator.gpu, whether an
// OffscreenCanvas can give a WebGL2 context (and which renderer it is), and where the
// wasm binaries are served.
import type { BackendEnvironment, GpuLike } from '../engine/runtime/backend.js';
import { TFJS_WASM_DIR } from './wasm-paths.js';

function noGpuReason(): string {
  if (!globalThis.isSecureContext) return 'the page is not a secure context (use https or http://localhost)';
  return 'this browser has no navigator.gpu (WebGPU disabled or unsupported)';
}

function webgl2(): WebGL2RenderingContext | null {
  if (typeof OffscreenCanvas === 'undefined') return null;
  return new OffscreenCanvas(1, 1).getContext('webgl2');
}

export function browserEnvironment(): BackendEnvironment {
  const gpu = (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu ?? null;
  return {
    gpu,
    noGpuReason: gpu ? null : noGpuReason(),
    noAdapterHint: 'the browser offers WebGPU but no adapter: the GPU may be blocklisted; in Chromium see chrome://gpu',
    wasmPaths: `${import.meta.env.BASE_URL}${TFJS_WASM_DIR}/`,
    webglUnavailable: () => {
      if (typeof OffscreenCanvas === 'undefined') return 'no OffscreenCanvas in this worker';
      const gl = webgl2();
      if (!gl) return 'the browser refused a WebGL2 context';
      gl.getExtension('WEBGL_lose_context')?.loseContext(); // free it: TF.js makes its own
      return null;
    },
    webglRenderer: () => {
      const gl = webgl2();
      if (!gl) return null;
      const ext = gl.getExtension('WEBGL_debug_renderer_info');
      const vendor = String(gl.getParameter(ext ? ext.UNMASKED_VENDOR_WEBGL : gl.VENDOR) ?? '');
      const description = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
      gl.getExtension('WEBGL_lose_context')?.loseContext();
      return { vendor, description };
    },
  };
}
