// Schemas for graph nodes, edges and changes read back from outside this tab (localStorage
// history, the system clipboard): the same limits as the project file, and no "__proto__" keys.
import { z } from 'zod';
import type { GraphChange } from '../../engine/graph/changes.js';
import { nodeId } from '../../engine/ids.js';
import { LIMITS } from '../../engine/project/schema.js';
import type { GraphEdge, GraphNode } from '../../engine/project/types.js';

const id = z
  .string()
  .min(1)
  .max(LIMITS.maxIdLength)
  .regex(/^[A-Za-z0-9_.-]+$/)
  .transform(nodeId);
const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const position = z.strictObject({ x: finite, y: finite });

/** True when `v` (parsed JSON) has a "__proto__" or "constructor" key anywhere. */
export function hasUnsafeKey(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(hasUnsafeKey);
  if (v === null || typeof v !== 'object') return false;
  return Object.keys(v).some((k) => k === '__proto__' || k === 'constructor' || hasUnsafeKey((v as Record<string, unknown>)[k]));
}

// Checked on the raw input: zod builds the record by assignment, where a "__proto__" key would
// set the prototype of the result instead of appearing as a key.
const params = z
  .unknown()
  .refine((p) => !hasUnsafeKey(p), 'params may not use the keys "__proto__" or "constructor"')
  .pipe(z.record(z.string(), z.unknown()).refine((p) => Object.keys(p).length <= LIMITS.maxParamsPerNode, `at most ${LIMITS.maxParamsPerNode} params`));

export const nodeSchema: z.ZodType<GraphNode> = z.strictObject({
  id,
  kind: z.string().min(1).max(64),
  params,
  position: position.optional(),
  label: z.string().max(LIMITS.maxNameLength).optional(),
});

export const edgeSchema: z.ZodType<GraphEdge> = z.strictObject({ source: id, target: id, targetInput: z.number().int().min(0).max(63) });

export const changeSchema: z.ZodType<GraphChange> = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('addNode'), node: nodeSchema, index: z.number().int().min(0).optional() }),
  z.strictObject({ type: z.literal('removeNode'), nodeId: id }),
  z.strictObject({ type: z.literal('setParams'), nodeId: id, params }),
  z.strictObject({ type: z.literal('moveNode'), nodeId: id, position }),
  // JSON drops `label: undefined` (label removed); the change still names the key.
  z
    .strictObject({ type: z.literal('setLabel'), nodeId: id, label: z.string().max(LIMITS.maxNameLength).optional() })
    .transform((c) => ({ type: c.type, nodeId: c.nodeId, label: c.label })),
  z.strictObject({ type: z.literal('addEdge'), edge: edgeSchema, index: z.number().int().min(0).optional() }),
  z.strictObject({ type: z.literal('removeEdge'), edge: edgeSchema }),
]);
