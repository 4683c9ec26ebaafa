// The app's security headers, in one place: cross-origin isolation (COOP/COEP/CORP) and the
// Content-Security-Policy. Sent by the dev and preview servers (vite.config.ts), added by the
// service worker to every same-origin response it serves (static hosts that cannot set headers),
// and written into index.html as a <meta> for the first visit on such a host. No DOM, no Node.

/** How a response is used, which decides the framing rules and CORP value. */
export type ResponseKind =
  /** The app's document, not framed by other sites (clickjacking: the editor deletes projects). */
  | 'page'
  /** The document opened with `?embed=1`: meant to be framed on any site. */
  | 'embed'
  /** A worker's script: its policy is the worker's own (workers do not inherit the page's). */
  | 'worker'
  /** Scripts, styles, wasm, data. */
  | 'resource';

/**
 * Where a user-given URL may be fetched from (remote datasets, a remote runner): any HTTPS host,
 * and local servers on loopback. Such URLs cannot be listed in advance; the policy's job here is
 * to stop injected code, and script-src 'self' already keeps any from running.
 */
const USER_URL_SOURCES = ['https:', 'http://localhost:*', 'http://127.0.0.1:*'];

/** The directives every delivery shares. Order is the order written out. */
const BASE_DIRECTIVES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['default-src', ["'self'"]],
  // wasm-unsafe-eval: WebAssembly.compile for TF.js and onnxruntime-web; nothing else evals.
  ['script-src', ["'self'", "'wasm-unsafe-eval'"]],
  ['worker-src', ["'self'"]],
  ['style-src', ["'self'"]],
  // data:/blob:: template thumbnails, the diagram export's preview and downloads.
  ['img-src', ["'self'", 'data:', 'blob:']],
  ['font-src', ["'self'"]],
  ['connect-src', ["'self'", ...USER_URL_SOURCES]],
  ['manifest-src', ["'self'"]],
  ['object-src', ["'none'"]],
  ['base-uri', ["'self'"]],
  ['form-action', ["'self'"]],
];

const write = (directives: ReadonlyArray<readonly [string, readonly string[]]>): string => directives.map(([name, values]) => `${name} ${values.join(' ')}`).join('; ');

/** Options for a CSP string. */
export interface CspOptions {
  readonly kind: ResponseKind;
  /**
   * The Vite dev server injects CSS as <style> elements from JavaScript; only there is
   * 'unsafe-inline' added to style-src. Production CSS is a linked file.
   */
  readonly dev?: boolean;
}

/**
 * The Content-Security-Policy header value for one response.
 * @example contentSecurityPolicy({ kind: 'page' }) // "default-src 'self'; …; frame-ancestors 'self'"
 */
export function contentSecurityPolicy(options: CspOptions): string {
  const directives = BASE_DIRECTIVES.map(([name, values]): readonly [string, readonly string[]] => {
    if (name === 'style-src' && options.dev) return [name, [...values, "'unsafe-inline'"]];
    // TF.js's threaded wasm backend (in the trainer worker) starts its pthread workers from a
    // blob URL, and they importScripts the backend's code from another blob; they inherit the
    // worker's policy. Only workers get this: the page never starts or runs a blob script.
    if ((name === 'script-src' || name === 'worker-src') && options.kind === 'worker') return [name, [...values, 'blob:']];
    return [name, values];
  });
  return write([...directives, ['frame-ancestors', [frameAncestors(options.kind)]]]);
}

function frameAncestors(kind: ResponseKind): string {
  switch (kind) {
    case 'page':
    case 'worker':
    case 'resource':
      return "'self'";
    case 'embed':
      return '*';
    default:
      return kind satisfies never;
  }
}

/**
 * The policy for `<meta http-equiv="Content-Security-Policy">` in index.html. A meta policy
 * cannot carry frame-ancestors (browsers ignore it there), applies only to the document (not
 * to workers, whose policy comes from their own response), and only from where it appears.
 */
export const META_CONTENT_SECURITY_POLICY = write(BASE_DIRECTIVES);

/**
 * Every header the app's responses carry. COOP+COEP make the page cross-origin isolated
 * (SharedArrayBuffer: multi-threaded wasm in TF.js and onnxruntime-web); CORP lets an isolated
 * page load our own files, and lets an embedding site's isolated page load the embed document.
 */
export function securityHeaders(kind: ResponseKind, options: { dev?: boolean } = {}): Record<string, string> {
  return {
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'Cross-Origin-Resource-Policy': kind === 'embed' ? 'cross-origin' : 'same-origin',
    'Content-Security-Policy': contentSecurityPolicy({ kind, dev: options.dev ?? false }),
  };
}

/** What a request loads, as the browser says (Request.destination, the Sec-Fetch-Dest header). */
export type RequestTarget = 'document' | 'worker' | 'other';

/** Which kind a response is: a document with or without `?embed=1`, a worker script, else a resource. */
export function responseKind(url: URL, target: RequestTarget): ResponseKind {
  switch (target) {
    case 'document':
      return url.searchParams.get('embed') === '1' ? 'embed' : 'page';
    case 'worker':
      return 'worker';
    case 'other':
      return 'resource';
    default:
      return target satisfies never;
  }
}

/** A request's target from its destination ('' for fetch(), 'document', 'iframe', 'worker', …). */
export function requestTarget(destination: string): RequestTarget {
  if (destination === 'document' || destination === 'iframe') return 'document';
  if (destination === 'worker' || destination === 'sharedworker') return 'worker';
  return 'other';
}
