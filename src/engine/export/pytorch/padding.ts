// TF's 'same' and 'causal' padding as explicit amounts. TF pads (out − 1)·stride + extent − in
// in total, the odd one at the end; PyTorch layers pad both ends equally, so an uneven split
// becomes an F.pad before the layer.
import { pyIntOrTuple } from '../python-code.js';

/** [before, after] per spatial dim. */
export type Pads = readonly (readonly [number, number])[];

/** TF's 'same' padding of one spatial dim of length `len`. */
export function samePad(len: number, kernel: number, stride: number, dilation = 1): [number, number] {
  const out = Math.ceil(len / stride);
  const total = Math.max((out - 1) * stride + (kernel - 1) * dilation + 1 - len, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/** Padding for every spatial dim (sizes from the channels-last shape [B, …spatial, C]). */
export function padsFor(
  padding: 'valid' | 'same' | 'causal',
  shape: readonly (number | null)[],
  kernel: readonly number[],
  strides: readonly number[],
  dilation: readonly number[] = kernel.map(() => 1),
): Pads {
  const spatial = shape.slice(1, -1);
  return spatial.map((len, i): [number, number] => {
    switch (padding) {
      case 'valid':
        return [0, 0];
      case 'causal':
        return [(kernel[i]! - 1) * dilation[i]!, 0];
      case 'same':
        if (len === null) throw new Error(`'same' padding needs spatial dimension ${i + 1} of [${shape.join(', ')}] to be known`);
        return samePad(len, kernel[i]!, strides[i]!, dilation[i]);
      default: {
        const never: never = padding;
        throw new Error(`unhandled padding ${String(never)}`);
      }
    }
  });
}

export const symmetric = (pads: Pads): boolean => pads.every(([a, b]) => a === b);
export const anyPadding = (pads: Pads): boolean => pads.some(([a, b]) => a > 0 || b > 0);

/** The layer's own `padding=` argument when the pads are symmetric and not zero. */
export const paddingArg = (pads: Pads): string | undefined => (symmetric(pads) && anyPadding(pads) ? pyIntOrTuple(pads.map(([a]) => a)) : undefined);

/** F.pad's tuple for channels-first spatial dims: the last dim first, (before, after) each. */
export const fPadTuple = (pads: Pads): string => `(${[...pads].reverse().flatMap(([a, b]) => [a, b]).join(', ')})`;
