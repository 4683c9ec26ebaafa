// Schemas for graph nodes, edges and changes read back from outside this tab (localStorage
// history, the system clipboard): the same limits as the project file, and no "__proto__" keys.
import { z } from 'zod';
import type { GraphChange } from '../../engine/graph/changes.js';
import { nodeId } from '../../engine/ids.js';
import { LIMITS } from '../../engine/project/schema.js';
import { blockId, groupId, type BlockDef, type GraphEdge, type GraphNode, type NodeGroup } from '../../engine/project/types.js';

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

const rawId = z.string().min(1).max(LIMITS.maxIdLength).regex(/^[A-Za-z0-9_.-]+$/);
const groupIdSchema = rawId.transform(groupId);
const blockIdSchema = rawId.transform(blockId);
const name = z.string().max(LIMITS.maxNameLength);

export const groupSchema: z.ZodType<NodeGroup> = z
  .strictObject({ id: groupIdSchema, name, block: blockIdSchema.optional(), nodes: z.array(id).min(1).max(LIMITS.maxNodes), collapsed: z.boolean() })
  .transform(({ block, ...g }) => (block === undefined ? g : { ...g, block }));

export const blockSchema: z.ZodType<BlockDef> = z.strictObject({
  id: blockIdSchema,
  name: name.min(1),
  nodes: z.array(nodeSchema).min(1).max(LIMITS.maxNodesPerBlock),
  edges: z.array(edgeSchema).max(LIMITS.maxEdgesPerBlock),
  params: z
    .array(z.strictObject({ name: z.string().min(1).max(64), targets: z.array(z.strictObject({ node: id, param: z.string().min(1).max(64) })).min(1).max(LIMITS.maxParamTargets) }))
    .max(LIMITS.maxBlockParams),
});

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
  z.strictObject({ type: z.literal('addGroup'), group: groupSchema, index: z.number().int().min(0).optional() }),
  z.strictObject({ type: z.literal('removeGroup'), groupId: groupIdSchema }),
  z.strictObject({ type: z.literal('setGroup'), groupId: groupIdSchema, patch: z.strictObject({ name: name.optional(), collapsed: z.boolean().optional() }) }).transform((c) => ({
    type: c.type,
    groupId: c.groupId,
    patch: { ...(c.patch.name !== undefined ? { name: c.patch.name } : {}), ...(c.patch.collapsed !== undefined ? { collapsed: c.patch.collapsed } : {}) },
  })),
  z.strictObject({ type: z.literal('addBlock'), block: blockSchema, index: z.number().int().min(0).optional() }),
  z.strictObject({ type: z.literal('removeBlock'), blockId: blockIdSchema }),
]);
