// Run in a child process by tests/engine/backend.test.ts: Dawn reads its Vulkan driver
// variables (VK_ICD_FILENAMES, LD_LIBRARY_PATH) when the process starts, so each WebGPU
// configuration needs its own process. Prints the BackendReport as JSON.
import { compileGraph } from '../../src/engine/compile/compile.js';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import { chooseNodeBackend } from '../../src/engine/runtime/backend-node.js';
import { isBackendPreference } from '../../src/engine/runtime/backend-types.js';
import { findTemplate } from '../../src/engine/templates/index.js';

const [pref = 'auto', template = 'mlp'] = process.argv.slice(2);
if (!isBackendPreference(pref)) throw new Error(`not a backend: ${pref}`);
const analysis = analyzeGraph(findTemplate(template)!.project().graph);
const { report } = await chooseNodeBackend(pref, () => compileGraph(analysis, { seed: 1 }).model);
process.stdout.write(`\n@@${JSON.stringify(report)}\n`);
process.exit(0); // Dawn keeps the event loop alive
