// Trained weights for share links: which stored checkpoint a link carries (the newest completed
// run of the current architecture, its best checkpoint else its final one), and whether the
// weights a link brings fit the shared graph, checked per node without compiling TF.js.
import type { GraphSummary } from '../../engine/graph/summary.js';
import type { Graph } from '../../engine/project/types.js';
import type { NamedArray } from '../../engine/train/checkpoint-format.js';
import { createCheckpointStore } from '../../storage/checkpoints.js';
import type { BlobStore, ProjectId, StorageDb } from '../../storage/types.js';
import { graphHash } from '../../storage/versioning.js';

/**
 * The weights of the newest completed run whose architecture version is `graph` (same graphHash),
 * from its 'best' checkpoint, else its 'final' one; null when there is none.
 * @example await weightsToShare(session.db, session.blobs, doc.id, doc.record().draft.graph) // → NamedArray[] | null
 */
export async function weightsToShare(db: StorageDb, blobs: BlobStore, projectId: ProjectId, graph: Graph): Promise<readonly NamedArray[] | null> {
  const hash = await graphHash(graph);
  const runs = (await db.listRuns(projectId)).filter((r) => r.status === 'completed').sort((a, b) => b.startedAt - a.startedAt);
  for (const run of runs) {
    const version = await db.getVersion(run.versionId);
    if (version?.graphHash !== hash) continue;
    const cs = await db.listCheckpoints(run.id);
    const pick = cs.find((c) => c.kind === 'best') ?? cs.find((c) => c.kind === 'final');
    if (pick) return (await createCheckpointStore(db, blobs).load(pick.id)).weights;
  }
  return null;
}

/** The graph node a weight belongs to: `dense1/kernel` → dense1, `lstm__cell/…` → lstm, `x#1` → x. */
const nodeOfWeight = (name: string): string => name.split('/')[0]!.split('#')[0]!.split('__')[0]!;

/**
 * Why `arrays` cannot be the weights of the graph `summary` describes, or null when they fit:
 * every array must belong to a node of the graph, and each node's values must add up to the
 * parameter count the engine computes for it (names and counts; TF.js is not compiled here).
 */
export function weightsMismatch(arrays: readonly NamedArray[], summary: Pick<GraphSummary, 'nodes' | 'valid'>): string | null {
  if (!summary.valid) return 'the shared graph has errors, so its weights cannot be matched to it';
  const counts = new Map<string, number>();
  for (const a of arrays) {
    const node = nodeOfWeight(a.name);
    if (!Object.hasOwn(summary.nodes, node)) return `the weight "${a.name}" belongs to no layer of this graph`;
    counts.set(node, (counts.get(node) ?? 0) + a.values.length);
  }
  for (const [id, n] of Object.entries(summary.nodes)) {
    const got = counts.get(id) ?? 0;
    if (got !== n.params) return `layer ${id} needs ${n.params} parameters but the link brings ${got}`;
  }
  return null;
}
