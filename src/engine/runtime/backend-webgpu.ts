// WebGPU set-up: request the adapter ourselves (so we can say which GPU it is, whether it
// is a software one, and why there is none), then hand that adapter's device to TF.js's
// WebGPU backend. The backend package is imported only here, on demand.
// Structural types stand in for @webgpu/types so the engine compiles without the DOM lib.
import * as tf from '@tensorflow/tfjs';
import { isSoftwareName, type AdapterReport, type SkipReason } from './backend-types.js';

interface AdapterInfoLike {
  readonly vendor?: string;
  readonly architecture?: string;
  readonly device?: string;
  readonly description?: string;
  readonly isFallbackAdapter?: boolean;
}

interface DeviceLike {
  readonly lost: Promise<{ readonly reason: string; readonly message: string }>;
}

interface AdapterLike {
  readonly info?: AdapterInfoLike;
  readonly isFallbackAdapter?: boolean;
  readonly features: { has(name: string): boolean };
  readonly limits: Readonly<Record<string, number>>;
  requestAdapterInfo?(): Promise<AdapterInfoLike>;
  requestDevice(descriptor?: { requiredFeatures?: string[]; requiredLimits?: Record<string, number> }): Promise<DeviceLike>;
}

/** `navigator.gpu`, or the GPU object of the `webgpu` npm package (Dawn) in Node. */
export interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'low-power' | 'high-performance' }): Promise<AdapterLike | null>;
}

export type WebGpuSetup =
  | { readonly ok: false; readonly reason: SkipReason }
  | { readonly ok: true; readonly adapter: AdapterReport; readonly deviceLost: Promise<string> };

/** TF.js asks for these limits at the adapter's maximum (same as its own factory), so big layers fit. */
const LIMITS = ['maxComputeWorkgroupStorageSize', 'maxComputeWorkgroupsPerDimension', 'maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeWorkgroupSizeX', 'maxComputeInvocationsPerWorkgroup'];

/** The set-up of the WebGPU backend TF.js currently holds, so a second call reuses it. */
let current: { adapter: AdapterReport; deviceLost: Promise<string> } | null = null;

export function describeAdapter(adapter: AdapterLike, info: AdapterInfoLike): AdapterReport {
  const fallback = adapter.isFallbackAdapter ?? info.isFallbackAdapter ?? false;
  const r = { vendor: info.vendor ?? '', architecture: info.architecture ?? '', device: info.device ?? '', description: info.description ?? '' };
  return { api: 'webgpu', ...r, isFallbackAdapter: fallback, software: fallback || isSoftwareName(Object.values(r).join(' ')) };
}

export async function setupWebGpu(gpu: GpuLike | null, noGpuReason: string | null, noAdapterHint: string | null): Promise<WebGpuSetup> {
  if (current && tf.findBackend('webgpu')) return { ok: true, ...current };
  if (!gpu) return { ok: false, reason: { code: 'no-webgpu-api', detail: noGpuReason ?? 'no navigator.gpu' } };
  let adapter: AdapterLike | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    return { ok: false, reason: { code: 'adapter-failed', message: (e as Error).message } };
  }
  if (!adapter) return { ok: false, reason: { code: 'no-adapter', hint: noAdapterHint } };
  let device: DeviceLike;
  let info: AdapterInfoLike;
  try {
    info = adapter.info ?? (await adapter.requestAdapterInfo?.()) ?? {};
    const requiredFeatures = ['timestamp-query', 'bgra8unorm-storage'].filter((f) => adapter.features.has(f));
    const requiredLimits = Object.fromEntries(LIMITS.filter((k) => typeof adapter.limits[k] === 'number').map((k) => [k, adapter.limits[k]!]));
    device = await adapter.requestDevice({ requiredFeatures, requiredLimits });
  } catch (e) {
    return { ok: false, reason: { code: 'adapter-failed', message: (e as Error).message } };
  }
  // The package registers its own factory (which would request a second adapter) when
  // navigator.gpu exists; replace it with one that wraps the device we already have.
  const { WebGPUBackend } = await import('@tensorflow/tfjs-backend-webgpu');
  if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
  type Ctor = ConstructorParameters<typeof WebGPUBackend>;
  tf.registerBackend('webgpu', () => new WebGPUBackend(device as unknown as Ctor[0], info as unknown as Ctor[1]), 3);
  const deviceLost = device.lost.then((l) => `${l.reason}: ${l.message}`);
  current = { adapter: describeAdapter(adapter, info), deviceLost };
  return { ok: true, ...current };
}
