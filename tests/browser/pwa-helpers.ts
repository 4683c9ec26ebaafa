// Helpers for the offline-app browser tests: wait for the service worker to control a page,
// collect CSP violations from the page AND from every worker (dedicated, blob-started and the
// service worker), and serve a private copy of the built app.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { serveStatic, type StaticServer } from './static-server.js';

/**
 * Waits until the service worker is active (its precache complete: activation follows install)
 * and controls `page`; returns how long that took.
 */
export async function waitForServiceWorker(page: Page, timeoutMs = 120_000): Promise<number> {
  const t0 = Date.now();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: timeoutMs });
  await page.evaluate(() => navigator.serviceWorker.ready);
  return Date.now() - t0;
}

/** One CSP violation, where it happened. */
export interface Violation {
  readonly where: string;
  readonly directive: string;
  readonly blocked: string;
  readonly source: string;
}

/** Installed before any script of a document or worker runs; reports through `report`. */
const listenerSource = (report: string) => `self.addEventListener('securitypolicyviolation', (e) => ${report}(JSON.stringify({ directive: e.effectiveDirective, blocked: e.blockedURI, source: e.sourceFile + ':' + e.lineNumber + ':' + e.columnNumber })));`;

const WORKER_MARK = 'NF-CSP-VIOLATION ';

export interface CspWatch {
  readonly violations: Violation[];
  /** Evaluates `expression` in every attached worker whose URL matches `url`; their results, in attach order. */
  evaluateInWorkers(url: RegExp, expression: string): Promise<unknown[]>;
}

/** A DevTools protocol message as it travels inside Target.sendMessageToTarget (non-flat mode). */
interface Message {
  readonly id?: number;
  readonly method?: string;
  readonly params?: Record<string, unknown>;
  readonly result?: { result?: { value?: unknown } };
}

type Send = (method: string, params?: object) => Promise<unknown>;

/**
 * Collects CSP violations for `page` from its start: the document's (a binding plus an init
 * script, so reloads keep reporting) and every worker's, nested ones included (TF.js's pthread
 * workers are started by the trainer worker), through the DevTools protocol: each worker is
 * auto-attached paused, gets the listener, then runs. A worker's policy comes from its own
 * response, so only a listener inside it sees its violations.
 */
export async function watchCsp(context: BrowserContext, page: Page): Promise<CspWatch> {
  const violations: Violation[] = [];
  await context.exposeBinding('__nfCspViolation', ({ frame }, json: string) => void violations.push({ where: `page ${frame.url()}`, ...JSON.parse(json) }));
  await page.addInitScript({ content: listenerSource('window.__nfCspViolation') });
  const cdp: CDPSession = await context.newCDPSession(page);
  const workers = new Map<string, { url: string; send: Send }>();
  const pending = new Map<number, (m: Message) => void>();
  let nextId = 1;

  function attached(parent: Send, sessionId: string, url: string): void {
    // Messages to a worker travel inside its parent's Target.sendMessageToTarget; replies come back in receivedMessageFromTarget.
    const send: Send = (method, params = {}) => {
      const id = nextId++;
      const reply = new Promise<Message>((resolve) => pending.set(id, resolve));
      void parent('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) });
      return reply;
    };
    workers.set(sessionId, { url, send });
    void send('Runtime.enable')
      .then(() => send('Runtime.evaluate', { expression: listenerSource(`((s) => console.error(${JSON.stringify(WORKER_MARK)} + s))`) }))
      .then(() => send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: false }))
      .finally(() => void send('Runtime.runIfWaitingForDebugger'));
  }

  function received(sessionId: string, message: Message): void {
    const worker = workers.get(sessionId);
    if (message.id !== undefined) return pending.get(message.id)?.(message);
    const p = message.params ?? {};
    switch (message.method) {
      case 'Target.attachedToTarget':
        if (worker) attached(worker.send, p['sessionId'] as string, (p['targetInfo'] as { url: string }).url);
        return;
      case 'Target.detachedFromTarget':
        workers.delete(p['sessionId'] as string);
        return;
      case 'Target.receivedMessageFromTarget':
        return received(p['sessionId'] as string, JSON.parse(p['message'] as string) as Message);
      case 'Runtime.consoleAPICalled': {
        const text = (p['args'] as { value?: unknown }[] | undefined)?.[0]?.value;
        if (typeof text === 'string' && text.startsWith(WORKER_MARK)) violations.push({ where: `worker ${worker?.url ?? '?'}`, ...JSON.parse(text.slice(WORKER_MARK.length)) });
        return;
      }
    }
  }

  const top: Send = (method, params) => cdp.send(method as 'Target.sendMessageToTarget', params as never);
  cdp.on('Target.attachedToTarget', (ev) => attached(top, ev.sessionId, ev.targetInfo.url));
  cdp.on('Target.receivedMessageFromTarget', (ev) => received(ev.sessionId, JSON.parse(ev.message) as Message));
  cdp.on('Target.detachedFromTarget', (ev) => void workers.delete(ev.sessionId));
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: false });
  return {
    violations,
    async evaluateInWorkers(url, expression) {
      const matching = [...workers.values()].filter((w) => url.test(w.url));
      const replies = await Promise.all(matching.map((w) => w.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true }) as Promise<Message>));
      return replies.map((r) => r.result?.result?.value);
    },
  };
}

/** A private copy of the built app served on its own port (so a test may change its files). */
export async function serveCopy(appDir: string, options: { isolation?: boolean } = {}): Promise<StaticServer & { dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'nf-pwa-'));
  cpSync(appDir, dir, { recursive: true });
  const server = await serveStatic(dir, options);
  return {
    url: server.url,
    dir,
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
