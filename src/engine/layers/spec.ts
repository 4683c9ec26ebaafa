// The contract every layer kind fulfils, defined once per kind (see registry.ts).
import type * as tf from '@tensorflow/tfjs';
import type { NodeId } from '../ids.js';
import type { ParamSchema, ParamsOf } from '../params.js';
import type { TensorInfo } from '../tensor.js';
import type { LayerCategory, LayerKind } from './kinds.js';
import type { CustomLayerClasses } from '../compile/custom/index.js';

/** One incoming tensor, with where it came from so a rule can say "give the Conv2D 10 filters". */
export interface InputInfo extends TensorInfo {
  readonly source: { readonly id: NodeId; readonly kind: string; readonly params: Readonly<Record<string, unknown>> };
}

export type ShapeErrorCode = 'rank-mismatch' | 'shape-mismatch' | 'invalid-shape' | 'unknown-dim' | 'dtype-mismatch';

export type InferResult =
  | { readonly ok: true; readonly out: TensorInfo }
  | { readonly ok: false; readonly code: ShapeErrorCode; readonly message: string; readonly suggestion: string };

export interface ParamCount {
  readonly trainable: number;
  readonly nonTrainable: number;
}

/** A configuration the kind can run forward but TF.js cannot train (reported before training). */
export interface TrainingLimit {
  readonly message: string;
  readonly suggestion: string;
}

/** What a TF.js builder gets besides params and inputs. */
export interface BuildContext {
  readonly tf: typeof tf;
  readonly nodeId: NodeId;
  /** NeuralForge's own TF.js layers (TF.js lacks them), supplied by the compiler so specs never import TF.js. */
  readonly custom: CustomLayerClasses;
  /** Layer name for the node's main layer, or a suffixed one for helpers it adds. */
  name(suffix?: string): string;
  /** Deterministic seed for one weight of this node, derived from the project seed. */
  seed(slot: string): number;
}

export interface LayerSpec<S extends ParamSchema = ParamSchema> {
  readonly kind: LayerKind;
  readonly category: LayerCategory;
  /** One sentence for the palette and docs. */
  readonly summary: string;
  readonly params: S;
  /** How many inputs the kind takes; names label ports where order matters (query/value/key). */
  readonly inputs: { readonly min: number; readonly max: number; readonly names?: readonly string[] };
  infer(p: ParamsOf<S>, inputs: readonly InputInfo[]): InferResult;
  countParams(p: ParamsOf<S>, inputs: readonly TensorInfo[], out: TensorInfo): ParamCount;
  /** Forward FLOPs for one sample (a multiply-add counts 2), see docs/project-format.md. */
  flops(p: ParamsOf<S>, inputs: readonly TensorInfo[], out: TensorInfo): number;
  /** Elements kept per sample for the backward pass; defaults to the output's size. */
  activationElements?(p: ParamsOf<S>, inputs: readonly TensorInfo[], out: TensorInfo): number;
  trainingLimit?(p: ParamsOf<S>): TrainingLimit | null;
  build(ctx: BuildContext, p: ParamsOf<S>, inputs: tf.SymbolicTensor[]): tf.SymbolicTensor;
}

/** Identity helper that checks a spec against its own schema while keeping it generic-free for the registry. */
export function defineLayer<const S extends ParamSchema>(spec: LayerSpec<S>): LayerSpec {
  return spec as unknown as LayerSpec;
}
