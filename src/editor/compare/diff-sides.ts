// The two sides of a run diff, read from storage: each run's architecture version and the facts
// of the dataset it trained on (from the kept DatasetRecord of that version, when there is one).
import type { DatasetFacts, RunSide } from '../../engine/tracking/run-diff.js';
import type { DatasetRecord, RunRecord, StorageDb, VersionRecord } from '../../storage/types.js';

export interface LoadedSide {
  readonly run: RunRecord;
  /** Null when the architecture version is no longer stored. */
  readonly version: VersionRecord | null;
  readonly side: RunSide;
}

const EMPTY_GRAPH = { nodes: [], edges: [] } as const;

/** What the diff knows of a run's data: name and version from the run, source and splits from the kept dataset. */
export function datasetFacts(run: RunRecord, kept: readonly DatasetRecord[]): DatasetFacts {
  const d = run.datasetVersion ? kept.find((x) => x.version === run.datasetVersion) : undefined;
  return {
    name: run.datasetName,
    version: run.datasetVersion,
    source: d?.source.source ?? null,
    splits: d ? { train: d.splits.train, validation: d.splits.validation, test: d.splits.test } : null,
  };
}

/**
 * Both sides of a diff. A side whose version is gone gets an empty graph; the caller says so
 * instead of listing its architecture.
 * @throws StorageError when a record cannot be read.
 */
export async function loadSides(db: StorageDb, a: RunRecord, b: RunRecord): Promise<[LoadedSide, LoadedSide]> {
  const [va, vb, datasets] = await Promise.all([db.getVersion(a.versionId), a.versionId === b.versionId ? null : db.getVersion(b.versionId), db.listDatasets()]);
  const side = (run: RunRecord, version: VersionRecord | null): LoadedSide => ({
    run,
    version,
    side: { graph: version?.graph ?? EMPTY_GRAPH, config: run.config, seed: run.seed, dataset: datasetFacts(run, datasets) },
  });
  return [side(a, va), side(b, a.versionId === b.versionId ? va : vb)];
}
