// Registers the service worker (src/sw/sw.ts, built to /sw.js) through workbox-window and feeds
// its events into the update flow. Not in dev (Vite serves modules, nothing to precache), nor
// where the browser has no service workers (the app then simply needs the network).
import { Workbox } from 'workbox-window';
import { saveAll, trainingActive } from './app-activity.js';
import { createUpdateFlow, type UpdateFlow } from './update-flow.js';

/** Why no service worker was registered. */
export type NoServiceWorker = 'dev' | 'unsupported';

/**
 * Registers /sw.js once the page has loaded (so precaching never competes with the first
 * paint) and returns the update flow the banner shows, or why there is none.
 */
export function registerServiceWorker(): UpdateFlow | NoServiceWorker {
  // import.meta.hot exists only under the dev server (import.meta.env.DEV also follows NODE_ENV,
  // which is 'test' when the browser tests build the app).
  if (import.meta.hot) return 'dev';
  if (!('serviceWorker' in navigator)) return 'unsupported';
  const wb = new Workbox(`${import.meta.env.BASE_URL}sw.js`, { scope: import.meta.env.BASE_URL });
  const flow = createUpdateFlow({
    save: saveAll,
    skipWaiting: () => wb.messageSkipWaiting(),
    reload: () => location.reload(),
    trainingActive,
  });
  wb.addEventListener('waiting', () => flow.onWaiting());
  wb.addEventListener('controlling', () => flow.onControlling());
  wb.register().catch((e: unknown) => console.warn('NeuralForge works online only: the service worker could not be registered.', e));
  return flow;
}
