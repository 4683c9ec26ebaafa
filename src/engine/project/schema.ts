// The on-disk schema of format version 1, checked at every boundary (file, link, storage, worker).
import { z } from 'zod';

export const LIMITS = {
  maxNodes: 5000,
  maxEdges: 20000,
  maxIdLength: 64,
  maxNameLength: 200,
  maxParamsPerNode: 64,
} as const;

const idSchema = z
  .string()
  .min(1)
  .max(LIMITS.maxIdLength)
  .regex(/^[A-Za-z0-9_.-]+$/, 'ids may use letters, digits, "_", "." and "-" only');

const finite = z.number().refine(Number.isFinite, 'must be a finite number');

const nodeSchema = z.strictObject({
  id: idSchema,
  kind: z.string().min(1).max(64),
  params: z
    .record(z.string(), z.unknown())
    .refine((p) => Object.keys(p).length <= LIMITS.maxParamsPerNode, `at most ${LIMITS.maxParamsPerNode} params`)
    .default({}),
  position: z.strictObject({ x: finite, y: finite }).optional(),
  label: z.string().max(LIMITS.maxNameLength).optional(),
});

const edgeSchema = z.strictObject({
  source: idSchema,
  target: idSchema,
  targetInput: z.number().int().min(0).max(63).default(0),
});

const optimizerSchema = z.looseObject({
  name: z.enum(['sgd', 'adam', 'adamw', 'rmsprop', 'adagrad']),
  learningRate: z.number().positive().max(10).optional(),
});

export const trainingSchema = z.strictObject({
  optimizer: optimizerSchema.optional(),
  loss: z.string().max(64).optional(),
  metrics: z.array(z.string().max(64)).max(16).optional(),
  batchSize: z.number().int().min(1).max(65536).optional(),
  epochs: z.number().int().min(1).max(100000).optional(),
  seed: z.number().int().min(0).max(2 ** 32 - 1).optional(),
  validationSplit: z.number().min(0).lt(1).optional(),
});

export const datasetSchema = z.union([
  z.strictObject({ source: z.literal('builtin'), name: z.string().min(1).max(64) }),
  z.strictObject({ source: z.literal('file'), path: z.string().min(1).max(1024), label: z.string().max(256).optional() }),
  z.strictObject({
    source: z.literal('remote'),
    url: z.string().url().max(2048),
    sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
    label: z.string().max(256).optional(),
  }),
  z.strictObject({}),
]);

export const projectSchemaV1 = z.strictObject({
  format: z.literal('neuralforge-project'),
  version: z.literal(1),
  name: z.string().max(LIMITS.maxNameLength),
  description: z.string().max(10000).optional(),
  graph: z.strictObject({
    nodes: z.array(nodeSchema).max(LIMITS.maxNodes),
    edges: z.array(edgeSchema).max(LIMITS.maxEdges),
  }),
  training: trainingSchema.default({}),
  dataset: datasetSchema.default({}),
});
