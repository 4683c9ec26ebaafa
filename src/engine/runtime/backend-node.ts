// Backends for the CLI and tests in Node: cpu (with the faster CPU kernels), wasm (TF.js
// loads its .wasm files from its own package directory), and webgpu through the `webgpu`
// npm package (Google's Dawn, a prebuilt binary inside the package).
//
// Dawn needs a Vulkan driver. On a machine without a GPU the one that works is the
// SwiftShader ICD that Debian's chromium package ships; run Node with
//   LD_LIBRARY_PATH=/usr/lib/chromium VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json
// Without it Dawn finds no adapter (Mesa's lavapipe is refused) and webgpu is skipped with
// that reason; with a real GPU and its Vulkan driver installed, no variables are needed.
import { chooseBackend, type BackendChoice, type BackendEnvironment, type GpuLike } from './backend.js';
import type { BackendPreference } from './backend-types.js';
import type * as tf from '@tensorflow/tfjs';

const host = globalThis as unknown as {
  navigator?: { gpu?: unknown };
  process?: { env: Record<string, string | undefined> };
};

/** Loads Dawn and exposes it as `navigator.gpu` plus the GPU* globals TF.js's WebGPU backend uses. */
async function loadDawn(): Promise<{ gpu: GpuLike } | { error: string }> {
  let mod: { create(options: string[]): unknown; globals: object };
  try {
    mod = (await import('webgpu')) as unknown as typeof mod;
  } catch (e) {
    return { error: `the webgpu package could not be loaded (${(e as Error).message})` };
  }
  Object.assign(globalThis, mod.globals);
  const gpu = mod.create([]) as GpuLike;
  // Node ≥ 21 has a read-only navigator getter; define rather than assign.
  const nav = { ...(host.navigator ?? {}), gpu };
  Object.defineProperty(globalThis, 'navigator', { value: nav, configurable: true, writable: true });
  return { gpu };
}

/** The hint shown when Dawn finds no adapter: which variables make SwiftShader visible. */
export function dawnHint(): string {
  const env = host.process?.env ?? {};
  return env['VK_ICD_FILENAMES']
    ? `VK_ICD_FILENAMES=${env['VK_ICD_FILENAMES']} gave no adapter`
    : 'set LD_LIBRARY_PATH=/usr/lib/chromium VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json to use SwiftShader from Debian\'s chromium package';
}

/** Node has no WebGL; wasm binaries are found next to the package; WebGPU through Dawn when `webgpu` is set. */
export async function nodeEnvironment(opts: { readonly webgpu: boolean }): Promise<BackendEnvironment> {
  let gpu: GpuLike | null = null;
  let noGpuReason: string | null = 'Dawn is not loaded when only wasm or cpu is asked for';
  if (opts.webgpu) {
    const dawn = await loadDawn();
    if ('gpu' in dawn) {
      gpu = dawn.gpu;
      noGpuReason = null;
    } else noGpuReason = dawn.error;
  }
  return {
    gpu,
    noGpuReason,
    noAdapterHint: dawnHint(),
    wasmPaths: null,
    webglUnavailable: () => 'Node has no WebGL',
    webglRenderer: () => null,
  };
}

/**
 * Picks a backend for Node. Dawn is loaded for 'webgpu' and 'auto' (about 90 ms with or
 * without a driver): under 'auto' a hardware GPU wins, while a software one (SwiftShader) is
 * passed over for wasm/cpu like in the browser. An explicit wasm or cpu pick skips Dawn.
 * @example const { report } = await chooseNodeBackend('wasm', () => compileGraph(a).model);
 */
export async function chooseNodeBackend(preference: BackendPreference, model?: () => tf.LayersModel): Promise<BackendChoice> {
  const environment = await nodeEnvironment({ webgpu: preference === 'webgpu' || preference === 'auto' });
  return chooseBackend(model ? { preference, environment, model } : { preference, environment });
}
