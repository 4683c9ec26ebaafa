// The backend choice as plain data: what was picked, on which adapter, and why each faster
// backend was skipped. Structured-clonable, so a worker can send it to the page as is.
// No TF.js import: the page imports these types without loading TF.js.

/** TF.js backends in the order tried automatically: fastest first on a real GPU. */
export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export type BackendPreference = 'auto' | BackendName;

export const isBackendPreference = (v: unknown): v is BackendPreference => v === 'auto' || (BACKENDS as readonly unknown[]).includes(v);

/** Why a backend was not used. */
export type SkipReason =
  /** No `navigator.gpu`: a browser without WebGPU, an insecure page, Node without Dawn. */
  | { readonly code: 'no-webgpu-api'; readonly detail: string }
  /** `requestAdapter()` resolved to null: WebGPU exists but offers no adapter (blocklisted GPU, no driver). */
  | { readonly code: 'no-adapter'; readonly hint: string | null }
  /** `requestAdapter()` or `requestDevice()` threw. */
  | { readonly code: 'adapter-failed'; readonly message: string }
  /** No WebGL context could be made (no OffscreenCanvas in a worker, GPU process refused…). */
  | { readonly code: 'webgl-unavailable'; readonly message: string }
  /** This TF.js build has no such backend here (webgl in Node). */
  | { readonly code: 'not-registered' }
  /** TF.js could not initialise the backend (wasm binary not served, context lost…). */
  | { readonly code: 'init-failed'; readonly message: string }
  /** The model needs kernels the backend lacks, e.g. wasm has no Conv2DBackpropFilter. */
  | { readonly code: 'missing-kernels'; readonly kernels: readonly string[] }
  /** The test training step failed for another reason (shader compile error, out of memory…). */
  | { readonly code: 'dry-run-failed'; readonly message: string }
  /**
   * 'auto' only: the GPU is a software rasteriser (SwiftShader, llvmpipe…). It runs on the
   * same processor as wasm and cpu and is slower than both (MLP epoch: webgpu 4.8 s, webgl
   * 1.2 s, wasm 0.48 s, cpu 2.4 s on SwiftShader here), so it is used only when they fail.
   */
  | { readonly code: 'software-adapter'; readonly adapter: string };

export interface Skipped {
  readonly backend: BackendName;
  readonly reason: SkipReason;
  /** The reason as one sentence for a person. */
  readonly message: string;
}

/** The GPU behind the backend, from GPUAdapter.info (WebGPU) or the unmasked renderer (WebGL). */
export interface AdapterReport {
  readonly api: 'webgpu' | 'webgl';
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  /** WebGPU's own flag for an adapter that is slow or limited (often a CPU implementation). */
  readonly isFallbackAdapter: boolean;
  /** A fallback adapter or a known CPU rasteriser (SwiftShader, llvmpipe, WARP): expect slow training. */
  readonly software: boolean;
}

export interface BackendReport {
  readonly requested: BackendPreference;
  readonly backend: BackendName;
  /** Null for wasm and cpu, and for WebGL when the browser hides its renderer. */
  readonly adapter: AdapterReport | null;
  readonly softwareAdapter: boolean;
  /** Backends tried before `backend`, in order, with the reason each was passed over. */
  readonly skipped: readonly Skipped[];
  readonly timings: {
    readonly initMs: number;
    /** The test training step on a batch of 1; null when no model was given. */
    readonly dryRunMs: number | null;
    readonly totalMs: number;
  };
}

/** Names of CPU rasterisers that present themselves as GPUs. */
export function isSoftwareName(s: string): boolean {
  return /swiftshader|llvmpipe|lavapipe|softpipe|software|microsoft basic render|\bwarp\b/i.test(s);
}

/** The sentence the UI shows next to the backend when the adapter is a software one. */
export function softwareWarning(r: BackendReport): string | null {
  if (!r.softwareAdapter || !r.adapter) return null;
  const name = r.adapter.architecture || r.adapter.description || r.adapter.vendor || 'a software renderer';
  return `Training on a software GPU (${name}): expect it to be slow. A machine with a hardware GPU trains this many times faster.`;
}
