// The on-disk schema of the current format version (2 = 1 + optional groups and blocks), checked at every boundary (file, link, storage, worker).
import { z } from 'zod';
import type { TrainingConfig } from './types.js';

type DeepWritable<T> = T extends readonly (infer E)[] ? DeepWritable<E>[] : T extends object ? { -readonly [K in keyof T]: DeepWritable<T[K]> } : T;

export const LIMITS = {
  maxNodes: 5000,
  maxEdges: 20000,
  maxIdLength: 64,
  maxNameLength: 200,
  maxParamsPerNode: 64,
  maxGroups: 1000,
  maxBlocks: 200,
  maxNodesPerBlock: 500,
  maxEdgesPerBlock: 2000,
  maxBlockParams: 64,
  maxParamTargets: 500,
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

const learningRate = z.number().positive().max(10).optional();
const beta = z.number().min(0).lt(1).optional();
const epsilon = z.number().positive().max(1).optional();
const momentum = z.number().min(0).lt(1).optional();

// The name is checked first, on its own, so an unknown optimizer is named as such; then each
// name accepts only its own fields, so a field meant for another optimizer is refused.
const optimizerSchema = z.looseObject({ name: z.enum(['sgd', 'adam', 'adamw', 'rmsprop', 'adagrad']) }).pipe(
  z.discriminatedUnion('name', [
    z
      .strictObject({ name: z.literal('sgd'), learningRate, momentum, nesterov: z.boolean().optional() })
      .refine((o) => !o.nesterov || (o.momentum ?? 0) > 0, { message: 'nesterov needs momentum > 0', path: ['nesterov'] }),
    z.strictObject({ name: z.literal('adam'), learningRate, beta1: beta, beta2: beta, epsilon }),
    z.strictObject({ name: z.literal('adamw'), learningRate, beta1: beta, beta2: beta, epsilon, weightDecay: z.number().min(0).max(1).optional() }),
    z.strictObject({ name: z.literal('rmsprop'), learningRate, rho: beta, momentum, epsilon, centered: z.boolean().optional() }),
    z.strictObject({ name: z.literal('adagrad'), learningRate, epsilon }),
  ]),
);

const unit = z.enum(['epoch', 'step']).optional();
const totalSteps = z.number().int().min(1).max(1e9).optional();
const scheduleSchema = z.looseObject({ name: z.enum(['constant', 'step', 'exponential', 'cosine', 'oneCycle']) }).pipe(
  z.discriminatedUnion('name', [
    z.strictObject({ name: z.literal('constant') }),
    z.strictObject({ name: z.literal('step'), stepSize: z.number().int().min(1).max(1e9).optional(), gamma: z.number().positive().max(1).optional(), unit }),
    z.strictObject({ name: z.literal('exponential'), gamma: z.number().positive().max(1).optional(), unit }),
    z.strictObject({
      name: z.literal('cosine'),
      warmupSteps: z.number().int().min(0).max(1e9).optional(),
      minLearningRate: z.number().min(0).max(10).optional(),
      totalSteps,
    }),
    z.strictObject({
      name: z.literal('oneCycle'),
      pctStart: z.number().gt(0).lt(1).optional(),
      divFactor: z.number().min(1).max(1e6).optional(),
      finalDivFactor: z.number().min(1).max(1e9).optional(),
      totalSteps,
    }),
  ]),
);

const earlyStoppingSchema = z.strictObject({
  monitor: z.string().min(1).max(64).optional(),
  mode: z.enum(['min', 'max']).optional(),
  patience: z.number().int().min(0).max(100000).optional(),
  minDelta: z.number().min(0).refine(Number.isFinite, 'must be a finite number').optional(),
  restoreBestWeights: z.boolean().optional(),
});

export const trainingSchema = z.strictObject({
  optimizer: optimizerSchema.optional(),
  loss: z.string().max(64).optional(),
  metrics: z.array(z.string().max(64)).max(16).optional(),
  batchSize: z.number().int().min(1).max(65536).optional(),
  epochs: z.number().int().min(1).max(100000).optional(),
  seed: z.number().int().min(0).max(2 ** 32 - 1).optional(),
  validationSplit: z.number().min(0).lt(1).optional(),
  schedule: scheduleSchema.optional(),
  clipNorm: z.number().positive().refine(Number.isFinite, 'must be a finite number').optional(),
  accumulationSteps: z.number().int().min(1).max(4096).optional(),
  l2: z.number().min(0).max(1).optional(),
  earlyStopping: earlyStoppingSchema.optional(),
});

// The hand-written TrainingConfig and this schema must describe the same documents.
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const trainingSchemaMatchesType: Same<z.output<typeof trainingSchema>, DeepWritable<TrainingConfig>> = true;
void trainingSchemaMatchesType;

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

const groupSchema = z.strictObject({
  id: idSchema,
  name: z.string().max(LIMITS.maxNameLength),
  block: idSchema.optional(),
  nodes: z.array(idSchema).min(1).max(LIMITS.maxNodes),
  collapsed: z.boolean(),
});

const blockSchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1).max(LIMITS.maxNameLength),
  nodes: z.array(nodeSchema).min(1).max(LIMITS.maxNodesPerBlock),
  edges: z.array(edgeSchema).max(LIMITS.maxEdgesPerBlock),
  params: z
    .array(
      z.strictObject({
        name: z.string().min(1).max(64),
        targets: z.array(z.strictObject({ node: idSchema, param: z.string().min(1).max(64) })).min(1).max(LIMITS.maxParamTargets),
      }),
    )
    .max(LIMITS.maxBlockParams)
    .default([]),
});

/** The graph of the current format: flat nodes and edges, plus canvas groups and block definitions. */
export const graphSchema = z.strictObject({
  nodes: z.array(nodeSchema).max(LIMITS.maxNodes),
  edges: z.array(edgeSchema).max(LIMITS.maxEdges),
  groups: z.array(groupSchema).max(LIMITS.maxGroups).optional(),
  blocks: z.array(blockSchema).max(LIMITS.maxBlocks).optional(),
});

const projectFields = {
  format: z.literal('neuralforge-project'),
  name: z.string().max(LIMITS.maxNameLength),
  description: z.string().max(10000).optional(),
  graph: graphSchema,
  training: trainingSchema.default({}),
  dataset: datasetSchema.default({}),
};

/** Format version 2, what parseProject checks after migrations. */
export const projectSchemaV2 = z.strictObject({ ...projectFields, version: z.literal(2) });

/**
 * Format version 1 as far as its fields go; its `graph` is the current graphSchema (a superset:
 * v1 graphs have no groups or blocks). Storage records read `.shape.graph` from it.
 */
export const projectSchemaV1 = z.strictObject({ ...projectFields, version: z.literal(1) });
