// The dataset task a loss implies, so loaders read labels the way the loss needs them
// (a numeric 0/1 column is a class id for cross-entropy, a float target for MSE).
import type { LossName } from './config.js';

export type LossTask = 'classification' | 'regression' | 'language-modeling';

export function taskForLoss(loss: LossName): LossTask {
  switch (loss) {
    case 'sparseCategoricalCrossentropy':
    case 'categoricalCrossentropy':
    case 'binaryCrossentropy':
      return 'classification';
    case 'meanSquaredError':
    case 'meanAbsoluteError':
    case 'huber':
      return 'regression';
    case 'nextTokenCrossentropy':
      return 'language-modeling';
    default: {
      const never: never = loss;
      throw new Error(`unhandled loss ${String(never)}`);
    }
  }
}
