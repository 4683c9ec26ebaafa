// PyTorch emitters for pooling and resampling. Windowed pools run channels-first; global pools,
// padding and cropping work in whichever layout their input is in.
import { pyCall, pyIntOrTuple } from '../../python-code.js';
import { assign, emitter, noState, type ForwardInfo, type NodeInfo } from '../emitter.js';
import { fPadTuple, padsFor, paddingArg, symmetric, anyPadding } from '../padding.js';

interface PoolP { poolSize: number[]; strides: number[] | null; padding: 'valid' | 'same' }
interface UpP { size: number[]; interpolation: 'nearest' | 'bilinear' }

const first = () => 'first' as const;
const any = () => 'any' as const;
const none = (): readonly string[] => [];
const stridesOf = (p: PoolP): number[] => p.strides ?? p.poolSize;
const pads = (n: NodeInfo<PoolP>) => padsFor(n.params.padding, n.inputs[0]!.shape, n.params.poolSize, stridesOf(n.params));
const uneven = (n: NodeInfo<PoolP>): boolean => {
  const p = pads(n);
  return !symmetric(p) && anyPadding(p);
};
const UNEVEN = "# TF's 'same' padding puts the odd row or column at the end";

function poolOp(kind: 'Max' | 'Avg', rank: 1 | 2 | 3) {
  return emitter<PoolP>({
    layout: first,
    init(n) {
      const p = n.params;
      const padding = paddingArg(pads(n));
      const args = {
        kernel_size: pyIntOrTuple(p.poolSize),
        // PyTorch's stride defaults to the window, as TF.js's null strides do.
        stride: p.strides && p.strides.some((s, i) => s !== p.poolSize[i]) ? pyIntOrTuple(p.strides) : undefined,
        padding,
        // TF averages over the real inputs of a window, never the padding.
        count_include_pad: kind === 'Avg' && padding !== undefined ? 'False' : undefined,
      };
      return [`self.${n.attr()} = ${pyCall(`nn.${kind}Pool${rank}d`, [], args)}`];
    },
    forward(f: ForwardInfo<PoolP>) {
      const pool = `self.${f.attr()}`;
      const x = f.args[0]!;
      if (!uneven(f)) return assign(f, `${pool}(${x})`);
      const padded = kind === 'Max' ? `${pool}(F.pad(${x}, ${fPadTuple(pads(f))}, value=float('-inf')))` : `average_pool_excluding_padding(${x}, ${pool}, ${fPadTuple(pads(f))})`;
      return [UNEVEN, `${f.out} = ${padded}`];
    },
    state: noState,
    helpers: (n) => (kind === 'Avg' && uneven(n) ? ['average_pool_excluding_padding'] : []),
  });
}

/** Mean or max over every position: the spatial axes of whichever layout the input is in. */
function globalOp(reduce: 'mean' | 'amax') {
  return emitter<Record<string, never>>({
    layout: any,
    init: none,
    forward(f) {
      const rank = f.inputs[0]!.shape.length;
      const axes = Array.from({ length: rank - 2 }, (_, i) => (f.layout === 'first' ? i + 2 : i + 1));
      return assign(f, `${f.args[0]}.${reduce}(dim=${axes.length === 1 ? axes[0] : `(${axes.join(', ')})`})`);
    },
    state: noState,
  });
}

export const poolingOps = {
  MaxPooling1D: poolOp('Max', 1),
  MaxPooling2D: poolOp('Max', 2),
  MaxPooling3D: poolOp('Max', 3),
  AveragePooling1D: poolOp('Avg', 1),
  AveragePooling2D: poolOp('Avg', 2),
  AveragePooling3D: poolOp('Avg', 3),
  GlobalAveragePooling1D: globalOp('mean'),
  GlobalAveragePooling2D: globalOp('mean'),
  GlobalMaxPooling1D: globalOp('amax'),
  GlobalMaxPooling2D: globalOp('amax'),

  UpSampling2D: emitter<UpP>({
    layout: first,
    init: (n) => (n.params.interpolation === 'nearest' ? [`self.${n.attr()} = nn.Upsample(scale_factor=${pyIntOrTuple(n.params.size)})`] : []),
    forward(f) {
      if (f.params.interpolation === 'nearest') return assign(f, `self.${f.attr()}(${f.args[0]})`);
      return assign(f, `resize_bilinear(${f.args[0]}, (${f.output.shape[1]}, ${f.output.shape[2]}))`);
    },
    state: noState,
    helpers: (n) => (n.params.interpolation === 'bilinear' ? ['resize_bilinear'] : []),
  }),

  ZeroPadding2D: emitter<{ padding: [number, number][] }>({
    layout: any,
    init: none,
    forward(f) {
      const [[top, bottom], [left, right]] = f.params.padding as [[number, number], [number, number]];
      const pad = f.layout === 'first' ? [left, right, top, bottom] : [0, 0, left, right, top, bottom];
      return assign(f, `F.pad(${f.args[0]}, (${pad.join(', ')}))`);
    },
    state: noState,
  }),

  Cropping2D: emitter<{ cropping: [number, number][] }>({
    layout: any,
    init: none,
    forward(f) {
      const [, h, w] = f.inputs[0]!.shape as [null, number, number];
      const [[top, bottom], [left, right]] = f.params.cropping as [[number, number], [number, number]];
      const rows = `${top || ''}:${bottom ? h - bottom : ''}`;
      const cols = `${left || ''}:${right ? w - right : ''}`;
      return assign(f, `${f.args[0]}[${f.layout === 'first' ? ':, :, ' : ':, '}${rows}, ${cols}]`);
    },
    state: noState,
  }),
};
