// TF's padding rules as ONNX's explicit pads. 'same' puts the odd extra zero at the END,
// which ONNX's auto_pad SAME_UPPER would match too, but explicit pads say it outright.

export type Pad = readonly [before: number, after: number];

/** TF 'same' along one dim: output ceil(len / stride), zeros split with the extra one after. */
export function samePad(len: number, kernel: number, stride: number, dilation = 1): Pad {
  const extent = (kernel - 1) * dilation + 1;
  const total = Math.max((Math.ceil(len / stride) - 1) * stride + extent - len, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/** Per spatial dim, the zeros TF adds for `padding` ('causal': all before, so step t sees steps ≤ t). */
export function windowPads(padding: string, lens: readonly number[], kernel: readonly number[], strides: readonly number[], dilation?: readonly number[]): Pad[] {
  return lens.map((len, i) => {
    const d = dilation?.[i] ?? 1;
    switch (padding) {
      case 'valid': return [0, 0] as const;
      case 'same': return samePad(len, kernel[i]!, strides[i]!, d);
      case 'causal': return [(kernel[i]! - 1) * d, 0] as const;
      default: throw new Error(`unknown padding "${padding}"`);
    }
  });
}

/** ONNX's pads attribute: every begin, then every end. */
export const onnxPads = (pads: readonly Pad[]): number[] => [...pads.map((p) => p[0]), ...pads.map((p) => p[1])];
