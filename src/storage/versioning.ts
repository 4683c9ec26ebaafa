// Architecture versions: a graph's identity is a hash of what it computes (not where its nodes
// sit), and saving creates a version only when that identity changed.
import type { Graph } from '../engine/project/types.js';
import { newVersionId } from './ids.js';
import { StorageError, type ProjectRecord, type StorageDb, type VersionRecord } from './types.js';

type Json = null | boolean | number | string | readonly Json[] | { readonly [k: string]: Json };

/**
 * Canonical JSON as RFC 8785 (JCS) defines it for JSON values: keys sorted by UTF-16 code units,
 * no whitespace, numbers as ECMAScript prints them; `undefined` fields dropped as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The part of a graph that decides what it computes: nodes by id (kind, params), edges sorted; no
 * positions or labels, and no groups or blocks (drawing only: the model is the flat graph).
 */
export function canonicalGraph(graph: Graph): Json {
  const nodes = [...graph.nodes].sort((a, b) => byCodeUnit(a.id, b.id)).map((n) => ({ id: n.id, kind: n.kind, params: (n.params ?? {}) as Json }));
  const edges = [...graph.edges]
    .sort((a, b) => byCodeUnit(a.source, b.source) || byCodeUnit(a.target, b.target) || a.targetInput - b.targetInput)
    .map((e) => ({ source: e.source, target: e.target, targetInput: e.targetInput }));
  return { nodes, edges };
}

/**
 * Lower-case hex SHA-256 of the canonical JSON (UTF-8) of `graph`: moving or renaming a node keeps
 * the hash; changing a kind, a parameter or a connection changes it.
 * @example await graphHash(project.graph) // → 'b5d4…' (64 hex digits)
 */
export async function graphHash(graph: Graph): Promise<string> {
  const bytes = new TextEncoder().encode(canonicalJson(canonicalGraph(graph)));
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Saves `graph` as a new architecture version of `project` when its hash differs from the head
 * version's; returns null when it does not (nothing is written). The version and the project's
 * new `headVersion` are written in one transaction. Throws StorageError('conflict') when the
 * stored project's head moved since `project` was read (another tab saved).
 */
export async function saveVersion(
  db: StorageDb,
  project: ProjectRecord,
  graph: Graph,
  totals: VersionRecord['totals'],
  message: string,
): Promise<VersionRecord | null> {
  const hash = await graphHash(graph);
  const [head, stored] = await Promise.all([project.headVersion ? db.getVersion(project.headVersion) : null, db.getProject(project.id)]);
  if (stored && stored.headVersion !== project.headVersion)
    throw new StorageError('conflict', `The project "${project.name}" was saved elsewhere (another tab?) since it was opened here. Reload it before saving a new version.`);
  if (head && head.graphHash === hash) return null;
  const now = Date.now();
  const version: VersionRecord = {
    id: newVersionId(),
    projectId: project.id,
    parent: head?.id ?? null,
    message,
    createdAt: now,
    graphHash: hash,
    graph,
    totals: { params: totals.params, trainableParams: totals.trainableParams, flops: totals.flops },
  };
  await db.importAll({
    projects: [{ ...project, headVersion: version.id, updatedAt: now }],
    versions: [version],
    datasets: [],
    runs: [],
    metrics: [],
    checkpoints: [],
    exports: [],
  });
  return version;
}
