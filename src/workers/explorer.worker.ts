// The dataset-explorer worker: exposes ExplorerApi over comlink around explore-dataset.ts.
// Data loads here (as training loads it, from the app's MNIST or the device's storage), so
// duplicate searches over tens of thousands of images never block the page.
import * as Comlink from 'comlink';
import { readStoredDataset } from './dataset-library.js';
import { DatasetExplorer } from './explore-dataset.js';
import type { ExplorerApi, Reply } from './explorer-api.js';
import { DataUnavailable, loadForRun } from './load-run-data.js';
import { toWireError } from './trainer-api.js';
import { storageOpener } from './worker-storage.js';
import { StorageError } from '../storage/types.js';

const openStorage = storageOpener();

/** The device's storage, or a message saying why kept datasets cannot be read. */
async function storage() {
  try {
    return await openStorage();
  } catch (e) {
    throw new DataUnavailable(`datasets kept on this device cannot be read: the storage did not open (${e instanceof Error ? e.message : String(e)})`);
  }
}

const explorer = new DatasetExplorer({
  load: async (request, options) => (await loadForRun(request, options, () => {}, { storage: request.source === 'stored' ? await storage() : null })).data,
  readRecord: async (id) => {
    const record = await (await storage()).db.getDataset(id);
    if (!record) throw new DataUnavailable(`the dataset kept on this device (${id}) no longer exists; it was deleted — import the file again`);
    return record;
  },
  readBytes: async (id) =>
    (
      await readStoredDataset(await storage(), id).catch((e: unknown) => {
        throw e instanceof StorageError ? new DataUnavailable(e.message) : e;
      })
    ).bytes,
});

/** Runs `f`, turning a throw into {ok: false}; replies never reject. */
async function reply<T>(f: () => T | Promise<T>): Promise<Reply<T>> {
  try {
    return { ok: true, value: await f() };
  } catch (e) {
    return { ok: false, error: toWireError(e) };
  }
}

const api: ExplorerApi = {
  open: (request, options) => reply(() => explorer.open(request, options)),
  samples: async (session, query) => {
    const r = await reply(() => explorer.samples(session, query));
    return r.ok ? Comlink.transfer(r, r.value.items.flatMap((s) => (s.kind === 'image' ? [s.rgba.buffer as ArrayBuffer] : []))) : r;
  },
  pick: (session, indices) => reply(() => explorer.pick(session, indices)),
  quality: (session, onProgress) => reply(() => explorer.quality(session, onProgress ? (p) => void onProgress(p) : undefined)),
  close: async (session) => explorer.close(session),
};

Comlink.expose(api);
