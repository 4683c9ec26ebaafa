// The runtime shape of a project, as the engine uses it after parsing and migration.
import type { Brand, NodeId } from '../ids.js';

/** A group of nodes on the canvas (an instance of a block, or a plain frame). */
export type GroupId = Brand<string, 'GroupId'>;
/** A reusable block definition in `graph.blocks`. */
export type BlockId = Brand<string, 'BlockId'>;
export const groupId = (s: string): GroupId => s as GroupId;
export const blockId = (s: string): BlockId => s as BlockId;

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
  /** Canvas groups (block instances); the model stays the flat nodes and edges. Format v2. */
  readonly groups?: readonly NodeGroup[];
  /** Block definitions of this project, listed in the palette. Format v2. */
  readonly blocks?: readonly BlockDef[];
}

/** Nodes drawn together: an instance of `block` (node i is the block's node i) or a plain group. A node is in one group at most. */
export interface NodeGroup {
  readonly id: GroupId;
  readonly name: string;
  readonly block?: BlockId;
  readonly nodes: readonly NodeId[];
  /** Drawn as one box when true, as a frame around its nodes when false. */
  readonly collapsed: boolean;
}

/** A block parameter: one value written to every target param (its value is read from the first target). */
export interface BlockParam {
  readonly name: string;
  readonly targets: readonly { readonly node: NodeId; readonly param: string }[];
}

/** A reusable subgraph: template nodes (positions relative to its top-left) and its internal edges. */
export interface BlockDef {
  readonly id: BlockId;
  readonly name: string;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  readonly params: readonly BlockParam[];
}

export type OptimizerName = 'sgd' | 'adam' | 'adamw' | 'rmsprop' | 'adagrad';

/** An optimizer as written in the file: each name takes only its own fields (docs/project-format.md). */
export type OptimizerConfig =
  | { readonly name: 'sgd'; readonly learningRate?: number; readonly momentum?: number; readonly nesterov?: boolean }
  | { readonly name: 'adam'; readonly learningRate?: number; readonly beta1?: number; readonly beta2?: number; readonly epsilon?: number }
  | {
      readonly name: 'adamw';
      readonly learningRate?: number;
      readonly beta1?: number;
      readonly beta2?: number;
      readonly epsilon?: number;
      readonly weightDecay?: number;
    }
  | {
      readonly name: 'rmsprop';
      readonly learningRate?: number;
      readonly rho?: number;
      readonly momentum?: number;
      readonly epsilon?: number;
      readonly centered?: boolean;
    }
  | { readonly name: 'adagrad'; readonly learningRate?: number; readonly epsilon?: number };

export type ScheduleName = 'constant' | 'step' | 'exponential' | 'cosine' | 'oneCycle';
/** Whether a schedule counts optimizer steps or completed epochs. */
export type ScheduleUnit = 'epoch' | 'step';

/** A learning-rate schedule as written in the file; the optimizer's learningRate is its base (peak for oneCycle). */
export type ScheduleConfig =
  | { readonly name: 'constant' }
  | { readonly name: 'step'; readonly stepSize?: number; readonly gamma?: number; readonly unit?: ScheduleUnit }
  | { readonly name: 'exponential'; readonly gamma?: number; readonly unit?: ScheduleUnit }
  | { readonly name: 'cosine'; readonly warmupSteps?: number; readonly minLearningRate?: number; readonly totalSteps?: number }
  | {
      readonly name: 'oneCycle';
      readonly pctStart?: number;
      readonly divFactor?: number;
      readonly finalDivFactor?: number;
      readonly totalSteps?: number;
    };

export interface EarlyStoppingConfig {
  /** "valLoss", "loss", "valAccuracy", "accuracy", "valTop5Accuracy", … */
  readonly monitor?: string;
  /** Inferred from the name when absent: "…loss"/"…error" → min, otherwise max. */
  readonly mode?: 'min' | 'max';
  readonly patience?: number;
  readonly minDelta?: number;
  readonly restoreBestWeights?: boolean;
}

/** The `training` section as written in the file; src/engine/train/config.ts resolves defaults. */
export interface TrainingConfig {
  readonly optimizer?: OptimizerConfig;
  readonly loss?: string;
  readonly metrics?: readonly string[];
  readonly batchSize?: number;
  readonly epochs?: number;
  readonly seed?: number;
  readonly validationSplit?: number;
  readonly schedule?: ScheduleConfig;
  readonly clipNorm?: number;
  readonly accumulationSteps?: number;
  readonly l2?: number;
  readonly earlyStopping?: EarlyStoppingConfig;
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
export const CURRENT_VERSION = 2;
