// Time and yielding without DOM types: the engine compiles against ES2023 only, and runs in
// a page, a worker and Node, which all provide these globals.

interface Globals {
  readonly performance?: { now(): number };
  readonly setTimeout?: (callback: () => void, ms: number) => unknown;
  readonly setImmediate?: (callback: () => void) => unknown;
  readonly MessageChannel?: new () => {
    readonly port1: { onmessage: ((e: unknown) => void) | null; close(): void };
    readonly port2: { postMessage(message: unknown): void; close(): void };
  };
}

const g = globalThis as Globals;

/** Milliseconds from a monotonic clock where there is one. */
export const now = (): number => (g.performance ? g.performance.now() : Date.now());

export interface Yielder {
  /** Resolves in a later task, so messages (pause, stop) queued for this thread get handled. */
  next(): Promise<void>;
  close(): void;
}

/**
 * Node: setImmediate, which lets due timers and I/O run first (a MessagePort there drains
 * messages posted while draining, starving timers). Browsers and workers: a MessageChannel
 * round trip, which unlike nested setTimeout is never clamped to 4 ms.
 */
export function createYielder(): Yielder {
  const immediate = g.setImmediate;
  if (immediate) return { next: () => new Promise((resolve) => void immediate(resolve)), close: () => undefined };
  if (!g.MessageChannel) {
    const timer = g.setTimeout ?? ((cb: () => void) => Promise.resolve().then(cb));
    return { next: () => new Promise((resolve) => void timer(resolve, 0)), close: () => undefined };
  }
  const channel = new g.MessageChannel();
  const waiting: (() => void)[] = [];
  channel.port1.onmessage = () => waiting.shift()?.();
  return {
    next: () =>
      new Promise((resolve) => {
        waiting.push(resolve);
        channel.port2.postMessage(0);
      }),
    close: () => {
      channel.port1.close();
      channel.port2.close();
    },
  };
}
