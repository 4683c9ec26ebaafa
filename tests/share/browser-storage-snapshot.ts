// Everything an origin has stored, read inside a page without creating anything: every IndexedDB
// database (opened only if it exists) with each store's keys and values, and localStorage. Two
// equal snapshots mean a page changed nothing stored.
import type { Page } from 'playwright-core';

export interface StorageSnapshot {
  readonly databases: Record<string, { version: number; stores: Record<string, string> }>;
  readonly localStorage: Record<string, string>;
}

export function storageSnapshot(page: Page): Promise<StorageSnapshot> {
  return page.evaluate(async () => {
    const json = (v: unknown) =>
      JSON.stringify(v, (_k, x: unknown) => (x instanceof ArrayBuffer ? { bytes: x.byteLength } : ArrayBuffer.isView(x) ? { view: x.byteLength } : x instanceof Blob ? { blob: x.size } : x));
    const databases: Record<string, { version: number; stores: Record<string, string> }> = {};
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(info.name!);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const stores: Record<string, string> = {};
      for (const name of [...db.objectStoreNames]) {
        const store = db.transaction(name, 'readonly').objectStore(name);
        const [keys, values] = await Promise.all(
          [store.getAllKeys(), store.getAll()].map((req) => new Promise<unknown>((resolve, reject) => ((req.onsuccess = () => resolve(req.result)), (req.onerror = () => reject(req.error))))),
        );
        stores[name] = json({ keys, values });
      }
      databases[info.name] = { version: db.version, stores };
      db.close();
    }
    const local: Record<string, string> = {};
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i)!;
      local[k] = localStorage.getItem(k)!;
    }
    return { databases, localStorage: local };
  });
}
