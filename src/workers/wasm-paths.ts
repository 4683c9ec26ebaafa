// Where the built app serves TF.js's wasm binaries. Shared by vite.config.ts (which copies
// them there) and the trainer worker (which points setWasmPaths at it).
export const TFJS_WASM_DIR = 'tfjs-wasm';
