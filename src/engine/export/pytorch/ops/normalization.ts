// PyTorch emitters for BatchNormalization (channels first, or the normalised axis moved to 1),
// LayerNormalization (the axis moved last) and GroupNormalization (channels first). A
// turned-off center or scale becomes a frozen offset of 0 or factor of 1.
import { pyCall, pyFloat } from '../../python-code.js';
import { normalizeAxis } from '../../../tensor.js';
import { emitter, weight, type ForwardInfo, type NodeInfo, type StateEntry } from '../emitter.js';
import { filled, same } from '../tensor-layout.js';
import type { NodeWeight } from '../../weights.js';

interface Affine { epsilon: number; center: boolean; scale: boolean }
interface BatchP extends Affine { axis: number; momentum: number }
interface LayerP extends Affine { axis: number }
interface GroupP extends Affine { groups: number }

const axisOf = (n: NodeInfo<{ axis: number }>): number => normalizeAxis(n.params.axis, n.inputs[0]!.shape.length)!;
const isLast = (n: NodeInfo<{ axis: number }>): boolean => axisOf(n) === n.inputs[0]!.shape.length - 1;
const features = (n: NodeInfo<{ axis: number }>): number => n.inputs[0]!.shape[axisOf(n)]!;

/** `affine=` and the line freezing a half of it that TF.js leaves out. */
function affine(n: NodeInfo<Affine>, flag: 'affine' | 'elementwise_affine'): { kwargs: Record<string, string | undefined>; freeze: string[] } {
  const { center, scale } = n.params;
  if (center && scale) return { kwargs: {}, freeze: [] };
  if (!center && !scale) return { kwargs: { [flag]: 'False' }, freeze: [] };
  const frozen = center ? `self.${n.attr()}.weight.requires_grad_(False)  # scale=False: the factor stays 1` : `self.${n.attr()}.bias.requires_grad_(False)  # center=False: the offset stays 0`;
  return { kwargs: {}, freeze: [frozen] };
}

/** gamma/beta as weight/bias, each 1 or 0 when TF.js has none. */
function affineState(n: NodeInfo<Affine>, ws: readonly NodeWeight[], size: number): StateEntry[] {
  const { center, scale } = n.params;
  if (!center && !scale) return [];
  return [
    scale ? same(`${n.attr()}.weight`, weight(ws, 'gamma', n.id)) : filled(`${n.attr()}.weight`, [size], 1),
    center ? same(`${n.attr()}.bias`, weight(ws, 'beta', n.id)) : filled(`${n.attr()}.bias`, [size], 0),
  ];
}

/** The layer applied with `axis` moved to `to` and back, unless it is there already. */
function moved(f: ForwardInfo<unknown>, axis: number, to: number): string {
  const x = f.args[0]!;
  const rank = f.inputs[0]!.shape.length;
  const at = to < 0 ? rank + to : to;
  return axis === at ? `self.${f.attr()}(${x})` : `self.${f.attr()}(${x}.movedim(${axis}, ${to})).movedim(${to}, ${axis})`;
}

export const normalizationOps = {
  // Keras's moving = m·moving + (1 − m)·batch is PyTorch's momentum 1 − m.
  BatchNormalization: emitter<BatchP>({
    layout: (n) => (isLast(n) ? 'first' : 'last'),
    init(n) {
      const rank = n.inputs[0]!.shape.length;
      const { kwargs, freeze } = affine(n, 'affine');
      const args = { eps: pyFloat(n.params.epsilon), momentum: pyFloat(Number((1 - n.params.momentum).toPrecision(12))), ...kwargs };
      return [`self.${n.attr()} = ${pyCall(`nn.BatchNorm${Math.max(1, rank - 2)}d`, [features(n)], args)}`, ...freeze];
    },
    // Channels last arrives channels first (axis 1); another axis is moved to 1 and back.
    forward: (f) => [`${f.out} = ${isLast(f) ? `self.${f.attr()}(${f.args[0]})` : moved(f, axisOf(f), 1)}`],
    state(n, ws) {
      const size = features(n);
      return [...affineState(n, ws, size), same(`${n.attr()}.running_mean`, weight(ws, 'moving_mean', n.id)), same(`${n.attr()}.running_var`, weight(ws, 'moving_variance', n.id))];
    },
  }),

  LayerNormalization: emitter<LayerP>({
    layout: () => 'last',
    init(n) {
      const { kwargs, freeze } = affine(n, 'elementwise_affine');
      return [`self.${n.attr()} = ${pyCall('nn.LayerNorm', [features(n)], { eps: pyFloat(n.params.epsilon), ...kwargs })}`, ...freeze];
    },
    forward: (f) => [`${f.out} = ${moved(f, axisOf(f), -1)}`],
    state: (n, ws) => affineState(n, ws, features(n)),
  }),

  // Groups of consecutive channels, as nn.GroupNorm forms them from (B, C, …).
  GroupNormalization: emitter<GroupP>({
    layout: () => 'first',
    init(n) {
      const { kwargs, freeze } = affine(n, 'affine');
      return [`self.${n.attr()} = ${pyCall('nn.GroupNorm', [n.params.groups, n.inputs[0]!.shape.at(-1)!], { eps: pyFloat(n.params.epsilon), ...kwargs })}`, ...freeze];
    },
    forward: (f) => [`${f.out} = self.${f.attr()}(${f.args[0]})`],
    state: (n, ws) => affineState(n, ws, n.inputs[0]!.shape.at(-1)!),
  }),
};
