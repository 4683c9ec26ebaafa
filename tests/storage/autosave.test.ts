// The autosave controller under vitest's fake timers: edits reach the store within a second,
// bursts coalesce, saves never overlap, failures keep the edit and retry, flush on hide.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAutosave, flushOnHide, type Clock, type SaveStatus } from '../../src/storage/autosave.js';
import { StorageError } from '../../src/storage/types.js';
import { toStorageError } from '../../src/storage/quota.js';

const clock: Clock = {
  now: () => Date.now(),
  setTimeout: (f, ms) => setTimeout(f, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** A store that takes `latencyMs` per write and records when each value landed. */
function fakeStore(latencyMs = 20) {
  const state = { stored: null as string | null, writes: [] as { value: string; at: number }[], active: 0, maxActive: 0, failNext: [] as unknown[] };
  const save = async (value: string) => {
    state.active++;
    state.maxActive = Math.max(state.maxActive, state.active);
    try {
      await new Promise((r) => setTimeout(r, latencyMs));
      const fail = state.failNext.shift();
      if (fail !== undefined) throw fail;
      state.stored = value;
      state.writes.push({ value, at: Date.now() });
    } finally {
      state.active--;
    }
  };
  return { state, save };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(0);
});
afterEach(() => vi.useRealTimers());

describe('autosave', () => {
  it('saves an edit 300 ms later, not before, and reports saving → saved', async () => {
    const { state, save } = fakeStore();
    const seen: SaveStatus['state'][] = [];
    const a = createAutosave({ save, clock, onStatus: (s) => seen.push(s.state) });
    a.edit('v1');
    expect(a.status().state).toBe('saving');
    await vi.advanceTimersByTimeAsync(299);
    expect(state.writes).toEqual([]);
    await vi.advanceTimersByTimeAsync(30);
    expect(state.writes).toEqual([{ value: 'v1', at: 320 }]);
    expect(a.status()).toEqual({ state: 'saved', at: 320 });
    expect(a.hasPending()).toBe(false);
    expect(seen.at(-1)).toBe('saved');
  });

  it('coalesces a burst of typing but never postpones: every edit is on disk within a second', async () => {
    const { state, save } = fakeStore(40);
    const a = createAutosave({ save, clock });
    const edits: { value: string; at: number }[] = [];
    for (let i = 0; i < 100; i++) {
      // One keystroke every 25 ms for 2.5 s: a debounce that restarts per key would save nothing until the end.
      edits.push({ value: `v${i}`, at: Date.now() });
      a.edit(`v${i}`);
      await vi.advanceTimersByTimeAsync(25);
    }
    await vi.advanceTimersByTimeAsync(1000);
    expect(state.stored).toBe('v99');
    expect(state.writes.length).toBeGreaterThan(5); // saved while typing
    expect(state.writes.length).toBeLessThan(20); // ~one write per 300 ms, not one per key
    for (const [i, e] of edits.entries()) {
      // The first write that carries edit i or a later one.
      const landed = state.writes.find((w) => Number(w.value.slice(1)) >= i);
      expect(landed, `edit ${i}`).toBeDefined();
      expect(landed!.at - e.at, `edit ${i} latency`).toBeLessThan(1000);
    }
    expect(state.maxActive).toBe(1);
  });

  it('serializes saves: edits during a slow write wait for it, then the newest value is written', async () => {
    const { state, save } = fakeStore(700);
    const a = createAutosave({ save, clock });
    a.edit('a');
    await vi.advanceTimersByTimeAsync(350); // write of 'a' in flight
    a.edit('b');
    a.edit('c');
    await vi.advanceTimersByTimeAsync(3000);
    expect(state.maxActive).toBe(1);
    expect(state.writes.map((w) => w.value)).toEqual(['a', 'c']);
    expect(a.status().state).toBe('saved');
  });

  it('keeps a failed edit pending, leaves the last good record alone, and retries with back-off', async () => {
    const { state, save } = fakeStore();
    const a = createAutosave({ save, clock, retryDelaysMs: [1000, 2000], describe: (e) => toStorageError(e, 'the project').message });
    a.edit('good');
    await vi.advanceTimersByTimeAsync(400);
    expect(state.stored).toBe('good');

    state.failNext.push(new DOMException('full', 'QuotaExceededError'), new DOMException('full', 'QuotaExceededError'));
    a.edit('next');
    await vi.advanceTimersByTimeAsync(400);
    const s = a.status();
    expect(s.state).toBe('error');
    if (s.state !== 'error') throw new Error('unreachable');
    expect(s.message).toMatch(/Not enough storage to save the project\. Nothing already saved was lost/);
    expect(s.retryAt).toBe(400 + 300 + 20 + 1000); // edit + delay + the 20 ms write + first back-off
    expect(state.stored).toBe('good');
    expect(a.hasPending()).toBe(true);

    await vi.advanceTimersByTimeAsync(1100); // first retry fails too
    expect(state.stored).toBe('good');
    expect(a.status().state).toBe('error');
    await vi.advanceTimersByTimeAsync(2100); // second retry (2 s back-off) succeeds
    expect(state.stored).toBe('next');
    expect(a.status().state).toBe('saved');
  });

  it('a newer edit after a failure replaces the failed value and is tried soon, not after the back-off', async () => {
    const { state, save } = fakeStore();
    const a = createAutosave({ save, clock, retryDelaysMs: [60_000] });
    state.failNext.push(new Error('disk on fire'));
    a.edit('lost-cause');
    await vi.advanceTimersByTimeAsync(400);
    expect(a.status()).toMatchObject({ state: 'error', message: 'disk on fire' });
    a.edit('newer');
    await vi.advanceTimersByTimeAsync(400);
    expect(state.writes.map((w) => w.value)).toEqual(['newer']);
    expect(a.status().state).toBe('saved');
  });

  it('stops retrying errors marked not retryable until the next edit', async () => {
    const { state, save } = fakeStore();
    const a = createAutosave({ save, clock, retryable: (e) => !(e instanceof StorageError && e.code === 'conflict') });
    state.failNext.push(new StorageError('conflict', 'another tab is editing this project'));
    a.edit('x');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(a.status()).toMatchObject({ state: 'error', retryAt: null });
    expect(state.writes).toEqual([]);
    a.edit('y');
    await vi.advanceTimersByTimeAsync(400);
    expect(state.stored).toBe('y');
  });

  it('flush writes at once and waits for a write already in flight', async () => {
    const { state, save } = fakeStore(100);
    const a = createAutosave({ save, clock });
    a.edit('one');
    const done = a.flush();
    await vi.advanceTimersByTimeAsync(100);
    expect(await done).toBe(true);
    expect(state.writes).toEqual([{ value: 'one', at: 100 }]);

    a.edit('two');
    await vi.advanceTimersByTimeAsync(350); // 'two' in flight
    a.edit('three');
    const both = a.flush();
    await vi.advanceTimersByTimeAsync(250);
    expect(await both).toBe(true);
    expect(state.writes.map((w) => w.value)).toEqual(['one', 'two', 'three']);
    expect(state.maxActive).toBe(1);

    state.failNext.push(new Error('nope'));
    a.edit('four');
    const failed = a.flush();
    await vi.advanceTimersByTimeAsync(100);
    expect(await failed).toBe(false);
    expect(a.hasPending()).toBe(true);
  });

  it('flushes on pagehide and when the page becomes hidden, and not when it becomes visible', async () => {
    const { state, save } = fakeStore(10);
    const a = createAutosave({ save, clock });
    const win = new EventTarget();
    const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' });
    const order: string[] = [];
    const off = flushOnHide(a, { window: win, document: doc }, () => order.push(`before flush, pending=${a.hasPending()}`));

    a.edit('p');
    doc.dispatchEvent(new Event('visibilitychange')); // still visible: waits for the timer
    await vi.advanceTimersByTimeAsync(10);
    expect(state.writes).toEqual([]);
    doc.visibilityState = 'hidden';
    doc.dispatchEvent(new Event('visibilitychange'));
    await vi.advanceTimersByTimeAsync(10);
    expect(state.writes.map((w) => w.value)).toEqual(['p']);

    a.edit('q');
    win.dispatchEvent(new Event('pagehide'));
    await vi.advanceTimersByTimeAsync(10);
    expect(state.writes.map((w) => w.value)).toEqual(['p', 'q']);
    expect(order).toEqual(['before flush, pending=true', 'before flush, pending=true']); // synchronously, before the write

    off();
    a.edit('r');
    win.dispatchEvent(new Event('pagehide'));
    await vi.advanceTimersByTimeAsync(10);
    expect(state.writes.length).toBe(2);
  });
});
