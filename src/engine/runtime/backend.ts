// Choosing the TF.js backend that will train a model: webgpu → webgl → wasm → cpu (or the
// person's pick first), recording why each faster one was skipped, reporting the GPU adapter
// (and whether it is a software one such as SwiftShader), and proving the choice with a
// dry-run training step so a missing kernel shows up here, not in the middle of a run.
// Pure TS over structural types: runs in a worker, a page or Node (no DOM lib needed).
import * as tf from '@tensorflow/tfjs';
import { installFastCpuKernels } from './cpu-kernels.js';
import { BACKENDS, isSoftwareName, type AdapterReport, type BackendName, type BackendPreference, type BackendReport, type SkipReason, type Skipped } from './backend-types.js';
import { dryRunStep, kernelsUsedBy } from './backend-probe.js';
import { setupWebGpu, type GpuLike } from './backend-webgpu.js';

export * from './backend-types.js';
export { missingKernelIn, prewarmWebGpu, syntheticStep } from './backend-probe.js';
export type { GpuLike } from './backend-webgpu.js';

/** What differs between a browser worker and Node when setting backends up. */
export interface BackendEnvironment {
  /** `navigator.gpu` in a browser, Dawn's GPU in Node; null when there is none. */
  readonly gpu: GpuLike | null;
  /** Why there is no `gpu`, for the report (e.g. "not a secure context"); null when there is one. */
  readonly noGpuReason: string | null;
  /** What to try when the GPU API exists but offers no adapter (e.g. the Vulkan driver to point Dawn at). */
  readonly noAdapterHint: string | null;
  /** URL prefix (browser) the wasm backend fetches its .wasm files from; null = TF.js's default (right in Node). */
  readonly wasmPaths: string | null;
  /** null when WebGL can be used here, else why not (no OffscreenCanvas, context refused…). */
  readonly webglUnavailable: () => string | null;
  /** The WebGL renderer (vendor, description) for the report; null when unknown. */
  readonly webglRenderer: () => Omit<AdapterReport, 'api' | 'software' | 'isFallbackAdapter' | 'architecture' | 'device'> | null;
}

export interface ChooseOptions {
  readonly preference: BackendPreference;
  readonly environment: BackendEnvironment;
  /**
   * Builds the model to be trained (called once per candidate backend, so its weights live
   * there). When given, each candidate must take one real training step on a batch of 1.
   */
  readonly model?: () => tf.LayersModel;
}

export interface BackendChoice {
  readonly report: BackendReport;
  /** Resolves when the WebGPU device is lost (driver reset, GPU removed); null off WebGPU. */
  readonly deviceLost: Promise<string> | null;
}

/** The order tried: the person's pick first, then the automatic order without it. */
export function candidateOrder(preference: BackendPreference): readonly BackendName[] {
  return preference === 'auto' ? BACKENDS : [preference, ...BACKENDS.filter((b) => b !== preference)];
}

/** One line a person can read, e.g. "wasm cannot train this model: no Conv2DBackpropFilter kernel". */
export function describeSkip(backend: BackendName, r: SkipReason): string {
  switch (r.code) {
    case 'no-webgpu-api':
      return `WebGPU is not available here (${r.detail})`;
    case 'no-adapter':
      return `WebGPU found no GPU adapter${r.hint ? ` (${r.hint})` : ''}`;
    case 'adapter-failed':
      return `the WebGPU adapter or device request failed: ${r.message}`;
    case 'webgl-unavailable':
      return `WebGL is not available here (${r.message})`;
    case 'not-registered':
      return `TF.js has no ${backend} backend in this environment`;
    case 'init-failed':
      return `the ${backend} backend failed to start: ${r.message}`;
    case 'missing-kernels':
      return `${backend} cannot train this model: no ${r.kernels.join(', ')} kernel${r.kernels.length === 1 ? '' : 's'}`;
    case 'dry-run-failed':
      return `a test training step failed on ${backend}: ${r.message}`;
    case 'software-adapter':
      return `${backend} would run on a software GPU (${r.adapter}), which is slower than the CPU backends on the same processor; pick ${backend} to use it anyway`;
    default:
      return assertNever(r);
  }
}

function assertNever(x: never): never {
  throw new Error(`unexpected value ${JSON.stringify(x)}`);
}

/** `console` exists in every host we run in; the engine's lib (no DOM, no Node) does not declare it. */
const host = globalThis as unknown as { console: { warn: (...args: unknown[]) => void } };

/** TF.js logs why a backend failed to initialise instead of throwing; keep the message. */
async function setBackendCapturingWarnings(name: BackendName): Promise<string | null> {
  const warnings: string[] = [];
  const original = host.console.warn;
  host.console.warn = (...args: unknown[]) => {
    warnings.push(args.map(String).join(' '));
  };
  try {
    const ok = await tf.setBackend(name);
    return ok ? null : warnings.filter((w) => !w.startsWith('Initialization of backend')).join('; ') || 'unknown error';
  } catch (e) {
    return (e as Error).message;
  } finally {
    host.console.warn = original;
  }
}

/** Registers and activates one backend; returns why not, or its adapter (WebGPU/WebGL). */
async function activate(name: BackendName, env: BackendEnvironment): Promise<{ ok: false; reason: SkipReason } | { ok: true; adapter: AdapterReport | null; deviceLost: Promise<string> | null }> {
  switch (name) {
    case 'webgpu': {
      const setup = await setupWebGpu(env.gpu, env.noGpuReason, env.noAdapterHint);
      if (!setup.ok) return setup;
      const failed = await setBackendCapturingWarnings('webgpu');
      return failed ? { ok: false, reason: { code: 'init-failed', message: failed } } : { ok: true, adapter: setup.adapter, deviceLost: setup.deviceLost };
    }
    case 'webgl': {
      if (!tf.findBackendFactory('webgl')) return { ok: false, reason: { code: 'not-registered' } };
      const why = env.webglUnavailable();
      if (why) return { ok: false, reason: { code: 'webgl-unavailable', message: why } };
      const failed = await setBackendCapturingWarnings('webgl');
      if (failed) return { ok: false, reason: { code: 'init-failed', message: failed } };
      const r = env.webglRenderer();
      const adapter: AdapterReport | null = r && { api: 'webgl', ...r, architecture: '', device: '', isFallbackAdapter: false, software: isSoftwareName(`${r.vendor} ${r.description}`) };
      return { ok: true, adapter, deviceLost: null };
    }
    case 'wasm': {
      // Loaded on demand: the wasm glue and its binaries are fetched only when wasm is tried.
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      if (env.wasmPaths && !tf.findBackend('wasm')) wasm.setWasmPaths(env.wasmPaths);
      const failed = await setBackendCapturingWarnings('wasm');
      return failed ? { ok: false, reason: { code: 'init-failed', message: failed } } : { ok: true, adapter: null, deviceLost: null };
    }
    case 'cpu': {
      const failed = await setBackendCapturingWarnings('cpu');
      if (failed) return { ok: false, reason: { code: 'init-failed', message: failed } };
      installFastCpuKernels();
      return { ok: true, adapter: null, deviceLost: null };
    }
    default:
      return assertNever(name);
  }
}

/**
 * Picks and activates the backend that will train: the first candidate that starts and,
 * when `model` is given, takes one training step. The CPU backend is the last resort and
 * has every kernel, so this always returns.
 * @example const { report } = await chooseBackend({ preference: 'auto', environment, model: () => compileGraph(a).model });
 */
export function chooseBackend(opts: ChooseOptions): Promise<BackendChoice> {
  // TF.js has one global active backend and setBackend is async: two choices interleaving
  // (a page re-picking while the first pick still waits for the GPU) can leave TF.js naming
  // one backend while running another's kernels. Choices therefore run one after another.
  const next = choosing.then(() => choose(opts));
  choosing = next.catch(() => undefined);
  return next;
}

let choosing: Promise<unknown> = Promise.resolve();

async function choose(opts: ChooseOptions): Promise<BackendChoice> {
  const skipped: Skipped[] = [];
  const started = tf.util.now();
  const order = [...candidateOrder(opts.preference)];
  const deferred = new Set<BackendName>();
  for (let i = 0; i < order.length; i++) {
    const name = order[i]!;
    const t0 = tf.util.now();
    const a = await activate(name, opts.environment);
    if (!a.ok) {
      skipped.push({ backend: name, reason: a.reason, message: describeSkip(name, a.reason) });
      continue;
    }
    if (opts.preference === 'auto' && a.adapter?.software && !deferred.has(name)) {
      // Try it again after everything else, in case nothing else can train the model.
      const reason: SkipReason = { code: 'software-adapter', adapter: a.adapter.architecture || a.adapter.description || a.adapter.vendor };
      skipped.push({ backend: name, reason, message: describeSkip(name, reason) });
      deferred.add(name);
      order.push(name);
      continue;
    }
    const initMs = tf.util.now() - t0;
    let dryRunMs: number | null = null;
    if (opts.model) {
      const t1 = tf.util.now();
      const failure = await dryRunStep(opts.model);
      if (failure) {
        skipped.push({ backend: name, reason: failure, message: describeSkip(name, failure) });
        continue;
      }
      dryRunMs = tf.util.now() - t1;
    }
    const completed = opts.model ? await completeMissingKernels(skipped, opts.model, name) : skipped;
    const report: BackendReport = {
      requested: opts.preference,
      backend: name,
      adapter: a.adapter,
      softwareAdapter: a.adapter?.software ?? false,
      skipped: completed.filter((s) => s.backend !== name), // a deferred software GPU that won after all
      timings: { initMs, dryRunMs, totalMs: tf.util.now() - started },
    };
    return { report, deviceLost: a.deviceLost };
  }
  throw new Error(`no TF.js backend could start: ${skipped.map((s) => `${s.backend}: ${s.message}`).join('; ')}`);
}

/**
 * A dry run stops at the first missing kernel; list them all by profiling one step on the
 * CPU backend (which has every kernel) and asking TF.js which the skipped backend lacks.
 */
async function completeMissingKernels(skipped: readonly Skipped[], model: () => tf.LayersModel, chosen: BackendName): Promise<Skipped[]> {
  if (!skipped.some((s) => s.reason.code === 'missing-kernels')) return [...skipped];
  let used: readonly string[];
  try {
    if (chosen !== 'cpu') await tf.setBackend('cpu');
    used = await kernelsUsedBy(model);
  } finally {
    if (chosen !== 'cpu') await tf.setBackend(chosen);
  }
  return skipped.map((s) => {
    if (s.reason.code !== 'missing-kernels') return s;
    const lacking = used.filter((k) => !tf.getKernel(k, s.backend));
    const kernels = [...new Set([...s.reason.kernels, ...lacking])].sort();
    const reason: SkipReason = { code: 'missing-kernels', kernels };
    return { ...s, reason, message: describeSkip(s.backend, reason) };
  });
}
