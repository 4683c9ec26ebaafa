// The evaluator worker: exposes EvaluatorApi over comlink around eval-service.ts. TF.js, the
// run's data and the evaluated model live here, never in the page; storage opens on the first
// evaluation. One request at a time; the last evaluation is kept for follow-up questions.
import * as tf from '@tensorflow/tfjs';
import * as Comlink from 'comlink';
import { browserEnvironment } from './browser-env.js';
import { createEvaluator } from './eval-service.js';
import type { EvaluatorApi } from './evaluator-api.js';
import { storageOpener } from './worker-storage.js';

const evaluator = createEvaluator({ tf, storage: storageOpener(), environment: browserEnvironment() });

/** The worker's API: fresh arrays (heat maps, projections) are transferred rather than copied. */
const api: EvaluatorApi = {
  evaluate: (request) => evaluator.evaluate(request),
  samples: (session, indices) => evaluator.samples(session, indices),
  gradCam: async (session, request) => {
    const reply = await evaluator.gradCam(session, request);
    return reply.ok ? Comlink.transfer(reply, [reply.map.buffer as ArrayBuffer, reply.image.rgba.buffer as ArrayBuffer]) : reply;
  },
  project: async (session, request) => {
    const reply = await evaluator.project(session, request);
    return reply.ok ? Comlink.transfer(reply, [reply.points.buffer as ArrayBuffer, reply.indices.buffer as ArrayBuffer]) : reply;
  },
  dispose: (session) => evaluator.dispose(session),
};

Comlink.expose(api);
