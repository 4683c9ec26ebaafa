// Assembles the `custom-layers.js` shipped beside an exported model.json: the generated
// bundles of exactly the custom classes the model uses, each registered with TF.js (plus an
// alias that works around TF.js failing to load its own tanh-GELU activation).
import type { CustomLayerClasses } from '../../compile/custom/index.js';
import { CUSTOM_LAYER_SOURCES } from './custom-layers.generated.js';

/** The identifier the bundled classes read TF.js from (see scripts/build-custom-layers.ts). */
export const TFJS_GLOBAL = '__nf_tf';

/** Our classes the exporter rewrites to standard TF.js layers (standardize.ts): no source needed. */
export const STANDARD_REPLACED: readonly (keyof CustomLayerClasses)[] = ['Dropout', 'Subtract'];

export const CUSTOM_LAYERS_FILE = 'custom-layers.js';

/**
 * TF.js saves its tanh-approximated GELU under its class name "gelu_new", but camel-cases every
 * string when loading and then looks up "geluNew", which is not registered: TF.js cannot load its
 * own file. Registering TF.js's own class under that name is the whole fix (no layer math here).
 */
export const GELU_NEW_ALIAS = 'geluNew';
const ALIAS_SOURCES: Readonly<Record<string, string>> = {
  [GELU_NEW_ALIAS]: `// TF.js saves the tanh GELU as "gelu_new" but looks up "geluNew" when loading: alias TF.js's own class.
const __nf_GeluNew = tf.serialization.SerializationMap.getMap().classNameMap['gelu_new'][0];
var __nf_${GELU_NEW_ALIAS} = { default: class extends __nf_GeluNew { static className = '${GELU_NEW_ALIAS}'; } };`,
};

/** Class names of NeuralForge's own layers that a loader must have registered. */
export const customClassNames = (): readonly string[] => Object.keys(CUSTOM_LAYER_SOURCES);

/**
 * An ES module that defines and registers `classNames` (and nothing else) on the '@tensorflow/tfjs'
 * it imports. Import it once before `tf.loadLayersModel`.
 * @throws Error for a class name without a generated source.
 */
export function customLayersModule(classNames: readonly string[]): string {
  const parts = [...new Set(classNames)].sort().map((name) => {
    const src = CUSTOM_LAYER_SOURCES[name] ?? ALIAS_SOURCES[name];
    if (src === undefined) throw new Error(`no generated source for the custom layer class ${name}; run npx tsx scripts/build-custom-layers.ts`);
    return `${src.trimEnd()}\nexport const ${name} = __nf_${name}.default;\ntf.serialization.registerClass(${name});\n`;
  });
  return `// NeuralForge's own TF.js layers used by this model, generated from NeuralForge's layer code.
// Usage: import './${CUSTOM_LAYERS_FILE}'; then tf.loadLayersModel('model.json').
import * as tf from '@tensorflow/tfjs';

const ${TFJS_GLOBAL} = tf;

${parts.join('\n')}`;
}
