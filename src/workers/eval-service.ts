// EvaluatorApi over the core: one request at a time (TF.js's backend and the kept model are
// per worker), one kept session, and every failure a reply ({ ok: false, code, error }), never a
// rejection. The worker exposes this over comlink; Node tests call it directly.
import { EvalError, toFailure } from './eval-errors.js';
import { explainSample, projectNode } from './eval-explain.js';
import { sampleInfos } from './eval-previews.js';
import { SessionSlot } from './eval-session.js';
import { evaluateRun, type EvalDeps } from './evaluate-run.js';
import type { EvalFailure, EvalSessionId, EvaluatorApi } from './evaluator-api.js';

export interface Evaluator extends EvaluatorApi {
  /** Whether a session is kept (tests check that dispose frees it). */
  readonly hasSession: () => boolean;
}

/**
 * The evaluator's API over `deps`.
 * @example const api = createEvaluator({ tf, storage, environment }); const r = await api.evaluate(request);
 */
export function createEvaluator(deps: EvalDeps): Evaluator {
  const slot = new SessionSlot();
  let turn: Promise<unknown> = Promise.resolve();
  /** Runs `f` after every earlier request; its failures become replies. */
  function exclusive<T>(f: () => Promise<T>, inputIsRequest: boolean): Promise<T | EvalFailure> {
    const next = turn.then(f).catch((e: unknown) => toFailure(e, inputIsRequest));
    turn = next;
    return next;
  }
  const sessionId = (id: unknown): EvalSessionId => {
    if (typeof id !== 'string') throw new EvalError('bad-request', 'the request names no evaluation session');
    return id as EvalSessionId;
  };

  return {
    hasSession: () => slot.has(),

    evaluate: (request) =>
      exclusive(async () => {
        slot.clear(); // the previous model goes first: two never share the device's memory
        const { result, session } = await evaluateRun(request, deps);
        slot.set(session);
        return { ok: true as const, result };
      }, false),

    samples: (id, indices) => exclusive(async () => ({ ok: true as const, samples: sampleInfos(slot.get(sessionId(id)), indices) }), true),

    gradCam: (id, request) => exclusive(async () => explainSample(deps.tf, slot.get(sessionId(id)), request), true),

    project: (id, request) => exclusive(async () => projectNode(deps.tf, slot.get(sessionId(id)), request, deps.now), true),

    dispose: async (id) => {
      await exclusive(async () => slot.dispose(id), false);
    },
  };
}
