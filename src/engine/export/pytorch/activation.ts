// NeuralForge's activation names as PyTorch code: a call on a tensor in forward, or a callable
// handed to a module (the recurrent and transformer helpers take their activations as functions).
import type { ActivationName } from '../../layers/common.js';
import type { HelperName } from './helpers.js';

/** `F.relu(x)`; `dim` is where the features are (-1 channels last, 1 channels first) for softmax. */
export function activationCall(a: ActivationName, x: string, dim = -1): string {
  switch (a) {
    case 'linear': return x;
    case 'relu': return `F.relu(${x})`;
    case 'relu6': return `F.relu6(${x})`;
    case 'elu': return `F.elu(${x})`;
    case 'selu': return `F.selu(${x})`;
    case 'sigmoid': return `torch.sigmoid(${x})`;
    case 'hardSigmoid': return `hard_sigmoid(${x})`;
    case 'tanh': return `torch.tanh(${x})`;
    case 'softmax': return `F.softmax(${x}, dim=${dim})`;
    case 'softplus': return `F.softplus(${x})`;
    case 'softsign': return `F.softsign(${x})`;
    case 'swish':
    case 'silu': return `F.silu(${x})`;
    case 'mish': return `F.mish(${x})`;
    case 'gelu': return `F.gelu(${x})`;
    default: {
      const never: never = a;
      throw new Error(`unhandled activation ${String(never)}`);
    }
  }
}

/** A callable for the activation: `torch.tanh`, `F.gelu`, `nn.Identity()`. */
export function activationFn(a: ActivationName): string {
  switch (a) {
    case 'linear': return 'nn.Identity()';
    case 'softmax': return 'nn.Softmax(dim=-1)';
    default: return activationCall(a, '').replace(/\(\)$/, '');
  }
}

/** TF.js's hard sigmoid, clip(0.2x + 0.5, 0, 1), is not PyTorch's (x/6 + 0.5): model.py defines it. */
export const activationHelpers = (...as: readonly ActivationName[]): HelperName[] => (as.includes('hardSigmoid') ? ['hard_sigmoid'] : []);
