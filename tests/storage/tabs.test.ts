// Cross-tab coordination in Node: Node's own BroadcastChannel between "tabs", and a small
// Web Locks fake with the spec's semantics (exclusive, FIFO, ifAvailable, abort while waiting).
import { afterEach, describe, expect, it } from 'vitest';
import { createTabCoordinator, lockName, parseTabMessage, type LockManagerLike, type TabCoordinator, type TabMessage } from '../../src/storage/tabs.js';

/** An origin's lock manager: one holder per name, waiters granted in order. */
function fakeLocks() {
  const holders = new Map<string, string>();
  const queues = new Map<string, (() => void)[]>();
  let seq = 0;
  const manager = (who: string): LockManagerLike => ({
    request(name, options, callback) {
      const run = async () => {
        holders.set(name, who);
        try {
          return await callback({ name });
        } finally {
          holders.delete(name);
          queues.get(name)?.shift()?.();
        }
      };
      if (!holders.has(name) && !(queues.get(name)?.length)) return run();
      if (options.ifAvailable) return Promise.resolve(callback(null));
      return new Promise((resolve, reject) => {
        const id = ++seq;
        const grant = Object.assign(() => void run().then(resolve, reject), { id });
        const q = queues.get(name) ?? [];
        q.push(grant);
        queues.set(name, q);
        options.signal?.addEventListener('abort', () => {
          const i = q.indexOf(grant);
          if (i >= 0) q.splice(i, 1);
          reject(new DOMException('aborted', 'AbortError'));
        });
      });
    },
  });
  return { manager, holder: (name: string) => holders.get(name) ?? null };
}

const open: { close(): void }[] = [];
function tab(locks: ReturnType<typeof fakeLocks>, tabId: string): TabCoordinator {
  const channel = new BroadcastChannel('neuralforge');
  const t = createTabCoordinator({ locks: locks.manager(tabId), channel, tabId, now: () => 1_700_000_000_000 });
  open.push(t);
  return t;
}
afterEach(() => {
  for (const t of open.splice(0)) t.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, cond: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

describe('tabs', () => {
  it('the first tab edits, a second tab on the same project is read-only and learns who edits', async () => {
    const locks = fakeLocks();
    const a = tab(locks, 'tab-a');
    const b = tab(locks, 'tab-b');
    const la = await a.open('p1');
    expect(la.mode()).toEqual({ kind: 'editing' });
    expect(locks.holder(lockName('p1'))).toBe('tab-a');

    const lb = await b.open('p1');
    expect(lb.mode()).toMatchObject({ kind: 'read-only', reason: 'held-elsewhere' });
    await until('the holder answers', () => lb.mode().kind === 'read-only' && (lb.mode() as { holder: unknown }).holder !== null);
    expect(lb.mode()).toEqual({ kind: 'read-only', reason: 'held-elsewhere', holder: { tabId: 'tab-a', since: 1_700_000_000_000 } });

    // Another project is independent.
    expect((await b.open('p2')).mode()).toEqual({ kind: 'editing' });
  });

  it('announces saves to the other tabs only, and ignores malformed messages', async () => {
    const locks = fakeLocks();
    const a = tab(locks, 'tab-a');
    const b = tab(locks, 'tab-b');
    const got: { a: TabMessage[]; b: TabMessage[] } = { a: [], b: [] };
    a.onMessage((m) => got.a.push(m));
    b.onMessage((m) => got.b.push(m));
    const la = await a.open('p1');
    const raw = new BroadcastChannel('neuralforge');
    raw.postMessage({ type: 'saved', projectId: 'p1' }); // no updatedAt, no tabId
    raw.postMessage('hello');
    la.announceSaved(1234);
    await until('the save notice', () => got.b.some((m) => m.type === 'saved'));
    raw.close();
    expect(got.b.filter((m) => m.type === 'saved')).toEqual([{ type: 'saved', projectId: 'p1', updatedAt: 1234, tabId: 'tab-a' }]);
    expect(got.a.filter((m) => m.type === 'saved')).toEqual([]);
    expect(parseTabMessage({ type: 'editing', projectId: 'p', tabId: 't' })).toBeNull();
    expect(parseTabMessage({ type: 'steal-everything', projectId: 'p', tabId: 't' })).toBeNull();
  });

  it('take over: the editing tab flushes first, then hands over; never two editors', async () => {
    const locks = fakeLocks();
    const a = tab(locks, 'tab-a');
    const b = tab(locks, 'tab-b');
    const order: string[] = [];
    const la = await a.open('p1', {
      beforeRelease: async () => {
        order.push(`flush while held by ${locks.holder(lockName('p1'))}`);
        await sleep(30);
      },
    });
    const lb = await b.open('p1');
    const modes: string[] = []; // mode changes in the order they happened (holder updates left out)
    la.onMode((m) => modes.at(-1) !== `a:${m.kind}` && modes.push(`a:${m.kind}`));
    lb.onMode((m) => m.kind !== 'read-only' && modes.push(`b:${m.kind}`));

    expect(await lb.takeOver(2000)).toBe(true);
    expect(order).toEqual(['flush while held by tab-a']);
    expect(locks.holder(lockName('p1'))).toBe('tab-b');
    expect(la.mode()).toEqual({ kind: 'read-only', reason: 'taken-over', holder: { tabId: 'tab-b', since: null } });
    expect(lb.mode()).toEqual({ kind: 'editing' });
    expect(modes).toEqual(['a:read-only', 'b:editing']); // a let go before b became the editor
  });

  it('take over after the editing tab closed needs no answer from it', async () => {
    const locks = fakeLocks();
    const a = tab(locks, 'tab-a');
    const b = tab(locks, 'tab-b');
    const la = await a.open('p1');
    const lb = await b.open('p1');
    await la.close();
    expect(locks.holder(lockName('p1'))).toBeNull();
    expect(await lb.takeOver(100)).toBe(true);
    expect(lb.mode()).toEqual({ kind: 'editing' });
  });

  it('take over gives up after the timeout when the holder does not let go', async () => {
    const locks = fakeLocks();
    // A holder that never answers: an old app version, or a tab stuck in a long task.
    let release!: () => void;
    void locks.manager('stuck').request(lockName('p1'), {}, () => new Promise<void>((r) => (release = r)));
    const b = tab(locks, 'tab-b');
    const lb = await b.open('p1');
    const t0 = Date.now();
    expect(await lb.takeOver(150)).toBe(false);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    expect(lb.mode().kind).toBe('read-only');
    release();
    await until('the lock is free', () => locks.holder(lockName('p1')) === null);
    expect(await lb.takeOver(150)).toBe(true);
  });

  it('without Web Locks every tab edits (save-time checks guard the record)', async () => {
    const t = createTabCoordinator({ locks: undefined, channel: undefined, tabId: 'solo' });
    const l = await t.open('p1');
    expect(l.mode()).toEqual({ kind: 'editing' });
    await l.close();
    expect(l.mode()).toEqual({ kind: 'closed' });
  });
});
