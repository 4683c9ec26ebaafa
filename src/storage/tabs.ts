// Cross-tab coordination: one tab edits a project (it holds the Web Lock 'nf-project-<id>'),
// any other tab on it is read-only and follows its saves over the BroadcastChannel
// 'neuralforge'; "Take over editing" asks the editing tab to flush and let go.

/** The parts of the Web Locks API used here (navigator.locks). */
export interface LockManagerLike {
  request(
    name: string,
    options: { ifAvailable?: boolean; signal?: AbortSignal },
    callback: (lock: { readonly name: string } | null) => Promise<void> | void,
  ): Promise<unknown>;
}

/** The parts of BroadcastChannel used here. */
export interface ChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (e: { readonly data: unknown }) => void): void;
  close(): void;
}

/** What tabs tell each other; every message names the project and the sending tab. */
export type TabMessage =
  | { readonly type: 'saved'; readonly projectId: string; readonly updatedAt: number; readonly tabId: string }
  | { readonly type: 'who-edits'; readonly projectId: string; readonly tabId: string }
  | { readonly type: 'editing'; readonly projectId: string; readonly tabId: string; readonly since: number }
  | { readonly type: 'release-request'; readonly projectId: string; readonly tabId: string }
  | { readonly type: 'released'; readonly projectId: string; readonly tabId: string }
  | { readonly type: 'deleted'; readonly projectId: string; readonly tabId: string };

const TYPES = new Set<TabMessage['type']>(['saved', 'who-edits', 'editing', 'release-request', 'released', 'deleted']);

/** Messages come from other tabs, possibly another app version: check the shape before use. */
export function parseTabMessage(data: unknown): TabMessage | null {
  if (data === null || typeof data !== 'object') return null;
  const m = data as Record<string, unknown>;
  if (typeof m['type'] !== 'string' || !TYPES.has(m['type'] as TabMessage['type'])) return null;
  if (typeof m['projectId'] !== 'string' || typeof m['tabId'] !== 'string') return null;
  if (m['type'] === 'saved' && typeof m['updatedAt'] !== 'number') return null;
  if (m['type'] === 'editing' && typeof m['since'] !== 'number') return null;
  return m as unknown as TabMessage;
}

export const CHANNEL_NAME = 'neuralforge';
export const lockName = (projectId: string): string => `nf-project-${projectId}`;

/** Who edits the project when this tab cannot, as far as this tab has heard. */
export interface Holder {
  readonly tabId: string;
  /** When that tab started editing (ms since epoch); null when it has not said. */
  readonly since: number | null;
}

export type EditMode =
  | { readonly kind: 'editing' }
  /** 'held-elsewhere': another tab had it when this one opened; 'taken-over': this tab handed it over. */
  | { readonly kind: 'read-only'; readonly reason: 'held-elsewhere' | 'taken-over'; readonly holder: Holder | null }
  | { readonly kind: 'closed' };

export interface ProjectLease {
  readonly projectId: string;
  /** True when 'editing' is backed by a Web Lock: no other tab can write the project meanwhile. */
  readonly exclusive: boolean;
  mode(): EditMode;
  /** Called on every mode or holder change; returns the unsubscribe function. */
  onMode(listener: (mode: EditMode) => void): () => void;
  /**
   * Becomes the editing tab: takes the lock if free, else asks the holder to flush and let go,
   * and waits up to `timeoutMs`. Resolves true when this tab now edits.
   */
  takeOver(timeoutMs?: number): Promise<boolean>;
  /** Tells other tabs a save landed (they reload the record). */
  announceSaved(updatedAt: number): void;
  /** Gives up the lock (if held) and stops listening. */
  close(): Promise<void>;
}

export interface TabCoordinator {
  readonly tabId: string;
  /**
   * Opens a project in this tab: editing if no other tab holds it, else read-only.
   * `beforeRelease` runs before this tab hands editing to another (flush pending saves there).
   */
  open(projectId: string, options?: { beforeRelease?: () => Promise<unknown> }): Promise<ProjectLease>;
  /** Saves and deletions announced by other tabs, for every project. */
  onMessage(listener: (m: TabMessage) => void): () => void;
  /** Tells other tabs a project is gone. */
  announceDeleted(projectId: string): void;
  close(): void;
}

export interface TabCoordinatorOptions {
  /** navigator.locks; undefined where the browser has none (every tab then edits, guarded by save-time checks). */
  readonly locks: LockManagerLike | undefined;
  readonly channel: ChannelLike | undefined;
  readonly tabId: string;
  readonly now?: () => number;
}

/** A held lock; `release` resolves once the lock manager has let it go. */
interface Held {
  release(): Promise<void>;
}

/** Requests the lock; resolves the holder, or null when not granted (busy with ifAvailable, or aborted). */
function acquire(locks: LockManagerLike, name: string, options: { ifAvailable?: boolean; signal?: AbortSignal }): Promise<Held | null> {
  return new Promise((resolve) => {
    let letGo!: () => void;
    const released = new Promise<void>((r) => (letGo = r));
    const request = locks
      .request(name, options, async (lock) => {
        if (!lock) return resolve(null);
        resolve({
          release: () => {
            letGo();
            return request;
          },
        });
        await released; // the lock is held until this callback returns
      })
      .then(
        () => undefined,
        () => resolve(null), // AbortError: the wait timed out
      );
  });
}

/**
 * Coordinates this tab with the others of the same origin.
 * @example const tabs = createTabCoordinator({ locks: navigator.locks, channel: new BroadcastChannel(CHANNEL_NAME), tabId });
 */
export function createTabCoordinator(options: TabCoordinatorOptions): TabCoordinator {
  const { locks, channel, tabId } = options;
  const now = options.now ?? Date.now;
  const listeners = new Set<(m: TabMessage) => void>();
  const post = (m: TabMessage) => channel?.postMessage(m);

  channel?.addEventListener('message', (e) => {
    const m = parseTabMessage(e.data);
    if (!m || m.tabId === tabId) return;
    for (const l of [...listeners]) l(m);
  });
  const subscribe = (l: (m: TabMessage) => void) => {
    listeners.add(l);
    return () => void listeners.delete(l);
  };

  async function open(projectId: string, openOptions: { beforeRelease?: () => Promise<unknown> } = {}): Promise<ProjectLease> {
    const name = lockName(projectId);
    const modeListeners = new Set<(m: EditMode) => void>();
    let held: Held | null = null;
    let since = 0;
    let mode: EditMode;
    const setMode = (m: EditMode) => {
      mode = m;
      for (const l of [...modeListeners]) l(m);
    };
    const becomeEditor = (h: Held) => {
      held = h;
      since = now();
      setMode({ kind: 'editing' });
      post({ type: 'editing', projectId, tabId, since });
    };

    const first: Held | null = locks ? await acquire(locks, name, { ifAvailable: true }) : { release: async () => undefined };
    if (first) {
      held = first;
      since = now();
      mode = { kind: 'editing' };
      post({ type: 'editing', projectId, tabId, since });
    } else {
      mode = { kind: 'read-only', reason: 'held-elsewhere', holder: null };
      post({ type: 'who-edits', projectId, tabId });
    }

    const unsubscribe = subscribe((m) => {
      if (m.projectId !== projectId) return;
      switch (m.type) {
        case 'who-edits':
          if (held) post({ type: 'editing', projectId, tabId, since });
          return;
        case 'editing':
          if (mode.kind === 'read-only') setMode({ ...mode, holder: { tabId: m.tabId, since: m.since } });
          return;
        case 'released':
          if (mode.kind === 'read-only' && mode.holder?.tabId === m.tabId) setMode({ ...mode, holder: null });
          return;
        case 'release-request':
          if (held) void handOver(m.tabId);
          return;
        case 'saved':
        case 'deleted':
          return; // the page handles these through onMessage
        default: {
          const never: never = m;
          throw new Error(`unhandled tab message ${(never as TabMessage).type}`);
        }
      }
    });

    async function handOver(to: string): Promise<void> {
      const h = held;
      if (!h) return;
      // Pending edits land before the other tab reads the record; a failed flush keeps them
      // pending here, and the other tab still sees the last good record.
      await openOptions.beforeRelease?.().catch(() => undefined);
      if (held !== h) return;
      held = null;
      // Stop editing before letting go, so there is never a moment with two editors.
      setMode({ kind: 'read-only', reason: 'taken-over', holder: { tabId: to, since: null } });
      await h.release();
      post({ type: 'released', projectId, tabId });
    }

    const lease: ProjectLease = {
      projectId,
      exclusive: locks !== undefined,
      mode: () => mode,
      onMode(l) {
        modeListeners.add(l);
        return () => void modeListeners.delete(l);
      },
      async takeOver(timeoutMs = 5000) {
        if (mode.kind === 'editing') return true;
        if (mode.kind === 'closed' || !locks) return false;
        const free = await acquire(locks, name, { ifAvailable: true });
        if (free) {
          becomeEditor(free);
          return true;
        }
        const abort = new AbortController();
        const timer = setTimeout(() => abort.abort(), timeoutMs);
        const waiting = acquire(locks, name, { signal: abort.signal });
        post({ type: 'release-request', projectId, tabId });
        const got = await waiting;
        clearTimeout(timer);
        if (!got) return false;
        if ((mode as EditMode).kind === 'closed') { // closed while waiting
          await got.release();
          return false;
        }
        becomeEditor(got);
        return true;
      },
      announceSaved(updatedAt) {
        post({ type: 'saved', projectId, updatedAt, tabId });
      },
      async close() {
        unsubscribe();
        const wasHeld = held;
        held = null;
        if (wasHeld) {
          await wasHeld.release();
          post({ type: 'released', projectId, tabId });
        }
        setMode({ kind: 'closed' });
        modeListeners.clear();
      },
    };
    return lease;
  }

  return {
    tabId,
    open,
    onMessage: subscribe,
    announceDeleted: (projectId) => post({ type: 'deleted', projectId, tabId }),
    close() {
      listeners.clear();
      channel?.close();
    },
  };
}

/** Describes the holder for the read-only notice, e.g. "another tab (editing since 14:02:11)". */
export function describeHolder(holder: Holder | null, formatTime: (ms: number) => string): string {
  if (!holder) return 'another tab';
  return holder.since === null ? `another tab (tab ${holder.tabId.slice(0, 4)})` : `another tab (tab ${holder.tabId.slice(0, 4)}, editing since ${formatTime(holder.since)})`;
}
