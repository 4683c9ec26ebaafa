// Reusable blocks: define, instantiate, parameterise and draw groups of nodes (issue 5 §3).
export { blockParamValue, candidateBlockParams, deleteBlock, groupIntoBlock, instanceOf, instantiateBlock, paramTargets, setBlockParam, ungroup, type BlockEdit } from './define.js';
export { collapsedView, type BoxInput, type BoxOutput, type CollapsedBox, type CollapsedView, type EdgeEnd } from './view.js';
