// What takes space on this device, largest first, so a person can choose what to delete.
import type { StorageDb, StorageUsage } from './types.js';

type Item = StorageUsage['items'][number];

/** Lists files under a prefix; BlobStore satisfies it. */
export interface BlobLister {
  list(prefix: string): Promise<readonly { readonly path: string; readonly bytes: number }[]>;
}

// UTF-16 JSON length is a fair stand-in for IndexedDB's on-disk size of small records.
const approxBytes = (v: unknown): number => JSON.stringify(v)?.length ?? 0;

async function estimate(nav: Pick<StorageManager, 'estimate' | 'persisted'> | undefined): Promise<Pick<StorageUsage, 'usage' | 'quota' | 'persisted'>> {
  if (!nav) return { usage: null, quota: null, persisted: null };
  const [e, p] = await Promise.all([nav.estimate().catch(() => null), nav.persisted().catch(() => null)]);
  return { usage: e?.usage ?? null, quota: e?.quota ?? null, persisted: p };
}

/**
 * Usage against the browser's estimate (when `nav` is given, e.g. `navigator.storage`), and every
 * run (its record and metric series), checkpoint (its files: their listed sizes in `blobs` when
 * given, else the manifest's), dataset and export with its size, largest first.
 */
export async function storageUsage(db: StorageDb, blobs?: BlobLister, nav?: Pick<StorageManager, 'estimate' | 'persisted'>): Promise<StorageUsage> {
  const [projects, datasets, checkpoints, files, totals] = await Promise.all([
    db.listProjects(),
    db.listDatasets(),
    db.allCheckpoints(),
    blobs ? blobs.list('') : Promise.resolve(null),
    estimate(nav),
  ]);
  const fileBytes = new Map(files?.map((f) => [f.path, f.bytes]));
  const projectName = new Map<string, string>(projects.map((p) => [p.id, p.name]));
  const items: Item[] = [];

  for (const p of projects) {
    const [runs, exports] = await Promise.all([db.listRuns(p.id), db.listExports(p.id)]);
    for (const r of runs) {
      const [steps, epochs] = await Promise.all([db.readMetrics(r.id, 'step'), db.readMetrics(r.id, 'epoch')]);
      const bytes = approxBytes(r) + steps.reduce((n, m) => n + approxBytes(m), 0) + epochs.reduce((n, m) => n + approxBytes(m), 0);
      const started = new Date(r.startedAt).toISOString().slice(0, 16).replace('T', ' ');
      items.push({ kind: 'run', id: r.id, label: `Run of "${p.name}" on ${r.datasetName || 'no dataset'}, ${started} (${r.status})`, bytes });
    }
    for (const e of exports) items.push({ kind: 'export', id: e.id, label: `${e.fileName} (${e.format}) from "${p.name}"`, bytes: e.bytes });
  }
  for (const c of checkpoints) {
    const bytes = files ? c.files.reduce((n, f) => n + (fileBytes.get(f.path) ?? 0), 0) : c.bytes;
    items.push({ kind: 'checkpoint', id: c.id, label: `${c.kind} checkpoint at epoch ${c.epoch} of "${projectName.get(c.projectId) ?? 'a deleted project'}"`, bytes });
  }
  for (const d of datasets) items.push({ kind: 'dataset', id: d.id, label: `Dataset "${d.name}"`, bytes: d.bytes });

  items.sort((a, b) => b.bytes - a.bytes);
  return { ...totals, items };
}

/**
 * Asks the browser to keep this origin's data under storage pressure (page only: a worker cannot).
 * Resolves true when it is, or already was, persisted.
 */
export async function requestPersistence(nav: Pick<StorageManager, 'persist' | 'persisted'>): Promise<boolean> {
  if (await nav.persisted()) return true;
  return nav.persist();
}
