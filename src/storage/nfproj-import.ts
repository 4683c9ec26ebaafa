// Importing a .nfproj file, all or nothing. Pass 1 reads every entry under the zip caps,
// parses and validates every record, checks every reference and every hash, and writes
// nothing. Pass 2 writes the files (new paths, content-addressed chunks), then every record in
// one IndexedDB transaction; if that fails, the checkpoint files it wrote are deleted again.
import { sha256Hex } from './blobs/hash.js';
import { whileWriting } from './blobs/locks.js';
import { checkCheckpointLayout, CHECKPOINT_FILES } from './checkpoint-codec.js';
import { chunkPath, datasetVersion } from './datasets.js';
import { newCheckpointId, newDatasetId, newProjectId, newRunId, newVersionId } from './ids.js';
import { classifyEntry, decodeEntryArray, decodeEntryRecord, parseJsonEntry, parseManifest, type ProjectFileCounts, type ProjectFileManifest } from './nfproj-schema.js';
import { DEFAULT_ZIP_CAPS, fileError, forEachEntry, type ZipCaps } from './nfproj-zip.js';
import { isQuotaError, quotaMessage, toStorageError } from './quota.js';
import type { BlobStore, CheckpointRecord, ContentHash, DatasetRecord, ImportRecords, MetricPoint, ProjectId, RunRecord, StorageDb, VersionRecord } from './types.js';
import { StorageError } from './types.js';

export interface ImportOptions {
  /** Tighter (or looser) limits than DEFAULT_ZIP_CAPS. */
  readonly caps?: Partial<ZipCaps>;
}

export interface ImportResult {
  /** The new project's id: ids are always fresh, so importing a file twice gives two projects. */
  readonly projectId: ProjectId;
  readonly counts: ProjectFileCounts;
}

interface FileInfo {
  readonly bytes: number;
  readonly sha256: string;
}

/** Everything pass 1 gathers: parsed JSON and, for binary entries, only size and hash. */
interface Gathered {
  manifest?: ProjectFileManifest;
  project?: unknown;
  versions?: unknown;
  runs?: unknown;
  readonly metrics: Map<string, unknown>;
  readonly checkpoints: Map<string, unknown>;
  readonly checkpointFiles: Map<string, Map<string, FileInfo>>;
  readonly states: Map<string, Uint8Array>;
  readonly datasets: Map<string, unknown>;
  readonly chunks: Map<string, number>;
}

async function gather(bytes: Uint8Array, caps: ZipCaps): Promise<Gathered> {
  const g: Gathered = { metrics: new Map(), checkpoints: new Map(), checkpointFiles: new Map(), states: new Map(), datasets: new Map(), chunks: new Map() };
  let first = true;
  await forEachEntry(bytes, caps, async (name, data) => {
    const e = classifyEntry(name);
    // The manifest comes first, so a file from a newer app is named as such before its entries are judged.
    if (first && e?.kind !== 'manifest') throw fileError(name, 'comes before manifest.json; this is not a NeuralForge project file');
    first = false;
    if (!e) throw fileError(name, 'has no place in a NeuralForge project file');
    switch (e.kind) {
      case 'manifest':
        g.manifest = parseManifest(parseJsonEntry(name, data));
        return;
      case 'project':
      case 'versions':
      case 'runs':
        g[e.kind] = parseJsonEntry(name, data);
        return;
      case 'metrics':
        g.metrics.set(e.runId, parseJsonEntry(name, data));
        return;
      case 'checkpoint':
        g.checkpoints.set(e.id, parseJsonEntry(name, data));
        return;
      case 'checkpoint-file': {
        const files = g.checkpointFiles.get(e.id) ?? new Map<string, FileInfo>();
        g.checkpointFiles.set(e.id, files);
        files.set(e.name, { bytes: data.length, sha256: await sha256Hex(data) });
        if (e.name === CHECKPOINT_FILES.state) g.states.set(e.id, data);
        return;
      }
      case 'dataset':
        g.datasets.set(e.id, parseJsonEntry(name, data));
        return;
      case 'chunk':
        if ((await sha256Hex(data)) !== e.hash) throw fileError(name, 'does not match its name (its SHA-256 differs): the chunk is damaged');
        g.chunks.set(e.hash, data.length);
        return;
      default: {
        const never: never = e;
        throw new Error(`unhandled entry ${JSON.stringify(never)}`);
      }
    }
  });
  return g;
}

const need = <T>(v: T | undefined, entry: string): T => {
  if (v === undefined) throw fileError(entry, 'is missing');
  return v;
};

function unique(ids: readonly string[], entry: string): void {
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id)) throw fileError(entry, `the id "${id}" appears twice`, `[${i}].id`);
    seen.add(id);
  });
}

/** Every record of the file, validated and cross-checked, still with the file's ids. */
async function validate(g: Gathered): Promise<ImportRecords & { readonly manifest: ProjectFileManifest }> {
  const manifest = need(g.manifest, 'manifest.json');
  const project = decodeEntryRecord('projects', 'project.json', need(g.project, 'project.json'));
  const versions = decodeEntryArray('versions', 'versions.json', need(g.versions, 'versions.json'));
  const runs = decodeEntryArray('runs', 'runs.json', need(g.runs, 'runs.json'));
  unique(versions.map((v) => v.id), 'versions.json');
  unique(runs.map((r) => r.id), 'runs.json');
  const versionIds = new Set<string>(versions.map((v) => v.id));
  const runIds = new Set<string>(runs.map((r) => r.id));

  if (project.headVersion !== null && !versionIds.has(project.headVersion)) throw fileError('project.json', `names version "${project.headVersion}", which is not in versions.json`, 'headVersion');
  if (project.ui.selectedRunId !== null && !runIds.has(project.ui.selectedRunId)) throw fileError('project.json', `names run "${project.ui.selectedRunId}", which is not in runs.json`, 'ui.selectedRunId');
  versions.forEach((v, i) => {
    if (v.projectId !== project.id) throw fileError('versions.json', `belongs to project "${v.projectId}", not "${project.id}"`, `[${i}].projectId`);
    if (v.parent !== null && !versionIds.has(v.parent)) throw fileError('versions.json', `its parent "${v.parent}" is not in the file`, `[${i}].parent`);
  });

  const metrics: MetricPoint[] = [];
  for (const [runId, value] of g.metrics) {
    const entry = `metrics/${runId}.json`;
    if (!runIds.has(runId)) throw fileError(entry, `is for run "${runId}", which is not in runs.json`);
    decodeEntryArray('metrics', entry, value).forEach((p, i) => {
      if (p.runId !== runId) throw fileError(entry, `belongs to run "${p.runId}"`, `[${i}].runId`);
      metrics.push(p);
    });
  }

  const checkpoints: CheckpointRecord[] = [];
  for (const id of g.checkpointFiles.keys()) if (!g.checkpoints.has(id)) throw fileError(`checkpoints/${id}/manifest.json`, 'is missing, but the file has that checkpoint’s files');
  for (const [id, value] of g.checkpoints) {
    const entry = `checkpoints/${id}/manifest.json`;
    const c = decodeEntryRecord('checkpoints', entry, value);
    if (c.id !== id) throw fileError(entry, `has id "${c.id}" but lies in checkpoints/${id}/`, 'id');
    if (!runIds.has(c.runId)) throw fileError(entry, `is for run "${c.runId}", which is not in runs.json`, 'runId');
    if (c.projectId !== project.id) throw fileError(entry, `belongs to project "${c.projectId}"`, 'projectId');
    const present = g.checkpointFiles.get(id) ?? new Map<string, FileInfo>();
    const named = new Set<string>();
    c.files.forEach((f, i) => {
      const name = f.path.slice(f.path.lastIndexOf('/') + 1);
      const got = present.get(name);
      if (f.path !== `checkpoints/${c.runId}/${id}/${name}` || named.has(name)) throw fileError(entry, `"${f.path}" is not where this checkpoint's files live`, `files[${i}].path`);
      named.add(name);
      if (!got) throw fileError(`checkpoints/${id}/${name}`, 'is missing, but the checkpoint manifest names it');
      if (got.bytes !== f.bytes || got.sha256 !== f.sha256) throw fileError(`checkpoints/${id}/${name}`, 'does not match the checkpoint manifest (size or SHA-256 differs): it is damaged');
    });
    for (const name of present.keys()) if (!named.has(name)) throw fileError(`checkpoints/${id}/${name}`, 'is not named by the checkpoint manifest');
    if (c.bytes !== c.files.reduce((n, f) => n + f.bytes, 0)) throw fileError(entry, 'does not equal the sum of its files', 'bytes');
    const state = g.states.get(id);
    if (!state) throw fileError(`checkpoints/${id}/${CHECKPOINT_FILES.state}`, 'is missing');
    let needed: string[];
    try {
      needed = checkCheckpointLayout(state, new Map([...present].map(([n, f]) => [n, f.bytes])), id);
    } catch (e) {
      throw e instanceof StorageError ? fileError(`checkpoints/${id}/${CHECKPOINT_FILES.state}`, e.message.replace(`checkpoint ${id}: `, ''), '', e) : e;
    }
    for (const name of named) if (!needed.includes(name)) throw fileError(`checkpoints/${id}/${name}`, 'is not used by the checkpoint’s state.json');
    checkpoints.push(c);
  }
  const checkpointIds = new Set<string>(checkpoints.map((c) => c.id));
  runs.forEach((r, i) => {
    if (r.projectId !== project.id) throw fileError('runs.json', `belongs to project "${r.projectId}", not "${project.id}"`, `[${i}].projectId`);
    if (!versionIds.has(r.versionId)) throw fileError('runs.json', `its version "${r.versionId}" is not in versions.json`, `[${i}].versionId`);
    if (r.resumedFrom !== null && !checkpointIds.has(r.resumedFrom)) throw fileError('runs.json', `it resumed from checkpoint "${r.resumedFrom}", which is not in the file`, `[${i}].resumedFrom`);
  });

  const datasets: DatasetRecord[] = [];
  const usedChunks = new Set<string>();
  for (const [id, value] of g.datasets) {
    const entry = `datasets/${id}/record.json`;
    const d = decodeEntryRecord('datasets', entry, value);
    if (d.id !== id) throw fileError(entry, `has id "${d.id}" but lies in datasets/${id}/`, 'id');
    let total = 0;
    d.chunks.forEach((h, i) => {
      const size = g.chunks.get(h);
      if (size === undefined) throw fileError(entry, `its chunk ${h} is not in the file`, `chunks[${i}]`);
      total += size;
      usedChunks.add(h);
    });
    if (total !== d.bytes) throw fileError(entry, `its chunks hold ${total} bytes; the record says ${d.bytes}`, 'bytes');
    if ((await datasetVersion(d.chunks)) !== d.version) throw fileError(entry, 'does not match its chunks (the version hash differs)', 'version');
    datasets.push(d);
  }
  for (const h of g.chunks.keys()) if (!usedChunks.has(h)) throw fileError(chunkPath(h as ContentHash), 'is not used by any dataset in the file');

  const found: ProjectFileCounts = { versions: versions.length, runs: runs.length, metricPoints: metrics.length, checkpoints: checkpoints.length, datasets: datasets.length, chunks: g.chunks.size };
  for (const [k, n] of Object.entries(found) as [keyof ProjectFileCounts, number][])
    if (manifest.counts[k] !== n) throw fileError('manifest.json', `says ${manifest.counts[k]} but the file has ${n}: it is incomplete or altered`, `counts.${k}`);
  return { manifest, projects: [project], versions, runs, metrics, checkpoints, datasets, exports: [] };
}

/** The same records under fresh ids; datasets already on the device (same version) are not imported again. */
function remap(r: ImportRecords, local: readonly DatasetRecord[]): ImportRecords {
  const project = r.projects[0]!;
  const pid = newProjectId();
  const ids = new Map<string, string>();
  const fresh = <T extends string>(old: T, make: () => T): T => {
    const id = make();
    ids.set(old, id);
    return id;
  };
  const to = <T extends string>(old: T): T => ids.get(old) as T;
  const versions: VersionRecord[] = r.versions.map((v) => ({ ...v, id: fresh(v.id, newVersionId), projectId: pid }));
  const runs0 = r.runs.map((run) => ({ ...run, id: fresh(run.id, newRunId), projectId: pid }));
  const checkpoints: CheckpointRecord[] = r.checkpoints.map((c) => {
    const id = fresh(c.id, newCheckpointId);
    const runId = to(c.runId);
    return { ...c, id, runId, projectId: pid, files: c.files.map((f) => ({ ...f, path: `checkpoints/${runId}/${id}/${f.path.slice(f.path.lastIndexOf('/') + 1)}` })) };
  });
  const runs: RunRecord[] = runs0.map((run) => ({ ...run, versionId: to(run.versionId), resumedFrom: run.resumedFrom && to(run.resumedFrom) }));
  const have = new Set(local.map((d) => d.version));
  return {
    projects: [{ ...project, id: pid, headVersion: project.headVersion && to(project.headVersion), ui: { ...project.ui, selectedRunId: project.ui.selectedRunId && to(project.ui.selectedRunId) } }],
    versions: versions.map((v) => ({ ...v, parent: v.parent && to(v.parent) })),
    runs,
    metrics: r.metrics.map((p) => ({ ...p, runId: to(p.runId) })),
    checkpoints,
    datasets: r.datasets.filter((d) => !have.has(d.version)).map((d) => ({ ...d, id: newDatasetId() })),
    exports: [],
  };
}

/**
 * Imports a .nfproj file as a new project. Nothing is written unless every check passes; a
 * failure while writing leaves the database as it was and deletes the checkpoint files written
 * (new chunks stay for the collector: a concurrent import may already share them).
 * Throws StorageError: 'invalid-record' naming the entry and field, 'newer-schema', 'quota'.
 * @example const { projectId } = await importProjectFile(db, blobs, new Uint8Array(await file.arrayBuffer()));
 */
export async function importProjectFile(db: StorageDb, blobs: BlobStore, bytes: Uint8Array, opts: ImportOptions = {}): Promise<ImportResult> {
  const caps: ZipCaps = { ...DEFAULT_ZIP_CAPS, ...opts.caps };
  const g = await gather(bytes, caps);
  const checked = await validate(g);
  const records = remap(checked, await db.listDatasets());
  const counts = checked.manifest.counts;

  // Where each entry of the file goes.
  const targets = new Map<string, { path: string; sha256: string }>();
  checked.checkpoints.forEach((c, i) =>
    c.files.forEach((f, j) => targets.set(`checkpoints/${c.id}/${f.path.slice(f.path.lastIndexOf('/') + 1)}`, { path: records.checkpoints[i]!.files[j]!.path, sha256: f.sha256 })),
  );
  for (const d of records.datasets) for (const h of d.chunks) targets.set(chunkPath(h), { path: chunkPath(h), sha256: h });

  return whileWriting(async () => {
    const written: string[] = [];
    try {
      await forEachEntry(bytes, caps, async (name, data) => {
        const t = targets.get(name);
        if (!t) return;
        if (name.startsWith('datasets/') && (await blobs.size(t.path)) === data.length) return; // already on the device
        if ((await sha256Hex(data)) !== t.sha256) throw fileError(name, 'changed while it was being imported');
        await blobs.write(t.path, data);
        if (name.startsWith('checkpoints/')) written.push(t.path);
      });
      await db.importAll(records);
    } catch (e) {
      await Promise.all(written.map((p) => blobs.delete(p).catch(() => undefined)));
      const what = `the imported project "${records.projects[0]!.name}"`;
      throw isQuotaError(e) ? new StorageError('quota', quotaMessage(what), e) : toStorageError(e, what);
    }
    return { projectId: records.projects[0]!.id, counts };
  });
}
