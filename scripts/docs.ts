// npm run docs: regenerate docs/layers.md from the layer registry.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderLayerReference } from '../src/engine/layers/reference.js';

writeFileSync(join(import.meta.dirname, '../docs/layers.md'), renderLayerReference());
console.log('wrote docs/layers.md');
