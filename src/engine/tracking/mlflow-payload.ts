// What a NeuralForge run becomes in MLflow's REST API: params (flattened settings), tags and
// metrics, packed into runs/log-batch requests within MLflow's documented limits.
import type { TrainingConfig } from '../project/types.js';
import { flattenSettings } from './flatten.js';

/**
 * MLflow's LogBatch limits (REST API docs, "Request Limits"): at most 1000 metrics, 100 params
 * and 100 tags per request, 1000 entities in total, and 1 MB of JSON.
 */
export const MLFLOW_LIMITS = {
  metricsPerBatch: 1000,
  paramsPerBatch: 100,
  tagsPerBatch: 100,
  entitiesPerBatch: 1000,
  /** Kept under the documented 1 MB so headers and run_id fit too. */
  batchBytes: 900_000,
  keyLength: 250,
  /** MLflow 2.x stores param values up to 6000 characters. */
  paramValueLength: 6000,
  /** Every MLflow backend store is documented to take tag values of at least 5000 bytes. */
  tagValueLength: 5000,
} as const;

/** What the MLflow client needs of a run; a stored RunRecord fits. */
export interface MlflowRunInput {
  readonly id: string;
  readonly name?: string;
  readonly status: string;
  readonly startedAt: number;
  readonly endedAt: number | null;
  readonly versionId: string;
  readonly datasetName: string;
  readonly datasetVersion: string | null;
  readonly backend: string | null;
  readonly adapter: string | null;
  readonly config: TrainingConfig;
  readonly seed: number;
  readonly epochs: number;
  readonly tags: readonly string[];
  readonly finalMetrics: Readonly<Record<string, number>>;
  readonly environment?: { readonly app: string; readonly userAgent: string | null; readonly tfjs: string | null } | null;
}

/** One stored metric point (a MetricPoint fits). */
export interface MlflowPointInput {
  readonly scope: 'step' | 'epoch';
  readonly index: number;
  readonly values: Readonly<Record<string, number>>;
  readonly time: number;
}

export interface KeyValue {
  readonly key: string;
  readonly value: string;
}

/** MLflow's Metric message. Non-finite values as proto3 JSON writes doubles: "NaN", "Infinity", "-Infinity". */
export interface MlflowMetric {
  readonly key: string;
  readonly value: number | 'NaN' | 'Infinity' | '-Infinity';
  readonly timestamp: number;
  readonly step: number;
}

export interface LogBatchBody {
  readonly run_id: string;
  readonly metrics: readonly MlflowMetric[];
  readonly params: readonly KeyValue[];
  readonly tags: readonly KeyValue[];
}

/** MLflow names: "alphanumerics, underscores, dashes, periods, spaces and slashes"; anything else becomes "_". */
export const mlflowKey = (k: string): string => k.replace(/[^A-Za-z0-9_\-. /]/g, '_').slice(0, MLFLOW_LIMITS.keyLength);

const metricValue = (v: number): MlflowMetric['value'] => (Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : v);

export interface RunEntities {
  readonly params: readonly KeyValue[];
  readonly tags: readonly KeyValue[];
  readonly metrics: readonly MlflowMetric[];
  /** Values that had to be shortened to fit MLflow's limits. */
  readonly warnings: readonly string[];
}

/** The tags runs/create sets: the run's name and where it came from (MLflow's system tags). */
export function createTags(run: MlflowRunInput): KeyValue[] {
  const name = run.name ?? run.id;
  return [
    { key: 'mlflow.runName', value: name },
    { key: 'mlflow.source.name', value: 'NeuralForge' },
    { key: 'mlflow.source.type', value: 'LOCAL' },
  ];
}

/**
 * Params, tags and metrics of a run. Params: the flattened training settings, the seed, the
 * dataset and the architecture version. Metrics: each step value under its name at its global
 * step, each epoch value as `epoch/<name>` at its epoch, final values as `final/<name>` at the last epoch.
 */
export function runEntities(run: MlflowRunInput, points: readonly MlflowPointInput[]): RunEntities {
  const warnings: string[] = [];
  const fit = (what: string, key: string, value: string, limit: number): KeyValue => {
    if (value.length <= limit) return { key, value };
    warnings.push(`${what} "${key}" is ${value.length} characters; MLflow keeps ${limit}, so it was shortened`);
    return { key, value: value.slice(0, limit) };
  };
  const settings = flattenSettings({ ...run.config, seed: run.seed });
  const params = [
    ...Object.entries(settings).map(([k, v]) => [k, String(v)] as const),
    ['dataset.name', run.datasetName] as const,
    ...(run.datasetVersion ? [['dataset.version', run.datasetVersion] as const] : []),
    ['architecture.version', run.versionId] as const,
  ].map(([k, v]) => fit('param', mlflowKey(k), v, MLFLOW_LIMITS.paramValueLength));
  const env = run.environment;
  const tagPairs: [string, string | null][] = [
    ['neuralforge.run_id', run.id],
    ['neuralforge.status', run.status],
    ['neuralforge.backend', run.backend],
    ['neuralforge.adapter', run.adapter],
    ['neuralforge.app_version', env?.app ?? null],
    ['neuralforge.user_agent', env?.userAgent ?? null],
    ['neuralforge.tfjs_version', env?.tfjs ?? null],
    ['neuralforge.tags', run.tags.length ? run.tags.join(', ') : null],
  ];
  const tags = tagPairs.flatMap(([k, v]) => (v === null ? [] : [fit('tag', k, v, MLFLOW_LIMITS.tagValueLength)]));
  const metrics: MlflowMetric[] = [];
  for (const p of points) {
    for (const [k, v] of Object.entries(p.values)) {
      metrics.push({ key: mlflowKey(p.scope === 'step' ? k : `epoch/${k}`), value: metricValue(v), timestamp: Math.round(p.time), step: p.index });
    }
  }
  const end = Math.round(run.endedAt ?? points.at(-1)?.time ?? run.startedAt);
  for (const [k, v] of Object.entries(run.finalMetrics)) metrics.push({ key: mlflowKey(`final/${k}`), value: metricValue(v), timestamp: end, step: run.epochs });
  return { params, tags, metrics, warnings };
}

/**
 * Packs entities into log-batch bodies: params and tags first, metrics after, each request
 * within every limit of MLFLOW_LIMITS. Order within each kind is kept (MLflow logs it in order).
 */
export function planBatches(runId: string, e: Pick<RunEntities, 'params' | 'tags' | 'metrics'>): LogBatchBody[] {
  const out: LogBatchBody[] = [];
  const next = { params: 0, tags: 0, metrics: 0 };
  const base = JSON.stringify({ run_id: runId, metrics: [], params: [], tags: [] }).length;
  while (next.params < e.params.length || next.tags < e.tags.length || next.metrics < e.metrics.length) {
    const batch = { params: [] as KeyValue[], tags: [] as KeyValue[], metrics: [] as MlflowMetric[] };
    let bytes = base;
    let entities = 0;
    /** Moves entities of one kind into the batch while every limit still holds (one always fits: each is ≤ ~11 kB). */
    const take = <K extends keyof typeof next>(kind: K, max: number) => {
      const from = e[kind] as readonly unknown[];
      const into = batch[kind] as unknown[];
      while (next[kind] < from.length && into.length < max && entities < MLFLOW_LIMITS.entitiesPerBatch) {
        const size = JSON.stringify(from[next[kind]]).length + 1;
        if (bytes + size > MLFLOW_LIMITS.batchBytes) break;
        into.push(from[next[kind]++]);
        bytes += size;
        entities++;
      }
    };
    take('params', MLFLOW_LIMITS.paramsPerBatch);
    take('tags', MLFLOW_LIMITS.tagsPerBatch);
    take('metrics', MLFLOW_LIMITS.metricsPerBatch);
    out.push({ run_id: runId, ...batch });
  }
  return out;
}
