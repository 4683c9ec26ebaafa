// The autosave controller: every edit reaches disk within a second, saves never overlap, and a
// failed save keeps the edit pending and retries. Pure logic over an injected clock and save
// function, so Node tests drive it with fake timers; the page binds it to its lifecycle events.

/** Timers, injected so tests can drive time. */
export interface Clock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real clock. Reads the globals at call time, so fake timers installed later still apply. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => globalThis.setTimeout(run, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** What the save indicator shows. 'saving' covers both "edits waiting" and "write in flight". */
export type SaveStatus =
  | { readonly state: 'saved'; readonly at: number | null }
  | { readonly state: 'saving' }
  | { readonly state: 'error'; readonly message: string; readonly error: unknown; readonly retryAt: number | null };

export interface AutosaveOptions<T> {
  /** Writes the whole value (one record, one transaction): it either lands entirely or not at all. */
  save(value: T): Promise<void>;
  clock?: Clock;
  /** Longest wait from an edit to the start of its save; bursts within it coalesce. Default 300 ms. */
  delayMs?: number;
  /** Waits before the 1st, 2nd, … retry of a failed save; the last repeats. */
  retryDelaysMs?: readonly number[];
  /** False stops automatic retries for this error (the next edit or flush tries again). Default: always retry. */
  retryable?(error: unknown): boolean;
  /** The sentence shown for a failed save. */
  describe?(error: unknown): string;
  onStatus?(status: SaveStatus): void;
}

export interface Autosave<T> {
  /** Records the latest value; it is saved at most `delayMs` after the first unsaved edit. */
  edit(value: T): void;
  /** Saves whatever is pending now; resolves true when everything edited so far is on disk. */
  flush(): Promise<boolean>;
  status(): SaveStatus;
  /** True while an edit has not reached disk. */
  hasPending(): boolean;
  /** Stops timers; pending edits are dropped (flush first to keep them). */
  dispose(): void;
}

export const DEFAULT_DELAY_MS = 300;
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [1000, 2000, 5000, 10_000, 30_000];

/** The newest unsaved value, and when the oldest unsaved edit was made. */
interface Pending<T> {
  readonly value: T;
  readonly since: number;
}

const defaultDescribe = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Creates an autosave controller.
 * @example
 * const autosave = createAutosave({ save: (r: ProjectRecord) => db.putProject(r), onStatus: setStatus });
 * autosave.edit({ ...record, name: 'New name' }); // on disk ≤ 300 ms later, or retried on failure
 */
export function createAutosave<T>(options: AutosaveOptions<T>): Autosave<T> {
  const clock = options.clock ?? systemClock;
  const delayMs = options.delayMs ?? DEFAULT_DELAY_MS;
  const retryDelays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const describe = options.describe ?? defaultDescribe;

  // The newest unsaved value and when the oldest unsaved edit happened (its deadline anchor).
  let pending: Pending<T> | null = null;
  let inFlight: Promise<boolean> | null = null;
  let timer: { handle: unknown; at: number } | null = null;
  let failures = 0;
  let disposed = false;
  let current: SaveStatus = { state: 'saved', at: null };

  const setStatus = (s: SaveStatus) => {
    current = s;
    options.onStatus?.(s);
  };

  /** Arms the timer for `at` unless one is already set for no later (a deadline is never pushed out). */
  function schedule(at: number): void {
    if (disposed) return;
    if (timer && timer.at <= at) return;
    if (timer) clock.clearTimeout(timer.handle);
    const handle = clock.setTimeout(() => {
      timer = null;
      void saveNow();
    }, Math.max(0, at - clock.now()));
    timer = { handle, at };
  }

  /** One save of the pending value; resolves false when it failed. Never runs two at once. */
  function saveNow(): Promise<boolean> {
    if (inFlight) return inFlight;
    if (!pending || disposed) return Promise.resolve(current.state !== 'error');
    const taken = pending;
    pending = null;
    if (current.state !== 'error') setStatus({ state: 'saving' });
    inFlight = (async () => {
      try {
        await options.save(taken.value);
      } catch (error) {
        // Keep the edit unless a newer one replaced it; the stored record is still the last good one.
        pending ??= taken;
        failures++;
        const retry = options.retryable?.(error) ?? true;
        const wait = retryDelays[Math.min(failures, retryDelays.length) - 1] ?? delayMs;
        const retryAt = retry && !disposed ? clock.now() + wait : null;
        setStatus({ state: 'error', message: describe(error), error, retryAt });
        if (retryAt !== null) schedule(retryAt);
        return false;
      } finally {
        inFlight = null;
      }
      failures = 0;
      const newer = pending as Pending<T> | null; // edits may have arrived during the write
      if (newer) {
        setStatus({ state: 'saving' });
        schedule(newer.since + delayMs);
      } else setStatus({ state: 'saved', at: clock.now() });
      return true;
    })();
    return inFlight;
  }

  return {
    edit(value) {
      if (disposed) return;
      const now = clock.now();
      pending = { value, since: pending?.since ?? now };
      if (current.state !== 'error') setStatus({ state: 'saving' });
      // After a failure the next try comes soon after this edit (not at the end of the back-off),
      // still coalesced; otherwise the deadline stays anchored at the first unsaved edit.
      if (!inFlight) schedule((current.state === 'error' ? now : pending.since) + delayMs);
    },
    async flush() {
      if (timer) {
        clock.clearTimeout(timer.handle);
        timer = null;
      }
      for (;;) {
        if (inFlight) await inFlight;
        if (disposed || !pending) return current.state !== 'error' && !pending;
        if (!(await saveNow())) return false;
      }
    },
    status: () => current,
    hasPending: () => pending !== null || inFlight !== null,
    dispose() {
      disposed = true;
      if (timer) clock.clearTimeout(timer.handle);
      timer = null;
      pending = null;
    },
  };
}

/** The two page events after which a tab may be frozen or killed without further notice. */
export interface LifecycleTargets {
  readonly window: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;
  readonly document: Pick<EventTarget, 'addEventListener' | 'removeEventListener'> & { readonly visibilityState: string };
}

/**
 * Flushes on `pagehide` and on `visibilitychange` to hidden (the last events a mobile browser
 * reliably delivers). `beforeFlush` runs first, synchronously: a write started now may not finish
 * if the page is being torn down, so a caller can also keep the edits somewhere synchronous.
 * Returns the unsubscribe function.
 */
export function flushOnHide(autosave: Pick<Autosave<unknown>, 'flush'>, targets: LifecycleTargets, beforeFlush?: () => void): () => void {
  const onHide = () => {
    beforeFlush?.();
    void autosave.flush();
  };
  const onVisibility = () => {
    if (targets.document.visibilityState === 'hidden') onHide();
  };
  targets.window.addEventListener('pagehide', onHide);
  targets.document.addEventListener('visibilitychange', onVisibility);
  return () => {
    targets.window.removeEventListener('pagehide', onHide);
    targets.document.removeEventListener('visibilitychange', onVisibility);
  };
}
