// The service worker: precaches the whole app (code, TF.js and onnxruntime wasm, built-in MNIST)
// so it loads, trains and exports offline, and adds the isolation and CSP headers to every
// same-origin response it serves, so a static host that sends no headers still gets a
// cross-origin isolated page. A new version waits until the page says SKIP_WAITING.
import { addPlugins, cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { withSecurityHeaders } from './with-headers.js';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<{ url: string; revision: string | null }> };

/** The message the page sends when the person accepts an update (workbox-window's messageSkipWaiting). */
const isSkipWaiting = (data: unknown): data is { type: 'SKIP_WAITING' } =>
  typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'SKIP_WAITING';

// Precached responses leave through the strategy; this plugin is its last step.
addPlugins([{ handlerWillRespond: async ({ request, response }) => withSecurityHeaders(request, response) }]);
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// Any in-app navigation (`/?embed=1`, `/#/editor` reloads, deep paths) gets the precached
// index.html; paths that name a file (`/manifest.webmanifest`) are not the app's document.
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), { denylist: [/\/[^/]+\.[a-z0-9]+$/i] }));

// Everything else from our origin (files not precached) goes to the network, with the headers.
registerRoute(
  ({ url }) => url.origin === self.location.origin,
  async ({ request }) => withSecurityHeaders(request, await fetch(request)),
);

self.addEventListener('message', (event) => {
  if (isSkipWaiting(event.data)) void self.skipWaiting();
});

// On the first install there is no page to wait for: take control at once, so the visit that
// installed us is already served from the cache on its next load (offline included). After an
// update, activation only happens once the page asked for it, and the page then reloads itself.
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
