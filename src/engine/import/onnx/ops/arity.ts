// How many inputs each mapped op takes (ONNX operator specs, opsets 11–17), checked before a
// mapping runs so that every mapping can rely on its required inputs being there.
const ANY = Number.POSITIVE_INFINITY;

const one = ['Relu', 'Sigmoid', 'Tanh', 'LeakyRelu', 'Elu', 'Softplus', 'Softsign', 'Selu', 'HardSigmoid', 'Softmax', 'Erf', 'Shape', 'ConstantOfShape',
  'Cast', 'Identity', 'Size', 'Transpose', 'Flatten', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'GlobalMaxPool'];
const two = ['Add', 'Sub', 'Mul', 'Div', 'PRelu', 'MatMul', 'Reshape', 'Gather'];

/** [required, most] inputs per op_type. */
export const ARITY: ReadonlyMap<string, readonly [number, number]> = new Map<string, readonly [number, number]>([
  ...one.map((op) => [op, [1, 1]] as const),
  ...two.map((op) => [op, [2, 2]] as const),
  ['Constant', [0, 0]],
  ['Dropout', [1, 3]],
  ['Squeeze', [1, 2]],
  ['Unsqueeze', [1, 2]],
  ['Slice', [3, 5]],
  ['Max', [1, ANY]],
  ['Sum', [1, ANY]],
  ['Mean', [1, ANY]],
  ['Concat', [1, ANY]],
  ['Clip', [1, 3]],
  ['Gemm', [2, 3]],
  ['Conv', [2, 3]],
  ['ConvTranspose', [2, 3]],
  ['Pad', [2, 4]],
  ['ReduceMean', [1, 2]],
  ['ReduceMax', [1, 2]],
  ['BatchNormalization', [5, 5]],
  ['LayerNormalization', [2, 3]],
  ['LSTM', [3, 8]],
  ['GRU', [3, 6]],
  ['RNN', [3, 6]],
]);

/** Why `inputs` do not fit `op`, or null when they do (absent optional inputs are ''). */
export function arityProblem(op: string, inputs: readonly string[]): string | null {
  const arity = ARITY.get(op);
  if (!arity) return null;
  const [min, max] = arity;
  if (inputs.length > max) return `${op} takes at most ${max} input${max === 1 ? '' : 's'}, got ${inputs.length}`;
  const missing = Array.from({ length: min }, (_, i) => i).find((i) => !inputs[i]);
  return missing === undefined ? null : `${op} needs input ${missing + 1} of ${min}`;
}
