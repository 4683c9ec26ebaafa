// "New empty project": a project holding only an Input, ready for layers, and the unique
// default name it gets ("Untitled", "Untitled 2", …). Pure, so Node tests cover it.
import { nodeId } from '../../engine/ids.js';
import { CURRENT_VERSION, PROJECT_FORMAT, type Project } from '../../engine/project/types.js';

/** The task stored with the record: the Input and the training defaults below are MNIST's. */
export const EMPTY_PROJECT_TASK = 'classification';

const UNTITLED = 'Untitled';

/**
 * The first of "Untitled", "Untitled 2", "Untitled 3", … that no project on the device uses.
 * @example untitledName(['Untitled', 'MLP on MNIST']) // → 'Untitled 2'
 */
export function untitledName(taken: readonly string[]): string {
  const used = new Set(taken.map((n) => n.trim()));
  if (!used.has(UNTITLED)) return UNTITLED;
  for (let i = 2; ; i++) if (!used.has(`${UNTITLED} ${i}`)) return `${UNTITLED} ${i}`;
}

/**
 * A project with one Input of MNIST's sample shape [28, 28, 1] (the built-in dataset it is set to
 * train on) and classification defaults, so the first layer inserted after the Input is wired and
 * shaped at once. The id `input_1` is what the palette would have named it.
 * @example emptyProject('Untitled 2').graph.nodes // → [{ id: 'input_1', kind: 'Input', … }]
 */
export function emptyProject(name: string): Project {
  return {
    format: PROJECT_FORMAT,
    version: CURRENT_VERSION,
    name,
    description: '',
    graph: { nodes: [{ id: nodeId('input_1'), kind: 'Input', params: { shape: [28, 28, 1], dtype: 'float32' }, position: { x: 0, y: 0 } }], edges: [] },
    training: { optimizer: { name: 'adam', learningRate: 0.001 }, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'], batchSize: 64, epochs: 5, seed: 1, validationSplit: 0.1 },
    dataset: { source: 'builtin', name: 'mnist' },
  };
}
