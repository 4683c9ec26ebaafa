// The one way into a Project from untrusted bytes or values: size cap, JSON, hostile
// keys, format and version, migrations, schema, then referential integrity.
import type { z } from 'zod';
import { CURRENT_VERSION, PROJECT_FORMAT, type Project } from './types.js';
import { checkGroupsAndBlocks } from './group-integrity.js';
import { LIMITS, projectSchemaV2 } from './schema.js';
import { MIGRATIONS, migrateForward, type Migration, type RawDoc } from './migrate.js';

export const MAX_PROJECT_BYTES = 16 * 1024 * 1024;
const MAX_DEPTH = 32;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export type ProjectErrorCode = 'too-large' | 'not-json' | 'not-a-project' | 'newer-version' | 'hostile' | 'invalid';

export interface ProjectError {
  readonly code: ProjectErrorCode;
  /** Where in the document, e.g. `graph.nodes[2].params.filters`; empty for the whole file. */
  readonly path: string;
  readonly message: string;
}

export type ParseResult =
  | { readonly ok: true; readonly project: Project; readonly migratedFrom: number | null }
  | { readonly ok: false; readonly error: ProjectError };

const fail = (code: ProjectErrorCode, path: string, message: string): ParseResult => ({ ok: false, error: { code, path, message } });

export function formatPath(path: readonly PropertyKey[]): string {
  let s = '';
  for (const k of path) s += typeof k === 'number' ? `[${k}]` : s ? `.${String(k)}` : String(k);
  return s;
}

/** Finds keys that could reach Object.prototype, and absurd nesting, before anything copies the value. */
function findHostile(v: unknown, path: PropertyKey[], depth: number): ProjectError | null {
  if (depth > MAX_DEPTH) return { code: 'hostile', path: formatPath(path), message: `nested deeper than ${MAX_DEPTH} levels` };
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const e = findHostile(v[i], [...path, i], depth + 1);
      if (e) return e;
    }
  } else if (v !== null && typeof v === 'object') {
    for (const k of Object.keys(v)) {
      if (FORBIDDEN_KEYS.has(k)) return { code: 'hostile', path: formatPath([...path, k]), message: `the key "${k}" is not allowed` };
      const e = findHostile((v as Record<string, unknown>)[k], [...path, k], depth + 1);
      if (e) return e;
    }
  }
  return null;
}

function zodMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return issue.message;
}

function checkReferences(p: Project): ParseResult | null {
  const ids = new Map<string, number>();
  p.graph.nodes.forEach((n, i) => {
    if (ids.has(n.id)) return;
    ids.set(n.id, i);
  });
  for (let i = 0; i < p.graph.nodes.length; i++) {
    const id = p.graph.nodes[i]!.id;
    if (ids.get(id) !== i) return fail('invalid', `graph.nodes[${i}].id`, `duplicate node id "${id}" (first used by graph.nodes[${ids.get(id)}])`);
  }
  const seen = new Set<string>();
  for (let i = 0; i < p.graph.edges.length; i++) {
    const e = p.graph.edges[i]!;
    if (!ids.has(e.source)) return fail('invalid', `graph.edges[${i}].source`, `edge comes from "${e.source}", which is not a node`);
    if (!ids.has(e.target)) return fail('invalid', `graph.edges[${i}].target`, `edge goes to "${e.target}", which is not a node`);
    const key = `${e.source}\u0000${e.target}\u0000${e.targetInput}`;
    if (seen.has(key)) return fail('invalid', `graph.edges[${i}]`, `duplicate edge ${e.source} → ${e.target} input ${e.targetInput}`);
    seen.add(key);
  }
  return null;
}

/**
 * Validate and upgrade an already-decoded value.
 * @example parseProject(JSON.parse(text)) // → { ok: true, project } or { ok: false, error: { path, message } }
 */
export function parseProject(value: unknown, migrations: readonly Migration[] = MIGRATIONS, current: number = CURRENT_VERSION): ParseResult {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return fail('not-a-project', '', 'a project file must be a JSON object');
  const hostile = findHostile(value, [], 0);
  if (hostile) return { ok: false, error: hostile };
  const doc = value as RawDoc;
  if (doc['format'] !== PROJECT_FORMAT)
    return fail('not-a-project', 'format', `not a NeuralForge project: "format" must be "${PROJECT_FORMAT}"`);
  const version = doc['version'];
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    return fail('invalid', 'version', `"version" must be a whole number ≥ 1; got ${JSON.stringify(version)}`);
  if (version > current)
    return fail('newer-version', 'version', `made by a newer NeuralForge (format version ${version}; this one reads up to ${current}). Update the app to open it.`);
  const migrated = version < current ? migrateForward(doc, current, migrations) : doc;
  const r = projectSchemaV2.safeParse(migrated);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    return fail('invalid', formatPath(issue.path), zodMessage(issue));
  }
  const project = r.data as unknown as Project; // ids are validated strings: brand them here
  const refs = checkReferences(project);
  if (refs) return refs;
  const groups = checkGroupsAndBlocks(project.graph);
  if (groups) return fail('invalid', groups.path, groups.message);
  return { ok: true, project, migratedFrom: version < current ? version : null };
}

/** Parse project text (a file or a decoded share link); size is checked before anything else. */
export function parseProjectText(text: string): ParseResult {
  if (text.length > MAX_PROJECT_BYTES) return fail('too-large', '', `project file is over ${MAX_PROJECT_BYTES / 1024 / 1024} MB`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return fail('not-json', '', `not valid JSON: ${(e as Error).message}`);
  }
  return parseProject(value);
}

/** "graph.nodes[2].id: duplicate node id …" — one line for a person or stderr. */
export const describeProjectError = (e: ProjectError): string => (e.path ? `${e.path}: ${e.message}` : e.message);

export { LIMITS };
