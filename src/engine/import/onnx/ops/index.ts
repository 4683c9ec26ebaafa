// Every ONNX op (default domain) with a mapping, by op_type; anything else is reported as unmapped.
import { activationOps } from './activation.js';
import { constantOps } from './constants.js';
import { convOps } from './conv.js';
import { denseOps } from './dense.js';
import { geluOps } from './gelu.js';
import { mergeOps } from './merge.js';
import { normOps } from './norm.js';
import { poolOps } from './pool.js';
import { recurrentOps } from './recurrent.js';
import { shapeOps } from './shape.js';
import type { OpMapper } from './types.js';

// A Map, not an object: op_type comes from the file ("constructor" must not find Object's).
export const OPS: ReadonlyMap<string, OpMapper> = new Map(Object.entries({
  ...constantOps,
  ...shapeOps,
  ...mergeOps,
  ...geluOps,
  ...activationOps,
  ...denseOps,
  ...convOps,
  ...poolOps,
  ...normOps,
  ...recurrentOps,
}));
