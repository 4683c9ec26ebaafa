// The runtime shape of a project, as the engine uses it after parsing and migration.
import type { NodeId } from '../ids.js';

export interface Position {
  readonly x: number;
  readonly y: number;
}

export interface GraphNode {
  readonly id: NodeId;
  /** A layer kind (Keras class name); unknown kinds survive parsing and become diagnostics. */
  readonly kind: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly position?: Position;
  readonly label?: string;
}

export interface GraphEdge {
  readonly source: NodeId;
  readonly target: NodeId;
  /** Which input port of the target (0-based): Concatenate keeps this order. */
  readonly targetInput: number;
}

export interface Graph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

export type OptimizerName = 'sgd' | 'adam' | 'adamw' | 'rmsprop' | 'adagrad';

export interface TrainingConfig {
  readonly optimizer?: { readonly name: OptimizerName; readonly learningRate?: number } & Readonly<Record<string, unknown>>;
  readonly loss?: string;
  readonly metrics?: readonly string[];
  readonly batchSize?: number;
  readonly epochs?: number;
  readonly seed?: number;
  readonly validationSplit?: number;
}

export type DatasetRef =
  | { readonly source: 'builtin'; readonly name: string }
  | { readonly source: 'file'; readonly path: string; readonly label?: string }
  | { readonly source: 'remote'; readonly url: string; readonly sha256?: string; readonly label?: string }
  | { readonly source?: undefined };

export interface Project {
  readonly format: 'neuralforge-project';
  readonly version: typeof CURRENT_VERSION;
  readonly name: string;
  readonly description?: string;
  readonly graph: Graph;
  readonly training: TrainingConfig;
  readonly dataset: DatasetRef;
}

export const PROJECT_FORMAT = 'neuralforge-project';
export const CURRENT_VERSION = 1;
