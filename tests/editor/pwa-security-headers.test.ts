// The security headers the dev/preview servers and the service worker send: the CSP keeps
// script to our own files plus wasm compilation, forbids plugins, frames the editor only on
// our own origin and the embed on any; the service worker copies responses with them.
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, META_CONTENT_SECURITY_POLICY, requestTarget, responseKind, securityHeaders } from '../../src/sw/security-headers.js';
import { withSecurityHeaders } from '../../src/sw/with-headers.js';

/** Directive name → its values, as a browser splits a policy (CSP3 §2.2.1). */
function parse(policy: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (!name) continue;
    expect(out.has(name), `duplicate directive ${name}`).toBe(false);
    out.set(name.toLowerCase(), values);
  }
  return out;
}

describe('content security policy', () => {
  const page = parse(contentSecurityPolicy({ kind: 'page' }));

  it('runs only our own scripts, compiles wasm, and evaluates no strings', () => {
    expect(page.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(page.get('default-src')).toEqual(["'self'"]);
    for (const values of page.values()) expect(values).not.toContain("'unsafe-eval'");
    expect(page.get('style-src')).toEqual(["'self'"]);
  });

  it('forbids plugins, base changes and foreign form targets', () => {
    expect(page.get('object-src')).toEqual(["'none'"]);
    expect(page.get('base-uri')).toEqual(["'self'"]);
    expect(page.get('form-action')).toEqual(["'self'"]);
  });

  it('frames the editor only on its own origin, the embed anywhere', () => {
    expect(page.get('frame-ancestors')).toEqual(["'self'"]);
    expect(parse(contentSecurityPolicy({ kind: 'embed' })).get('frame-ancestors')).toEqual(['*']);
  });

  it('lets the dev server inject <style> elements, and only there', () => {
    expect(parse(contentSecurityPolicy({ kind: 'page', dev: true })).get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
  });

  it('leaves out of the <meta> what a meta policy cannot carry', () => {
    const meta = parse(META_CONTENT_SECURITY_POLICY);
    expect(meta.has('frame-ancestors')).toBe(false);
    expect(meta.get('script-src')).toEqual(page.get('script-src'));
  });
});

describe('security headers', () => {
  it('isolate every response; CORP opens only the embed document to other sites', () => {
    for (const kind of ['page', 'embed', 'resource'] as const) {
      const h = securityHeaders(kind);
      expect(h['Cross-Origin-Opener-Policy']).toBe('same-origin');
      expect(h['Cross-Origin-Embedder-Policy']).toBe('require-corp');
      expect(h['Cross-Origin-Resource-Policy']).toBe(kind === 'embed' ? 'cross-origin' : 'same-origin');
    }
  });

  it('tell documents, workers and other resources apart, and the embed from the editor', () => {
    expect(responseKind(new URL('http://x/?embed=1#/editor'), requestTarget('document'))).toBe('embed');
    expect(responseKind(new URL('http://x/#/editor'), requestTarget('iframe'))).toBe('page');
    expect(responseKind(new URL('http://x/assets/t.worker.js'), requestTarget('worker'))).toBe('worker');
    expect(responseKind(new URL('http://x/assets/a.js?embed=1'), requestTarget('script'))).toBe('resource');
    expect(responseKind(new URL('http://x/data/mnist.bin'), requestTarget(''))).toBe('resource');
  });

  it('let only workers run and start blob scripts (TF.js pthreads), never the page', () => {
    const worker = parse(contentSecurityPolicy({ kind: 'worker' }));
    expect(worker.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'", 'blob:']);
    expect(worker.get('worker-src')).toEqual(["'self'", 'blob:']);
    const page = parse(contentSecurityPolicy({ kind: 'page' }));
    expect(page.get('script-src')).not.toContain('blob:');
    expect(page.get('worker-src')).toEqual(["'self'"]);
  });
});

describe('withSecurityHeaders (the service worker)', () => {
  const navigate = (url: string) => ({ url, mode: 'navigate', destination: 'document' });
  const script = (url: string) => ({ url, mode: 'cors', destination: 'worker' });

  it('copies a response with the headers set, keeping status, type and body', async () => {
    const original = new Response('<!doctype html>', { status: 200, headers: { 'Content-Type': 'text/html', 'Cross-Origin-Opener-Policy': 'unsafe-none' } });
    const out = withSecurityHeaders(navigate('http://app.test/'), original);
    expect(out.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
    expect(out.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
    expect(out.headers.get('Content-Type')).toBe('text/html');
    expect(out.headers.get('Content-Security-Policy')).toContain("frame-ancestors 'self'");
    expect(await out.text()).toBe('<!doctype html>');
  });

  it('gives worker scripts their own policy (workers do not inherit the page meta)', () => {
    const out = withSecurityHeaders(script('http://app.test/assets/trainer.worker.js'), new Response('x', { headers: { 'Content-Type': 'text/javascript' } }));
    expect(out.headers.get('Content-Security-Policy')).toBe(contentSecurityPolicy({ kind: 'worker' }));
    expect(out.headers.get('Cross-Origin-Resource-Policy')).toBe('same-origin');
  });

  it('marks the embed navigation as frameable', () => {
    const out = withSecurityHeaders(navigate('http://app.test/?embed=1'), new Response('x'));
    expect(out.headers.get('Content-Security-Policy')).toContain('frame-ancestors *');
    expect(out.headers.get('Cross-Origin-Resource-Policy')).toBe('cross-origin');
  });

  it('keeps a 404 a 404', () => {
    const out = withSecurityHeaders({ url: 'http://app.test/missing.js', mode: 'cors', destination: 'script' }, new Response('not found', { status: 404, statusText: 'Not Found' }));
    expect([out.status, out.statusText]).toEqual([404, 'Not Found']);
  });

  it('passes unreadable responses through untouched', () => {
    const error = Response.error(); // type 'error', status 0: like an opaque one, nothing to copy
    expect(withSecurityHeaders(script('http://app.test/x.js'), error)).toBe(error);
  });
});
