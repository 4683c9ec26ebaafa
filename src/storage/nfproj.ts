// .nfproj project files: one zip holding a project, its versions, runs with metrics, chosen
// checkpoints and optionally its datasets (layout in nfproj-schema.ts). Export here; import,
// which validates everything before writing anything, in nfproj-import.ts.
import { zipSync, type ZippableFile } from 'fflate';
import type { DatasetRef } from '../engine/project/types.js';
import { sha256Hex } from './blobs/hash.js';
import { stringifyNumbers } from './checkpoint-codec.js';
import { chunkPath } from './datasets.js';
import { PROJFILE_FORMAT, PROJFILE_VERSION, type ProjectFileCounts, type ProjectFileManifest } from './nfproj-schema.js';
import { StorageError, type BlobStore, type CheckpointId, type CheckpointRecord, type DatasetRecord, type Millis, type ProjectId, type RunRecord, type StorageDb } from './types.js';

export { importProjectFile, type ImportOptions, type ImportResult } from './nfproj-import.js';
export type { ProjectFileCounts } from './nfproj-schema.js';

export interface ExportOptions {
  /**
   * Which checkpoints go in: none, all, the ids listed (each must belong to the project), or
   * 'best' — per run its 'best' checkpoint, or where it has none its newest checkpoint.
   */
  readonly checkpoints: 'none' | 'best' | 'all' | readonly CheckpointId[];
  /** Include the datasets the runs trained on (by content version) and the one the draft names. */
  readonly datasets: boolean;
  readonly app?: { readonly name: string; readonly version: string };
  readonly now?: () => Millis;
}

const json = (v: unknown): ZippableFile => [new TextEncoder().encode(stringifyNumbers(v)), { level: 6 }];
/** Weights and chunks barely compress; storing them keeps export fast. */
const binary = (b: Uint8Array): ZippableFile => [b, { level: 0 }];

/** A stored record as it goes into a file: without the in-memory read-only flag. */
function plain<T extends { readonly readOnly?: true }>(r: T): Omit<T, 'readOnly'> {
  const { readOnly: _, ...rest } = r;
  return rest;
}

function chooseCheckpoints(all: readonly CheckpointRecord[], runs: readonly RunRecord[], which: ExportOptions['checkpoints'], projectId: ProjectId): CheckpointRecord[] {
  if (which === 'none') return [];
  if (which === 'all') return [...all];
  if (which === 'best') {
    return runs.flatMap((run) => {
      const mine = all.filter((c) => c.runId === run.id);
      const best = mine.filter((c) => c.kind === 'best');
      if (best.length) return best;
      const newest = [...mine].sort((a, b) => b.globalStep - a.globalStep || b.createdAt - a.createdAt)[0];
      return newest ? [newest] : [];
    });
  }
  return which.map((id) => {
    const c = all.find((m) => m.id === id);
    if (!c) throw new StorageError('not-found', `checkpoint ${id} is not one of project ${projectId}'s checkpoints`);
    return c;
  });
}

const sameSource = (a: DatasetRecord['source'], b: DatasetRef) => b.source !== undefined && JSON.stringify(a) === JSON.stringify(b);

/** Reads a file a record names, refusing a missing or damaged one: an export never carries bad bytes. */
async function readChecked(blobs: BlobStore, path: string, sha256: string, what: string): Promise<Uint8Array> {
  const bytes = await blobs.read(path);
  if (!bytes) throw new StorageError('not-found', `cannot export ${what}: ${path} is missing`);
  if ((await sha256Hex(bytes)) !== sha256) throw new StorageError('invalid-record', `cannot export ${what}: ${path} is damaged (its SHA-256 differs)`);
  return bytes;
}

/**
 * The project as a .nfproj zip. Runs keep `resumedFrom` only when that checkpoint is in the
 * file. Throws StorageError('not-found') for an unknown project or checkpoint id, and refuses to
 * export a checkpoint or chunk whose bytes no longer match their hash.
 * @example const bytes = await exportProjectFile(db, blobs, id, { checkpoints: 'best', datasets: false });
 */
export async function exportProjectFile(db: StorageDb, blobs: BlobStore, projectId: ProjectId, opts: ExportOptions): Promise<Uint8Array> {
  const project = await db.getProject(projectId);
  if (!project) throw new StorageError('not-found', `project ${projectId} does not exist`);
  const [versions, runs] = await Promise.all([db.listVersions(projectId), db.listRuns(projectId)]);
  const manifests = (await Promise.all(runs.map((r) => db.listCheckpoints(r.id)))).flat();
  const chosen = chooseCheckpoints(manifests, runs, opts.checkpoints, projectId);
  const chosenIds = new Set<string>(chosen.map((c) => c.id));

  const files: Record<string, ZippableFile> = {};
  let metricPoints = 0;
  for (const run of runs) {
    const points = [...(await db.readMetrics(run.id, 'epoch')), ...(await db.readMetrics(run.id, 'step'))];
    metricPoints += points.length;
    files[`metrics/${run.id}.json`] = json(points.map(plain));
  }
  for (const c of chosen) {
    files[`checkpoints/${c.id}/manifest.json`] = json(plain(c));
    for (const f of c.files) files[`checkpoints/${c.id}/${f.path.slice(f.path.lastIndexOf('/') + 1)}`] = binary(await readChecked(blobs, f.path, f.sha256, `checkpoint ${c.id}`));
  }
  const datasets: DatasetRecord[] = [];
  const chunks = new Set<string>();
  if (opts.datasets) {
    const used = new Set(runs.map((r) => r.datasetVersion).filter((v) => v !== null));
    for (const d of await db.listDatasets()) {
      if (datasets.some((k) => k.version === d.version) || !(used.has(d.version) || sameSource(d.source, project.draft.dataset))) continue;
      datasets.push(d);
      files[`datasets/${d.id}/record.json`] = json(plain(d));
      for (const h of d.chunks) {
        if (chunks.has(h)) continue;
        chunks.add(h);
        files[chunkPath(h)] = binary(await readChecked(blobs, chunkPath(h), h, `dataset "${d.name}"`));
      }
    }
  }
  const counts: ProjectFileCounts = { versions: versions.length, runs: runs.length, metricPoints, checkpoints: chosen.length, datasets: datasets.length, chunks: chunks.size };
  const manifest: ProjectFileManifest = {
    format: PROJFILE_FORMAT,
    version: PROJFILE_VERSION,
    app: opts.app ?? { name: 'NeuralForge', version: 'dev' },
    createdAt: (opts.now ?? Date.now)(),
    counts,
  };
  // manifest.json first, so a reader learns the format before anything else.
  return zipSync({
    'manifest.json': json(manifest),
    'project.json': json(plain(project)),
    'versions.json': json(versions.map(plain)),
    'runs.json': json(runs.map((r) => plain({ ...r, resumedFrom: r.resumedFrom && chosenIds.has(r.resumedFrom) ? r.resumedFrom : null }))),
    ...files,
  });
}
