// The page's fetch for the MLflow client, fixing one thing the engine cannot see: this page is
// cross-origin isolated (COEP require-corp), so the engine's `no-cors` reachability probe is
// blocked for any server that sends no Cross-Origin-Resource-Policy — a live server then looks
// dead, and a CORS refusal would read "not reachable". Chromium files a `coep` report for a probe
// it blocked after the server answered; a dead server leaves none. So: probe rejected + report =
// the server answered (CORS); probe rejected, no report = nothing answered.
import type { MlflowFetch, MlflowResponse } from '../../engine/tracking/mlflow.js';

/** How long to wait for the browser's report after the probe failed (reports are queued, not immediate). */
const REPORT_WAIT_MS = 1500;

/** A reply the page cannot read: what a `no-cors` fetch of a live server gives outside isolation. */
const OPAQUE: MlflowResponse = { ok: false, status: 0, text: () => Promise.resolve('') };

interface ReportLike {
  readonly type: string;
  readonly body: unknown;
}
type ObserverCtor = new (cb: (reports: ReportLike[]) => void, options: { types: string[]; buffered?: boolean }) => { observe(): void; disconnect(): void };

const sameUrl = (a: string, b: string) => {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return false;
  }
};

/** A coep report's blocked URL. Chromium's body exposes its fields through toJSON() only. */
function blockedUrlOf(body: unknown): string {
  const b = body as { toJSON?: () => unknown; blockedURL?: unknown } | null;
  const fields = (typeof b?.toJSON === 'function' ? b.toJSON() : b) as { blockedURL?: unknown } | null;
  return typeof fields?.blockedURL === 'string' ? fields.blockedURL : '';
}

/** Resolves true once the browser reports blocking `url` under COEP, false after `ms`. */
function coepBlocked(Observer: ObserverCtor, url: string): { seen(ms: number): Promise<boolean>; stop(): void } {
  let hit = false;
  let wake: (() => void) | null = null;
  const observer = new Observer(
    (reports) => {
      for (const r of reports) if (r.type === 'coep' && sameUrl(blockedUrlOf(r.body), url)) hit = true;
      if (hit) wake?.();
    },
    { types: ['coep'] },
  );
  observer.observe();
  return {
    seen: (ms) =>
      hit
        ? Promise.resolve(true)
        : new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => resolve(hit), ms);
            wake = () => (clearTimeout(timer), resolve(true));
          }),
    stop: () => observer.disconnect(),
  };
}

/**
 * The fetch to give `logRunToMlflow` in the page. Outside cross-origin isolation, or where the
 * browser has no ReportingObserver, it is plain `fetch` (the probe then works as the engine expects,
 * or a CORS refusal reads as "not reachable").
 */
export function pageMlflowFetch(env: { fetch?: typeof fetch; isolated?: boolean; Observer?: ObserverCtor | undefined; reportWaitMs?: number } = {}): MlflowFetch {
  const doFetch = env.fetch ?? ((input, init) => fetch(input, init));
  const isolated = env.isolated ?? globalThis.crossOriginIsolated === true;
  const Observer = 'Observer' in env ? env.Observer : (globalThis as { ReportingObserver?: ObserverCtor }).ReportingObserver;
  return async (url, init) => {
    if (init.mode !== 'no-cors' || !isolated || !Observer) return doFetch(url, init);
    const watch = coepBlocked(Observer, url);
    try {
      return await doFetch(url, init);
    } catch (e) {
      if (await watch.seen(env.reportWaitMs ?? REPORT_WAIT_MS)) return OPAQUE;
      throw e;
    } finally {
      watch.stop();
    }
  };
}
