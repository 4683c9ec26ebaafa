// The update prompt's state machine: a waiting version never reloads the page by itself, never
// while a run trains, and only after the person's edits are saved and the new worker controls
// the page. Driven with fake service worker events and a recorded call log.
import { createSignal } from 'solid-js';
import { describe, expect, it } from 'vitest';
import { createUpdateFlow, SAVE_FAILED } from '../../src/editor/pwa/update-flow.js';

function setup(options: { saves?: boolean[] } = {}) {
  const calls: string[] = [];
  const saves = [...(options.saves ?? [])];
  const [training, setTraining] = createSignal(false);
  const flow = createUpdateFlow({
    save: async () => {
      calls.push('save');
      return saves.shift() ?? true;
    },
    skipWaiting: () => calls.push('skipWaiting'),
    reload: () => calls.push('reload'),
    trainingActive: training,
  });
  return { flow, calls, setTraining };
}

describe('update flow', () => {
  it('shows nothing and never reloads when a first install takes control', () => {
    const { flow, calls } = setup();
    flow.onControlling(); // clients.claim() on the first visit
    expect(flow.phase()).toEqual({ kind: 'none' });
    expect(calls).toEqual([]);
  });

  it('waits for the person: a waiting version alone does nothing but show the prompt', () => {
    const { flow, calls } = setup();
    flow.onWaiting();
    expect(flow.phase()).toEqual({ kind: 'ready', activated: false });
    expect(flow.canUpdate()).toBe(true);
    expect(calls).toEqual([]);
  });

  it('saves, then activates, then reloads once the new version controls the page', async () => {
    const { flow, calls } = setup();
    flow.onWaiting();
    await flow.accept();
    expect(calls).toEqual(['save', 'skipWaiting']);
    expect(flow.phase().kind).toBe('activating');
    flow.onControlling();
    expect(calls).toEqual(['save', 'skipWaiting', 'reload']);
  });

  it('refuses while a run trains, and allows it once the run ends', async () => {
    const { flow, calls, setTraining } = setup();
    setTraining(true);
    flow.onWaiting();
    expect(flow.canUpdate()).toBe(false);
    await flow.accept();
    flow.onControlling(); // even if a worker took over meanwhile (another tab), no reload
    expect(calls).toEqual([]);
    setTraining(false);
    expect(flow.canUpdate()).toBe(true);
  });

  it('does not switch when a run starts while saving', async () => {
    const { flow, calls, setTraining } = setup();
    flow.onWaiting();
    const accepted = flow.accept();
    setTraining(true); // the save is still pending
    await accepted;
    expect(calls).toEqual(['save']);
    expect(flow.phase()).toEqual({ kind: 'ready', activated: false });
  });

  it('keeps the old version when the save fails, and tries again on the next Update', async () => {
    const { flow, calls } = setup({ saves: [false, true] });
    flow.onWaiting();
    await flow.accept();
    expect(flow.phase()).toEqual({ kind: 'failed', message: SAVE_FAILED, activated: false });
    expect(calls).toEqual(['save']);
    expect(flow.canUpdate()).toBe(true);
    await flow.accept();
    expect(calls).toEqual(['save', 'save', 'skipWaiting']);
  });

  it('after another tab switched versions, Update saves and reloads without a waiting worker', async () => {
    const { flow, calls } = setup();
    flow.onWaiting();
    flow.onControlling(); // the other tab accepted; this tab is now controlled by the new worker
    expect(flow.phase()).toEqual({ kind: 'ready', activated: true });
    expect(calls).toEqual([]);
    await flow.accept();
    expect(calls).toEqual(['save', 'reload']);
  });

  it('Later hides the prompt until the next version', () => {
    const { flow } = setup();
    flow.onWaiting();
    flow.later();
    expect(flow.phase()).toEqual({ kind: 'dismissed', activated: false });
    expect(flow.canUpdate()).toBe(false);
    flow.onWaiting();
    expect(flow.phase()).toEqual({ kind: 'ready', activated: false });
  });
});
