// The trainer worker: exposes TrainerApi over comlink. TF.js and every backend load here,
// never in the page. One run at a time; commands name their run, so a late click meant
// for an earlier run is refused instead of pausing or stopping the current one. Runs are
// kept on the device through the worker's own IndexedDB connection and OPFS store, opened
// on the first run that needs them.
import * as Comlink from 'comlink';
import { chooseBackend } from '../engine/runtime/backend.js';
import type { BackendPreference } from '../engine/runtime/backend-types.js';
import { collectGarbage } from '../storage/gc.js';
import { browserEnvironment } from './browser-env.js';
import { TrainingControl, type ControlState } from '../engine/train/index.js';
import type { RunStorage } from './run-store.js';
import { runTraining, type RunHandle } from './run-training.js';
import { storageOpener } from './worker-storage.js';
import { toWireError, type InitResult, type RunId, type RunSummary, type StartRequest, type TrainerApi, type TrainerEvent } from './trainer-api.js';

let active: { readonly id: RunId; readonly control: TrainingControl; handle: RunHandle | null } | null = null;

/**
 * The worker's storage, opened once. Files a killed tab left without a manifest are collected
 * first (skipped while any tab writes; never blocks training); a failed open is retried by the next run.
 */
const openStorage: () => Promise<RunStorage> = storageOpener(async ({ db, blobs }) => {
  if (!db.readOnly) await collectGarbage(db, blobs).catch(() => undefined);
});

/**
 * Backend choices and runs take turns: TF.js's backend is global, so an init must not switch
 * it under a run, and a run must start only after an earlier init has settled.
 */
let turn: Promise<unknown> = Promise.resolve();
function exclusive<T>(f: () => Promise<T>): Promise<T> {
  const next = turn.then(f);
  turn = next.catch(() => undefined);
  return next;
}

/** Applies a command to the active run if `id` names it and the state allows it (pause only while running…). */
function command(id: RunId, from: ControlState, apply: (c: TrainingControl) => void): boolean {
  if (active?.id !== id || active.control.state !== from) return false;
  apply(active.control);
  return true;
}

const api: TrainerApi = {
  async init(preference: BackendPreference): Promise<InitResult> {
    if (active) return { ok: false, error: { message: 'a run is in progress; stop it before changing the backend', stack: null } };
    return exclusive(async (): Promise<InitResult> => {
      try {
        const { report } = await chooseBackend({ preference, environment: browserEnvironment() });
        return { ok: true, report };
      } catch (e) {
        return { ok: false, error: toWireError(e) };
      }
    });
  },

  async start(request: StartRequest, onEvent: (e: TrainerEvent) => void): Promise<RunSummary> {
    active?.control.stop(); // a new run replaces the old one, whose summary still resolves
    // Active at once, so a Stop clicked while the run waits for its turn is not lost.
    const control = new TrainingControl();
    const run: NonNullable<typeof active> = { id: request.runId, control, handle: null };
    active = run;
    return exclusive(async () => {
      try {
        return await runTraining(request, control, (e) => void onEvent(e), { onHandle: (h) => (run.handle = h), storage: openStorage });
      } finally {
        if (active === run) active = null;
        // The callback is a comlink proxy holding a MessagePort: free it with the run.
        (onEvent as Partial<Comlink.ProxyMarked & { [Comlink.releaseProxy]: () => void }>)[Comlink.releaseProxy]?.();
      }
    });
  },

  pause: async (id) =>
    command(id, 'running', (c) => {
      c.pause();
      active?.handle?.flush();
      active?.handle?.paused(true);
    }),
  resume: async (id) =>
    command(id, 'paused', (c) => {
      c.resume();
      active?.handle?.paused(false);
    }),
  stop: async (id) => command(id, 'running', (c) => c.stop()) || command(id, 'paused', (c) => c.stop()),
};

Comlink.expose(api);
