// "Log to MLflow" in the Runs view, in real Chromium against loopback MLflow stubs
// (tests/tracking/mlflow-stub.ts, which checks every request against the REST API docs): the
// settings are checked on save, a tiny cpu run's record and every stored point reach the server
// (the stored points are the oracle for the metric count), a finished run is logged by itself when
// asked, and a 403, a server that does not allow the app's origin (CORS) and a closed port each
// show their own message, leaving the run's stored record as it was.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { deadPort, startMlflowStub, type MlflowStub } from '../tracking/mlflow-stub.js';
import { launchChromium, type LaunchedBrowser } from './chromium.js';
import { openApp, screenshot } from './page.js';
import { readStore, waitFor } from './storage-helpers.js';
import { pointsOf, runsOf, trainTinyRun } from './tracking-helpers.js';
import { showView } from './views.js';

let chrome: LaunchedBrowser;
const stubs: MlflowStub[] = [];
beforeAll(async () => {
  chrome = await launchChromium();
});
afterAll(async () => {
  await Promise.all(stubs.map((s) => s.close()));
  await chrome?.close();
});

async function stub(o: Parameters<typeof startMlflowStub>[0]): Promise<MlflowStub> {
  const s = await startMlflowStub(o);
  stubs.push(s);
  return s;
}

const actions = (page: Page, id: string) => page.locator(`[data-testid="run-actions"][data-run-id="${id}"]`);
const rawRun = async (page: Page, id: string) => JSON.stringify((await readStore<{ id: string }>(page, 'runs')).find((r) => r.id === id));
const endpoints = (s: MlflowStub) => s.requests.map((r) => r.path.replace('/api/2.0/mlflow/', ''));

async function saveSettings(page: Page, uri: string, o: { experiment?: string; auth?: string; autoLog?: boolean } = {}) {
  await page.getByTestId('mlflow-uri').fill(uri);
  await page.getByTestId('mlflow-experiment').fill(o.experiment ?? '12');
  if (o.auth !== undefined) await page.getByTestId('mlflow-auth').fill(o.auth);
  if (o.autoLog !== undefined) await page.getByTestId('mlflow-auto').setChecked(o.autoLog);
  await page.getByTestId('mlflow-save').click();
}

/** Clicks "Log to MLflow" on the run and returns the row's final message. */
async function logAndRead(page: Page, id: string, state: 'logged' | 'failed'): Promise<string> {
  const row = actions(page, id);
  await row.getByTestId('run-log-mlflow').click();
  const status = row.locator(`[data-testid="mlflow-status"][data-state="${state}"]`);
  await status.waitFor({ timeout: 20_000 });
  return (await status.textContent()) ?? '';
}

describe('log runs to MLflow', () => {
  it('logs a run with its metrics, logs finished runs automatically, and names each failure', async () => {
    const appUrl = inject('appUrl');
    const origin = new URL(appUrl).origin;
    const { page, logs } = await openApp(chrome.browser, appUrl);
    const run = await trainTinyRun(page, logs);
    await showView(page, 'runs');
    const row = actions(page, run.id);
    await row.waitFor({ timeout: 30_000 });
    // No settings yet: the button says why it is disabled.
    expect(await row.getByTestId('run-log-mlflow').isDisabled()).toBe(true);
    expect(await row.getByTestId('run-log-mlflow').getAttribute('title')).toMatch(/^Save the MLflow tracking server settings/);

    // Settings: refused with reasons (nothing kept), then saved.
    await page.getByTestId('mlflow-settings').locator('summary').click();
    expect(await page.getByTestId('mlflow-settings').textContent()).toContain(`--cors-allowed-origins "${origin}"`);
    await saveSettings(page, 'mlflow.example.com', { experiment: ' ' });
    expect(await page.getByTestId('mlflow-settings-errors').locator('li').allTextContents()).toEqual([
      'tracking URI: must start with http:// or https://, e.g. https://mlflow.example.com',
      'experiment id: enter the id MLflow shows for the experiment (0 is the default one)',
    ]);
    expect(await page.evaluate(() => localStorage.getItem('neuralforge.mlflow-settings.v1'))).toBeNull();
    const ok = await stub({ allowOrigin: origin });
    await saveSettings(page, `${ok.uri}/`, { auth: 'Bearer test-token' });
    await waitFor('the settings saved', async () => (await page.getByTestId('mlflow-settings-summary').textContent()) === `— ${ok.uri}, experiment 12`);
    expect(await page.getByTestId('mlflow-settings-errors').locator('li').count()).toBe(0);

    // Log: what the server received is the stored run.
    const before = await rawRun(page, run.id);
    const text = await logAndRead(page, run.id, 'logged');
    const points = [...(await pointsOf(page, run.id, 'step')), ...(await pointsOf(page, run.id, 'epoch'))];
    const expected = points.reduce((n, p) => n + Object.keys(p.values).length, 0) + Object.keys(run.finalMetrics).length;
    expect(ok.violations).toEqual([]);
    expect(endpoints(ok)).toEqual(['runs/create', 'runs/log-batch', 'runs/update']);
    expect(text).toBe(`Logged to MLflow: run stub1 (3 requests, ${expected} metric values)`);
    expect(ok.requests.map((r) => r.authorization)).toEqual(['Bearer test-token', 'Bearer test-token', 'Bearer test-token']);
    expect(ok.requests[0]!.body).toMatchObject({ experiment_id: '12', run_name: run.id });
    const sent = ok.requests[1]!.body['metrics'] as { key: string; step: number; value: number }[];
    expect(sent).toHaveLength(expected);
    const steps = points.filter((p) => p.scope === 'step');
    expect(sent.filter((m) => m.key === 'loss').map((m) => [m.step, m.value])).toEqual(steps.map((p) => [p.index, p.values['loss']]));
    expect(ok.requests[2]!.body).toMatchObject({ run_id: 'stub1', status: 'FINISHED' });
    expect(await rawRun(page, run.id)).toBe(before);
    await screenshot(page, 'runs-mlflow');

    // A second click asks first.
    await row.getByTestId('run-log-mlflow').click();
    expect(await row.getByTestId('mlflow-confirm').textContent()).toContain('Already logged as stub1: log again?');
    await row.getByTestId('mlflow-log-cancel').click();
    expect(await row.getByTestId('mlflow-confirm').count()).toBe(0);
    expect(ok.requests).toHaveLength(3);

    // Automatic logging: the next run is logged when it ends, without a click.
    await saveSettings(page, ok.uri, { autoLog: true });
    await waitFor('auto-log saved', async () => ((await page.getByTestId('mlflow-settings-summary').textContent()) ?? '').includes('logs finished runs automatically'));
    const second = await trainTinyRun(page, logs);
    await showView(page, 'runs');
    const auto = actions(page, second.id).locator('[data-testid="mlflow-status"][data-state="logged"]');
    await auto.waitFor({ timeout: 20_000 });
    expect(await auto.textContent()).toMatch(/^Logged automatically to MLflow: run stub2 \(3 requests, \d+ metric values\)$/);
    expect(endpoints(ok).slice(3)).toEqual(['runs/create', 'runs/log-batch', 'runs/update']);
    expect(ok.requests[3]!.body['run_name']).toBe(second.id);
    await saveSettings(page, ok.uri, { autoLog: false });

    // Failures, each in its own words; the stored run never changes.
    const denied = await stub({ allowOrigin: origin, failAt: { index: 0, status: 403, errorCode: 'PERMISSION_DENIED', message: 'Permission denied for experiment 12.' } });
    await saveSettings(page, denied.uri);
    expect(await logAndRead(page, run.id, 'failed')).toBe(
      'Refused by the server: MLflow refused runs/create (HTTP 403 PERMISSION_DENIED): Permission denied for experiment 12. The run on this device is unchanged.',
    );
    const noCors = await stub({});
    await saveSettings(page, noCors.uri);
    expect(await logAndRead(page, run.id, 'failed')).toMatch(new RegExp(`^Blocked by CORS: the MLflow server at ${noCors.uri.replace(/\./g, '\\.')} answered, but the browser blocked its reply \\(CORS\\)`));
    expect(noCors.requests.filter((r) => r.path.startsWith('/api/'))).toEqual([]); // the preflight failed: no API call went through
    const dead = `http://127.0.0.1:${await deadPort()}`;
    await saveSettings(page, dead);
    expect(await logAndRead(page, run.id, 'failed')).toMatch(new RegExp(`^Server not reachable: cannot reach the MLflow server at ${dead.replace(/\./g, '\\.')} \\(Failed to fetch\\): is it running, and is the address right\\? The run on this device is unchanged\\.$`));
    await screenshot(page, 'runs-mlflow-error');
    expect(await rawRun(page, run.id)).toBe(before);
    expect((await runsOf(page)).length).toBe(2);
    expect(logs.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
  });
});
