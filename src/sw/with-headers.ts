// Copies a response with the app's security headers set (COOP, COEP, CORP, CSP), which is how a
// static host that sends none still gets a cross-origin isolated, CSP-protected page and workers.
import { requestTarget, responseKind, securityHeaders } from './security-headers.js';

/** Request fields we read: a plain object in tests, a Request in the service worker. */
export interface RequestLike {
  readonly url: string;
  readonly mode: string;
  readonly destination: string;
}


/**
 * The same response with our headers (replacing any the server sent). Opaque responses
 * (cross-origin, no-cors) cannot be read or copied and are returned as they are; so are
 * responses from other origins, whose headers are not ours to choose.
 */
export function withSecurityHeaders(request: RequestLike, response: Response): Response {
  if (response.type === 'opaque' || response.type === 'opaqueredirect' || response.status === 0) return response;
  const url = new URL(request.url);
  if (response.url && new URL(response.url).origin !== url.origin) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(securityHeaders(responseKind(url, request.mode === 'navigate' ? 'document' : requestTarget(request.destination))))) headers.set(name, value);
  // A copied body: the original's `redirected` flag is dropped, which a navigation requires.
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
