// The update prompt's state machine, apart from the service worker API so it can be tested in
// Node: a new version waits; the person accepts (never while training), the page saves, asks the
// waiting worker to take over, and reloads once it controls the page. Nothing reloads on its own.
import { createSignal, type Accessor } from 'solid-js';

/** Where an update stands, as the banner shows it. */
export type UpdatePhase =
  /** No new version (or not yet known). */
  | { readonly kind: 'none' }
  /** A new version is installed. `activated`: another tab already switched to it; only a reload is left. */
  | { readonly kind: 'ready'; readonly activated: boolean }
  /** "Later": hidden until the next new version. */
  | { readonly kind: 'dismissed'; readonly activated: boolean }
  | { readonly kind: 'saving' }
  /** Saved; waiting for the new version to take control, then the page reloads. */
  | { readonly kind: 'activating' }
  /** Saving failed: nothing reloads, the person can retry. */
  | { readonly kind: 'failed'; readonly message: string; readonly activated: boolean };

/** What the flow needs from the page and the service worker. */
export interface UpdateDeps {
  /** Saves pending edits; false when they could not be saved. */
  save(): Promise<boolean>;
  /** Tells the waiting service worker to activate (workbox-window's messageSkipWaiting). */
  skipWaiting(): void;
  reload(): void;
  trainingActive: Accessor<boolean>;
}

export interface UpdateFlow {
  readonly phase: Accessor<UpdatePhase>;
  /** True when Update may be pressed now: a version is ready and no run is live. */
  readonly canUpdate: Accessor<boolean>;
  /** A new service worker is installed and waiting. */
  onWaiting(): void;
  /** A service worker took control of this page. */
  onControlling(): void;
  /** The person pressed Update: save, then switch. Refused while training. */
  accept(): Promise<void>;
  /** The person pressed Later. */
  later(): void;
}

export const SAVE_FAILED = 'Your latest changes could not be saved, so the update waits. Check the save status, then try again.';

/** The update prompt's state, driven by service worker events and the banner's buttons. */
export function createUpdateFlow(deps: UpdateDeps): UpdateFlow {
  const [phase, setPhase] = createSignal<UpdatePhase>({ kind: 'none' });
  const activatedNow = (): boolean => {
    const p = phase();
    switch (p.kind) {
      case 'ready':
      case 'dismissed':
      case 'failed':
        return p.activated;
      case 'none':
      case 'saving':
      case 'activating':
        return false;
      default:
        return p satisfies never;
    }
  };
  const canUpdate = () => !deps.trainingActive() && (phase().kind === 'ready' || phase().kind === 'failed');

  return {
    phase,
    canUpdate,
    onWaiting() {
      const k = phase().kind;
      if (k === 'saving' || k === 'activating') return;
      setPhase({ kind: 'ready', activated: false });
    },
    onControlling() {
      const p = phase();
      // Our own accepted update: the new version controls the page, load it (unless a run began meanwhile).
      if (p.kind === 'activating' && !deps.trainingActive()) return deps.reload();
      // Another tab accepted it (or a run started): the switch happened, a reload is still the person's call.
      if (p.kind !== 'none') setPhase({ kind: 'ready', activated: true });
    },
    async accept() {
      if (!canUpdate()) return;
      const activated = activatedNow();
      setPhase({ kind: 'saving' });
      const saved = await deps.save().catch(() => false);
      if (!saved) return void setPhase({ kind: 'failed', message: SAVE_FAILED, activated });
      if (deps.trainingActive()) return void setPhase({ kind: 'ready', activated });
      if (activated) return deps.reload();
      setPhase({ kind: 'activating' });
      deps.skipWaiting();
    },
    later() {
      const p = phase();
      if (p.kind === 'ready' || p.kind === 'failed') setPhase({ kind: 'dismissed', activated: p.activated });
    },
  };
}
