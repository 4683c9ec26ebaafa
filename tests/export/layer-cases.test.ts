// The shared layer cases themselves pass the TF.js oracle, so exporter tests start from valid graphs.
import { describe, it } from 'vitest';
import { checkAgainstTfjs } from '../helpers/oracle.js';
import { allLayerCases } from '../helpers/layer-cases.js';

describe('shared layer cases', () => {
  it.each(allLayerCases())('$name passes the TF.js oracle', (c) => {
    checkAgainstTfjs(c, { gradients: false });
  });
});
