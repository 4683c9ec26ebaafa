// Once per `vitest run -c vitest.browser.config.ts`: build the app and serve it; tests get
// the URL through inject('appUrl').
import type { TestProject } from 'vitest/node';
import { buildAndServe } from './app-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    appUrl: string;
    /** The built app's folder (index.html, assets/, tfjs-wasm/, data/). */
    appDir: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const app = await buildAndServe();
  console.log(`browser tests: built the app in ${app.buildMs} ms, serving it at ${app.url}`);
  project.provide('appUrl', app.url);
  project.provide('appDir', app.outDir);
  return () => app.close();
}
